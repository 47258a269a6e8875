// Setup of the PostgreSQL run (vitest.pg.config.mts): each test file gets its own private cluster, started before
// its tests and stopped (and deleted) after them; freshEngine then gives each test a new database in it.
import { afterAll, beforeAll } from "vitest";
import { startPgCluster, type PgCluster } from "../scripts/pg-cluster.mjs";
import { closePgStores } from "./helpers";

const state = globalThis as unknown as { __testPgUrl?: string };
let cluster: PgCluster | undefined;

beforeAll(async () => {
  cluster = await startPgCluster();
  state.__testPgUrl = cluster.url;
}, 120_000);

afterAll(async () => {
  await closePgStores();
  await cluster?.stop();
  state.__testPgUrl = undefined;
});
