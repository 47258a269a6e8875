// Builtin helper services: the office-hours calendar, the capacity plan and the phone number parser.
import { DateTime, IANAZone } from "luxon";
import type { EngineCtx } from "./context";
import { badParameter, notFound } from "./errors";
import { calendarDays } from "./office-hours";
import { capacityPeriods } from "./capacity";
import { calendarOf, planOf } from "./config";
import { describeNumber } from "./phone";
import { parseTime } from "./time";

function window(params: URLSearchParams, zone: string, now: number): { from: number; to: number } {
  const s = params.get("start");
  const from = s ? parseTime(s, zone) : DateTime.fromMillis(now, { zone }).startOf("day").toMillis();
  if (from === null) throw badParameter(`Invalid start: '${s}'`);
  const e = params.get("end");
  const days = params.get("number-of-days");
  let to: number | null;
  if (e) to = parseTime(e, zone);
  else if (days) to = /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 366 ? from + Number(days) * 864e5 : null;
  else to = DateTime.fromMillis(from, { zone }).endOf("day").toMillis() + 1;
  if (to === null || to <= from) throw badParameter("Invalid end / number-of-days");
  if (to - from > 366 * 864e5) throw badParameter("Invalid range: at most 366 days");
  return { from, to };
}

/** GET /genesys/1/service/{name} for an office-hours or capacity service. */
export async function helperService(ctx: EngineCtx, name: string, params: URLSearchParams): Promise<unknown> {
  const s = await ctx.store.getService(name);
  if (!s || s.kind === "callback") throw notFound(`Service ${name} cannot be found`);
  const tz = params.get("timezone");
  if (tz && !IANAZone.isValidZone(tz)) throw badParameter(`Invalid timezone: '${tz}'`);
  // the same cached parse as the engine's (50005 / 50004 when misconfigured)
  if (s.kind === "office-hours") {
    const cal = await calendarOf(ctx.store, name);
    const { from, to } = window(params, tz || cal.zone, ctx.now());
    return { service: name, timezone: cal.zone, days: calendarDays(cal, from, to) };
  }
  const plan = await planOf(ctx.store, name);
  const { from, to } = window(params, tz || plan.zone, ctx.now());
  return { service: name, timezone: tz || plan.zone, periods: capacityPeriods(plan, from, to, tz || plan.zone) };
}

/** GET /genesys/1/phonenumber?number=&country= */
export function phoneNumber(params: URLSearchParams): Record<string, string | boolean> {
  const number = params.get("number");
  if (!number) throw badParameter("Missing parameter: number");
  return describeNumber(number, (params.get("country") || "US").toUpperCase());
}
