// Demo data for a newcomer (SEED_DEMO=false turns it off): an office-hours calendar, a capacity plan and two
// callback services — one immediate, one scheduled — created only when the database has no services.
import type { EngineCtx } from "./callback/context";
import { putService } from "./callback/config-admin";
import { startAndHandOff, startCallback } from "./callback/start";
import { serviceConfig } from "./callback/config";
import { computeSlots } from "./callback/availability";

export const DEMO_SERVICES: Array<[string, Record<string, unknown>]> = [
  [
    "demo-office-hours",
    {
      _service: "office-hours",
      _timezone: "America/New_York",
      _bh_regular1: "Mon-Fri 07:00-22:00",
      _bh_regular2: "Sat-Sun 09:00-18:00",
      _holiday1: "12-25",
      _holiday2: "01-01",
    },
  ],
  [
    "demo-capacity",
    {
      _service: "capacity",
      _timezone: "America/New_York",
      _max_capacity: 50,
      _capacity_1: { 1: { "0700": 4, "1200": 2, "1300": 4, "1800": 2 } },
      _capacity_2: { 2: { "0700": 4, "1200": 2, "1300": 4, "1800": 2 } },
      _capacity_3: { 3: { "0700": 4, "1200": 2, "1300": 4, "1800": 2 } },
      _capacity_4: { 4: { "0700": 4, "1200": 2, "1300": 4, "1800": 2 } },
      _capacity_5: { 5: { "0700": 4, "1200": 2, "1300": 4, "1800": 2 } },
      _capacity_6: { 6: { "0900": 2 } },
      _capacity_7: { 7: { "0900": 2 } },
    },
  ],
  [
    "demo-immediate",
    {
      _service: "callback",
      _type: "builtin",
      _sim_agents: 3,
      _sim_speed: 10,
      _enable_in_queue_checking: "false",
      _default_country: "US",
      _target: "Support",
    },
  ],
  [
    "demo-scheduled",
    {
      _service: "callback",
      _type: "builtin",
      _business_hours_service: "demo-office-hours",
      _capacity_service: "demo-capacity",
      _request_time_bucket: 15,
      _sim_agents: 2,
      _sim_speed: 10,
      _default_country: "US",
      _target: "Billing",
    },
  ],
];

/** Creates the demo services when there are none. Returns the names created. */
export async function seedDemo(ctx: EngineCtx): Promise<string[]> {
  // check and create in one write transaction: of several processes starting on one database, one seeds
  return await ctx.store.tx(async () => {
    if ((await ctx.store.listServices()).length > 0) return [];
    for (const [name, options] of DEMO_SERVICES) await putService(ctx, name, options);
    return DEMO_SERVICES.map(([n]) => n);
  });
}

// ---- demo traffic: a trickle of customers so a newcomer sees callbacks flowing through the simulator ----

/** Starts one demo request: mostly immediate, sometimes scheduled into the next open slot. */
export async function demoRequest(ctx: EngineCtx, rnd: () => number = Math.random): Promise<string | null> {
  const number = `+1617555${String(100 + Math.floor(rnd() * 100)).padStart(4, "0")}`; // 555-01xx: fictional numbers
  try {
    if (rnd() < 0.7) {
      if (!(await ctx.store.getService("demo-immediate"))) return null;
      const body = { _customer_number: number, customer_name: "Demo customer", reason: "billing" };
      return (await startAndHandOff(ctx, "demo-immediate", body)).id;
    }
    if (!(await ctx.store.getService("demo-scheduled"))) return null;
    const cfg = await serviceConfig(ctx.store, "demo-scheduled");
    const now = ctx.now();
    const slots = await computeSlots(ctx.store, cfg, { from: now + 10 * 60_000, to: now + 2 * 864e5, max: 20 });
    if (!slots.length) return null;
    const slot = slots[Math.floor(rnd() * slots.length)];
    return (
      await startCallback(ctx, "demo-scheduled", {
        _customer_number: number,
        _desired_time: new Date(slot.start).toISOString(),
        reason: "follow-up",
      })
    ).id;
  } catch {
    return null; // a full bucket or a duplicate number is part of the demo, not an error
  }
}

/**
 * Every `everyMs` (default 15 s), one demo request while `active()` says so. Off with DEMO_TRAFFIC=false.
 * The server passes "this process holds the scheduler lease": one trickle per database, however many processes.
 */
export function startDemoTraffic(ctx: EngineCtx, active: () => boolean, everyMs = 15_000): NodeJS.Timeout {
  const t = setInterval(() => active() && void demoRequest(ctx), everyMs);
  t.unref();
  return t;
}
