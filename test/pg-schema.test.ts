// The PostgreSQL schema and its migrator, on a real private PostgreSQL (test/pg-cluster.ts), never mocks.
import { describe, it, expect } from "vitest";
import crypto from "node:crypto";
import type pg from "pg";
import { migratePg, pgMigrations, PgSchemaMismatchError, type PgMigration } from "../db/pg/migrate";
import { pgPool } from "../db/pg/pool";
import { tempDb } from "./helpers";
import { usePgCluster } from "./pg-cluster";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as pgSchema from "../db/pg/schema";
import * as sqliteSchema from "../db/schema";
import { findPgBin } from "../scripts/pg-cluster.mjs";

const pgc = usePgCluster();

const TABLES = [
  "bucket_counts",
  "bulk_operations",
  "callback_events",
  "callbacks",
  "creation_counts",
  "handoffs",
  "leases",
  "notification_outbox",
  "pattern_groups",
  "schema_migrations",
  "services",
  "settings",
  "sign_in_limits",
  "users",
];

const names = async (pool: pg.Pool, sql: string) => (await pool.query<{ name: string }>(sql)).rows.map((r) => r.name).sort();

function migration(id: number, tag: string, sql: string): PgMigration {
  return { id, tag, sql, hash: crypto.createHash("sha256").update(sql).digest("hex") };
}

describe("the private PostgreSQL of the tests", () => {
  it("started by itself in well under a minute, with fsync off and the C locale", async () => {
    expect(pgc.cluster().startMs).toBeLessThan(60_000);
    const { pool } = await pgc.freshDatabase();
    const row = (await pool.query("SELECT current_setting('fsync') AS fsync, current_setting('lc_collate') AS collate")).rows[0];
    expect(row).toEqual({ fsync: "off", collate: "C" });
  });

  it("is missed loudly, with how to install it, where no PostgreSQL is installed", () => {
    expect(() => findPgBin({ PATH: "/nonexistent" }, "/nonexistent")).toThrow(/apt-get install -y postgresql/);
    expect(findPgBin({ PATH: process.env.PATH })).toMatch(/bin$/);
  });
});

describe("PostgreSQL migrations", () => {
  it("apply on an empty database: every table, index and counter trigger of the SQLite schema, recorded once", async () => {
    const { pool } = await pgc.freshDatabase();
    const result = await migratePg(pool);
    expect(result).toEqual({ applied: ["0000_init", "0001_store", "0002_sign_in_limits", "0003_change_stamp_sequence"], already: [] });
    expect(await names(pool, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).toEqual(TABLES);
    const indexes = await names(pool, "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'");
    for (const i of [
      "callbacks_service_state_desired",
      "callbacks_customer_number",
      "callbacks_bucket",
      "callbacks_state_due",
      "callbacks_desired",
      "callbacks_service_created",
      "bucket_counts_cover",
      "events_callback",
      "events_service_time",
      "outbox_next",
      "outbox_callback",
    ])
      expect(indexes).toContain(i);
    expect(await names(pool, "SELECT DISTINCT trigger_name AS name FROM information_schema.triggers")).toEqual([
      "callback_events_change_stamp",
      "callbacks_bucket_delete",
      "callbacks_bucket_insert",
      "callbacks_bucket_update",
      "callbacks_change_stamp",
      "callbacks_creation_count",
      "pattern_groups_change_stamp",
      "services_change_stamp",
      "settings_change_stamp",
    ]);
    const recorded = await pool.query("SELECT id, tag FROM schema_migrations");
    expect(recorded.rows).toEqual([
      { id: 0, tag: "0000_init" },
      { id: 1, tag: "0001_store" },
      { id: 2, tag: "0002_sign_in_limits" },
      { id: 3, tag: "0003_change_stamp_sequence" },
    ]);
  });

  it("make the tables and columns of db/pg/schema.ts (types, nullability, indexes), which has those of db/schema.ts", async () => {
    const { pool } = await pgc.freshDatabase();
    await migratePg(pool);
    const { rows } = await pool.query(
      "SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable = 'YES' AS nullable FROM information_schema.columns " +
        "WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY t, c",
    );
    const declared = (Object.values(pgSchema) as unknown[]).filter((x): x is PgTable => x instanceof PgTable).map((x) => getTableConfig(x));
    const fromDrizzle = declared
      .flatMap((cfg) =>
        // drizzle names a type with its length (varchar(255)); information_schema without it (character varying)
        cfg.columns.map((col) => ({
          t: cfg.name,
          c: col.name,
          type: col.getSQLType().replace(/^varchar\(\d+\)$/, "character varying"),
          nullable: !col.notNull,
        })),
      )
      .sort((a, b) => (a.t + " " + a.c < b.t + " " + b.c ? -1 : 1));
    expect(fromDrizzle).toEqual(rows);
    const indexes = await names(
      pool,
      "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
    );
    expect(declared.flatMap((cfg) => cfg.indexes.map((i) => i.config.name)).sort()).toEqual(indexes);
    const sqliteColumns = (Object.values(sqliteSchema) as unknown[])
      .filter((x): x is SQLiteTable => x instanceof SQLiteTable)
      .map((x) => getSqliteTableConfig(x))
      .flatMap((cfg) => cfg.columns.map((col) => `${cfg.name}.${col.name}`))
      .sort();
    // beyond SQLite's: the store's insertion order (SQLite has rowid) and the
    // shared sign-in limits (0002; on SQLite the limiter lives in memory or in the cluster primary)
    const pgOnly = new Set(["callbacks.seq", "sign_in_limits.key", "sign_in_limits.points", "sign_in_limits.expire"]);
    expect(sqliteColumns).toEqual(
      rows
        .map((r) => `${r.t}.${r.c}`)
        .filter((c) => !pgOnly.has(c))
        .sort(),
    );
  });

  it("return epoch-millisecond BIGINTs, counts and identity ids as JS numbers, and JSON text byte for byte", async () => {
    const { pool } = await pgc.freshDatabase();
    await migratePg(pool);
    const t = Date.parse("2026-06-01T12:00:00.123Z");
    const json = '{ "b":1,  "a":"x" }';
    await pool.query("INSERT INTO services (name, kind, options, created_at, updated_at) VALUES ($1, 'callback', $2, $3, $3)", [
      "s",
      json,
      t,
    ]);
    const ev = await pool.query("INSERT INTO callback_events (time, type) VALUES ($1, 'accepted') RETURNING id", [t]);
    const row = (await pool.query("SELECT options, created_at, (SELECT count(*) FROM services) AS n FROM services")).rows[0];
    expect(row).toEqual({ options: json, created_at: t, n: 1 });
    expect(ev.rows[0].id).toBe(1);
  });

  it("applied twice is a no-op", async () => {
    const { pool } = await pgc.freshDatabase();
    await migratePg(pool);
    await pool.query("INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES ('u', 'h', 'admin', 1, 1)");
    expect(await migratePg(pool)).toEqual({
      applied: [],
      already: ["0000_init", "0001_store", "0002_sign_in_limits", "0003_change_stamp_sequence"],
    });
    expect((await pool.query("SELECT count(*) AS n FROM schema_migrations")).rows[0].n).toBe(4);
    expect((await pool.query("SELECT count(*) AS n FROM users")).rows[0].n).toBe(1);
  });

  it("run by several servers at once (separate pools), one applies and the others find nothing to do", async () => {
    const { url } = await pgc.freshDatabase();
    const pools = [pgPool(url), pgPool(url), pgPool(url), pgPool(url)];
    try {
      const results = await Promise.all(pools.map((p) => migratePg(p)));
      expect(results.flatMap((r) => r.applied)).toEqual(["0000_init", "0001_store", "0002_sign_in_limits", "0003_change_stamp_sequence"]);
      expect(
        results
          .filter((r) => r.applied.length === 0)
          .every((r) => r.already.join() === "0000_init,0001_store,0002_sign_in_limits,0003_change_stamp_sequence"),
      ).toBe(true);
      expect((await pools[0].query("SELECT count(*) AS n FROM schema_migrations")).rows[0].n).toBe(4);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it("refuse a database migrated by newer code, with a clear message, and leave it untouched", async () => {
    const { pool } = await pgc.freshDatabase();
    const newer = [...pgMigrations(), migration(4, "0004_future", "CREATE TABLE future (x integer)")];
    await migratePg(pool, newer);
    const err = await migratePg(pool).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PgSchemaMismatchError);
    expect((err as Error).message).toMatch(
      /migration 0004_future, which this code does not know \(it knows up to 0003_change_stamp_sequence\)/,
    );
    expect((err as Error).message).toMatch(/newer code/);
    expect((await pool.query("SELECT tag FROM schema_migrations ORDER BY id")).rows.map((r) => r.tag)).toEqual([
      "0000_init",
      "0001_store",
      "0002_sign_in_limits",
      "0003_change_stamp_sequence",
      "0004_future",
    ]);
  });

  it("refuse a database whose applied migration differs from this code's", async () => {
    const { pool } = await pgc.freshDatabase();
    await migratePg(pool, [migration(0, "0000_init", "CREATE TABLE other (x integer)")]);
    await expect(migratePg(pool)).rejects.toThrow(/migrated by different code/);
  });

  it("a failing migration leaves nothing behind: neither its tables nor its record", async () => {
    const { pool } = await pgc.freshDatabase();
    await expect(
      migratePg(pool, [...pgMigrations(), migration(4, "0004_broken", "CREATE TABLE half (x integer); SELECT 1/0")]),
    ).rejects.toThrow(/division by zero/);
    expect((await pool.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(0);
  });
});

describe("PostgreSQL counter triggers", () => {
  it("keep bucket_counts and creation_counts exactly as SQLite's triggers do over the same inserts, updates and deletes", async () => {
    const { pool } = await pgc.freshDatabase();
    await migratePg(pool);
    const lite = tempDb();
    const both = async (sql: string, params: unknown[]) => {
      lite.sqlite.prepare(sql).run(...params);
      let i = 0;
      await pool.query(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      );
    };
    // a seeded walk so a failure replays identically
    let seed = 20260601;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const services = ["alpha", "beta", "gamma"];
    const buckets = [null, 1_780_000_000_000, 1_780_000_900_000, 1_780_001_800_000];
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)];
    const ids: string[] = [];
    const t0 = 1_780_000_000_000;
    for (let step = 0; step < 600; step++) {
      const op = ids.length === 0 ? 0 : rnd(7);
      const id = ids.length ? pick(ids) : "";
      if (op <= 1) {
        const nid = `cb${step}`;
        ids.push(nid);
        const ts = t0 + rnd(8) * 400 + rnd(400);
        await both(
          "INSERT INTO callbacks (id, service_name, desired_time, state, time_scheduled, expiration_time, props, updated_at, bucket) " +
            "VALUES (?, ?, ?, 'SCHEDULED', ?, ?, '{}', ?, ?)",
          [nid, pick(services), ts, ts, ts + 86_400_000, ts, pick(buckets)],
        );
      } else if (op === 2) await both("UPDATE callbacks SET bucket = ? WHERE id = ?", [pick(buckets), id]);
      else if (op === 3) await both("UPDATE callbacks SET service_name = ? WHERE id = ?", [pick(services), id]);
      else if (op === 4) await both("UPDATE callbacks SET service_name = ?, bucket = ? WHERE id = ?", [pick(services), pick(buckets), id]);
      else if (op === 5) await both("UPDATE callbacks SET state = 'QUEUED', version = version + 1 WHERE id = ?", [id]);
      else {
        await both("DELETE FROM callbacks WHERE id = ?", [id]);
        ids.splice(ids.indexOf(id), 1);
      }
    }
    // one statement moving many rows, then emptying a service: its counters go to zero and stay
    await both("UPDATE callbacks SET bucket = ? WHERE service_name = ?", [buckets[1], "beta"]);
    await both("DELETE FROM callbacks WHERE service_name = ?", ["alpha"]);
    for (const [table, key] of [
      ["bucket_counts", "bucket"],
      ["creation_counts", "sec"],
    ]) {
      const sql = `SELECT service_name, ${key}, n FROM ${table} ORDER BY service_name, ${key}`;
      const fromLite = lite.sqlite.prepare(sql).all();
      const fromPg = (await pool.query(sql)).rows;
      expect(fromLite.length).toBeGreaterThan(5);
      expect(fromPg).toEqual(fromLite);
    }
    // and both agree with a recount of the callbacks left
    const recount = (
      await pool.query(
        "SELECT b.service_name, b.bucket, b.n, " +
          "(SELECT count(*) FROM callbacks c WHERE c.service_name = b.service_name AND c.bucket = b.bucket) AS c FROM bucket_counts b",
      )
    ).rows;
    expect(recount.filter((r) => r.n !== r.c)).toEqual([]);
    expect(recount.filter((r) => r.service_name === "alpha").every((r) => r.n === 0)).toBe(true);
  });
});
