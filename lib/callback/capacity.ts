// Capacity plans (`_service=capacity`, SPEC §4.4) — plain TypeScript, no framework imports.
//
// Options:
//   _timezone        IANA zone of the plan's wall-clock times (default "UTC" when not set).
//   _capacity_N      N = 1 (Monday) … 7 (Sunday): {"N": {"HHMM": n, …}} as an object or as its JSON text.
//                    From each HHMM (local time) the capacity per bucket is n, until the next key of that day.
//                    Before the first key of a day, and on a weekday without _capacity_N: 0.
//   _capacity_add    date exceptions {"YYYY-MM-DD": {"HHMM": n, …}} — replaces that date's weekly schedule
//                    ({} = closed all day, capacity 0).
//   _max_capacity    cap applied to every value (default 1000).
//
// A bucket's capacity is the value in force at its start instant, read on the local wall-clock of that
// instant. DST: in a spring-forward gap the keys inside the gap take effect at the end of the gap (the first
// instant whose wall-clock is past them); in a fall-back fold the repeated wall-clock hour gets the schedule's
// values for that wall-clock hour again (capacity is a function of the wall-clock time).

import { IANAZone } from "luxon";

const MIN = 60_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const DEFAULT_MAX_CAPACITY = 1000;
/** capacityPeriods refuses ranges longer than this (a guard for the public helper endpoint). */
export const MAX_PERIOD_SPAN_DAYS = 400;

/** One day's schedule: change points sorted by minute of the local day. */
export type DaySchedule = ReadonlyArray<{ readonly minute: number; readonly capacity: number }>;

export interface CapacityPlan {
  zone: string;
  maxCapacity: number;
  /** index 1 = Monday … 7 = Sunday; null = no `_capacity_N` (capacity 0 all day). Values already capped. */
  weekly: ReadonlyArray<DaySchedule | null>;
  /** "YYYY-MM-DD" → schedule replacing that date's weekly schedule. Values already capped. */
  exceptions: ReadonlyMap<string, DaySchedule>;
}

// ---------------------------------------------------------------------------------------------------------
// Validation / parsing

type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; error: string };

const HHMM_RE = /^([01]\d|2[0-3])([0-5]\d)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_OPTION_RE = /^_capacity_([1-7])$/;

function isNotSet(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  try {
    const s = typeof v === "string" ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
    return s.length > 60 ? s.slice(0, 57) + "..." : s;
  } catch {
    return String(v);
  }
}

/** A JSON object given as an object or as JSON text. */
function readJsonObject(name: string, value: unknown, shape: string): Parsed<Record<string, unknown>> {
  if (isNotSet(value)) return { ok: true, value: undefined };
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch (e) {
      return { ok: false, error: `Invalid ${name}: not valid JSON (${(e as Error).message}); expected ${shape}` };
    }
  }
  if (!isPlainObject(v)) return { ok: false, error: `Invalid ${name}: expected a JSON object ${shape}, got ${show(v)}` };
  return { ok: true, value: v };
}

function readCount(name: string, what: string, v: unknown): Parsed<number> {
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string" && /^\s*\d+\s*$/.test(v)) n = Number(v.trim());
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    return { ok: false, error: `Invalid ${name}: ${what} must be a non-negative integer, got ${show(v)}` };
  }
  return { ok: true, value: n };
}

/** {"HHMM": n, …} → sorted change points (uncapped). */
function readDayMap(name: string, label: string, v: unknown): Parsed<DaySchedule> {
  if (!isPlainObject(v)) {
    return { ok: false, error: `Invalid ${name}: ${label} must be an object {"HHMM": n, …}, got ${show(v)}` };
  }
  const points: Array<{ minute: number; capacity: number }> = [];
  for (const [key, raw] of Object.entries(v)) {
    const m = HHMM_RE.exec(key);
    if (!m) return { ok: false, error: `Invalid ${name}: ${show(key)} in ${label} is not a time HHMM (0000-2359)` };
    const c = readCount(name, `capacity at ${show(key)} in ${label}`, raw);
    if (!c.ok) return c;
    points.push({ minute: Number(m[1]) * 60 + Number(m[2]), capacity: c.value as number });
  }
  points.sort((a, b) => a.minute - b.minute);
  return { ok: true, value: points };
}

function isRealDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(2000, mo, 0)).getUTCDate(); // days in month (leap year 2000 for Feb)
  if (d > dim) return false;
  if (mo === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return true;
}

function parseWeekday(name: string, day: number, value: unknown): Parsed<DaySchedule> {
  const shape = `{"${day}": {"HHMM": n, …}}`;
  const obj = readJsonObject(name, value, shape);
  if (!obj.ok || obj.value === undefined) return obj as Parsed<DaySchedule>;
  const keys = Object.keys(obj.value);
  if (keys.length !== 1 || keys[0] !== String(day)) {
    return {
      ok: false,
      error: `Invalid ${name}: expected ${shape} with the single day key "${day}", found ${keys.length ? keys.map((k) => show(k)).join(", ") : "no key"}`,
    };
  }
  return readDayMap(name, `day "${day}"`, obj.value[String(day)]);
}

function parseAdd(name: string, value: unknown): Parsed<Map<string, DaySchedule>> {
  const obj = readJsonObject(name, value, `{"YYYY-MM-DD": {"HHMM": n, …}}`);
  if (!obj.ok || obj.value === undefined) return obj as Parsed<Map<string, DaySchedule>>;
  const out = new Map<string, DaySchedule>();
  for (const [date, dayMap] of Object.entries(obj.value)) {
    if (!isRealDate(date)) return { ok: false, error: `Invalid ${name}: ${show(date)} is not a date YYYY-MM-DD` };
    const d = readDayMap(name, `date "${date}"`, dayMap);
    if (!d.ok) return d;
    out.set(date, d.value as DaySchedule);
  }
  return { ok: true, value: out };
}

function parseTimezone(name: string, value: unknown): Parsed<string> {
  if (isNotSet(value)) return { ok: true, value: undefined };
  if (typeof value !== "string" || !IANAZone.isValidZone(value.trim())) {
    return { ok: false, error: `Invalid ${name}: ${show(value)} is not an IANA time zone (e.g. "America/New_York")` };
  }
  return { ok: true, value: value.trim() };
}

function parseMax(name: string, value: unknown): Parsed<number> {
  if (isNotSet(value)) return { ok: true, value: undefined };
  return readCount(name, "the value", value);
}

function parseOption(name: string, value: unknown): Parsed<unknown> | null {
  if (name === "_timezone") return parseTimezone(name, value);
  if (name === "_capacity_add") return parseAdd(name, value);
  if (name === "_max_capacity") return parseMax(name, value);
  const m = DAY_OPTION_RE.exec(name);
  if (m) return parseWeekday(name, Number(m[1]), value);
  return null;
}

/** Validate one capacity-service option value; returns an error message or null. Other names → null. */
export function validateCapacityOption(name: string, value: unknown): string | null {
  const r = parseOption(name, value);
  return r && !r.ok ? r.error : null;
}

function cap(schedule: DaySchedule, max: number): DaySchedule {
  return schedule.map((p) => ({ minute: p.minute, capacity: Math.min(p.capacity, max) }));
}

/** Parse a `_service=capacity` option map ("" = not set). Throws Error with a clear message when malformed. */
export function parseCapacityPlan(options: Record<string, unknown>): CapacityPlan {
  const take = <T>(name: string): T | undefined => {
    const r = parseOption(name, options[name]) as Parsed<T>;
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const zone = take<string>("_timezone") ?? "UTC";
  const maxCapacity = take<number>("_max_capacity") ?? DEFAULT_MAX_CAPACITY;
  const weekly: Array<DaySchedule | null> = [null];
  for (let d = 1; d <= 7; d++) {
    const s = take<DaySchedule>(`_capacity_${d}`);
    weekly.push(s ? cap(s, maxCapacity) : null);
  }
  const exceptions = new Map<string, DaySchedule>();
  for (const [date, s] of take<Map<string, DaySchedule>>("_capacity_add") ?? []) exceptions.set(date, cap(s, maxCapacity));
  return { zone, maxCapacity, weekly, exceptions };
}

// ---------------------------------------------------------------------------------------------------------
// Day plans: the instants of one local date cut into constant-capacity segments

interface DayPlan {
  /** first instant of the local date (inclusive) */
  start: number;
  /** first instant of the next local date (exclusive) */
  end: number;
  /** segment i covers [segStarts[i], segStarts[i+1] ?? end); segStarts[0] === start; adjacent caps differ */
  segStarts: number[];
  segCaps: number[];
}

interface Piece {
  from: number;
  to: number;
  offset: number; // minutes east of UTC
}

function capAtMinute(schedule: DaySchedule, minute: number): number {
  let c = 0;
  for (const p of schedule) {
    if (p.minute <= minute) c = p.capacity;
    else break;
  }
  return c;
}

function isoDateOfDayNumber(x: number): string {
  return new Date(x * DAY).toISOString().slice(0, 10);
}

function weekdayOfDayNumber(x: number): number {
  // day 0 = 1970-01-01, a Thursday (4); 1 = Monday … 7 = Sunday
  return ((((x + 3) % 7) + 7) % 7) + 1;
}

/** Builds DayPlans for one plan; only luxon zone offset look-ups (a few dozen per local day). */
function makeDayBuilder(plan: CapacityPlan): (t: number) => DayPlan {
  const zone = IANAZone.create(plan.zone);
  if (!zone.isValid) throw new Error(`Invalid capacity time zone ${show(plan.zone)}`);
  const off = (ms: number): number => zone.offset(ms);
  const localDay = (ms: number, o: number): number => Math.floor((ms + o * MIN) / DAY);

  /** smallest s in (lo, hi] with offset === o on [s, hi], given off(hi) === o and off(lo) !== o */
  const bisectBack = (lo: number, hi: number, o: number): number => {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (off(mid) === o) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  /** Earliest s in (from - ?, from] such that the offset is o on [s, from], searching no further back than floorMs. */
  const runStartBack = (from: number, o: number, floorMs: number): number => {
    let q = from;
    for (;;) {
      const p = Math.max(q - HOUR, floorMs);
      if (off(p) !== o) return bisectBack(p, q, o);
      if (p === floorMs) return floorMs;
      q = p;
    }
  };
  /** Earliest instant in (from, ceilMs) where the offset is no longer o; ceilMs when none. */
  const runEndFwd = (from: number, o: number, ceilMs: number): number => {
    let q = from;
    for (;;) {
      const p = Math.min(q + HOUR, ceilMs);
      if (p === ceilMs) {
        // check the last stretch right before ceilMs
        if (off(ceilMs - 1) === o) return ceilMs;
      } else if (off(p) === o) {
        q = p;
        continue;
      }
      let lo = q;
      let hi = p === ceilMs ? ceilMs - 1 : p; // off(lo) === o, off(hi) !== o
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (off(mid) === o) lo = mid;
        else hi = mid;
      }
      return hi;
    }
  };

  return (t: number): DayPlan => {
    const o0 = off(t);
    const x = localDay(t, o0);
    const pieces: Piece[] = [];

    // backward from t to the first instant of local date x
    let cur = t;
    let co = o0;
    let start: number;
    for (;;) {
      const cand = x * DAY - co * MIN; // local midnight under offset co
      const s = runStartBack(cur, co, cand);
      pieces.unshift({ from: s, to: NaN, offset: co });
      if (s === cand) {
        start = s;
        break;
      }
      const po = off(s - 1);
      if (localDay(s - 1, po) !== x) {
        start = s;
        break;
      }
      cur = s - 1;
      co = po;
    }
    // forward from t to the first instant of local date x + 1
    cur = t;
    co = o0;
    let end: number;
    for (;;) {
      const cand = (x + 1) * DAY - co * MIN;
      const e = runEndFwd(cur, co, cand);
      const last = pieces[pieces.length - 1]!;
      if (last.offset === co && Number.isNaN(last.to)) last.to = e;
      else pieces.push({ from: cur, to: e, offset: co });
      if (e === cand) {
        end = e;
        break;
      }
      const no = off(e);
      if (localDay(e, no) !== x) {
        end = e;
        break;
      }
      cur = e;
      co = no;
    }
    for (let i = 0; i < pieces.length; i++) if (Number.isNaN(pieces[i]!.to)) pieces[i]!.to = pieces[i + 1]!.from;

    const schedule = plan.exceptions.get(isoDateOfDayNumber(x)) ?? plan.weekly[weekdayOfDayNumber(x)] ?? [];
    const segStarts: number[] = [];
    const segCaps: number[] = [];
    const push = (at: number, c: number) => {
      if (segCaps.length && segCaps[segCaps.length - 1] === c) return;
      segStarts.push(at);
      segCaps.push(c);
    };
    for (const pc of pieces) {
      const base = x * DAY - pc.offset * MIN; // local 00:00 of date x under this piece's offset
      push(pc.from, capAtMinute(schedule, Math.floor((pc.from - base) / MIN)));
      for (const p of schedule) {
        const at = base + p.minute * MIN;
        if (at > pc.from && at < pc.to) push(at, capAtMinute(schedule, p.minute));
      }
    }
    return { start, end, segStarts, segCaps };
  };
}

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

/** A small cache of DayPlans: the current day first, then a few recent ones for out-of-order calls. */
function makeDayCache(plan: CapacityPlan): (t: number) => DayPlan {
  const build = makeDayBuilder(plan);
  const recent: DayPlan[] = [];
  let current: DayPlan | undefined;
  return (t: number): DayPlan => {
    if (current && t >= current.start && t < current.end) return current;
    for (const d of recent) {
      if (t >= d.start && t < d.end) return (current = d);
    }
    current = build(t);
    recent.push(current);
    if (recent.length > 16) recent.shift();
    return current;
  };
}

/**
 * Returns a function giving the capacity of the bucket starting at bucketStartMs. Ascending calls are O(1)
 * amortised (a segment pointer within the cached local day); zone work happens once per local day.
 */
export function capacityLookup(plan: CapacityPlan): (bucketStartMs: number) => number {
  const dayOf = makeDayCache(plan);
  let day: DayPlan | undefined;
  let idx = 0;
  return (bucketStartMs: number): number => {
    const t = bucketStartMs;
    if (!Number.isFinite(t)) return 0;
    if (!day || t < day.start || t >= day.end) {
      day = dayOf(t);
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
  if (toMs - fromMs > MAX_PERIOD_SPAN_DAYS * DAY) {
    throw new RangeError(`Capacity period range is limited to ${MAX_PERIOD_SPAN_DAYS} days`);
  }
  const outZoneName = zone === undefined || zone.trim() === "" ? plan.zone : zone.trim();
  if (!IANAZone.isValidZone(outZoneName)) throw new Error(`Invalid time zone ${show(outZoneName)}`);
  const outZone = IANAZone.create(outZoneName);
  const dayOf = makeDayCache(plan);

  const raw: Array<{ s: number; e: number; c: number }> = [];
  let t = fromMs;
  while (t < toMs) {
    const day = dayOf(t);
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
