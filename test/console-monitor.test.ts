import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine } from "./helpers";
import { putService, deleteService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { transition } from "../lib/callback/state";
import { cancelCallback } from "../lib/callback/cancel";
import { queryWatermarks } from "../lib/callback/admin-queues";
import { monitorSnapshot, STEPS } from "../lib/console/monitor";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const MIN = 60_000;
let env: Awaited<ReturnType<typeof freshEngine>>;
let seq = 0;

const start = async (service: string, inMin = 120) =>
  (
    await startCallback(env.ctx, service, {
      _customer_number: `+1617555${String(2000 + seq++)}`,
      _desired_time: new Date(env.clock.t + inMin * MIN).toISOString(),
    })
  ).id;
const moveTo = async (id: string, ...states: string[]) =>
  await env.store.tx(async () => {
    for (const s of states) await transition(env.ctx, (await env.store.getCallback(id))!, s);
  });
const callbackService = { _service: "callback", _enable_in_queue_checking: "false", _max_request_by_time_bucket: 1000 };

beforeEach(async () => {
  env = freshEngine(NOW - 60 * MIN);
  for (const s of ["sales", "support", "old-1", "old-2"]) await putService(env.ctx, s, callbackService);
});

describe("console Monitor read model", () => {
  it("counts callbacks by state per configured service, with the admin watermarks, deleted services folded into one row", async () => {
    const sales = [await start("sales"), await start("sales"), await start("sales")];
    await moveTo(sales[0]!, "QUEUED");
    await moveTo(sales[1]!, "QUEUED", "ROUTING", "PROCESSING");
    await start("support");
    await start("old-1");
    await moveTo(await start("old-2"), "QUEUED");
    await deleteService(env.ctx, "old-1");
    await deleteService(env.ctx, "old-2");
    const snap = await monitorSnapshot(env.ctx);
    expect(snap.services.map((s) => s.name)).toEqual(["sales", "support"]);
    expect(snap.services[0]).toMatchObject({ watermark: 2, counts: { SCHEDULED: 1, QUEUED: 1, ROUTING: 0, PROCESSING: 1, PAUSED: 0 } });
    expect(snap.other).toEqual({ services: 2, watermark: 1, counts: { SCHEDULED: 1, QUEUED: 1, ROUTING: 0, PROCESSING: 0, PAUSED: 0 } });
    expect(snap.watermark).toBe((await queryWatermarks(env.ctx, [])).total);
    expect(snap.events[0]).toMatchObject({ type: "service_deleted", service_name: "old-2" });
  });

  it("rebuilds the last hour in 5-minute points from the current counts and that hour's state changes", async () => {
    const early = await start("sales"); // at the first point: counted from the next one on
    env.setNow(NOW - 50 * MIN);
    const a = await start("sales"); // between the points at −50 and −45 min
    env.setNow(NOW - 22 * MIN);
    await moveTo(a, "QUEUED"); // between −25 and −20
    await moveTo(early, "QUEUED");
    env.setNow(NOW - 2 * MIN);
    await cancelCallback(env.ctx, early); // between −5 and now
    env.setNow(NOW);
    const s = (await monitorSnapshot(env.ctx)).services.find((x) => x.name === "sales")!;
    expect(s.series.SCHEDULED).toHaveLength(STEPS + 1);
    //                          -60 -55 -50 -45 -40 -35 -30 -25 -20 -15 -10 -5 now
    expect(s.series.SCHEDULED).toEqual([0, 1, 1, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0]);
    expect(s.series.QUEUED).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 1]);
    expect(s.series.COMPLETED).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(s.completedLastHour).toBe(1);
    expect(s.counts.QUEUED).toBe(1);
  });
});
