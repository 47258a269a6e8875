// Office-hours evaluation: a parsed calendar (office-hours-grammar.ts) against instants. Each local date is
// resolved once to epoch-ms ranges through zoned-day.ts (the shared DST policy: rules follow the wall clock) and
// cached in the calendar, so availability over many buckets costs one resolution per local day.
import type { ClosedReason, MinuteRange, DatedRules, OfficeDay, OfficeHours } from "./office-hours-grammar";
import { mergeRanges, subtractRanges, insideRanges, pushMerged } from "./ranges";
import { zonedDay, dayNumberAt, dateOfDayNumber, yearlyKeyOf, wallRangesToInstants, MINUTES_PER_DAY } from "./zoned-day";

const MAX_CACHED_DAYS = 5000;

function rulesFor(rules: DatedRules, x: number): MinuteRange[] {
  const out: MinuteRange[] = [];
  const push = (list: readonly MinuteRange[] | undefined): void => {
    if (list) out.push(...list);
  };
  push(rules.head.get(dateOfDayNumber(x)));
  push(rules.head.get(yearlyKeyOf(x)));
  push(rules.tail.get(dateOfDayNumber(x - 1)));
  push(rules.tail.get(yearlyKeyOf(x - 1)));
  return mergeRanges(out);
}

function resolveDay(cal: OfficeHours, x: number): OfficeDay {
  const cached = cal.days.get(x);
  if (cached) return cached;
  const zday = zonedDay(cal.zone, x);
  const date = zday.date;
  const openMin = mergeRanges([...(cal.regular[zday.weekday] ?? []), ...rulesFor(cal.adds, x)]);
  const dropMin = rulesFor(cal.drops, x);
  const effective = cal.effectiveDates.length === 0 || cal.effectiveDates.some((r) => r.from <= date && date <= r.to);
  const day: OfficeDay = {
    date,
    startMs: zday.startMs,
    endMs: zday.endMs,
    open: wallRangesToInstants(zday, effective ? subtractRanges(openMin, dropMin) : []),
    holiday: wallRangesToInstants(zday, dropMin),
    fullHoliday: dropMin.length === 1 && dropMin[0]?.[0] === 0 && dropMin[0][1] === MINUTES_PER_DAY,
    scheduled: openMin.length > 0,
    effective,
  };
  if (cal.days.size >= MAX_CACHED_DAYS) cal.days.clear();
  cal.days.set(x, day);
  return day;
}

function checkRange(fromMs: number, toMs: number): boolean {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new RangeError(`office hours: range bounds must be finite epoch ms (got ${fromMs}, ${toMs})`);
  }
  return fromMs < toMs;
}

/** Why a local day with no opening at all is closed. */
function dayClosedReason(day: OfficeDay): ClosedReason {
  if (day.fullHoliday || (day.holiday.length > 0 && day.scheduled && day.effective)) return "closed_holiday";
  if (!day.effective) return "closed_no_match";
  if (!day.scheduled) return "closed_day_of_week";
  return "closed_no_match";
}

/** The local days touching [fromMs, toMs), in order. */
function* daysOf(cal: OfficeHours, fromMs: number, toMs: number): Generator<OfficeDay> {
  for (let x = dayNumberAt(cal.zone, fromMs); ; x++) {
    const day = resolveDay(cal, x);
    if (day.startMs >= toMs) return;
    yield day;
    if (day.endMs >= toMs) return;
  }
}

/** Open intervals [startMs, endMs) intersecting [fromMs, toMs), clipped to it, merged, ascending. */
export function openRanges(cal: OfficeHours, fromMs: number, toMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!checkRange(fromMs, toMs)) return out;
  for (const day of daysOf(cal, fromMs, toMs)) for (const [s, e] of day.open) pushMerged(out, Math.max(s, fromMs), Math.min(e, toMs));
  return out;
}

/** Whether the office is open at instant ms, else why it is closed. */
export function officeStatusAt(cal: OfficeHours, ms: number): { open: true } | { open: false; reason: ClosedReason } {
  if (!Number.isFinite(ms)) throw new RangeError(`office hours: instant must be finite epoch ms (got ${ms})`);
  const day = resolveDay(cal, dayNumberAt(cal.zone, ms));
  if (insideRanges(day.holiday, ms)) return { open: false, reason: "closed_holiday" };
  if (insideRanges(day.open, ms)) return { open: true };
  if (!day.effective) return { open: false, reason: "closed_no_match" };
  if (!day.scheduled) return { open: false, reason: "closed_day_of_week" };
  return { open: false, reason: "closed_no_match" };
}

export interface CalendarDay {
  date: string;
  open: Array<{ start: string; end: string }>;
  closedReason?: ClosedReason;
}

/**
 * The calendar for the builtin office-hours helper service: one entry per local date touched by [fromMs, toMs),
 * with that whole day's open ranges (not clipped to the window), as ISO UTC strings. `closedReason` is present
 * only on days without any opening.
 */
export function calendarDays(cal: OfficeHours, fromMs: number, toMs: number): CalendarDay[] {
  const out: CalendarDay[] = [];
  if (!checkRange(fromMs, toMs)) return out;
  const iso = (ms: number): string => new Date(ms).toISOString();
  for (const day of daysOf(cal, fromMs, toMs)) {
    if (day.endMs <= fromMs) continue;
    const entry: CalendarDay = { date: day.date, open: day.open.map(([s, e]) => ({ start: iso(s), end: iso(e) })) };
    if (entry.open.length === 0) entry.closedReason = dayClosedReason(day);
    out.push(entry);
  }
  return out;
}
