// Capacity-plan grammar: the options of a `_service=capacity` service (README "Capacity") parsed into per-weekday
// and per-date schedules of wall-clock change points. Evaluation against instants is in capacity.ts.
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

import { IANAZone } from "luxon";
import { isBlank } from "./values";
import { dayNumberOfDate } from "./zoned-day";

const DEFAULT_MAX_CAPACITY = 1000;

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
  if (isBlank(value)) return { ok: true, value: undefined };
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

/** A real calendar date written `YYYY-MM-DD` (the form the plan's exceptions are looked up by). */
const isRealDate = (s: string): boolean => DATE_RE.test(s) && !Number.isNaN(dayNumberOfDate(s));

function parseWeekday(name: string, day: number, value: unknown): Parsed<DaySchedule> {
  const shape = `{"${day}": {"HHMM": n, …}}`;
  const obj = readJsonObject(name, value, shape);
  if (!obj.ok || obj.value === undefined) return obj as Parsed<DaySchedule>;
  const keys = Object.keys(obj.value);
  if (keys.length !== 1 || keys[0] !== String(day)) {
    return {
      ok: false,
      error:
        `Invalid ${name}: expected ${shape} with the single day key "${day}", ` +
        `found ${keys.length ? keys.map((k) => show(k)).join(", ") : "no key"}`,
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
  if (isBlank(value)) return { ok: true, value: undefined };
  if (typeof value !== "string" || !IANAZone.isValidZone(value.trim())) {
    return { ok: false, error: `Invalid ${name}: ${show(value)} is not an IANA time zone (e.g. "America/New_York")` };
  }
  return { ok: true, value: value.trim() };
}

function parseMax(name: string, value: unknown): Parsed<number> {
  if (isBlank(value)) return { ok: true, value: undefined };
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
