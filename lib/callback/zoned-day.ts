// Local days of a time zone: the one place that turns a wall-clock date into instants. Office hours and capacity
// plans both build on it, so both read DST the same way.
//
// Policy (README "Time zones and DST"): rules are functions of the wall clock. An instant counts as the
// wall-clock minute it shows, so
// - a time inside a spring-forward gap takes effect when the gap ends (02:30 on a 02:00→03:00 day: from 03:00);
// - the repeated hour of a fall-back fold is covered twice (01:00-01:30 covers 01:00-01:30 EDT and 01:00-01:30 EST);
// - a day is as long as its clocks say: 23 hours on a spring-forward day, 25 on a fall-back day.
import { IANAZone } from "luxon";

const MIN = 60_000;
export const DAY_MS = 86_400_000;
export const MINUTES_PER_DAY = 1440;
/** Offsets are sampled this far apart: no zone changes its offset twice within three hours. */
const SAMPLE_MS = 3 * 3_600_000;
/** Further than any UTC offset (−12:00 … +14:00), so every instant of a local date is inside the search window. */
const REACH_MS = 16 * 3_600_000;
const MAX_CACHED_DAYS = 20_000;

/** A stretch of one UTC offset within a local day. */
export interface OffsetPiece {
  readonly from: number;
  readonly to: number;
  /** Minutes east of UTC. */
  readonly offsetMin: number;
}

/** One local date of a zone, resolved to instants. */
export interface ZonedDay {
  readonly zone: string;
  /** Days since 1970-01-01 of the local date. */
  readonly dayNumber: number;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** First instant showing this date. */
  readonly startMs: number;
  /** First instant after the last one showing this date. */
  readonly endMs: number;
  /** The offsets in force, ascending, covering every instant that shows this date. */
  readonly pieces: readonly OffsetPiece[];
}

// ------------------------------------------------------------------------------------------------
// Calendar dates as day numbers (no zone involved)

const pad2 = (n: number): string => String(n).padStart(2, "0");

export const dateOfDayNumber = (x: number): string => new Date(x * DAY_MS).toISOString().slice(0, 10);

/** `YYYY-MM-DD` → day number; NaN when it is not a real date. */
export function dayNumberOfDate(date: string): number {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  return Date.UTC(y, mo - 1, d) / DAY_MS;
}

/** Days in a month; `daysInMonth(2000, 2)` = 29, so a yearly `02-29` is a valid date. */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** 1 = Monday … 7 = Sunday (day 0, 1970-01-01, was a Thursday). */
const weekdayOfDayNumber = (x: number): number => ((((x + 3) % 7) + 7) % 7) + 1;

/** `MM-DD` of a day number (the key of yearly rules). */
export const yearlyKeyOf = (x: number): string => {
  const d = new Date(x * DAY_MS);
  return `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
};

// ------------------------------------------------------------------------------------------------
// Zones

const zones = new Map<string, IANAZone>();
function zoneOf(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    z = IANAZone.create(name);
    if (!z.isValid) throw new RangeError(`unknown time zone "${name}"`);
    zones.set(name, z);
  }
  return z;
}

/** The local date (as a day number) an instant shows in a zone. */
export function dayNumberAt(zone: string, ms: number): number {
  return Math.floor((ms + zoneOf(zone).offset(ms) * MIN) / DAY_MS);
}

/** The offset runs of [from, to): sampled every SAMPLE_MS, each change located to the millisecond. */
function offsetRuns(z: IANAZone, from: number, to: number): OffsetPiece[] {
  const runs: OffsetPiece[] = [];
  let start = from;
  let o = z.offset(from);
  for (let lo = from; lo < to;) {
    const hi = Math.min(lo + SAMPLE_MS, to);
    const oh = z.offset(hi);
    if (oh !== o) {
      let a = lo;
      let b = hi; // offset(a) === o, offset(b) !== o
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (z.offset(mid) === o) a = mid;
        else b = mid;
      }
      runs.push({ from: start, to: b, offsetMin: o });
      start = b;
      o = oh;
    }
    lo = hi;
  }
  runs.push({ from: start, to, offsetMin: o });
  return runs;
}

const days = new Map<string, ZonedDay>();

/** The local date `dayNumber` of `zone` (cached: a DST day costs a few dozen offset look-ups once). */
export function zonedDay(zone: string, dayNumber: number): ZonedDay {
  const key = `${zone}\u0000${dayNumber}`;
  const hit = days.get(key);
  if (hit) return hit;
  const z = zoneOf(zone);
  const midnight = dayNumber * DAY_MS; // local 00:00 read as UTC
  const pieces: OffsetPiece[] = [];
  for (const run of offsetRuns(z, midnight - REACH_MS, midnight + DAY_MS + REACH_MS)) {
    // the instants of this run whose wall clock shows the date
    const from = Math.max(run.from, midnight - run.offsetMin * MIN);
    const to = Math.min(run.to, midnight + DAY_MS - run.offsetMin * MIN);
    if (from < to) pieces.push({ from, to, offsetMin: run.offsetMin });
  }
  const day: ZonedDay = {
    zone,
    dayNumber,
    date: dateOfDayNumber(dayNumber),
    weekday: weekdayOfDayNumber(dayNumber),
    startMs: pieces[0]!.from,
    endMs: pieces[pieces.length - 1]!.to,
    pieces,
  };
  if (days.size >= MAX_CACHED_DAYS) days.clear();
  days.set(key, day);
  return day;
}

/** The wall-clock minute (0 … 1439) an instant of the day shows. */
export function wallMinuteAt(day: ZonedDay, ms: number): number {
  const piece = day.pieces.find((p) => ms < p.to) ?? day.pieces[day.pieces.length - 1]!;
  return Math.floor((ms + piece.offsetMin * MIN - day.dayNumber * DAY_MS) / MIN);
}

/** The instant at which wall-clock `minute` of the piece's offset would fall (it may lie outside the piece). */
export const instantOfWallMinute = (day: ZonedDay, piece: OffsetPiece, minute: number): number =>
  day.dayNumber * DAY_MS + (minute - piece.offsetMin) * MIN;

/**
 * The instants whose wall clock shows a minute of `ranges` (ascending [startMin, endMin), 0 … 1440) on this day:
 * ascending, merged epoch-ms ranges.
 */
export function wallRangesToInstants(day: ZonedDay, ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const piece of day.pieces) {
    for (const [s, e] of ranges) {
      const a = Math.max(piece.from, instantOfWallMinute(day, piece, s));
      const b = Math.min(piece.to, instantOfWallMinute(day, piece, e));
      if (a >= b) continue;
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
  }
  return out;
}
