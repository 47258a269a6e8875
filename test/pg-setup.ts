// Setup of each file of the PostgreSQL run (vitest.pg.config.mts): the run's cluster (test/pg-global.ts) is this
// file's; freshEngine then gives each test a new database in it, and the file's stores are closed after its tests.
import { afterAll, beforeAll, inject } from "vitest";
import { closePgStores } from "./helpers";

const state = globalThis as unknown as { __testPgUrl?: string };

beforeAll(() => {
  state.__testPgUrl = inject("pgUrl");
});

afterAll(async () => {
  await closePgStores();
  state.__testPgUrl = undefined;
});
