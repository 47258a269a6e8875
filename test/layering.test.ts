import { describe, it, expect } from "vitest";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const sources = (dir: string): string[] =>
  fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : /\.tsx?$/.test(e.name) ? [rel] : [];
  });
const importsOf = (file: string) => [...fs.readFileSync(path.join(root, file), "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);

describe("layering", () => {
  it("the engine (lib/callback) never imports execution (lib/execution): it reaches it through the port in its context", () => {
    const offending = sources("lib/callback").flatMap((f) =>
      importsOf(f)
        .filter((i) => /(^|\/)execution\//.test(i))
        .map((i) => `${f}: ${i}`),
    );
    expect(offending).toEqual([]);
  });
  it("no SQL outside db/: lib/ and app/ reach the database through the store", () => {
    const sqlCall = /\.(stmt|prepare|exec)\(\s*[`"']|\.sqlite\b/;
    const offending = [...sources("lib"), ...sources("app")].filter((f) => sqlCall.test(fs.readFileSync(path.join(root, f), "utf8")));
    expect(offending).toEqual([]);
  });
});
