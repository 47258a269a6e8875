// `npm run db:copy-to-postgres`: a SQLite database built through the real engine, copied into a private
// PostgreSQL (test/pg-cluster.ts), compared table by table and row by row.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { freshEngine, addUsers, type Env } from "./helpers";
import { usePgCluster } from "./pg-cluster";
import { putPatterns, putService, putSettings } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { cancelCallback } from "../lib/callback/cancel";
import { COPIED_TABLES, copySqliteToPostgres, CopyRefusedError } from "../db/pg/copy";
import { migratePg } from "../db/pg/migrate";

const pgc = usePgCluster();
const ROOT = path.join(__dirname, "..");

const ORDER: Record<string, string> = {
  users: "username",
  settings: "section",
  services: "name",
  pattern_groups: "name",
  callbacks: "id",
  bucket_counts: "service_name, bucket",
  creation_counts: "service_name, sec",
  callback_events: "id",
  notification_outbox: "id",
  handoffs: "key",
  bulk_operations: "id",
};

/** A database with rows in every copied table, written by the engine's verbs and the store's methods. */
async function buildSource(): Promise<Env> {
  const env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  await addUsers(env.store);
  await putSettings(env.ctx, { _default_timezone: "Europe/Paris" });
  await putPatterns(env.ctx, "blocked", { premium: "^\\+1900", test: "^\\+1555000" });
  await putService(env.ctx, "svc", {
    _service: "callback",
    _request_time_bucket: 30,
    _max_request_by_time_bucket: 50,
    _enable_in_queue_checking: false,
  });
  await putService(env.ctx, "now", { _service: "callback", _enable_in_queue_checking: false });
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) {
    env.clock.t += 1_300;
    const desired = `2026-06-02T${String(13 + (i % 5)).padStart(2, "0")}:${i % 2 ? "30" : "00"}:00.000Z`;
    const body = { _customer_number: `+1617555${String(1000 + i)}`, _desired_time: desired, note: `é ${i}` };
    ids.push((await startCallback(env.ctx, "svc", body)).id);
  }
  for (let i = 0; i < 30; i++) ids.push((await startCallback(env.ctx, "now", { _customer_number: `+1617556${String(1000 + i)}` })).id);
  for (const id of ids.slice(0, 15)) await cancelCallback(env.ctx, id);
  const now = env.clock.t;
  for (const id of ids.slice(20, 30))
    await env.store.enqueueNotification(id, "https://crm.example/hook", JSON.stringify({ id, state: "QUEUED" }), now);
  const outbox = env.handle.sqlite.prepare("SELECT max(id) FROM notification_outbox").pluck().get() as number;
  // the newest outbox rows sent and gone: SQLite's AUTOINCREMENT still never hands their ids out again
  await env.store.deleteNotification(outbox);
  await env.store.deleteNotification(outbox - 1);
  for (const [i, id] of ids.slice(30, 40).entries()) {
    await env.store.claimHandoff(id, 1, now);
    await env.store.finishHandoff(id, 1, i % 3 !== 0, now + 5);
  }
  await env.store.insertBulkOperation({
    id: "bulk-1",
    kind: "cancel",
    actor: "admin",
    createdAt: now,
    request: JSON.stringify({ service: "svc" }),
    summary: JSON.stringify({ cancelled: 3, items: [] }),
  });
  await env.store.saveBulkProgress("bulk-1", "done", now + 10, JSON.stringify({ cancelled: 3, items: ["a", "b", "c"] }));
  await env.store.acquireLease("scheduler", "old-server", now - 120_000, 30_000); // long expired: the server is stopped
  return env;
}

const pgRows = async (pool: pg.Pool, t: string) => (await pool.query(`SELECT * FROM ${t} ORDER BY ${ORDER[t]}`)).rows;
// PostgreSQL's callbacks.seq is the SQLite rowid it was copied from
const liteCols = (t: string) => (t === "callbacks" ? "*, rowid AS seq" : "*");
const liteRows = (db: Database.Database, t: string) => db.prepare(`SELECT ${liteCols(t)} FROM ${t} ORDER BY ${ORDER[t]}`).all();

function runCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/copy-to-postgres.mts", ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: "" },
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

describe("copy SQLite to PostgreSQL", () => {
  let env: Env;
  beforeAll(async () => {
    env = await buildSource();
  });

  it("copies every table row by row, counters and ledger included, and verifies the counts", async () => {
    const { url, pool } = await pgc.freshDatabase();
    const report = await copySqliteToPostgres({ from: env.handle.path, to: url, batchSize: 7 });
    const lite = new Database(env.handle.path, { readonly: true });
    try {
      for (const t of COPIED_TABLES) {
        const expected = liteRows(lite, t);
        expect(expected.length, `${t} has rows to copy`).toBeGreaterThan(0);
        expect(await pgRows(pool, t), t).toEqual(expected);
        expect(report.tables.find((r) => r.table === t)?.rows).toBe(expected.length);
      }
    } finally {
      lite.close();
    }
    expect(report.migrationsApplied).toEqual(["0000_init", "0001_store", "0002_sign_in_limits", "0003_change_stamp_sequence"]);
    // the old server's lease stays behind: the first server on PostgreSQL takes its own
    expect((await pool.query("SELECT count(*) AS n FROM leases")).rows[0].n).toBe(0);
    // the engine's counters agree with the callbacks copied (cancelled ones left their bucket)
    const drift = await pool.query(
      "SELECT b.service_name, b.bucket, b.n FROM bucket_counts b " +
        "WHERE b.n <> (SELECT count(*) FROM callbacks c WHERE c.service_name = b.service_name AND c.bucket = b.bucket)",
    );
    expect(drift.rows).toEqual([]);
    // the counter triggers work again after the copy
    const before = await pool.query("SELECT bucket, n FROM bucket_counts WHERE service_name = 'svc' ORDER BY bucket LIMIT 1");
    const { bucket, n } = before.rows[0];
    await pool.query(
      "INSERT INTO callbacks (id, service_name, desired_time, state, time_scheduled, expiration_time, props, updated_at, bucket) " +
        "VALUES ('after-copy', 'svc', $1, 'SCHEDULED', $1, $1, '{}', $1, $1)",
      [bucket],
    );
    expect((await pool.query("SELECT n FROM bucket_counts WHERE service_name = 'svc' AND bucket = $1", [bucket])).rows[0].n).toBe(n + 1);
  });

  it("continues the event and outbox ids after the copied ones, and after ids SQLite handed out and deleted", async () => {
    const { url, pool } = await pgc.freshDatabase();
    const report = await copySqliteToPostgres({ from: env.handle.path, to: url });
    const lite = env.handle.sqlite;
    const maxEvent = lite.prepare("SELECT max(id) FROM callback_events").pluck().get() as number;
    const outboxSeq = lite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'notification_outbox'").pluck().get() as number;
    expect(outboxSeq).toBe((lite.prepare("SELECT max(id) FROM notification_outbox").pluck().get() as number) + 2);
    const ev = await pool.query("INSERT INTO callback_events (time, type) VALUES (1, 'accepted') RETURNING id");
    expect(ev.rows[0].id).toBe(maxEvent + 1);
    const ob = await pool.query(
      "INSERT INTO notification_outbox (callback_id, target, payload, next_at, created_at) VALUES ('x', 't', '{}', 1, 1) RETURNING id",
    );
    expect(ob.rows[0].id).toBe(outboxSeq + 1);
    expect(report.sequences).toEqual([
      { table: "callback_events", next: maxEvent + 1 },
      { table: "notification_outbox", next: outboxSeq + 1 },
    ]);
  });

  it("copies the same as a role that does not own the tables (counter triggers left on) and cannot create any", async () => {
    const { url, pool } = await pgc.freshDatabase();
    await migratePg(pool);
    const role = `copier_${Date.now()}`;
    await pool.query(`CREATE ROLE ${role} LOGIN`);
    await pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await pool.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await copySqliteToPostgres({ from: env.handle.path, to: url.replace("//postgres@", `//${role}@`) });
    const lite = new Database(env.handle.path, { readonly: true });
    try {
      for (const t of COPIED_TABLES) expect(await pgRows(pool, t), t).toEqual(liteRows(lite, t));
    } finally {
      lite.close();
    }
  });

  it("refuses a target that already holds data, and leaves it as it was", async () => {
    const { url, pool } = await pgc.freshDatabase();
    await copySqliteToPostgres({ from: env.handle.path, to: url });
    await pool.query("UPDATE services SET options = '{}' WHERE name = 'now'");
    const err = await copySqliteToPostgres({ from: env.handle.path, to: url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CopyRefusedError);
    expect((err as Error).message).toMatch(/already holds data: users \(3\), settings \(1\), services \(2\)/);
    expect((await pool.query("SELECT options FROM services WHERE name = 'now'")).rows[0].options).toBe("{}");
    expect((await pool.query("SELECT count(*) AS n FROM callbacks")).rows[0].n).toBe(150);
  });

  it("refuses a source a server still holds, unless forced; and a source at another migration level", async () => {
    const live = freshEngine(Date.now());
    await putService(live.ctx, "svc", { _service: "callback", _enable_in_queue_checking: false });
    await startCallback(live.ctx, "svc", { _customer_number: "+16175551234" });
    await live.store.acquireLease("scheduler", "running-server", Date.now(), 60_000);
    const { url, pool } = await pgc.freshDatabase();
    await expect(copySqliteToPostgres({ from: live.handle.path, to: url })).rejects.toThrow(
      /a server is still running on .* \(scheduler lease of running-server\): stop it first, or pass --force/,
    );
    // refused before touching the target: not even migrated
    expect((await pool.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(0);
    const forced = await copySqliteToPostgres({ from: live.handle.path, to: url, force: true });
    expect(forced.tables.find((t) => t.table === "callbacks")?.rows).toBe(1);

    const old = freshEngine();
    old.handle.sqlite
      .prepare("DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)")
      .run();
    const other = await pgc.freshDatabase();
    await expect(copySqliteToPostgres({ from: old.handle.path, to: other.url })).rejects.toThrow(
      /is at migration 7 of 8: start this version/,
    );
    await expect(copySqliteToPostgres({ from: path.join(ROOT, "no-such.db"), to: other.url })).rejects.toThrow(/no SQLite database at/);
    expect(fs.existsSync(path.join(ROOT, "no-such.db"))).toBe(false);
  });

  it("copies one consistent snapshot of a database a server keeps writing to (--force)", async () => {
    const live = freshEngine(Date.now());
    await putService(live.ctx, "svc", {
      _service: "callback",
      _enable_in_queue_checking: false,
      _request_time_bucket: 15,
      _max_request_by_time_bucket: 1_000_000,
      _throttle_callbacks_per_service_1: 1e9,
      _throttle_callbacks_per_service_2: 1e9,
    });
    let n = 0;
    const start = async () => {
      live.clock.t += 7;
      const desired = new Date(Date.now() + 86_400_000 + (n % 50) * 900_000).toISOString();
      await startCallback(live.ctx, "svc", { _customer_number: `+1617${5_000_000 + n++}`, _desired_time: desired });
    };
    for (let i = 0; i < 1500; i++) await start();
    await live.store.acquireLease("scheduler", "running-server", Date.now(), 60_000);
    const { url, pool } = await pgc.freshDatabase();
    // the server's writes, one per turn of the event loop, go on while the copy awaits PostgreSQL
    let writing = true;
    const load = (async () => {
      while (writing) await start(); // each start commits in its own turn of the event loop
    })();
    const report = await copySqliteToPostgres({ from: live.handle.path, to: url, force: true, batchSize: 50 }).finally(() => {
      writing = false;
    });
    await load;
    const copied = report.tables.find((t) => t.table === "callbacks")!.rows;
    expect(copied).toBeGreaterThanOrEqual(1500);
    expect(n).toBeGreaterThan(copied); // starts went on during the copy and after the snapshot
    // one snapshot: events, callbacks and counters of the same moment
    const lite = live.handle.sqlite;
    const pgIds = (await pool.query("SELECT id FROM callback_events ORDER BY id")).rows.map((r) => r.id);
    expect(pgIds).toEqual(lite.prepare("SELECT id FROM callback_events WHERE id <= ? ORDER BY id").pluck().all(pgIds.at(-1)));
    const accepted = (await pool.query("SELECT count(*) AS n FROM callback_events WHERE type = 'accepted'")).rows[0].n;
    expect(accepted).toBe(copied);
    const drift = await pool.query(
      "SELECT b.bucket FROM bucket_counts b " +
        "WHERE b.n <> (SELECT count(*) FROM callbacks c WHERE c.service_name = b.service_name AND c.bucket = b.bucket)",
    );
    expect(drift.rows).toEqual([]);
    const pgCallbacks = await pgRows(pool, "callbacks");
    const byId = new Map((lite.prepare(`SELECT ${liteCols("callbacks")} FROM callbacks`).all() as { id: string }[]).map((r) => [r.id, r]));
    expect(pgCallbacks).toEqual(pgCallbacks.map((r) => byId.get(r.id)));
  });

  it("the command copies, prints a per-table summary, and exits 1 with the reason when refused", async () => {
    const { url } = await pgc.freshDatabase();
    const first = await runCli(["--from", env.handle.path, "--to", url]);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/copied and verified/);
    expect(first.out).toMatch(/callbacks\s+150\n/);
    expect(first.out).toMatch(/next callback_events id: \d+/);
    const again = await runCli(["--from", env.handle.path, "--to", url]);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/refused: the target already holds data/);
    const usage = await runCli(["--from", env.handle.path]);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/usage: npm run db:copy-to-postgres/);
  });
});
