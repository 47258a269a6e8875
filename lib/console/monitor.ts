// Read models for the console's live panels: the Monitor (callbacks by state and watermark per configured service,
// the last hour as 5-minute points, recent events).
import type { CallbackStore } from "../../db/callback-store";
import { latestEvents, stateChangesSince } from "../../db/monitor-queries";
import type { EngineCtx } from "../callback/context";
import { callbackServiceNames, queryWatermarks } from "../callback/admin-queues";

/** States counted now; COMPLETED is shown as a flow (completed in the last hour), its total only grows. */
const LIVE_STATES = ["SCHEDULED", "QUEUED", "ROUTING", "PROCESSING", "PAUSED"] as const;
export type LiveState = (typeof LIVE_STATES)[number];
const STEP_MS = 5 * 60_000;
export const STEPS = 12; // one hour

export interface ServiceMonitor {
  name: string;
  /** callbacks in execution (the admin watermarks: neither SCHEDULED nor COMPLETED) */
  watermark: number;
  counts: Record<LiveState, number>;
  completedLastHour: number;
  /** STEPS + 1 points, oldest first, the last one now: the count in each state, and COMPLETED per step */
  series: Record<LiveState, number[]> & { COMPLETED: number[] };
}

const zeroCounts = (): Record<LiveState, number> => ({ SCHEDULED: 0, QUEUED: 0, ROUTING: 0, PROCESSING: 0, PAUSED: 0 });

/**
 * Counts come from index range counts per (service, state) — the primitive of the admin watermarks — never a
 * GROUP BY over the table; the last hour is rebuilt backwards from the current counts and that hour's state
 * changes, so a refresh reads only the last hour's events.
 */
export async function monitorSnapshot(ctx: EngineCtx) {
  const { store } = ctx;
  const now = ctx.now();
  const configured = await callbackServiceNames(store);
  const watermarks = await queryWatermarks(ctx, []);
  const since = now - STEPS * STEP_MS;
  const changes = await stateChangesSince(store, configured, since, STEP_MS);
  const services: ServiceMonitor[] = await Promise.all(
    configured.map(async (name) => {
      const counts = await countsOf(store, name);
      const completed = new Array<number>(STEPS + 1).fill(0);
      const delta = LIVE_STATES.map(() => new Array<number>(STEPS).fill(0));
      for (const c of changes) {
        if (c.service !== name || c.step < 0 || c.step >= STEPS) continue;
        const to = LIVE_STATES.indexOf(c.state as LiveState);
        const from = LIVE_STATES.indexOf(c.from_state as LiveState);
        if (to >= 0) delta[to]![c.step]! += c.n;
        if (from >= 0) delta[from]![c.step]! -= c.n;
        if (c.state === "COMPLETED") completed[c.step + 1]! += c.n;
      }
      const series = { COMPLETED: completed } as ServiceMonitor["series"];
      LIVE_STATES.forEach((s, i) => {
        const points = new Array<number>(STEPS + 1);
        points[STEPS] = counts[s];
        for (let k = STEPS - 1; k >= 0; k--) points[k] = Math.max(0, points[k + 1]! - delta[i]![k]!);
        series[s] = points;
      });
      return {
        name,
        watermark: watermarks.services[name] ?? 0,
        counts,
        completedLastHour: completed.reduce((a, b) => a + b, 0),
        series,
      };
    }),
  );
  // callbacks of deleted services: one row, so that hundreds of retired names do not bury the live ones
  const gone = (await store.callbackServiceNames()).filter((n) => !configured.includes(n));
  const other = zeroCounts();
  for (const name of gone) {
    const c = await countsOf(store, name);
    for (const s of LIVE_STATES) other[s] += c[s];
  }
  return {
    now: new Date(now).toISOString(),
    stepMinutes: STEP_MS / 60_000,
    watermark: watermarks.total,
    services,
    other: gone.length
      ? { services: gone.length, counts: other, watermark: other.QUEUED + other.ROUTING + other.PROCESSING + other.PAUSED }
      : null,
    events: (await latestEvents(store, 25)).map((e) => ({ ...e, time: new Date(e.time).toISOString() })),
  };
}
export type MonitorSnapshot = Awaited<ReturnType<typeof monitorSnapshot>>;

async function countsOf(store: CallbackStore, service: string): Promise<Record<LiveState, number>> {
  const out = zeroCounts();
  for (const s of LIVE_STATES) out[s] = await store.countInState(service, s);
  return out;
}
