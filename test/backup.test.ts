// `npm run backup` under load and `npm run restore`: the real scripts, on real database files.
import { describe, it, expect } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";

const ROOT = path.join(__dirname, "..");
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", script), ...args], { env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

describe("backup and restore", () => {
  it("backs up a live database while callbacks keep arriving, and the restored copy holds every acknowledged one", async () => {
    const env = freshEngine(Date.now());
    await putService(env.ctx, "svc", {
      _service: "callback",
      _enable_in_queue_checking: "false",
      _throttle_callbacks_per_service_1: 1_000_000,
      _throttle_callbacks_per_service_2: 1_000_000,
    });
    const acknowledged: string[] = [];
    let n = 0;
    const start = async () => acknowledged.push((await startCallback(env.ctx, "svc", { _customer_number: `+1617${5_000_000 + n++}` })).id);
    for (let i = 0; i < 2000; i++) await start();
    const beforeBackup = acknowledged.length;
    // load: a start on every turn of the event loop while the backup runs in another process
    let writing = true;
    const load = (async () => {
      while (writing) {
        await start();
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cb-backup-"));
    const file = path.join(dir, "backup.db");
    const backup = await run("backup.mjs", [file], { DATABASE_PATH: env.handle.path });
    writing = false;
    await load;
    expect(backup.code, backup.out).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(beforeBackup); // writes went on during the backup
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const target = path.join(dir, "restored", "callbacks.db");
    const restore = await run("restore.mjs", [file], { DATABASE_PATH: target });
    expect(restore.code, restore.out).toBe(0);
    const restored = new Database(target, { readonly: true });
    expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
    const ids = new Set(restored.prepare("SELECT id FROM callbacks").pluck().all() as string[]);
    restored.close();
    // everything acknowledged before the backup began is there; what came during it is there up to its snapshot
    expect(acknowledged.slice(0, beforeBackup).every((id) => ids.has(id))).toBe(true);
    expect(ids.size).toBeGreaterThanOrEqual(beforeBackup);
    expect([...ids].every((id) => acknowledged.includes(id))).toBe(true);
  }, 60_000);

  it("refuses to restore over a database a server still runs on, and a backup written by newer code", async () => {
    const env = freshEngine(Date.now());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cb-restore-"));
    const file = path.join(dir, "backup.db");
    expect((await run("backup.mjs", [file], { DATABASE_PATH: env.handle.path })).code).toBe(0);
    // the live database: a scheduler lease that has not expired
    env.lite.sqlite.prepare("INSERT INTO leases (name, holder, expires_at) VALUES ('scheduler', 'pid-1', ?)").run(Date.now() + 60_000);
    const busy = await run("restore.mjs", [file], { DATABASE_PATH: env.handle.path });
    expect(busy.code).toBe(1);
    expect(busy.out).toMatch(/still holds .* stop it first/);
    // a backup from the future
    const newer = new Database(file);
    newer.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ?)").run(Date.now());
    newer.close();
    const future = await run("restore.mjs", [file], { DATABASE_PATH: path.join(dir, "fresh.db") });
    expect(future.code).toBe(1);
    expect(future.out).toMatch(/written by newer code/);
  }, 60_000);

  it("refuse to run for a PostgreSQL deployment (DATABASE_URL), naming PostgreSQL's own tools", async () => {
    for (const script of ["backup.mjs", "restore.mjs"]) {
      const r = await run(script, ["x.db"], { DATABASE_URL: "postgres://callback@db.example/callbacks" });
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/works on the SQLite file only.*pg_dump/s);
    }
  });
});
