// Capacity-plan evaluation: a parsed plan (capacity-grammar.ts) against instants. A bucket's capacity is the
// value in force at its start instant, read on the wall clock of that instant (the shared DST policy of
// zoned-day.ts). Each local day is cut once into constant-capacity segments and cached per plan.
import { IANAZone } from "luxon";
import type { CapacityPlan, DaySchedule } from "./capacity-grammar";
import { zonedDay, dayNumberAt, wallMinuteAt, instantOfWallMinute, DAY_MS } from "./zoned-day";

const MIN = 60_000;
/** capacityPeriods refuses ranges longer than this (a guard for the public helper endpoint). */
const MAX_PERIOD_SPAN_DAYS = 400;
const MAX_CACHED_DAYS = 2000;

/** One local day cut into constant-capacity segments. */
interface DayPlan {
  start: number;
  end: number;
  /** segment i covers [segStarts[i], segStarts[i+1] ?? end); segStarts[0] === start; adjacent caps differ */
  segStarts: number[];
  segCaps: number[];
}

function capAtMinute(schedule: DaySchedule, minute: number): number {
  let c = 0;
  for (const p of schedule) {
    if (p.minute <= minute) c = p.capacity;
    else break;
  }
  return c;
}

const dayPlans = new WeakMap<CapacityPlan, Map<number, DayPlan>>();

function dayPlan(plan: CapacityPlan, x: number): DayPlan {
  let cache = dayPlans.get(plan);
  if (!cache) dayPlans.set(plan, (cache = new Map()));
  const hit = cache.get(x);
  if (hit) return hit;
  const day = zonedDay(plan.zone, x);
  const schedule = plan.exceptions.get(day.date) ?? plan.weekly[day.weekday] ?? [];
  const segStarts: number[] = [];
  const segCaps: number[] = [];
  const push = (at: number, c: number) => {
    if (segCaps.length && segCaps[segCaps.length - 1] === c) return;
    segStarts.push(at);
    segCaps.push(c);
  };
  for (const piece of day.pieces) {
    push(piece.from, capAtMinute(schedule, wallMinuteAt(day, piece.from)));
    for (const p of schedule) {
      const at = instantOfWallMinute(day, piece, p.minute);
      if (at > piece.from && at < piece.to) push(at, capAtMinute(schedule, p.minute));
    }
  }
  const out = { start: day.startMs, end: day.endMs, segStarts, segCaps };
  if (cache.size >= MAX_CACHED_DAYS) cache.clear();
  cache.set(x, out);
  return out;
}

const dayPlanAt = (plan: CapacityPlan, t: number): DayPlan => dayPlan(plan, dayNumberAt(plan.zone, t));

function findSegment(day: DayPlan, t: number): number {
  let lo = 0;
  let hi = day.segStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (day.segStarts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Returns a function giving the capacity of the bucket starting at bucketStartMs. Ascending calls are O(1)
 * amortised (a segment pointer within the current local day); zone work happens once per local day.
 */
export function capacityLookup(plan: CapacityPlan): (bucketStartMs: number) => number {
  let day: DayPlan | undefined;
  let idx = 0;
  return (t: number): number => {
    if (!Number.isFinite(t)) return 0;
    if (!day || t < day.start || t >= day.end) {
      day = dayPlanAt(plan, t);
      idx = findSegment(day, t);
    } else if (t >= day.segStarts[idx]!) {
      const n = day.segStarts.length;
      while (idx + 1 < n && day.segStarts[idx + 1]! <= t) idx++;
    } else {
      idx = findSegment(day, t);
    }
    return day.segCaps[idx]!;
  };
}

/**
 * The periods in [fromMs, toMs) with constant capacity, for the builtin capacity helper service.
 * `localStart` is the wall-clock start in `zone` (default: the plan's zone). Throws RangeError for a
 * non-finite range or one longer than MAX_PERIOD_SPAN_DAYS, Error for an unknown zone.
 */
export function capacityPeriods(
  plan: CapacityPlan,
  fromMs: number,
  toMs: number,
  zone?: string,
): Array<{ start: string; end: string; localStart: string; capacity: number }> {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError("Invalid capacity period range");
  if (toMs - fromMs > MAX_PERIOD_SPAN_DAYS * DAY_MS) {
    throw new RangeError(`Capacity period range is limited to ${MAX_PERIOD_SPAN_DAYS} days`);
  }
  const outZoneName = zone === undefined || zone.trim() === "" ? plan.zone : zone.trim();
  if (!IANAZone.isValidZone(outZoneName)) throw new Error(`Invalid time zone "${outZoneName}"`);
  const outZone = IANAZone.create(outZoneName);

  const raw: Array<{ s: number; e: number; c: number }> = [];
  let t = fromMs;
  while (t < toMs) {
    const day = dayPlanAt(plan, t);
    const stop = Math.min(day.end, toMs);
    for (let i = findSegment(day, t); i < day.segStarts.length && day.segStarts[i]! < stop; i++) {
      const s = Math.max(day.segStarts[i]!, t);
      const e = Math.min(i + 1 < day.segStarts.length ? day.segStarts[i + 1]! : day.end, stop);
      const c = day.segCaps[i]!;
      const last = raw[raw.length - 1];
      if (last && last.c === c && last.e === s) last.e = e;
      else raw.push({ s, e, c });
    }
    t = stop;
  }
  return raw.map(({ s, e, c }) => ({
    start: new Date(s).toISOString(),
    end: new Date(e).toISOString(),
    localStart: new Date(s + outZone.offset(s) * MIN).toISOString().slice(0, 23),
    capacity: c,
  }));
}
