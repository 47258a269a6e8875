// Availability and proposals around a desired time.
// Computed from indexed bucket counts in epoch ms: one GROUP BY query per request, luxon only per local day.
import type { CallbackStore } from "../../db/callback-store";
import { serviceConfig, type CallbackConfig } from "./config";
import { ceilBucket, floorBucket } from "./buckets";
import { openRanges } from "./office-hours";
import { DateTime, IANAZone } from "luxon";
import { CallbackError, EXC, badParameter } from "./errors";
import { parseTime, addDuration, iso, hourOffsetLookup } from "./time";
import { SlotWriter } from "./slot-json";

export interface Slot {
  start: number;
  remaining: number;
  total: number;
}

export interface SlotQuery {
  from: number;
  to: number;
  includeFull?: boolean;
  max?: number;
  /** A bucket start to leave out (the full one being proposed around). */
  except?: number;
}

/**
 * Every bucket starting in [from, to), in columns (index i is the bucket starting at `first + i * size`): whether
 * the office is open at its start, its capacity (0 when closed) and its bookings. Availability (public and
 * console) is read from this one grid: office hours are resolved per local day, capacity only for open buckets,
 * bookings with one indexed range read.
 */
export interface BucketGrid {
  first: number;
  size: number;
  length: number;
  open: Uint8Array;
  capacity: Float64Array;
  booked: Int32Array;
}

export async function bucketGrid(store: CallbackStore, cfg: CallbackConfig, from: number, to: number): Promise<BucketGrid> {
  const size = cfg.bucketMs;
  const first = ceilBucket(from, size);
  const length = to > first ? Math.ceil((to - first) / size) : 0;
  const grid: BucketGrid = {
    first,
    size,
    length,
    open: new Uint8Array(length),
    capacity: new Float64Array(length),
    booked: new Int32Array(length),
  };
  if (length === 0) return grid;
  const ranges = cfg.calendar ? openRanges(cfg.calendar, first, to) : [[first, to] as [number, number]];
  if (ranges.length === 0) return grid;
  for (const [a, b] of ranges)
    for (let t = ceilBucket(a, size); t < b && t < to; t += size) {
      const i = (t - first) / size;
      grid.open[i] = 1;
      grid.capacity[i] = cfg.capacityAt(t);
    }
  // counters of buckets not aligned to the current size (the size was changed after they were booked) are
  // not this grid's buckets
  const { buckets, counts } = await store.bucketCounts(cfg.name, first, to);
  for (let k = 0; k < buckets.length; k++) {
    const i = (buckets[k] - first) / size;
    if (Number.isInteger(i)) grid.booked[i] = counts[k];
  }
  return grid;
}

/** Open buckets (office open at the bucket start, capacity > 0) in [from, to), ascending. */
export async function computeSlots(store: CallbackStore, cfg: CallbackConfig, q: SlotQuery): Promise<Slot[]> {
  if (!(q.to > q.from)) return [];
  const g = await bucketGrid(store, cfg, q.from, q.to);
  const out: Slot[] = [];
  const max = q.max ?? Infinity;
  for (let i = 0; i < g.length; i++) {
    const total = g.capacity[i];
    if (!g.open[i] || total <= 0) continue;
    const t = g.first + i * g.size;
    if (t === q.except) continue;
    const remaining = Math.max(0, total - g.booked[i]);
    if (remaining > 0 || q.includeFull) {
      out.push({ start: t, remaining, total });
      if (out.length >= max) return out;
    }
  }
  return out;
}

/**
 * Up to `n` open slots closest to `desired` (closest first; never in the past), as the GMS `availability`
 * object of 40050/40051 answers. Looks up to 7 days ahead and 1 day back.
 */
export async function proposeSlots(
  store: CallbackStore,
  cfg: CallbackConfig,
  desired: number,
  now: number,
  n = 6,
): Promise<Record<string, number>> {
  const from = Math.max(now, desired - 864e5);
  // only bookable slots: never later than a start would accept (_reject_future_desired_time)
  const to = Math.min(Math.max(desired, now) + 7 * 864e5, addDuration(now, cfg.rejectFuture) + 1);
  const slots = await computeSlots(store, cfg, { from, to, except: floorBucket(desired, cfg.bucketMs) });
  slots.sort((x, y) => Math.abs(x.start - desired) - Math.abs(y.start - desired) || x.start - y.start);
  const out: Record<string, number> = {};
  for (const s of slots.slice(0, n)) out[new Date(s.start).toISOString()] = s.remaining;
  return out;
}

/** The 40051 answer for a full bucket, with the slots closest to the desired time (start and reschedule). */
export async function bucketFullError(
  store: CallbackStore,
  cfg: CallbackConfig,
  bucket: number,
  desired: number,
  now: number,
): Promise<CallbackError> {
  return new CallbackError(
    40051,
    `Too many requests at desired time [${iso(bucket)}, ${iso(bucket + cfg.bucketMs)}]. Proposing time slots.`,
    {
      availability: await proposeSlots(store, cfg, desired, now),
    },
  );
}

// ---- the public availability verbs ----

const MAX_RANGE_MS = 62 * 864e5;

function intParam(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const v = params.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max)
    throw badParameter(`Invalid ${name}: '${v}' (an integer from ${min} to ${max})`);
  return Number(v);
}

function timeParam(params: URLSearchParams, names: string[], zone: string): number | undefined {
  for (const n of names) {
    const v = params.get(n);
    if (v === null || v === "") continue;
    const t = n.endsWith("-ms") ? (/^-?\d+$/.test(v.trim()) ? Number(v) : null) : parseTime(v, zone);
    if (t === null) throw badParameter(`Invalid ${n}: '${v}'`);
    return t;
  }
  return undefined;
}

/** The zone a service's office hours (or capacity plan) are written in; UTC without either. */
export const officeZone = (cfg: CallbackConfig) => cfg.calendar?.zone ?? cfg.capacityPlan?.zone ?? "UTC";

function range(params: URLSearchParams, cfg: CallbackConfig, now: number, zone: string, v2: boolean) {
  const start = timeParam(params, v2 ? ["start", "start-ms"] : ["start", "timestamp"], zone) ?? now;
  const days = intParam(params, "number-of-days", 1, 62);
  let end = timeParam(params, v2 ? ["end", "end-ms"] : ["end"], zone);
  if (end === undefined && days !== undefined) end = start + days * 864e5;
  // "the end date is assumed to be the same as the start date": to the end of the start's day, office zone
  if (end === undefined)
    end =
      DateTime.fromMillis(start, { zone: officeZone(cfg) })
        .endOf("day")
        .toMillis() + 1;
  if (end <= start) throw badParameter("Invalid range: end must be after start");
  if (end - start > MAX_RANGE_MS) throw badParameter("Invalid range: at most 62 days per query");
  return { start, end, max: intParam(params, "max-time-slots", 1, 100000) };
}

/** v1: `{ "<bucket start ISO>": remaining }`, ascending; no open slot → 400 40050, as GMS answers. */
export async function availabilityV1(
  store: CallbackStore,
  cfg: CallbackConfig,
  params: URLSearchParams,
  now: number,
): Promise<Record<string, number>> {
  const { start, end, max } = range(params, cfg, now, "UTC", false);
  const slots = await computeSlots(store, cfg, { from: start, to: end, max });
  if (slots.length === 0)
    throw new CallbackError(40050, `Office is closed at ${new Date(start).toISOString()}. No time slots proposed.`, {
      exception: EXC.availability,
      availability: {},
    });
  const out: Record<string, number> = {};
  for (const s of slots) out[new Date(s.start).toISOString()] = s.remaining;
  return out;
}

/**
 * v2: `{"slots":[{utcTime, localTime, capacity, total}], "durationMin", "timezone"}` with local times in `timezone`
 * (default the office zone); `report-busy` keeps full ones. Answered as UTF-8 JSON bytes, written directly (slot-json.ts).
 */
export async function availabilityV2(
  store: CallbackStore,
  cfg: CallbackConfig,
  params: URLSearchParams,
  now: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const tzParam = params.get("timezone");
  if (tzParam && !IANAZone.isValidZone(tzParam))
    throw badParameter(`Invalid timezone: '${tzParam}' (an IANA name such as America/Toronto)`);
  const zone = tzParam || officeZone(cfg);
  const { start, end, max } = range(params, cfg, now, zone, true);
  const busy = /^(true|1|yes)$/i.test(params.get("report-busy") ?? "");
  const slots = await computeSlots(store, cfg, { from: start, to: end, max, includeFull: busy });
  // local time without per-slot luxon: offsets are looked up per UTC hour; an hour whose start and end offsets
  // differ (a DST change inside it) is resolved per slot
  const z = IANAZone.create(zone);
  const offAt = hourOffsetLookup(zone);
  const out = new SlotWriter(slots.length, '{"slots":[');
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    const h = Math.floor(s.start / 36e5);
    const a = offAt(h);
    // localTime: the wall clock written as if it were UTC, without the Z
    out.slot(i === 0, s.start, s.start + (a === offAt(h + 1) ? a : z.offset(s.start)) * 60_000, s.remaining, s.total);
  }
  return out.end(`],"durationMin":${JSON.stringify(cfg.bucketMinutes)},"timezone":${JSON.stringify(zone)}}`);
}

// Websites ask the same availability question far more often than callbacks are booked (one widget per visitor,
// refreshed). An answer is kept for the current second and only while the database is unchanged: any write (a
// booking, a cancel, a configuration change, the scheduler), from this process or another, starts afresh (on
// PostgreSQL the stamp can move just before a write commits: an answer computed in that moment lives out its second).
let answersOf = "";
const answers = new Map<string, Uint8Array<ArrayBuffer>>();
const MAX_KEPT = 32; // ≈ 800 KB each at most (30 days of 5-minute slots)

/** Availability v2 of a stored service, the same bytes `availabilityV2` writes, reused within one second. */
export async function availabilityV2Of(
  store: CallbackStore,
  service: string,
  params: URLSearchParams,
  now: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const generation = `${await store.changeStamp()}|${Math.floor(now / 1000)}`;
  if (generation !== answersOf) {
    answers.clear();
    answersOf = generation;
  }
  const key = `${service}\u0000${params}`;
  const kept = answers.get(key);
  if (kept) return kept;
  const answer = await availabilityV2(store, await serviceConfig(store, service), params, now);
  if (answers.size >= MAX_KEPT) answers.clear();
  answers.set(key, answer);
  return answer;
}
