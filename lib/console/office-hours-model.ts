// The Office Hours editor's model of an office-hours service, and its exact way back to option strings.
// Loading goes through the engine's own parser (office-hours-grammar.ts), so what the editor shows is what the
// engine evaluates; saving writes the canonical forms of the same grammar (`Mon-Fri 09:00-17:00`, `12-25`, …).
// Client-safe: no database.
import { parseOfficeHours, validateOfficeHoursOption, type MinuteRange } from "../callback/office-hours-grammar";

export const DAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const DAY_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** A dated rule: `YYYY-MM-DD` or yearly `MM-DD`, with ranges as typed (`09:00-12:00,13:00-17:00`). */
export interface DatedEntry {
  date: string;
  /** "" on a holiday closes the whole day. */
  ranges: string;
}

export type HolidayOption = "_holiday" | "_bh_drop";

export interface OfficeHoursModel {
  zone: string;
  /** Monday … Sunday: that weekday's regular ranges as text ("" = closed). */
  weekly: string[];
  openings: DatedEntry[];
  holidays: Array<DatedEntry & { option: HolidayOption }>;
  effective: Array<{ from: string; to: string }>;
  /** Options the editor does not own (kept as they are on save). */
  extra: Record<string, unknown>;
}

const OWNED = /^(_timezone|_service|_bh_regular\d*|_bh_add\d*|_bh_drop\d*|_holiday\d*|_effective_dates\d*)$/;

const pad2 = (n: number) => String(n).padStart(2, "0");
export const hhmm = (min: number) => `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;

const rangesText = (ranges: readonly MinuteRange[]) => ranges.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`).join(",");

/** Blanks around `-` and `,` dropped, as the grammar reads them. */
const normaliseRanges = (text: string) => text.trim().replace(/\s*([-,])\s*/g, "$1");

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** One dated option's date and ranges, read by the engine's parser (a wrap like 19:00-07:00 written back as one). */
function datedOf(kind: "_bh_add" | "_holiday", value: string): DatedEntry {
  const cal = parseOfficeHours({ _timezone: "UTC", [`${kind}1`]: value });
  const rules = kind === "_bh_add" ? cal.adds : cal.drops;
  const [date = "", head = []] = [...rules.head.entries()][0] ?? [];
  const tail = rules.tail.get(date) ?? [];
  if (kind === "_holiday" && head.length === 1 && head[0]![0] === 0 && head[0]![1] === 1440 && tail.length === 0) {
    return { date, ranges: "" };
  }
  const wrapped = tail.length > 0 && head.length > 0 && head[head.length - 1]![1] === 1440 && tail[0]![0] === 0;
  const parts = head.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`);
  if (wrapped) parts[parts.length - 1] = `${hhmm(head[head.length - 1]![0])}-${hhmm(tail[0]![1])}`;
  // tails that do not continue the last head (a wrap beside other ranges): their own next-day range stays equivalent
  return { date, ranges: parts.join(",") };
}

/** Model of a stored option map. Throws the engine's error (naming every bad option) when the map does not parse. */
export function officeHoursModel(options: Record<string, unknown>): OfficeHoursModel {
  const cal = parseOfficeHours(options);
  const model: OfficeHoursModel = {
    zone: cal.zone,
    weekly: DAY_LABELS.map((_, i) => rangesText(cal.regular[i + 1] ?? [])),
    openings: [],
    holidays: [],
    effective: cal.effectiveDates.map((r) => ({ from: r.from, to: r.to })),
    extra: {},
  };
  for (const name of Object.keys(options).sort(byOptionNumber)) {
    const v = options[name];
    if (!OWNED.test(name)) {
      model.extra[name] = v;
      continue;
    }
    if (isBlank(v)) continue;
    if (/^_bh_add\d*$/.test(name)) model.openings.push(datedOf("_bh_add", String(v)));
    else if (/^_holiday\d*$/.test(name)) model.holidays.push({ ...datedOf("_holiday", String(v)), option: "_holiday" });
    else if (/^_bh_drop\d*$/.test(name)) model.holidays.push({ ...datedOf("_holiday", String(v)), option: "_bh_drop" });
  }
  return model;
}

/** `_bh_add2` before `_bh_add10`. */
function byOptionNumber(a: string, b: string): number {
  const [, pa = a, na = ""] = /^(.*?)(\d*)$/.exec(a) ?? [];
  const [, pb = b, nb = ""] = /^(.*?)(\d*)$/.exec(b) ?? [];
  return pa === pb ? Number(na || 0) - Number(nb || 0) : pa < pb ? -1 : 1;
}

/** `Mon-Fri`, `Mon,Wed,Fri`, `Sat-Sun` for weekday indexes 0..6. */
function dayList(days: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    runs.push(j > i ? `${DAY_ABBR[days[i]!]}-${DAY_ABBR[days[j]!]}` : DAY_ABBR[days[i]!]!);
    i = j + 1;
  }
  return runs.join(",");
}

/** Where an option came from in the editor: `zone`, `weekly.3`, `openings.0`, `holidays.2`, `effective.1`. */
export type FieldKey = string;

/** The options the model stands for, each with the editor field it comes from. */
export function officeHoursOptionList(m: OfficeHoursModel): Array<{ name: string; value: string; field: FieldKey }> {
  const out: Array<{ name: string; value: string; field: FieldKey }> = [{ name: "_timezone", value: m.zone.trim(), field: "zone" }];
  const groups = new Map<string, number[]>();
  m.weekly.forEach((text, day) => {
    const t = normaliseRanges(text);
    if (t !== "") groups.set(t, [...(groups.get(t) ?? []), day]);
  });
  let n = 0;
  for (const [text, days] of groups) {
    out.push({ name: `_bh_regular${++n}`, value: `${dayList(days)} ${text}`, field: days.map((d) => `weekly.${d}`).join(" ") });
  }
  m.openings.forEach((e, i) =>
    out.push({ name: `_bh_add${i + 1}`, value: `${e.date.trim()} ${normaliseRanges(e.ranges)}`, field: `openings.${i}` }),
  );
  const counters: Record<HolidayOption, number> = { _holiday: 0, _bh_drop: 0 };
  m.holidays.forEach((e, i) => {
    const r = normaliseRanges(e.ranges);
    out.push({ name: `${e.option}${++counters[e.option]}`, value: r ? `${e.date.trim()} ${r}` : e.date.trim(), field: `holidays.${i}` });
  });
  m.effective.forEach((e, i) => out.push({ name: `_effective_dates${i + 1}`, value: `${e.from} to ${e.to}`, field: `effective.${i}` }));
  return out;
}

/** The flat option map to store (with `_service`), the editor's options replacing every earlier one of theirs. */
export function officeHoursOptions(m: OfficeHoursModel): Record<string, unknown> {
  const out: Record<string, unknown> = { ...m.extra, _service: "office-hours" };
  for (const o of officeHoursOptionList(m)) out[o.name] = o.value;
  return out;
}

/**
 * Field errors, with the engine's own validator. Each weekday is checked alone (grouped days would blame a
 * whole group for one day's typo).
 */
export function officeHoursErrors(m: OfficeHoursModel): Record<FieldKey, string> {
  const errors: Record<FieldKey, string> = {};
  for (const o of officeHoursOptionList(m)) {
    if (o.name.startsWith("_bh_regular")) continue;
    const err = validateOfficeHoursOption(o.name, o.value);
    if (err) errors[o.field] = err;
  }
  m.weekly.forEach((text, day) => {
    const t = normaliseRanges(text);
    const err = t === "" ? null : validateOfficeHoursOption("_bh_regular", `${DAY_ABBR[day]} ${t}`);
    if (err) errors[`weekly.${day}`] = err;
  });
  return errors;
}

/**
 * Each weekday's open minute ranges as the engine reads the weekly options (a day's 19:00-07:00 opens the
 * next morning too); days whose text does not parse count as closed.
 */
export function weeklyRanges(weekly: string[]): MinuteRange[][] {
  const options: Record<string, string> = { _timezone: "UTC" };
  weekly.forEach((text, day) => {
    const t = normaliseRanges(text);
    if (t !== "" && !validateOfficeHoursOption("_bh_regular", `${DAY_ABBR[day]} ${t}`))
      options[`_bh_regular${day}`] = `${DAY_ABBR[day]} ${t}`;
  });
  return parseOfficeHours(options)
    .regular.slice(1)
    .map((r) => [...r]);
}

/** Sets minutes [from, to) of one weekday open or closed, every day rewritten in its canonical per-day form. */
export function paintWeekly(weekly: string[], cells: Array<{ day: number; from: number; to: number }>, open: boolean): string[] {
  const ranges = weeklyRanges(weekly);
  for (const { day, from, to } of cells) {
    const minutes = new Uint8Array(1440);
    for (const [s, e] of ranges[day] ?? []) minutes.fill(1, s, e);
    minutes.fill(open ? 1 : 0, from, to);
    const out: Array<[number, number]> = [];
    for (let i = 0; i < 1440;) {
      if (!minutes[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < 1440 && minutes[j]) j++;
      out.push([i, j]);
      i = j;
    }
    ranges[day] = out;
  }
  // a day whose text does not parse keeps its text (and its error) unless painted over
  const bad = officeHoursErrors({ ...EMPTY, weekly });
  return weekly.map((text, day) => (`weekly.${day}` in bad && !cells.some((c) => c.day === day) ? text : rangesText(ranges[day] ?? [])));
}

const EMPTY: OfficeHoursModel = { zone: "UTC", weekly: [], openings: [], holidays: [], effective: [], extra: {} };
