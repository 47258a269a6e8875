import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { OPTION_DEFS } from "../lib/callback/options";
import { optionTableMarkdown } from "../scripts/option-table";

describe("option table of docs/options.md", () => {
  it("is the table generated from lib/callback/options.ts (run `npm run docs:options` after changing options)", () => {
    const doc = fs.readFileSync("docs/options.md", "utf8");
    const start = doc.indexOf("<!-- options:start -->");
    const end = doc.indexOf("<!-- options:end -->");
    expect(start).toBeGreaterThan(0);
    expect(doc.slice(start + "<!-- options:start -->".length, end).trim()).toBe(optionTableMarkdown(OPTION_DEFS).trim());
  });
});
