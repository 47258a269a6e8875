// PostgreSQL for the benches (BENCH_STORE=postgres): one private cluster (scripts/pg-cluster.mjs, loopback, removed
// at stop or exit), a fresh database per measurement, and bulk seeding of scheduled callbacks.
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
  stop(): Promise<void>;
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
 * Scheduled callbacks of one service stored as they are, 20,000 rows per INSERT … SELECT FROM unnest(arrays): the
 * same rows the SQLite benches insert one prepared statement at a time. The callbacks table's triggers keep the
 * bucket counters, as for a callback the engine stores.
 */
export async function insertScheduledPg(store: CallbackStore, service: string, now: number, rows: readonly ScheduledRow[]): Promise<void> {
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
}
