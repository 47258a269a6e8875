import { describe, it, expect } from "vitest";
import { tempDb } from "./helpers";

describe("database", () => {
  it("applies every migration to an empty database, in WAL mode with a busy timeout and the required indexes", () => {
    const h = tempDb();
    const tables = h.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type='table'")
      .all()
      .map((r: any) => r.name);
    for (const t of [
      "services",
      "settings",
      "pattern_groups",
      "callbacks",
      "callback_events",
      "users",
      "notification_outbox",
      "leases",
      "handoffs",
      "bulk_operations",
    ])
      expect(tables).toContain(t);
    expect(h.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(h.sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    const idx = h.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='callbacks'")
      .all()
      .map((r: any) => r.name);
    for (const i of ["callbacks_service_state_desired", "callbacks_customer_number", "callbacks_bucket", "callbacks_state_due"])
      expect(idx).toContain(i);
    const cols = h.sqlite
      .prepare("PRAGMA table_info(callbacks)")
      .all()
      .map((r: any) => r.name);
    for (const c of [
      "id",
      "service_name",
      "customer_number",
      "desired_time",
      "state",
      "reason",
      "time_scheduled",
      "expiration_time",
      "ors_session_id",
      "bucket",
      "enqueued_at",
      "submit_attempts",
      "version",
      "updated_at",
    ])
      expect(cols).toContain(c);
  });

  it("re-opening a migrated database applies nothing twice", async () => {
    const h = tempDb();
    const { openDatabase } = await import("../db/client");
    const again = openDatabase(h.sqlite.name);
    const n = again.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    expect(n.n).toBeGreaterThanOrEqual(1);
    const n2 = h.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    expect(n2.n).toBe(n.n);
  });
});

describe("write transactions", () => {
  it("retry a transaction refused with SQLITE_BUSY a bounded number of times, then surface the error; work once the lock is released", async () => {
    const h = tempDb();
    const { Store, TX_BUSY_ATTEMPTS } = await import("../db/store");
    const { openDatabase } = await import("../db/client");
    const store = new Store(h);
    h.sqlite.pragma("busy_timeout = 20");
    const other = openDatabase(h.sqlite.name);
    other.sqlite.prepare("BEGIN IMMEDIATE").run();
    let calls = 0;
    await expect(store.tx(() => ++calls)).rejects.toThrow(/locked|busy/i);
    expect(calls).toBe(0);
    expect(TX_BUSY_ATTEMPTS).toBeGreaterThan(1);
    expect(store.busyRetries).toBe(TX_BUSY_ATTEMPTS - 1);
    other.sqlite.prepare("COMMIT").run();
    expect(await store.tx(() => ++calls)).toBe(1);
    expect(store.busyRetries).toBe(TX_BUSY_ATTEMPTS - 1);
  });
});
