// Office hours (SPEC §4.3): a `_service=office-hours` calendar, parsed once per service and cached.
//
// Model: every rule is expressed as local wall-clock minute ranges [startMin, endMin) of a local date
// (0..1440; 1440 = the next local midnight). Per local date we combine them (regular ∪ add, minus
// drop/holiday, gated by effective dates) and convert the result to epoch-ms once, with luxon, in the
// office zone. Those per-day results are cached in the OfficeHours object (Map keyed by local date), so
// availability over many buckets costs one luxon pass per local day, and a status check costs one
// conversion (instant -> local date) plus a cached lookup.
//
// DST: local times are resolved like java.time does (GMS is a Java service): a time that does not exist
// (spring-forward gap) moves forward by the gap length (02:30 -> 03:30), an ambiguous time (fall-back
// overlap) takes the earlier instant (the pre-transition offset).

import { DateTime, IANAZone } from "luxon";

export type ClosedReason = "closed_day_of_week" | "closed_holiday" | "closed_no_match";

/** [startMin, endMin) in local minutes of one local date; 0 <= startMin < endMin <= 1440. */
export type MinuteRange = readonly [number, number];

/** Ranges keyed by `YYYY-MM-DD` (dated) or `MM-DD` (yearly). */
export interface DatedRules {
  /** Ranges on the keyed date itself. */
  readonly head: ReadonlyMap<string, readonly MinuteRange[]>;
  /** Wrapped tails (e.g. the 00:00-07:00 of `19:00-7:00`): they apply to the day AFTER the keyed date. */
  readonly tail: ReadonlyMap<string, readonly MinuteRange[]>;
}

/** One local date, resolved to epoch ms (cached). */
export interface OfficeDay {
  /** Local date `YYYY-MM-DD`. */
  readonly date: string;
  /** First instant of the local date (local midnight, or the first existing instant after it). */
  readonly startMs: number;
  /** First instant of the next local date. */
  readonly endMs: number;
  /** Open intervals [startMs, endMs), ascending, merged, within [startMs, endMs). */
  readonly open: ReadonlyArray<readonly [number, number]>;
  /** Drop/holiday intervals of that date, ascending, merged. */
  readonly holiday: ReadonlyArray<readonly [number, number]>;
  /** The whole local date is dropped (full-day drop/holiday). */
  readonly fullHoliday: boolean;
  /** Regular or add ranges exist for that date (before drops and effective dates). */
  readonly scheduled: boolean;
  /** Inside the effective dates (always true when none are configured). */
  readonly effective: boolean;
}

export interface OfficeHours {
  /** IANA zone of the office. */
  readonly zone: string;
  /** Regular weekly ranges, index 1 = Monday … 7 = Sunday (index 0 unused); wrapped tails included. */
  readonly regular: ReadonlyArray<readonly MinuteRange[]>;
  /** `_bh_add<n>` special openings. */
  readonly adds: DatedRules;
  /** `_bh_drop<n>` and `_holiday<n>` closures. */
  readonly drops: DatedRules;
  /** `_effective_dates<n>` inclusive local-date ranges; empty = always effective. */
  readonly effectiveDates: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  /** Per-local-date cache; filled lazily, reused across requests. */
  readonly days: Map<string, OfficeDay>;
}

// ------------------------------------------------------------------------------------------------
// Parsing of single values

class OptionError extends Error {}

const DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MINUTES_PER_DAY = 1440;
const MAX_CACHED_DAYS = 5000;

const FORMATS = {
  regular: "DDD[-DDD][,DDD…] HH:mm-HH:mm (e.g. Mon-Fri 9:00-17:00)",
  add: "YYYY-MM-DD HH:mm-HH:mm or MM-DD HH:mm-HH:mm",
  drop: "YYYY-MM-DD or MM-DD, optionally followed by HH:mm-HH:mm",
  effective: "YYYY-MM-DD to YYYY-MM-DD",
} as const;

type Kind = "timezone" | "regular" | "add" | "drop" | "effective";

function kindOf(name: string): Kind | null {
  if (name === "_timezone") return "timezone";
  if (/^_bh_regular\d*$/.test(name)) return "regular";
  if (/^_bh_add\d*$/.test(name)) return "add";
  if (/^_bh_drop\d*$/.test(name) || /^_holiday\d*$/.test(name)) return "drop";
  if (/^_effective_dates\d*$/.test(name)) return "effective";
  return null;
}

/** Trim, and drop blanks around `-` and `,` so `Mon - Fri  9:00 - 17:00` reads as `Mon-Fri 9:00-17:00`. */
function tokens(value: string): string[] {
  const v = value.trim().replace(/\s*([-,])\s*/g, "$1");
  return v === "" ? [] : v.split(/\s+/);
}

/** Day name -> 1 (Mon) … 7 (Sun). Accepts `Mon`, `monday`, and any prefix of 3+ letters (`Tues`, `Thur`). */
function parseDayName(raw: string): number {
  const s = raw.toLowerCase();
  if (s.length >= 3) {
    const i = DAY_NAMES.findIndex((full) => full.startsWith(s));
    if (i >= 0) return i + 1;
  }
  throw new OptionError(`unknown day name "${raw}" (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)`);
}

/** `Mon-Fri`, `Sat-Mon` (wraps the week), `Mon,Wed-Fri` -> set of weekdays 1..7. */
function parseDays(token: string): number[] {
  const days = new Set<number>();
  for (const item of token.split(",")) {
    if (item === "") throw new OptionError(`empty day in "${token}"`);
    const [first = "", last, ...rest] = item.split("-");
    if (rest.length > 0) throw new OptionError(`bad day range "${item}" (expected DDD or DDD-DDD)`);
    const from = parseDayName(first);
    const to = last === undefined ? from : parseDayName(last);
    for (let d = from, n = 0; n < 7; n++) {
      days.add(d);
      if (d === to) break;
      d = (d % 7) + 1;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseTime(raw: string, isEnd: boolean): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw);
  if (!m) throw new OptionError(`bad time "${raw}" (expected H:mm or HH:mm)`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) throw new OptionError(`bad time "${raw}" (out of range)`);
  if (h === 24 && !isEnd) throw new OptionError(`bad time "${raw}" (24:00 is only allowed as an end time)`);
  return h * 60 + min;
}

interface TimeRange {
  /** On the day itself. */
  head: MinuteRange;
  /** Wrapped part on the following day (end < start, e.g. 19:00-7:00 -> 00:00-07:00). */
  tail: MinuteRange | null;
}

/** `9:00-17:00`, `19:00-7:00` (wraps midnight), `00:00-24:00`; comma-separated lists allowed. */
function parseTimes(token: string): TimeRange[] {
  const out: TimeRange[] = [];
  for (const item of token.split(",")) {
    const [first = "", last = "", ...rest] = item.split("-");
    if (rest.length > 0 || first === "" || last === "") {
      throw new OptionError(`bad time range "${item}" (expected HH:mm-HH:mm)`);
    }
    const start = parseTime(first, false);
    const end = parseTime(last, true);
    if (start === end) {
      throw new OptionError(`empty time range "${item}" (start equals end; use 00:00-24:00 for all day)`);
    }
    if (end > start) out.push({ head: [start, end], tail: null });
    else out.push({ head: [start, MINUTES_PER_DAY], tail: end > 0 ? [0, end] : null });
  }
  return out;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
const pad4 = (n: number): string => String(n).padStart(4, "0");

/** `YYYY-MM-DD` -> normalised key; `MM-DD` (yearly) too unless `datedOnly`. */
function parseDate(raw: string, datedOnly = false): string {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
      throw new OptionError(`bad date "${raw}" (no such day)`);
    }
    return `${pad4(y)}-${pad2(mo)}-${pad2(d)}`;
  }
  m = datedOnly ? null : /^(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (m) {
    const [mo, d] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(2000, mo) /* leap year: 02-29 allowed */) {
      throw new OptionError(`bad date "${raw}" (no such day)`);
    }
    return `${pad2(mo)}-${pad2(d)}`;
  }
  throw new OptionError(`bad date "${raw}" (expected ${datedOnly ? "YYYY-MM-DD" : "YYYY-MM-DD or MM-DD"})`);
}

type Parsed =
  | { kind: "timezone"; zone: string }
  | { kind: "regular"; days: number[]; times: TimeRange[] }
  | { kind: "add" | "drop"; date: string; times: TimeRange[] }
  | { kind: "effective"; from: string; to: string };

const FULL_DAY: TimeRange = { head: [0, MINUTES_PER_DAY], tail: null };

function parseValue(kind: Kind, value: string): Parsed {
  if (kind === "timezone") {
    const zone = value.trim();
    if (zone === "") throw new OptionError("is required (an IANA time zone such as America/New_York)");
    if (!IANAZone.isValidZone(zone)) throw new OptionError(`unknown time zone "${zone}" (expected an IANA name)`);
    return { kind, zone };
  }
  const t = tokens(value);
  const [t0 = "", t1 = "", t2 = ""] = t;
  switch (kind) {
    case "regular": {
      if (t.length !== 2) throw new OptionError(`expected ${FORMATS.regular}`);
      return { kind, days: parseDays(t0), times: parseTimes(t1) };
    }
    case "add": {
      if (t.length !== 2) throw new OptionError(`expected ${FORMATS.add}`);
      return { kind, date: parseDate(t0), times: parseTimes(t1) };
    }
    case "drop": {
      if (t.length !== 1 && t.length !== 2) throw new OptionError(`expected ${FORMATS.drop}`);
      return { kind, date: parseDate(t0), times: t.length === 2 ? parseTimes(t1) : [FULL_DAY] };
    }
    case "effective": {
      if (t.length !== 3 || t1.toLowerCase() !== "to") throw new OptionError(`expected ${FORMATS.effective}`);
      const from = parseDate(t0, true);
      const to = parseDate(t2, true);
      if (from > to) throw new OptionError(`start date ${from} is after end date ${to}`);
      return { kind, from, to };
    }
  }
}

function describe(name: string, value: string, err: OptionError): string {
  return `Invalid office-hours option ${name}="${value}": ${err.message}`;
}

/** Option value as a string; null when not set ("" / null / undefined); undefined when not a scalar. */
function optionString(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return undefined;
  const s = String(v);
  return s.trim() === "" ? null : s;
}

/**
 * Validate one office-hours option value; returns an error message naming the problem, or null when fine.
 * Handles `_timezone`, `_bh_regular<n>`, `_bh_add<n>`, `_bh_drop<n>`, `_holiday<n>`, `_effective_dates<n>`;
 * null for other names. An empty value means "not set" and is fine, except for `_timezone` (required).
 */
export function validateOfficeHoursOption(name: string, value: string): string | null {
  const kind = kindOf(name);
  if (kind === null) return null;
  const v = String(value ?? "");
  if (kind !== "timezone" && v.trim() === "") return null;
  try {
    parseValue(kind, v);
    return null;
  } catch (e) {
    if (e instanceof OptionError) return describe(name, v, e);
    throw e;
  }
}

// ------------------------------------------------------------------------------------------------
// Building the calendar

function mergeRanges(ranges: MinuteRange[]): MinuteRange[] {
  if (ranges.length <= 1) return ranges.slice();
  const sorted = ranges.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** a minus b; both merged and ascending. */
function subtractRanges(a: readonly MinuteRange[], b: readonly MinuteRange[]): MinuteRange[] {
  if (b.length === 0) return a.slice();
  const out: MinuteRange[] = [];
  for (const [s0, e] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

function addTo(map: Map<string, MinuteRange[]>, key: string, r: MinuteRange): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

function buildRules(entries: Array<{ date: string; times: TimeRange[] }>): DatedRules {
  const head = new Map<string, MinuteRange[]>();
  const tail = new Map<string, MinuteRange[]>();
  for (const { date, times } of entries) {
    for (const t of times) {
      addTo(head, date, t.head);
      if (t.tail) addTo(tail, date, t.tail);
    }
  }
  return { head, tail };
}

/**
 * Parse a flat option map of a `_service=office-hours` service. Values are strings (numbers are
 * stringified); "" / null / undefined mean "not set". Throws an Error naming every malformed option.
 */
export function parseOfficeHours(options: Record<string, unknown>): OfficeHours {
  const errors: string[] = [];
  let zone: string | null = null;
  let zoneReported = false;
  const regular: MinuteRange[][] = Array.from({ length: 8 }, () => []);
  const adds: Array<{ date: string; times: TimeRange[] }> = [];
  const drops: Array<{ date: string; times: TimeRange[] }> = [];
  const effectiveDates: Array<{ from: string; to: string }> = [];

  for (const name of Object.keys(options).sort()) {
    const kind = kindOf(name);
    if (kind === null) continue;
    const value = optionString(options[name]);
    if (value === null) continue;
    if (value === undefined) {
      errors.push(`Invalid office-hours option ${name}: expected a string value`);
      if (kind === "timezone") zoneReported = true;
      continue;
    }
    let p: Parsed;
    try {
      p = parseValue(kind, value);
    } catch (e) {
      if (!(e instanceof OptionError)) throw e;
      errors.push(describe(name, value, e));
      if (kind === "timezone") zoneReported = true;
      continue;
    }
    switch (p.kind) {
      case "timezone":
        zone = p.zone;
        break;
      case "regular":
        for (const d of p.days) {
          for (const t of p.times) {
            regular[d]?.push(t.head);
            if (t.tail) regular[(d % 7) + 1]?.push(t.tail);
          }
        }
        break;
      case "add":
        adds.push(p);
        break;
      case "drop":
        drops.push(p);
        break;
      case "effective":
        effectiveDates.push({ from: p.from, to: p.to });
        break;
    }
  }
  if (zone === null && !zoneReported) {
    errors.unshift("Office-hours option _timezone is required (an IANA time zone such as America/New_York)");
  }
  if (errors.length > 0 || zone === null) throw new Error(errors.join("; "));

  return {
    zone,
    regular: regular.map(mergeRanges),
    adds: buildRules(adds),
    drops: buildRules(drops),
    effectiveDates,
    days: new Map(),
  };
}

// ------------------------------------------------------------------------------------------------
// Per-day resolution (the only place doing luxon work besides instant -> local date)

interface YMD {
  y: number;
  m: number;
  d: number;
}

const keyOf = (x: YMD): string => `${pad4(x.y)}-${pad2(x.m)}-${pad2(x.d)}`;
const yearlyKeyOf = (x: YMD): string => `${pad2(x.m)}-${pad2(x.d)}`;

function shiftDate(x: YMD, days: number): YMD {
  const dt = new Date(Date.UTC(x.y, x.m - 1, x.d + days));
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday. */
function weekdayOf(x: YMD): number {
  const dow = new Date(Date.UTC(x.y, x.m - 1, x.d)).getUTCDay(); // 0 = Sunday
  return dow === 0 ? 7 : dow;
}

function localDateOf(cal: OfficeHours, ms: number): YMD {
  const dt = DateTime.fromMillis(ms, { zone: cal.zone });
  return { y: dt.year, m: dt.month, d: dt.day };
}

/** Local wall-clock minute of a date -> instant (gap: shifted forward; overlap: earlier instant). */
function localMinute(zone: string, x: YMD, minute: number): DateTime {
  const dt = DateTime.fromObject(
    { year: x.y, month: x.m, day: x.d, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone },
  );
  let best = dt;
  for (const o of dt.getPossibleOffsets()) if (o.toMillis() < best.toMillis()) best = o;
  return best;
}

function rulesFor(rules: DatedRules, x: YMD, prev: YMD): MinuteRange[] {
  const out: MinuteRange[] = [];
  const push = (list: readonly MinuteRange[] | undefined): void => {
    if (list) out.push(...list);
  };
  push(rules.head.get(keyOf(x)));
  push(rules.head.get(yearlyKeyOf(x)));
  push(rules.tail.get(keyOf(prev)));
  push(rules.tail.get(yearlyKeyOf(prev)));
  return mergeRanges(out);
}

function resolveDay(cal: OfficeHours, x: YMD): OfficeDay {
  const date = keyOf(x);
  const cached = cal.days.get(date);
  if (cached) return cached;

  const prev = shiftDate(x, -1);
  const addMin = rulesFor(cal.adds, x, prev);
  const openMin = mergeRanges([...(cal.regular[weekdayOf(x)] ?? []), ...addMin]);
  const dropMin = rulesFor(cal.drops, x, prev);
  const effective =
    cal.effectiveDates.length === 0 || cal.effectiveDates.some((r) => r.from <= date && date <= r.to);
  const finalMin = effective ? subtractRanges(openMin, dropMin) : [];

  const start = localMinute(cal.zone, x, 0);
  const end = localMinute(cal.zone, shiftDate(x, 1), 0);
  const startMs = start.toMillis();
  const endMs = end.toMillis();
  // Fast path: a plain 24-hour day with one offset throughout (no DST change that day) needs no more luxon.
  const uniform = start.offset === end.offset && endMs - startMs === MINUTES_PER_DAY * 60_000;
  const memo = new Map<number, number>([
    [0, startMs],
    [MINUTES_PER_DAY, endMs],
  ]);
  const toMs = (minute: number): number => {
    if (uniform) return startMs + minute * 60_000;
    let ms = memo.get(minute);
    if (ms === undefined) {
      ms = Math.min(Math.max(localMinute(cal.zone, x, minute).toMillis(), startMs), endMs);
      memo.set(minute, ms);
    }
    return ms;
  };
  const convert = (ranges: readonly MinuteRange[]): Array<readonly [number, number]> => {
    const out: Array<[number, number]> = [];
    for (const [s, e] of ranges) {
      const a = toMs(s);
      const b = toMs(e);
      if (a >= b) continue; // e.g. fully inside a spring-forward gap
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
    return out;
  };

  const day: OfficeDay = {
    date,
    startMs,
    endMs,
    open: convert(finalMin),
    holiday: convert(dropMin),
    fullHoliday: dropMin.length === 1 && dropMin[0]?.[0] === 0 && dropMin[0][1] === MINUTES_PER_DAY,
    scheduled: openMin.length > 0,
    effective,
  };
  if (cal.days.size >= MAX_CACHED_DAYS) cal.days.clear();
  cal.days.set(date, day);
  return day;
}

function checkRange(fromMs: number, toMs: number): boolean {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new RangeError(`office hours: range bounds must be finite epoch ms (got ${fromMs}, ${toMs})`);
  }
  return fromMs < toMs;
}

const inside = (ranges: ReadonlyArray<readonly [number, number]>, ms: number): boolean =>
  ranges.some(([s, e]) => s <= ms && ms < e);

/** Why a local day with no opening at all is closed. */
function dayClosedReason(day: OfficeDay): ClosedReason {
  if (day.fullHoliday || (day.holiday.length > 0 && day.scheduled && day.effective)) return "closed_holiday";
  if (!day.effective) return "closed_no_match";
  if (!day.scheduled) return "closed_day_of_week";
  return "closed_no_match";
}

// ------------------------------------------------------------------------------------------------
// Public queries

/** Open intervals [startMs, endMs) intersecting [fromMs, toMs), clipped to it, merged, ascending. */
export function openRanges(cal: OfficeHours, fromMs: number, toMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!checkRange(fromMs, toMs)) return out;
  let x = localDateOf(cal, fromMs);
  for (;;) {
    const day = resolveDay(cal, x);
    if (day.startMs >= toMs) break;
    for (const [s0, e0] of day.open) {
      const s = Math.max(s0, fromMs);
      const e = Math.min(e0, toMs);
      if (s >= e) continue;
      const last = out[out.length - 1];
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else out.push([s, e]);
    }
    if (day.endMs >= toMs) break;
    x = shiftDate(x, 1);
  }
  return out;
}

/** Whether the office is open at instant ms, else why it is closed. */
export function officeStatusAt(
  cal: OfficeHours,
  ms: number,
): { open: true } | { open: false; reason: ClosedReason } {
  if (!Number.isFinite(ms)) throw new RangeError(`office hours: instant must be finite epoch ms (got ${ms})`);
  let day = resolveDay(cal, localDateOf(cal, ms));
  // Defensive: a zone whose midnight does not exist starts its day late; the instant then belongs to the day before.
  if (ms < day.startMs) day = resolveDay(cal, shiftDate(localDateOf(cal, ms), -1));
  if (inside(day.holiday, ms)) return { open: false, reason: "closed_holiday" };
  if (inside(day.open, ms)) return { open: true };
  if (!day.effective) return { open: false, reason: "closed_no_match" };
  if (!day.scheduled) return { open: false, reason: "closed_day_of_week" };
  return { open: false, reason: "closed_no_match" };
}

/**
 * The calendar for the builtin office-hours helper service: one entry per local date touched by
 * [fromMs, toMs), with that whole day's open ranges (not clipped to the window), as ISO UTC strings.
 * `closedReason` is present only on days without any opening.
 */
export function calendarDays(
  cal: OfficeHours,
  fromMs: number,
  toMs: number,
): Array<{ date: string; open: Array<{ start: string; end: string }>; closedReason?: ClosedReason }> {
  const out: Array<{ date: string; open: Array<{ start: string; end: string }>; closedReason?: ClosedReason }> = [];
  if (!checkRange(fromMs, toMs)) return out;
  const iso = (ms: number): string => new Date(ms).toISOString();
  let x = localDateOf(cal, fromMs);
  for (;;) {
    const day = resolveDay(cal, x);
    if (day.startMs >= toMs) break;
    if (day.endMs > fromMs) {
      const entry: { date: string; open: Array<{ start: string; end: string }>; closedReason?: ClosedReason } = {
        date: day.date,
        open: day.open.map(([s, e]) => ({ start: iso(s), end: iso(e) })),
      };
      if (entry.open.length === 0) entry.closedReason = dayClosedReason(day);
      out.push(entry);
    }
    if (day.endMs >= toMs) break;
    x = shiftDate(x, 1);
  }
  return out;
}
