// Office-hours grammar: the options of a `_service=office-hours` calendar (README "Office hours") parsed into
// wall-clock minute ranges per weekday and per date. Evaluation against instants is in office-hours.ts.
//
// Every rule is a set of local wall-clock minute ranges [startMin, endMin) of a local date (0..1440; 1440 = the
// next local midnight): regular weekly ranges ∪ special openings, minus drops and holidays, gated by effective
// dates.

import { IANAZone } from "luxon";
import { mergeRanges } from "./ranges";
import { daysInMonth, MINUTES_PER_DAY } from "./zoned-day";
import { isBlank } from "./values";

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

/** One local date, resolved to epoch ms by office-hours.ts (cached in OfficeHours.days). */
export interface OfficeDay {
  /** Local date `YYYY-MM-DD`. */
  readonly date: string;
  /** First instant showing the local date. */
  readonly startMs: number;
  /** First instant after the last one showing it. */
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
  readonly days: Map<number, OfficeDay>;
}

// ------------------------------------------------------------------------------------------------
// Parsing of single values

class OptionError extends Error {}

const DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

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

/** Option value as a string; null when not set (blank); undefined when not a scalar. */
function optionString(v: unknown): string | null | undefined {
  if (isBlank(v)) return null;
  if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return undefined;
  return String(v);
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
