import { describe, it, expect, afterEach } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { Store } from "../db/store";
import { verifyPassword } from "../lib/auth/passwords";

const FIXTURE = path.join(__dirname, "fixtures", "first-start-process.mts");
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

function startProcess(dbPath: string): { child: ChildProcess; ready: Promise<void>; output: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    cwd: path.join(__dirname, ".."),
    env: { ...process.env, DATABASE_PATH: dbPath },
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  let out = "";
  const ready = new Promise<void>((resolve) => child.stdout!.on("data", (d: Buffer) => (out += d) && out.includes("ready") && resolve()));
  const output = new Promise<string>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`)))),
  );
  return { child, ready, output };
}

describe("several server processes starting on one new database (WORKERS)", () => {
  it("migrate it once between them, create the first admin once with exactly one printed password that works, and share one session secret", async () => {
    const dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cb-first-")), "db.sqlite");
    const procs = Array.from({ length: 4 }, () => startProcess(dbPath));
    await Promise.all(procs.map((p) => p.ready));
    for (const p of procs) p.child.stdin!.end("go\n");
    const lines = await Promise.all(procs.map((p) => p.output));

    const printed = lines.flatMap((l) => [...l.matchAll(/password "([^"]+)"/g)].map((m) => m[1]));
    expect(printed).toHaveLength(1);
    expect(lines.filter((l) => l.includes("existing users in the database"))).toHaveLength(3);
    const store = new Store(openDatabase(dbPath));
    expect((await store.listUsers()).map((u) => [u.username, u.role])).toEqual([["admin", "admin"]]);
    expect(await verifyPassword(printed[0], (await store.getUser("admin"))!.passwordHash)).toBe(true);
    // one console session secret for all of them (a session signed by one is valid on the others)
    const secrets = new Set(lines.map((l) => /^secret (\S+)$/m.exec(l)?.[1]));
    expect(secrets.size).toBe(1);
    expect([...secrets][0]).toMatch(/^[\w-]{40,}$/);
  }, 60_000);
});
