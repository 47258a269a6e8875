// The engine, execution and admin suites again, on PostgreSQL (TEST_STORE=postgres): freshEngine gives each test a
// PgStore on a new database of the file's private cluster (test/pg-setup.ts). Tests of SQLite internals (WAL,
// pragmas, the database file) skip themselves here (`it.skipIf(onPostgres)`); pg-*.test.ts run in the main config.
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: [
      "test/start.test.ts",
      "test/concurrency.test.ts",
      "test/scheduler.test.ts",
      "test/admin-callback.test.ts",
      "test/notifications.test.ts",
      "test/reschedule-limits.test.ts",
      "test/availability.test.ts",
      "test/admin-config.test.ts",
    ],
    env: { TEST_STORE: "postgres" },
    setupFiles: ["test/pg-setup.ts"],
    environment: "node",
    pool: "forks",
    // each file starts its own cluster: two at a time are enough for a 2-core machine
    maxWorkers: 2,
    testTimeout: 60000,
    hookTimeout: 120000,
  },
});
