// Read models and the save verb of the Office Hours and Capacity editors. The previews are the engine's own
// evaluation (the calendar and plan the builtin helper services return), run on options that need not be stored.
import { DateTime } from "luxon";
import type { EngineCtx } from "../callback/context";
import { badParameter, CallbackError, notFound } from "../callback/errors";
import { putService } from "../callback/config-admin";
import { validateOptions } from "../callback/options";
import { parseOfficeHours } from "../callback/office-hours-grammar";
import { calendarDays } from "../callback/office-hours";
import { parseCapacityPlan } from "../callback/capacity-grammar";
import { capacityPeriods } from "../callback/capacity";
import { getStore } from "../../db/store";
import { capacityModel } from "./capacity-model";
import { officeHoursModel } from "./office-hours-model";

export type ScheduleKind = "office-hours" | "capacity";

/** The services of one kind, by name, with their stored options. */
export async function scheduleServices(kind: ScheduleKind) {
  return (await getStore().listServices()).filter((s) => s.kind === kind).map((s) => ({ name: s.name, options: s.options }));
}

function load<T>(read: () => T): { ok: true; model: T } | { ok: false; error: string } {
  try {
    return { ok: true, model: read() };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The Office Hours editor's model of a stored service, or the engine's reason it cannot be read. */
export const loadOfficeHours = (options: Record<string, unknown>) => load(() => officeHoursModel(options));
/** The Capacity editor's model of a stored service, or the engine's reason it cannot be read. */
export const loadCapacity = (options: Record<string, unknown>) => load(() => capacityModel(options));

function parseOr400<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw badParameter((e as Error).message);
  }
}

/** Monday 00:00 … next Monday 00:00 of the week holding `date`, in `zone`. */
function weekOf(date: string, zone: string) {
  const d = DateTime.fromISO(date, { zone });
  if (!d.isValid) throw badParameter(`Invalid week: '${date}'`);
  const from = d.startOf("week");
  return { from, to: from.plus({ weeks: 1 }) };
}

const dayLabel = (d: DateTime) => d.toFormat("ccc d LLL");

/** Hours in a local day and the zone abbreviations it shows (two on a DST change day). */
function dayFacts(date: string, zone: string) {
  const start = DateTime.fromISO(date, { zone }).startOf("day");
  const end = start.plus({ days: 1 });
  const abbrs = [...new Set([start.offsetNameShort, end.minus({ milliseconds: 1 }).offsetNameShort])].filter(Boolean) as string[];
  return { start, hours: Math.round(end.diff(start, "hours").hours * 100) / 100, abbrs };
}

/** Wall-clock minute of the local day of `dayStart` at instant `iso` (1440 for the next midnight). */
function wallMinute(iso: string, zone: string, dayStart: DateTime): { minute: number; label: string } {
  const t = DateTime.fromISO(iso, { zone });
  const minute = t >= dayStart.plus({ days: 1 }) ? 1440 : t.hour * 60 + t.minute;
  return { minute, label: `${t.toFormat("HH:mm")} ${t.offsetNameShort ?? ""}`.trim() };
}

/** The office-hours calendar of a week, for posted (possibly unsaved) options. */
export function officeHoursWeek(options: Record<string, unknown>, week: string) {
  const cal = parseOr400(() => parseOfficeHours(options));
  const { from, to } = weekOf(week, cal.zone);
  return {
    timezone: cal.zone,
    from: from.toISO(),
    days: calendarDays(cal, from.toMillis(), to.toMillis()).map((d) => {
      const f = dayFacts(d.date, cal.zone);
      return {
        date: d.date,
        label: dayLabel(f.start),
        hours: f.hours,
        abbrs: f.abbrs,
        closedReason: d.closedReason ?? null,
        open: d.open.map((r) => {
          const s = wallMinute(r.start, cal.zone, f.start);
          const e = wallMinute(r.end, cal.zone, f.start);
          return { start: r.start, end: r.end, fromMin: s.minute, toMin: e.minute || 1440, from: s.label, to: e.label };
        }),
      };
    }),
  };
}

/** The capacity plan of a week at the editor's cell step, for posted (possibly unsaved) options. */
export function capacityWeek(options: Record<string, unknown>, week: string) {
  const plan = parseOr400(() => parseCapacityPlan(options));
  const { step } = parseOr400(() => capacityModel(options));
  const { from, to } = weekOf(week, plan.zone);
  const periods = capacityPeriods(plan, from.toMillis(), to.toMillis()).map((p) => ({
    ...p,
    s: Date.parse(p.start),
    e: Date.parse(p.end),
  }));
  const at = (ms: number) => periods.find((p) => p.s <= ms && ms < p.e)?.capacity ?? 0;
  const days = [];
  for (let d = from; d < to; d = d.plus({ days: 1 })) {
    const f = dayFacts(d.toISODate()!, plan.zone);
    const cells: Array<number | null> = [];
    for (let m = 0; m < 1440; m += step) {
      const t = f.start.set({ hour: Math.floor(m / 60), minute: m % 60 });
      // a wall time skipped by a DST change does not exist that day
      cells.push(t.hour * 60 + t.minute === m ? at(t.toMillis()) : null);
    }
    days.push({ date: d.toISODate()!, label: dayLabel(d), hours: f.hours, abbrs: f.abbrs, cells });
  }
  return { timezone: plan.zone, step, maxCapacity: plan.maxCapacity, days };
}

/**
 * Replaces an existing office-hours or capacity service through the engine's putService. Every bad option is
 * answered as 400 with `properties.issues` ({option, message}), so the editor can show each beside its field.
 */
export async function saveSchedule(ctx: EngineCtx, kind: ScheduleKind, name: string, options: Record<string, unknown>) {
  const existing = await ctx.store.getService(name);
  if (!existing || existing.kind !== kind) throw notFound(`Service ${name} is not a configured ${kind} service`);
  const body = { ...options, _service: kind };
  const issues = validateOptions(body, kind);
  if (issues.length) {
    throw new CallbackError(
      40010,
      `Invalid service configuration for ${name}: ${issues.map((i) => `${i.option}: ${i.message}`).join("; ")}`,
      {
        properties: { issues },
      },
    );
  }
  // the grammar's cross-option checks (e.g. _timezone required) that single-option validation cannot see
  parseOr400(() => (kind === "office-hours" ? parseOfficeHours(body) : parseCapacityPlan(body)));
  return await putService(ctx, name, body);
}
