// PostgreSQL for the benches (BENCH_STORE=postgres): one private cluster (scripts/pg-cluster.mjs, loopback, removed
// at stop or exit), a fresh database per measurement, and bulk seeding of scheduled callbacks.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { CallbackStore } from "../db/callback-store";
import { PgStore } from "../db/pg/store";
import { startPgCluster } from "../scripts/pg-cluster.mjs";

export type BenchStore = "sqlite" | "postgres";

/** BENCH_STORE: sqlite (default) or postgres; anything else is refused rather than silently measured on SQLite. */
export function benchStore(): BenchStore {
  const s = process.env.BENCH_STORE || "sqlite";
  if (s !== "sqlite" && s !== "postgres") throw new Error(`BENCH_STORE=${s}: sqlite or postgres`);
  return s;
}

export interface BenchCluster {
  /** A new, empty database in the cluster (migrated by the first store that opens it). */
  freshDatabase(): Promise<string>;
  /** A PgStore on a new database, migrated; closed by stop(). */
  freshStore(): Promise<PgStore>;
  /** CPU time (ms) the cluster's processes have used so far (see pgCpuMs). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * CPU time (ms) used so far by the PostgreSQL cluster in `dir` (pg-cluster.mjs's directory): the postmaster and its
 * live children, from Linux /proc (100 ticks a second). The backends of connections closed meanwhile are missed, so
 * compare it over a run whose connections stay open.
 */
export function pgCpuMs(dir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter(Boolean);
  } catch {
    // ps exits 1 when there are no children
  }
  let ticks = 0;
  for (const pid of [postmaster, ...children]) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the backend ended between ps and the read
    }
  }
  return ticks * 10;
}

export async function benchCluster(): Promise<BenchCluster> {
  const cluster = await startPgCluster({ database: "bench" });
  const stores: PgStore[] = [];
  let n = 0;
  const freshDatabase = async () => {
    const name = `bench_${++n}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const u = new URL(cluster.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    freshDatabase,
    async freshStore() {
      const store = new PgStore({ url: await freshDatabase() });
      await store.ready();
      stores.push(store);
      return store;
    },
    cpuMs: () => pgCpuMs(cluster.dir),
    async stop() {
      await Promise.all(stores.map((s) => s.close()));
      await cluster.stop();
    },
  };
}

export interface ScheduledRow {
  id: string;
  number: string;
  desired: number;
  expiration: number;
  bucket: number | null;
  dueAt: number | null;
}

/**
 * Scheduled callbacks of one service stored as they are (the rows the SQLite benches insert one prepared statement
 * at a time), in one transaction: 20,000 rows per INSERT … SELECT FROM unnest(arrays). The callbacks table's
 * per-row counter triggers are switched off for it and the counters added once per (service, bucket) and
 * (service, second) instead, as db/pg/copy.ts does: 100,000 rows that all share one creation second otherwise
 * update one creation_counts row 100,000 times in one transaction (25 s instead of 4 on a loaded 2-core machine).
 * The counters are then checked against the rows.
 */
export async function insertScheduledPg(store: CallbackStore, service: string, now: number, rows: readonly ScheduledRow[]): Promise<void> {
  const counters = ["callbacks_bucket_insert", "callbacks_creation_count"];
  await store.tx(async () => {
    await store.query(`ALTER TABLE callbacks ${counters.map((t) => `DISABLE TRIGGER ${t}`).join(", ")}`);
    for (let k = 0; k < rows.length; k += 20_000) {
      const part = rows.slice(k, k + 20_000);
      await store.query(
        `INSERT INTO callbacks (id, service_name, customer_number, desired_time, state, time_scheduled, expiration_time, bucket, due_at, props, updated_at)
         SELECT u.id, ?, u.num, u.d, 'SCHEDULED', ?, u.exp, u.b, u.due, '{}', ?
         FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(id, num, d, exp, b, due)`,
        [
          service,
          now,
          now,
          part.map((r) => r.id),
          part.map((r) => r.number),
          part.map((r) => r.desired),
          part.map((r) => r.expiration),
          part.map((r) => r.bucket),
          part.map((r) => r.dueAt),
        ],
      );
    }
    const buckets = new Map<number, number>();
    for (const r of rows) if (r.bucket !== null) buckets.set(r.bucket, (buckets.get(r.bucket) ?? 0) + 1);
    await store.query(
      `INSERT INTO bucket_counts (service_name, bucket, n) SELECT ?, u.b, u.n FROM unnest(?::bigint[], ?::integer[]) AS u(b, n)
       ON CONFLICT (service_name, bucket) DO UPDATE SET n = bucket_counts.n + EXCLUDED.n`,
      [service, [...buckets.keys()], [...buckets.values()]],
    );
    await store.query(
      `INSERT INTO creation_counts (service_name, sec, n) VALUES (?, ?, ?)
       ON CONFLICT (service_name, sec) DO UPDATE SET n = creation_counts.n + EXCLUDED.n`,
      [service, Math.floor(now / 1000), rows.length],
    );
    await store.query(`ALTER TABLE callbacks ${counters.map((t) => `ENABLE TRIGGER ${t}`).join(", ")}`);
  });
  const wrong = await store.query<{ bucket: number }>(
    `SELECT c.bucket FROM (SELECT bucket, count(*) AS n FROM callbacks WHERE service_name = ? AND bucket IS NOT NULL GROUP BY bucket) c
     LEFT JOIN bucket_counts b ON b.service_name = ? AND b.bucket = c.bucket WHERE b.n IS DISTINCT FROM c.n LIMIT 1`,
    [service, service],
  );
  if (wrong.length) throw new Error(`bucket_counts of ${service} differ from its callbacks at bucket ${wrong[0].bucket}`);
}
