// Copies an embedded SQLite database into PostgreSQL (`npm run db:copy-to-postgres`). The source is opened
// read-only and read inside one read transaction: a consistent snapshot even while a server writes to it. The
// target is migrated, must hold no data, and receives everything in one transaction that commits only when every
// table's row count matches the snapshot's; any failure leaves the target as it was (migrated, empty).
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { migratePg } from "./migrate";
import { pgPool } from "./pool";

/** Copied in this order; the counters after callbacks so the copied values replace what the triggers made. */
export const COPIED_TABLES = [
  "users",
  "settings",
  "services",
  "pattern_groups",
  "callbacks",
  "bucket_counts",
  "creation_counts",
  "callback_events",
  "notification_outbox",
  "handoffs",
  "bulk_operations",
] as const;
// The scheduler lease belongs to a process on the old database: the first server on PostgreSQL takes a new one.
const SKIPPED_TABLES = ["leases"];
const COUNTERS = new Set<string>(["bucket_counts", "creation_counts"]);
const IDENTITY_TABLES = ["callback_events", "notification_outbox"];
// PostgreSQL columns filled from something else in SQLite: callbacks.seq (migration 0001) is SQLite's rowid, so
// keyset cursors and the forget scan keep their order, and new callbacks continue past the copied ones
const FROM_SQLITE: Record<string, Record<string, string>> = { callbacks: { seq: "rowid" } };
// PostgreSQL takes at most 65535 parameters per statement
const MAX_PARAMS = 60_000;

export interface CopyOptions {
  /** SQLite database file */
  from: string;
  /** postgres:// URL */
  to: string;
  /** copy even though a server holds the source's scheduler lease (its later writes are not copied) */
  force?: boolean;
  /** rows per INSERT (capped so a statement stays under PostgreSQL's parameter limit) */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface CopyReport {
  tables: { table: string; rows: number }[];
  sequences: { table: string; next: number }[];
  migrationsApplied: string[];
  ms: number;
}

/** The copy was refused before anything was written: the message says why and what to do. */
export class CopyRefusedError extends Error {
  override name = "CopyRefusedError";
}

function sqliteMigrationsKnown(): number {
  const journal = path.join(process.cwd(), "db", "migrations", "meta", "_journal.json");
  return (JSON.parse(fs.readFileSync(journal, "utf8")) as { entries: unknown[] }).entries.length;
}

function openSource(file: string, force: boolean): Database.Database {
  if (!fs.existsSync(file)) throw new CopyRefusedError(`no SQLite database at ${file}`);
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    src.pragma("busy_timeout = 5000");
    const hasLedger = src
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
      .pluck()
      .get();
    if (!hasLedger) throw new CopyRefusedError(`${file} is not a callback service database (no migration ledger)`);
    const level = src.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get() as number;
    const known = sqliteMigrationsKnown();
    if (level > known)
      throw new CopyRefusedError(
        `${file} was written by newer code (${level} migrations; this code knows ${known}): copy with that version`,
      );
    if (level < known)
      throw new CopyRefusedError(
        `${file} is at migration ${level} of ${known}: start this version's server on it once (it migrates at start), stop it, then copy`,
      );
    const lease = src.prepare("SELECT holder, expires_at FROM leases WHERE name = 'scheduler'").get() as
      { holder: string; expires_at: number } | undefined;
    if (lease && lease.expires_at > Date.now() && !force)
      throw new CopyRefusedError(
        `a server is still running on ${file} (scheduler lease of ${lease.holder}): stop it first, or pass --force to copy a ` +
          "snapshot of it as it is now (what it writes afterwards is not copied)",
      );
    return src;
  } catch (e) {
    src.close();
    throw e;
  }
}

/**
 * The counters are copied as they are, so what the counter triggers would do per copied callback is thrown away:
 * switched off for the copy (about twice as fast) when we own the table. Anyone else copies with them on: slower,
 * same result. Inside the copy's transaction: a rollback switches them back on too.
 */
async function triggersOff(client: pg.PoolClient): Promise<boolean> {
  await client.query("SAVEPOINT triggers_off");
  try {
    await client.query("ALTER TABLE callbacks DISABLE TRIGGER USER");
    await client.query("RELEASE SAVEPOINT triggers_off");
    return true;
  } catch {
    await client.query("ROLLBACK TO SAVEPOINT triggers_off");
    return false;
  }
}

export async function copySqliteToPostgres(opts: CopyOptions): Promise<CopyReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const src = openSource(opts.from, opts.force ?? false);
  const pool = pgPool(opts.to, { max: 1 });
  try {
    const { applied } = await migratePg(pool);
    if (applied.length) log(`target migrated: ${applied.join(", ")}`);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // one copy at a time into a database; a second one waits, then finds the target not empty
      await client.query("SELECT pg_advisory_xact_lock(hashtext('callback-service:copy'))");
      const nonEmpty: string[] = [];
      for (const t of [...COPIED_TABLES, ...SKIPPED_TABLES]) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`);
        if (rows[0].n > 0) nonEmpty.push(`${t} (${rows[0].n})`);
      }
      if (nonEmpty.length)
        throw new CopyRefusedError(
          `the target already holds data: ${nonEmpty.join(", ")}. Copy into a new, empty database ` +
            "(CREATE DATABASE …), never over one servers have used",
        );

      // the snapshot: every read below sees the source as of this first read, whatever a live server writes
      src.prepare("BEGIN").run();
      const expected = new Map<string, number>();
      for (const t of COPIED_TABLES) expected.set(t, src.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);

      const tables: CopyReport["tables"] = [];
      for (const t of COPIED_TABLES) {
        const tStart = Date.now();
        const cols = (
          await client.query<{ c: string }>(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 " +
              "ORDER BY ordinal_position",
            [t],
          )
        ).rows.map((r) => r.c);
        const srcCols = new Set((src.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((r) => r.name));
        const derived = FROM_SQLITE[t] ?? {};
        const missing = cols.filter((c) => !srcCols.has(c) && !(c in derived));
        const extra = [...srcCols].filter((c) => !cols.includes(c));
        if (missing.length || extra.length)
          throw new Error(
            `${t}: the SQLite and PostgreSQL columns differ (missing ${missing.join() || "none"}, extra ${extra.join() || "none"})`,
          );
        if (COUNTERS.has(t)) await client.query(`DELETE FROM ${t}`);
        const quiet = t === "callbacks" && (await triggersOff(client));
        const batch = Math.max(1, Math.min(opts.batchSize ?? 1000, Math.floor(MAX_PARAMS / cols.length)));
        const insert = (n: number) =>
          `INSERT INTO ${t} (${cols.join(", ")}) VALUES ` +
          Array.from({ length: n }, (_, r) => `(${cols.map((_c, i) => `$${r * cols.length + i + 1}`).join(", ")})`).join(", ");
        const full = insert(batch);
        let rows: unknown[][] = [];
        let copied = 0;
        const flush = async () => {
          if (!rows.length) return;
          await client.query(rows.length === batch ? full : insert(rows.length), rows.flat());
          copied += rows.length;
          rows = [];
        };
        const read = src.prepare(`SELECT ${cols.map((c) => derived[c] ?? c).join(", ")} FROM ${t} ORDER BY rowid`).raw(true);
        for (const row of read.iterate() as Iterable<unknown[]>) {
          rows.push(row);
          if (rows.length === batch) await flush();
        }
        await flush();
        if (quiet) await client.query("ALTER TABLE callbacks ENABLE TRIGGER USER");
        tables.push({ table: t, rows: copied });
        log(`${t}: ${copied} rows in ${Date.now() - tStart} ms`);
      }

      // identity ids continue past the copied ones, and past any SQLite handed out before (AUTOINCREMENT never reuses)
      const sequences: CopyReport["sequences"] = [];
      for (const t of IDENTITY_TABLES) {
        const seq = (src.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").pluck().get(t) as number | undefined) ?? 0;
        const max = (await client.query<{ m: number | null }>(`SELECT max(id) AS m FROM ${t}`)).rows[0].m ?? 0;
        const last = Math.max(seq, max);
        await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)`, [t, Math.max(last, 1), last > 0]);
        sequences.push({ table: t, next: last + 1 });
      }

      const maxSeq = (await client.query<{ m: number | null }>("SELECT max(seq) AS m FROM callbacks")).rows[0].m ?? 0;
      await client.query("SELECT setval(pg_get_serial_sequence('callbacks', 'seq'), $1, $2)", [Math.max(maxSeq, 1), maxSeq > 0]);

      const wrong: string[] = [];
      for (const t of COPIED_TABLES) {
        const n = (await client.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).rows[0].n;
        if (n !== expected.get(t)) wrong.push(`${t}: ${n} copied, ${expected.get(t)} in the source`);
      }
      if (wrong.length) throw new Error(`row counts differ, nothing committed: ${wrong.join("; ")}`);
      await client.query("COMMIT");
      return { tables, sequences, migrationsApplied: applied, ms: Date.now() - started };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  } finally {
    if (src.inTransaction) src.prepare("COMMIT").run();
    src.close();
    await pool.end();
  }
}
