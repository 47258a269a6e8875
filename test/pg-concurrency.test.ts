// Two servers on one PostgreSQL database: two PgStores (two pools, so two sets of connections and transactions)
// take 200 Start-Callback requests at once. Capacity and the queued limit are counted, then written, inside each
// start's transaction; the per-service advisory lock (lockService) makes those transactions take turns across
// both stores, so neither limit is ever exceeded.
import { afterEach, describe, expect, it } from "vitest";
import { usePgCluster } from "./pg-cluster";
import { PgStore } from "../db/pg/store";
import { deleteService, putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { CallbackError } from "../lib/callback/errors";
import { setClock } from "../lib/clock";
import { ensureAdmin } from "../lib/auth/users";
import { SignInThrottle, USER_RULE, limiterFor } from "../lib/auth/throttle";
import { verifyPassword } from "../lib/auth/passwords";
import { executionPort } from "../lib/execution/port";
import type { EngineCtx } from "../lib/callback/context";

const pgc = usePgCluster();
const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const num = (i: number) => `+1617555${String(1000 + i).padStart(4, "0")}`;
let open: PgStore[] = [];

afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

async function twoServers(): Promise<[EngineCtx, EngineCtx]> {
  const { url } = await pgc.freshDatabase();
  const stores = [new PgStore({ url, max: 10 }), new PgStore({ url, max: 10 })];
  open.push(...stores);
  // both migrate at once, as two servers starting together do
  await Promise.all(stores.map((s) => s.ready()));
  setClock(() => T0);
  const ctx = (store: PgStore): EngineCtx => ({ store, now: () => T0, actor: "test", execution: executionPort });
  return [ctx(stores[0]), ctx(stores[1])];
}

/** 200 starts, alternating between the two servers; the error codes of the refused ones. */
async function fire(ctxs: [EngineCtx, EngineCtx], body: (i: number) => Record<string, unknown>) {
  const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => startCallback(ctxs[i % 2], "svc", body(i))));
  const codes: Record<string, number> = {};
  for (const r of results) {
    const k = r.status === "fulfilled" ? "ok" : r.reason instanceof CallbackError ? String(r.reason.code) : String(r.reason);
    codes[k] = (codes[k] ?? 0) + 1;
  }
  return codes;
}

describe("two servers on one PostgreSQL database", () => {
  it("200 parallel starts into a bucket of capacity 10: exactly 10 stored, 190 refused with 40051", async () => {
    const ctxs = await twoServers();
    await putService(ctxs[0], "svc", { _service: "callback", _max_request_by_time_bucket: 10, _enable_in_queue_checking: false });
    const codes = await fire(ctxs, (i) => ({ _customer_number: num(i), _desired_time: "2026-06-01T14:02:00.000Z" }));
    expect(codes).toEqual({ ok: 10, "40051": 190 });
    const store = ctxs[1].store;
    expect(await store.query("SELECT bucket, state, count(*) AS n FROM callbacks GROUP BY bucket, state")).toEqual([
      { bucket: Date.parse("2026-06-01T14:00:00.000Z"), state: "SCHEDULED", n: 10 },
    ]);
    expect(await store.countBucket("svc", Date.parse("2026-06-01T14:00:00.000Z"))).toBe(10);
    expect(
      await store.query(
        "SELECT type, count(*) AS n FROM callback_events WHERE callback_id IS NOT NULL OR type = 'rejected' GROUP BY type ORDER BY type",
      ),
    ).toEqual([
      { type: "accepted", n: 10 },
      { type: "rejected", n: 190 },
    ]);
  });

  it("200 parallel immediate starts against _max_queued_callbacks_per_service=10: exactly 10 queued, 190 refused with 40002", async () => {
    const ctxs = await twoServers();
    await putService(ctxs[1], "svc", { _service: "callback", _max_queued_callbacks_per_service: 10, _enable_in_queue_checking: false });
    const codes = await fire(ctxs, (i) => ({ _customer_number: num(i) }));
    expect(codes).toEqual({ ok: 10, "40002": 190 });
    expect(await ctxs[0].store.query("SELECT state, count(*) AS n FROM callbacks GROUP BY state")).toEqual([{ state: "QUEUED", n: 10 }]);
  });

  it("one hand-off attempt and one lease holder; the change stamp moves for a write on either server, and writers never wait on it", async () => {
    const [a, b] = await twoServers();
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).store.claimHandoff("cb1", 1, T0)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const leases = await Promise.all([a.store.acquireLease("scheduler", "a", T0, 5000), b.store.acquireLease("scheduler", "b", T0, 5000)]);
    expect(leases.filter(Boolean)).toHaveLength(1);
    const before = await a.store.changeStamp();
    await b.store.putSettings("callback", {}, T0);
    const after = await a.store.changeStamp();
    expect(after).not.toBe(before);
    // two transactions that both wrote stay open side by side: neither waits for the other to commit (the stamp
    // of migration 0001 was a row lock held until commit, and made the second one wait here)
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = a.store.tx(async () => {
      await a.store.putSettings("one", {}, T0);
      await held;
    });
    await b.store.tx(async () => {
      await b.store.putSettings("two", {}, T0);
    });
    release();
    await first;
    expect(await b.store.changeStamp()).not.toBe(after);
  });

  it("a service deleted on one server while another writes a reference to it: one of them wins, never a dangling reference", async () => {
    const [a, b] = await twoServers();
    for (let i = 0; i < 20; i++) {
      await putService(a, `oh${i}`, { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Fri 9:00-17:00" });
      const [del, put] = await Promise.allSettled([
        deleteService(a, `oh${i}`),
        putService(b, `cb${i}`, { _service: "callback", _business_hours_service: `oh${i}` }),
      ]);
      expect([del.status, put.status].filter((x) => x === "fulfilled")).toHaveLength(1);
      expect(!!(await a.store.getService(`cb${i}`))).toBe(!!(await a.store.getService(`oh${i}`)));
    }
  });

  it("servers starting together on an empty database create the first admin once: one prints a password, it works", async () => {
    const [a, b] = await twoServers();
    const lines = await Promise.all([a, b, a, b].map((c) => ensureAdmin(c.store, T0, { NODE_ENV: "test", ADMIN_USER: "admin" })));
    const generated = lines.filter((l) => l.includes("generated"));
    expect(generated).toHaveLength(1);
    const password = /password "([^"]+)"/.exec(generated[0]!)![1]!;
    expect(await verifyPassword(password, (await b.store.getUser("admin"))!.passwordHash)).toBe(true);
    expect(await a.store.countUsers()).toBe(1);
  });

  it("sign-in attempts spread over two servers count against one limit, and the lockout holds on both", async () => {
    const [a, b] = await twoServers();
    const [ta, tb] = [new SignInThrottle(limiterFor(a.store)), new SignInThrottle(limiterFor(b.store))];
    // 20 guesses for one user at once, alternating servers: the user's limit (5) lets exactly 5 through
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? ta : tb).attempt("carol", `10.0.0.${i}`)));
    expect(waits.filter((w) => w === 0)).toHaveLength(USER_RULE.points);
    expect(await ta.attempt("carol", "10.0.1.1")).toBeGreaterThan(0);
    expect(await tb.attempt("carol", "10.0.1.2")).toBeGreaterThan(0);
    // the counts are rows of the database, not memory of either server
    const [rows] = await a.store.query<{ n: number }>("SELECT count(*) AS n FROM sign_in_limits WHERE key LIKE 'signin-user-%'");
    expect(rows.n).toBeGreaterThan(0);
    expect(await tb.attempt("dave", "10.0.2.1")).toBe(0); // other users are untouched
  });
});
