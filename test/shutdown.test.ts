// lib/ops/shutdown.ts in a process of its own: process.exit (as Next.js calls it on SIGTERM) waits for the work
// handed to deferExitUntil, and the grace period's hardExit does not.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");

function run(body: string): { status: number | null; stdout: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cb-shutdown-"));
  const file = path.join(dir, "main.mts");
  fs.writeFileSync(file, `import { deferExitUntil, hardExit } from ${JSON.stringify(path.join(root, "lib/ops/shutdown.ts"))};\n${body}\n`);
  const r = spawnSync(process.execPath, [tsx, file], { encoding: "utf8", timeout: 30_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout };
}

describe("shutdown", () => {
  it("process.exit waits for the work it was deferred behind, then exits with its own code", () => {
    const r = run(`
      deferExitUntil(new Promise((r) => setTimeout(() => { console.log("lease released"); r(undefined); }, 300)));
      process.exit(143);
      console.log("exit called");
    `);
    expect(r.stdout).toBe("exit called\nlease released\n");
    expect(r.status).toBe(143);
  });

  it("exits after failed work too, and hardExit does not wait", () => {
    expect(run(`deferExitUntil(Promise.reject(new Error("db down"))); process.exit(130);`).status).toBe(130);
    const r = run(`
      deferExitUntil(new Promise(() => {}));
      setTimeout(() => hardExit(143), 100);
      process.exit(0);
    `);
    expect(r.status).toBe(143);
  });
});
