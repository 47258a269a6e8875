// A private PostgreSQL per test file (scripts/pg-cluster.mjs): started in beforeAll, stopped and deleted in
// afterAll. Without PostgreSQL installed beforeAll throws with how to install it, so every test of the file fails
// rather than being skipped.
import { afterAll, beforeAll } from "vitest";
import pg from "pg";
import { startPgCluster, type PgCluster } from "../scripts/pg-cluster.mjs";
import { pgPool } from "../db/pg/pool";

export interface PgFixture {
  cluster: () => PgCluster;
  /** a new, empty database in the file's cluster and a pool on it (closed in afterAll) */
  freshDatabase: () => Promise<{ url: string; pool: pg.Pool }>;
}

export function usePgCluster(): PgFixture {
  let cluster: PgCluster | undefined;
  const pools: pg.Pool[] = [];
  let n = 0;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await cluster?.stop();
  });
  const get = () => {
    if (!cluster) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
    return cluster;
  };
  return {
    cluster: get,
    freshDatabase: async () => {
      const c = get();
      const name = `t${++n}`;
      const admin = new pg.Client(c.url);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = c.url.replace(/\/[^/]+$/, `/${name}`);
      const pool = pgPool(url);
      pools.push(pool);
      return { url, pool };
    },
  };
}
