// Availability and proposals around a desired time.
// Computed from indexed bucket counts in epoch ms: one GROUP BY query per request, luxon only per local day.
import type { Store } from "../../db/store";
import type { CallbackConfig } from "./config";
import { ceilBucket, floorBucket } from "./buckets";
import { openRanges } from "./office-hours";
import { DateTime, IANAZone } from "luxon";
import { CallbackError, EXC, badParameter } from "./errors";
import { parseTime, localIso, addDuration, iso } from "./time";

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

/** Open buckets (office open at the bucket start, capacity > 0) in [from, to), ascending. */
export function computeSlots(store: Store, cfg: CallbackConfig, q: SlotQuery): Slot[] {
  const size = cfg.bucketMs;
  if (!(q.to > q.from)) return [];
  const ranges = cfg.calendar ? openRanges(cfg.calendar, q.from, q.to) : [[q.from, q.to] as [number, number]];
  if (ranges.length === 0) return [];
  const counts = store.bucketCounts(cfg.name, floorBucket(ranges[0][0], size), ranges[ranges.length - 1][1]);
  const out: Slot[] = [];
  const max = q.max ?? Infinity;
  for (const [a, b] of ranges) {
    for (let t = ceilBucket(Math.max(a, q.from), size); t < b && t < q.to; t += size) {
      if (t === q.except) continue;
      const total = cfg.capacityAt(t);
      if (total <= 0) continue;
      const remaining = Math.max(0, total - (counts.get(t) ?? 0));
      if (remaining > 0 || q.includeFull) {
        out.push({ start: t, remaining, total });
        if (out.length >= max) return out;
      }
    }
  }
  return out;
}

/**
 * Up to `n` open slots closest to `desired` (closest first; never in the past), as the GMS `availability`
 * object of 40050/40051 answers. Looks up to 7 days ahead and 1 day back.
 */
export function proposeSlots(store: Store, cfg: CallbackConfig, desired: number, now: number, n = 6): Record<string, number> {
  const from = Math.max(now, desired - 864e5);
  // only bookable slots: never later than a start would accept (_reject_future_desired_time)
  const to = Math.min(Math.max(desired, now) + 7 * 864e5, addDuration(now, cfg.rejectFuture) + 1);
  const slots = computeSlots(store, cfg, { from, to, except: floorBucket(desired, cfg.bucketMs) });
  slots.sort((x, y) => Math.abs(x.start - desired) - Math.abs(y.start - desired) || x.start - y.start);
  const out: Record<string, number> = {};
  for (const s of slots.slice(0, n)) out[new Date(s.start).toISOString()] = s.remaining;
  return out;
}

/** The 40051 answer for a full bucket, with the slots closest to the desired time (start and reschedule). */
export function bucketFullError(store: Store, cfg: CallbackConfig, bucket: number, desired: number, now: number): CallbackError {
  return new CallbackError(
    40051,
    `Too many requests at desired time [${iso(bucket)}, ${iso(bucket + cfg.bucketMs)}]. Proposing time slots.`,
    {
      availability: proposeSlots(store, cfg, desired, now),
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
export function availabilityV1(store: Store, cfg: CallbackConfig, params: URLSearchParams, now: number): Record<string, number> {
  const { start, end, max } = range(params, cfg, now, "UTC", false);
  const slots = computeSlots(store, cfg, { from: start, to: end, max });
  if (slots.length === 0)
    throw new CallbackError(40050, `Office is closed at ${new Date(start).toISOString()}. No time slots proposed.`, {
      exception: EXC.availability,
      availability: {},
    });
  const out: Record<string, number> = {};
  for (const s of slots) out[new Date(s.start).toISOString()] = s.remaining;
  return out;
}

export interface V2Answer {
  slots: Array<{ utcTime: string; localTime: string; capacity: number; total: number }>;
  durationMin: number;
  timezone: string;
}

/** v2: slots with local times in `timezone` (default the office zone); `report-busy` keeps full ones. */
export function availabilityV2(store: Store, cfg: CallbackConfig, params: URLSearchParams, now: number): V2Answer {
  const tzParam = params.get("timezone");
  if (tzParam && !IANAZone.isValidZone(tzParam))
    throw badParameter(`Invalid timezone: '${tzParam}' (an IANA name such as America/Toronto)`);
  const zone = tzParam || officeZone(cfg);
  const { start, end, max } = range(params, cfg, now, zone, true);
  const busy = /^(true|1|yes)$/i.test(params.get("report-busy") ?? "");
  const slots = computeSlots(store, cfg, { from: start, to: end, max, includeFull: busy });
  // local time without per-slot luxon: offsets are looked up per UTC hour; an hour whose start and end offsets
  // differ (a DST change inside it) is resolved per slot
  const z = IANAZone.create(zone);
  const hourOffset = new Map<number, number>();
  const offAt = (h: number) => {
    let o = hourOffset.get(h);
    if (o === undefined) hourOffset.set(h, (o = z.offset(h * 36e5)));
    return o;
  };
  return {
    slots: slots.map((s) => {
      const h = Math.floor(s.start / 36e5);
      const a = offAt(h);
      const offset = a === offAt(h + 1) ? a : z.offset(s.start);
      return { utcTime: new Date(s.start).toISOString(), localTime: localIso(s.start, offset), capacity: s.remaining, total: s.total };
    }),
    durationMin: cfg.bucketMinutes,
    timezone: zone,
  };
}
