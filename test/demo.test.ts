import { describe, it, expect, vi, afterEach } from "vitest";
import { freshEngine } from "./helpers";
import { seedDemo, demoRequest, startDemoTraffic, DEMO_SERVICES } from "../lib/demo";
import { Scheduler } from "../lib/execution/scheduler";
import { resetSimulator, prng } from "../lib/execution/simulator";

afterEach(() => vi.useRealTimers());

describe("demo data", () => {
  it("creates the office-hours, capacity and two callback services on an empty database, and nothing when services exist", async () => {
    const env = freshEngine();
    expect(await seedDemo(env.ctx)).toEqual(DEMO_SERVICES.map(([n]) => n));
    expect((await env.store.listServices()).map((s) => s.kind).sort()).toEqual(["callback", "callback", "capacity", "office-hours"]);
    expect(await seedDemo(env.ctx)).toEqual([]);
  });

  it("shows demo callbacks moving through every state of the simulator within minutes", async () => {
    const env = freshEngine(Date.parse("2026-06-03T15:00:00.000Z")); // a Wednesday, office open
    resetSimulator();
    await seedDemo(env.ctx);
    const rnd = prng(11);
    const s = new Scheduler(env.ctx);
    for (let i = 0; i < 40; i++) {
      await demoRequest(env.ctx, rnd);
      for (let k = 0; k < 15; k++) {
        env.clock.t += 1000;
        await s.tick();
      }
    }
    const seen = (await env.store.query<{ state: string }>("SELECT DISTINCT state FROM callback_events WHERE state IS NOT NULL")).map(
      (r) => r.state,
    );
    for (const st of ["QUEUED", "ROUTING", "PROCESSING", "COMPLETED", "SCHEDULED"]) expect(seen).toContain(st);
    const [connected] = await env.store.query<{ n: number }>("SELECT count(*) AS n FROM callbacks WHERE reason = 'AGENT_CONNECTED'");
    expect(Number(connected.n)).toBeGreaterThan(5);
  });

  it("sends demo customers only from the process holding the scheduler lease, and from the next holder when it lapses", async () => {
    const env = freshEngine(Date.parse("2026-06-03T15:00:00.000Z"));
    resetSimulator();
    await seedDemo(env.ctx);
    const a = new Scheduler(env.ctx, { holder: "a", leaseMs: 10_000 });
    const b = new Scheduler(env.ctx, { holder: "b", leaseMs: 10_000 });
    await a.tick();
    await b.tick();
    expect([a.holdsLease(), b.holdsLease()]).toEqual([true, false]);
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const timers = [startDemoTraffic(env.ctx, () => a.holdsLease(), 1000), startDemoTraffic(env.ctx, () => b.holdsLease(), 1000)];
    // every demo request ends as an accepted or a rejected event (a duplicate number is part of the demo)
    const demoRequests = async () =>
      Number(
        (await env.store.query<{ n: number }>("SELECT count(*) AS n FROM callback_events WHERE type IN ('accepted', 'rejected')"))[0].n,
      );
    vi.advanceTimersByTime(5000);
    await vi.waitFor(async () => expect(await demoRequests()).toBe(5)); // one per interval, not two
    // a stops renewing (died); once its lease has lapsed b takes it over, and the trickle with it
    env.clock.t += 10_001;
    await b.tick();
    expect([a.holdsLease(), b.holdsLease()]).toEqual([false, true]);
    vi.advanceTimersByTime(3000);
    await vi.waitFor(async () => expect(await demoRequests()).toBe(8));
    timers.forEach(clearInterval);
  });
});
