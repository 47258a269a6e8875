// The bucket grid every availability answer (public v1/v2, console heatmap) is read from, and the bytes of the
// v2 slot list. Real SQLite, clock pinned at Monday 2026-06-01T12:00:00.000Z.
import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine } from "./helpers";
import { cbService, ohService, num, type Env } from "./public-fixtures";
import { startCallback } from "../lib/callback/start";
import { serviceConfig } from "../lib/callback/config";
import { bucketGrid, computeSlots } from "../lib/callback/availability";
import { SlotWriter } from "../lib/callback/slot-json";

let env: Env;
beforeEach(() => {
  env = freshEngine();
});

const t = (s: string) => Date.parse(s);
let n = 0;
const book = async (desired: string, count = 1) => {
  for (let i = 0; i < count; i++) await startCallback(env.ctx, "svc", { _customer_number: num(n++), _desired_time: desired });
};

describe("bucketGrid", () => {
  beforeEach(async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "svc", {
      _business_hours_service: "oh",
      _request_time_bucket: 15,
      _max_request_by_time_bucket: 3,
      _enable_in_queue_checking: false,
    });
  });

  it("has one cell per bucket starting in the range, closed ones with capacity 0, bookings counted per bucket", async () => {
    await book("2026-06-02T09:20:00.000Z", 2);
    await book("2026-06-02T16:50:00.000Z");
    const g = await bucketGrid(
      env.store,
      await serviceConfig(env.store, "svc"),
      t("2026-06-02T08:50:00.000Z"),
      t("2026-06-02T17:10:00.000Z"),
    );
    expect(g.first).toBe(t("2026-06-02T09:00:00.000Z"));
    expect(g.length).toBe(33); // 09:00 … 17:00
    const cell = (iso: string) => (t(iso) - g.first) / g.size;
    expect([g.open[cell("2026-06-02T09:15:00.000Z")], g.capacity[cell("2026-06-02T09:15:00.000Z")]]).toEqual([1, 3]);
    expect(g.booked[cell("2026-06-02T09:15:00.000Z")]).toBe(2);
    expect(g.booked[cell("2026-06-02T16:45:00.000Z")]).toBe(1);
    expect([g.open[cell("2026-06-02T17:00:00.000Z")], g.capacity[cell("2026-06-02T17:00:00.000Z")]]).toEqual([0, 0]);
  });

  it("ignores counters of another bucket size, and computeSlots reads the same cells", async () => {
    await book("2026-06-02T09:20:00.000Z"); // the 09:15 bucket of 15 minutes
    await book("2026-06-02T10:05:00.000Z", 2); // the 10:00 bucket
    await cbService(env, "svc", {
      _business_hours_service: "oh",
      _request_time_bucket: 30,
      _max_request_by_time_bucket: 3,
      _enable_in_queue_checking: false,
    });
    const cfg = await serviceConfig(env.store, "svc");
    const from = t("2026-06-02T09:00:00.000Z");
    const to = t("2026-06-02T11:00:00.000Z");
    const g = await bucketGrid(env.store, cfg, from, to);
    expect(Array.from(g.booked)).toEqual([0, 0, 2, 0]);
    expect(await computeSlots(env.store, cfg, { from, to, includeFull: true })).toEqual([
      { start: t("2026-06-02T09:00:00.000Z"), remaining: 3, total: 3 },
      { start: t("2026-06-02T09:30:00.000Z"), remaining: 3, total: 3 },
      { start: t("2026-06-02T10:00:00.000Z"), remaining: 1, total: 3 },
      { start: t("2026-06-02T10:30:00.000Z"), remaining: 3, total: 3 },
    ]);
  });

  it("is empty for an empty range", async () => {
    const g = await bucketGrid(
      env.store,
      await serviceConfig(env.store, "svc"),
      t("2026-06-02T09:00:00.000Z"),
      t("2026-06-02T09:00:00.000Z"),
    );
    expect(g.length).toBe(0);
  });
});

describe("SlotWriter", () => {
  it("writes the JSON of each slot exactly as JSON.stringify would, whole minutes or not, across days, years and before 1970", () => {
    const instants = [
      ...Array.from({ length: 3000 }, (_, i) => t("2026-12-31T20:00:00.000Z") + i * 5 * 60_000),
      t("1969-12-31T23:59:00.000Z"),
      t("1900-02-28T00:01:00.000Z"),
      t("2000-02-29T13:45:00.000Z"),
      t("2026-06-01T12:00:30.000Z"),
      t("2026-06-01T12:00:00.001Z"),
      t("2199-12-31T23:59:00.000Z"),
    ];
    const slots = instants.map((ms, i) => ({ start: ms, local: ms - 330 * 60_000, capacity: i % 13, total: i * 7919 }));
    const w = new SlotWriter(slots.length, '{"slots":[');
    slots.forEach((s, i) => w.slot(i === 0, s.start, s.local, s.capacity, s.total));
    const text = Buffer.from(w.end('],"timezone":"Asia/Kolkata"}')).toString("utf8");
    expect(text).toBe(
      JSON.stringify({
        slots: slots.map((s) => ({
          utcTime: new Date(s.start).toISOString(),
          localTime: new Date(s.local).toISOString().slice(0, 23),
          capacity: s.capacity,
          total: s.total,
        })),
        timezone: "Asia/Kolkata",
      }),
    );
  });
});
