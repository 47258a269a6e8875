import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { OPTION_DEFS } from "../lib/callback/options";
import { optionTableMarkdown } from "../scripts/option-table";

describe("README option table", () => {
  it("is the table generated from lib/callback/options.ts (run `npm run docs:options` after changing options)", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    const start = readme.indexOf("<!-- options:start -->");
    const end = readme.indexOf("<!-- options:end -->");
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + "<!-- options:start -->".length, end).trim()).toBe(optionTableMarkdown(OPTION_DEFS).trim());
  });
});
