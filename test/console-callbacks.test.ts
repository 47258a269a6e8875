import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine } from "./helpers";
import { callbackServiceNames } from "../lib/callback/admin-queues";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { cancelCallback } from "../lib/callback/cancel";
import {
  callbacksPage,
  parseCallbacksQuery,
  idsInQueryPaced,
  callbackDetail,
  officeZoneOf,
  RANGE_MESSAGES,
  PAGE_SIZE,
} from "../lib/console/callbacks";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const H = 3_600_000;
let env: Awaited<ReturnType<typeof freshEngine>>;

async function seed(service: string, n: number, firstAt: number, stepMs: number, numberBase = 5550000) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (
        await startCallback(env.ctx, service, {
          _customer_number: `+1617${numberBase + i}`,
          _desired_time: new Date(firstAt + i * stepMs).toISOString(),
          customer_name: `c${i}`,
        })
      ).id,
    );
  return ids;
}

beforeEach(async () => {
  env = freshEngine(NOW);
  for (const s of ["sales", "support"])
    await putService(env.ctx, s, {
      _service: "callback",
      _enable_in_queue_checking: "false",
      _max_request_by_time_bucket: 10000,
      _request_execution_time_buffer: 60,
      _throttle_callbacks_per_service_1: 100000,
      _throttle_callbacks_per_service_2: 100000,
    });
});

describe("console Callbacks read model", () => {
  it("pages 600 callbacks in pages of 250 with the exact count, in stable desired-time order", async () => {
    await seed("sales", 600, NOW + H, 1000);
    const page = async (p: number) =>
      await callbacksPage(env.store, parseCallbacksQuery({ window: "next24h", page: String(p) }), NOW, "UTC");
    const [p1, p2, p3] = [await page(1), await page(2), await page(3)];
    expect([p1.total, p1.pageCount, p1.rows.length, p2.rows.length, p3.rows.length]).toEqual([600, 3, PAGE_SIZE, PAGE_SIZE, 100]);
    const all = [...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.desiredTime);
    expect(all).toEqual([...all].sort());
    expect(new Set([...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.id)).size).toBe(600);
  });

  it("filters by window, state, service and customer number, and counts exactly what it selects", async () => {
    const sales = await seed("sales", 30, NOW + H, 60_000);
    await seed("support", 20, NOW + 2 * H, 60_000, 7770000);
    await seed("sales", 5, NOW + 3 * 24 * H, 60_000, 8880000); // outside the next 24 hours
    await cancelCallback(env.ctx, sales[0]!);
    const count = async (params: Record<string, string>) => (await callbacksPage(env.store, parseCallbacksQuery(params), NOW, "UTC")).total;
    expect(await count({ window: "next24h" })).toBe(50);
    expect(await count({ window: "next7d" })).toBe(55);
    expect(await count({ window: "next24h", service: "support" })).toBe(20);
    expect(await count({ window: "next24h", state: "COMPLETED" })).toBe(1);
    expect(await count({ window: "next24h", state: "SCHEDULED,COMPLETED", service: "sales" })).toBe(30);
    expect(await count({ window: "next7d", number: "(617) 888" })).toBe(5);
    expect(await count({ window: "last24h" })).toBe(0);
  });

  it("reads Today in the display zone and refuses custom ranges that are reversed or longer than a month", async () => {
    await seed("sales", 1, Date.parse("2026-06-02T02:00:00.000Z"), 0); // 22:00 on June 1 in New York, June 2 in UTC
    const q = async (p: Record<string, string>, zone: string) => await callbacksPage(env.store, parseCallbacksQuery(p), NOW, zone);
    expect((await q({ window: "today" }, "America/New_York")).total).toBe(1);
    expect((await q({ window: "today" }, "UTC")).total).toBe(0);
    expect((await q({ window: "custom", from: "2026-06-02T00:00", to: "2026-06-01T00:00" }, "UTC")).error).toBe(RANGE_MESSAGES.order);
    expect((await q({ window: "custom", from: "2026-06-01T00:00", to: "2026-07-02T00:00" }, "UTC")).error).toBe(RANGE_MESSAGES.tooLong);
    expect((await q({ window: "custom", from: "2026-06-01T00:00", to: "2026-07-01T00:00" }, "UTC")).total).toBe(1);
  });

  it("sorts by any column with the id breaking ties, and ignores unknown parameters", async () => {
    await seed("sales", 10, NOW + H, 0);
    await seed("support", 10, NOW + H, 0, 7770000);
    const rows = (
      await callbacksPage(env.store, parseCallbacksQuery({ window: "next24h", sort: "service", dir: "desc", bogus: "1" }), NOW, "UTC")
    ).rows;
    expect(rows.map((r) => r.service)).toEqual([...Array(10).fill("support"), ...Array(10).fill("sales")]);
    const ids = rows.slice(0, 10).map((r) => r.id);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  it("lists every id of the whole range for cancel-all, and shows a callback's properties and timeline", async () => {
    const ids = await seed("sales", 2500, NOW + H, 1000);
    const read = idsInQueryPaced(env.store, parseCallbacksQuery({ window: "next24h" }), NOW, "UTC");
    if (typeof read !== "function") throw new Error(read.error);
    expect(new Set(await read()).size).toBe(2500);
    await cancelCallback(env.ctx, ids[0]!);
    const d = (await callbackDetail(env.store, ids[0]!))!;
    expect(d.record.customer_name).toBe("c0");
    expect(d.events.map((e) => e.type)).toEqual(["accepted", "cancelled"]);
    expect(d.events[1]).toMatchObject({ state: "COMPLETED", reason: "CANCELLED" });
    expect(await callbackDetail(env.store, "nope")).toBeNull();
  });

  it("shows only the extra property keys asked for", async () => {
    await seed("sales", 1, NOW + H, 0);
    const [row] = (await callbacksPage(env.store, parseCallbacksQuery({ window: "next24h", keys: "customer_name,absent" }), NOW, "UTC"))
      .rows;
    expect(row!.extras).toEqual({ customer_name: "c0" });
  });

  it("takes the office zone from the service's calendar, else its capacity plan, else UTC, and lists callback services", async () => {
    await putService(env.ctx, "hours", { _service: "office-hours", _timezone: "Asia/Kolkata", _bh_regular1: "Mon-Fri 09:00-17:00" });
    await putService(env.ctx, "plan", { _service: "capacity", _timezone: "America/New_York", _capacity_1: { 1: { "0900": 2 } } });
    await putService(env.ctx, "with-hours", { _service: "callback", _business_hours_service: "hours", _capacity_service: "plan" });
    await putService(env.ctx, "with-plan", { _service: "callback", _capacity_service: "plan" });
    expect(await officeZoneOf(env.store, "with-hours")).toBe("Asia/Kolkata");
    expect(await officeZoneOf(env.store, "with-plan")).toBe("America/New_York");
    expect(await officeZoneOf(env.store, "sales")).toBe("UTC");
    expect(await officeZoneOf(env.store, "deleted-service")).toBe("UTC");
    expect((await callbackServiceNames(env.store)).sort()).toEqual(["sales", "support", "with-hours", "with-plan"]);
  });
});
