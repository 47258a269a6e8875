// Every suite that touches the store runs again on PostgreSQL (TEST_STORE=postgres): freshEngine (and useHttpEnv,
// which calls it) gives each test a PgStore on a new database of the run's private cluster (test/pg-global.ts).
// The list is computed, so a new suite joins by itself: a test file runs here when it uses freshEngine or
// useHttpEnv, unless it is named in SQLITE_ONLY below. Single tests of SQLite internals (WAL, pragmas, the
// database file) skip themselves here with `it.skipIf(onPostgres)`.
import fs from "node:fs";
import { defineConfig } from "vitest/config";

/** Suites about SQLite itself, each with its reason; the pg-*.test.ts suites run in the main config. */
const SQLITE_ONLY: Record<string, string> = {
  "test/group-commit.test.ts": "counts WAL commit frames of the SQLite group commit",
  "test/backup.test.ts": "the online backup of the SQLite file (PostgreSQL has its own tools)",
  "test/migrations.test.ts": "the SQLite migrator (test/pg-schema.test.ts covers the PostgreSQL one)",
  "test/two-process.test.ts": "two processes on one SQLite file (e2e/multi-server.spec.ts does it on PostgreSQL)",
  "test/data-files.test.ts": "file modes of the SQLite database and its directory",
  "test/first-start.test.ts": "first start on an empty SQLite data directory",
  "test/pg-copy.test.ts": "copies SQLite into PostgreSQL; runs in the main config",
};

const suites = fs
  .readdirSync("test")
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `test/${f}`)
  .filter((f) => !f.startsWith("test/pg-") && !(f in SQLITE_ONLY) && /\b(freshEngine|useHttpEnv)\(/.test(fs.readFileSync(f, "utf8")))
  .sort();

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: suites,
    env: { TEST_STORE: "postgres" },
    globalSetup: ["test/pg-global.ts"],
    setupFiles: ["test/pg-setup.ts"],
    environment: "node",
    pool: "forks",
    // two files at a time are enough for a 2-core machine (the cluster's own processes need the rest)
    maxWorkers: 2,
    testTimeout: 60000,
    hookTimeout: 120000,
  },
});
