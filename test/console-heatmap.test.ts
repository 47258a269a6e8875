// The Availability heatmap's read route: every bucket of the asked local days, open or closed, with the same
// capacity and bookings availability v2 answers. Real routes, engine and SQLite; only the session is a stand-in.
import { describe, it, expect, beforeEach, vi } from "vitest";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { serviceConfig } from "../lib/callback/config";
import { availabilityV2 } from "../lib/callback/availability";
import * as heatmapRoute from "../app/api/console/heatmap/route";
import { layoutHeatmap } from "../lib/console/heatmap-layout";

const session = vi.hoisted(() => ({ user: null as null | { username: string; role: "monitor" | "supervisor" | "admin" } }));
vi.mock("../lib/auth/session", () => ({ currentUser: async () => session.user }));

const NOW = Date.parse("2026-06-01T12:00:00.000Z"); // Monday
let env: Awaited<ReturnType<typeof freshEngine>>;
const get = (q: string) => heatmapRoute.GET(new Request(`http://localhost:3000/api/console/heatmap?${q}`));
let seq = 0;
const book = async (iso: string, n = 1) => {
  for (let i = 0; i < n; i++)
    await startCallback(env.ctx, "svc", { _customer_number: `+1617555${String(1000 + seq++).padStart(4, "0")}`, _desired_time: iso });
};

beforeEach(async () => {
  env = freshEngine(NOW);
  session.user = { username: "watcher", role: "monitor" };
  await putService(env.ctx, "oh", { _service: "office-hours", _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00" });
  await putService(env.ctx, "svc", {
    _service: "callback",
    _business_hours_service: "oh",
    _request_time_bucket: 30,
    _max_request_by_time_bucket: 4,
    _enable_in_queue_checking: false,
  });
});

describe("GET /api/console/heatmap", () => {
  it("answers every bucket of the local days in the office zone, closed ones with capacity 0", async () => {
    await book("2026-06-02T14:10:00.000Z", 3); // Tue 10:10 New York
    const r = await get("service=svc&start=2026-06-02&days=2");
    expect(r.status).toBe(200);
    const d = await r.json();
    expect(d).toMatchObject({ service: "svc", zone: "America/New_York", officeZone: "America/New_York", bucketMinutes: 30 });
    expect(d.from).toBe(Date.parse("2026-06-02T04:00:00.000Z"));
    expect(d.start).toHaveLength(96);
    const i = d.start.indexOf(Date.parse("2026-06-02T14:00:00.000Z"));
    expect([d.open[i], d.capacity[i], d.booked[i]]).toEqual([1, 4, 3]);
    const night = d.start.indexOf(Date.parse("2026-06-02T05:00:00.000Z"));
    expect([d.open[night], d.capacity[night]]).toEqual([0, 0]);
    expect(d.open.filter(Boolean)).toHaveLength(32); // 9:00-17:00 on both days
  });

  it("has the same open buckets, capacity and remaining as availability v2 (one engine function)", async () => {
    await book("2026-06-03T13:00:00.000Z", 4); // full
    await book("2026-06-03T15:40:00.000Z");
    const d = await (await get("service=svc&start=2026-06-03&days=1&tz=UTC")).json();
    const v2 = JSON.parse(
      Buffer.from(
        await availabilityV2(
          env.store,
          await serviceConfig(env.store, "svc"),
          new URLSearchParams({ start: "2026-06-03T00:00:00Z", end: "2026-06-04T00:00:00Z", "report-busy": "true" }),
          NOW,
        ),
      ).toString(),
    ) as { slots: Array<{ utcTime: string; capacity: number; total: number }> };
    const fromHeatmap = d.start
      .map((s: number, i: number) => ({
        utcTime: new Date(s).toISOString(),
        capacity: d.capacity[i] - d.booked[i],
        total: d.capacity[i],
        open: d.open[i],
      }))
      .filter((s: { open: number }) => s.open)
      .map(({ utcTime, capacity, total }: { utcTime: string; capacity: number; total: number }) => ({
        utcTime,
        capacity: Math.max(0, capacity),
        total,
      }));
    expect(fromHeatmap).toEqual(v2.slots.map(({ utcTime, capacity, total }) => ({ utcTime, capacity, total })));
  });

  it("lays out a day of a daylight saving change with its real length (23 hours on 8 March 2026 in New York)", async () => {
    const d = await (await get("service=svc&start=2026-03-08&days=1")).json();
    expect(d.start).toHaveLength(46);
    expect(d.to - d.from).toBe(23 * 3600_000);
  });

  it("refuses a signed-out request (401), more than 30 days and an unknown zone (400), an unknown service (404)", async () => {
    expect((await get("service=svc&start=2026-06-02&days=31")).status).toBe(400);
    expect((await get("service=svc&start=2026-06-02&days=1&tz=Mars/Olympus")).status).toBe(400);
    expect((await get("service=nope&start=2026-06-02&days=1")).status).toBe(404);
    session.user = null;
    expect((await get("service=svc&start=2026-06-02&days=1")).status).toBe(401);
  });
});

describe("layoutHeatmap", () => {
  it("puts each bucket in its local day and wall-clock column; the repeated hour of a fall-back day shares its cells", () => {
    const from = Date.parse("2026-10-31T04:00:00.000Z"); // Sat 31 Oct 00:00 EDT
    const start = Array.from({ length: 48 + 50 }, (_, i) => from + i * 30 * 60_000); // 31 Oct (48) + 1 Nov (50, 25 h)
    const l = layoutHeatmap(start.slice(0, 98), 30, "America/New_York");
    expect(l.cols).toBe(48);
    expect(l.rows.map((r) => r.date)).toEqual(["2026-10-31", "2026-11-01"]);
    const i = (iso: string) => start.indexOf(Date.parse(iso));
    expect([l.row[i("2026-10-31T13:30:00.000Z")], l.col[i("2026-10-31T13:30:00.000Z")]]).toEqual([0, 19]); // 09:30 EDT
    // 1 Nov 01:00 EDT (05:00Z) and 01:00 EST (06:00Z) are both column 2 of row 1, as top and bottom halves
    const a = i("2026-11-01T05:00:00.000Z");
    const b = i("2026-11-01T06:00:00.000Z");
    expect([l.row[a], l.col[a], l.half[a], l.row[b], l.col[b], l.half[b]]).toEqual([1, 2, 1, 1, 2, 2]);
    expect([l.at[48 + 2], l.second[48 + 2]]).toEqual([a, b]);
    expect(l.half[i("2026-11-01T14:00:00.000Z")]).toBe(0);
  });
});
