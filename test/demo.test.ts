import { describe, it, expect } from "vitest";
import { freshEngine } from "./helpers";
import { seedDemo, demoRequest, DEMO_SERVICES } from "../lib/demo";
import { Scheduler } from "../lib/execution/scheduler";
import { resetSimulator, prng } from "../lib/execution/simulator";

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
    const seen = env.lite.sqlite
      .prepare("SELECT DISTINCT state FROM callback_events WHERE state IS NOT NULL")
      .all()
      .map((r: any) => r.state);
    for (const st of ["QUEUED", "ROUTING", "PROCESSING", "COMPLETED", "SCHEDULED"]) expect(seen).toContain(st);
    const connected = env.lite.sqlite.prepare("SELECT count(*) AS n FROM callbacks WHERE reason = 'AGENT_CONNECTED'").get() as {
      n: number;
    };
    expect(connected.n).toBeGreaterThan(5);
  });
});
