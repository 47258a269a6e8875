// The console's actions and exports: each one is the engine verb the public and admin APIs use, called with the
// signed-in user as the actor (so the timeline says who did it). Inputs arrive parsed by lib/console/action-schemas.
import { DateTime } from "luxon";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import type { EngineCtx } from "../callback/context";
import { CallbackError, badParameter, notFound } from "../callback/errors";
import { cancelCallback } from "../callback/cancel";
import { startAndHandOff } from "../callback/start";
import { updateAndHandOff } from "../callback/reschedule";
import { startBulkCancelOf, summaryResults, ADMIN_REASON, bulkSummary, type Progress } from "../callback/bulk-cancel";
import { cancelledReport, csvStream, parseReportRequest, ROWS_PER_CHUNK } from "../callback/report";
import { computeSlots, officeZone } from "../callback/availability";
import { serviceConfig } from "../callback/config";
import { addDuration } from "../callback/time";
import { RECORD_KEYS } from "../callback/record";
import { bulkOperationCounts, recentBulkOperations } from "../../db/console-ops";
import { countsInQuery, idsInQueryPaced, parseCallbacksQuery, recordsInQuery, resolveWindow } from "./callbacks";
import type { AvailabilityQuery, BulkCancelInput, CancelledReportQuery, CreateCallbackInput, RescheduleInput } from "./action-schemas";

/** Create Callback: the public Start-Callback path (an immediate one is handed over before answering). */
export async function createCallback(ctx: EngineCtx, input: CreateCallbackInput) {
  const properties = input.properties ?? {};
  for (const k of Object.keys(properties))
    if (RECORD_KEYS.has(k) || k === "_callback_state") throw badParameter(`Invalid property '${k}': it is set by its own field`);
  const body: Record<string, unknown> = { ...properties, _customer_number: withCountry(input.customerNumber, input.country) };
  if (input.desiredTime) body._desired_time = input.desiredTime;
  const r = await startAndHandOff(ctx, input.service, body);
  return { id: r.id, state: (await ctx.store.getCallback(r.id))?.state ?? r.row.state };
}

/** A national number typed with its country becomes E.164; anything else goes to the engine as typed (its rules apply). */
function withCountry(number: string, country: string | undefined): string {
  if (!country || number.startsWith("+")) return number;
  const p = parsePhoneNumberFromString(number, country.toUpperCase() as CountryCode);
  return p?.isValid() ? p.number : number;
}

/** Reschedule: the public PUT's `_new_desired_time` (SCHEDULED only, same checks and GMS errors). */
export async function rescheduleCallback(ctx: EngineCtx, id: string, input: RescheduleInput) {
  await updateAndHandOff(ctx, id, { _new_desired_time: input.desiredTime });
  return await stateOf(ctx, id);
}

/** Cancel one callback as an admin does (CANCELLED_BY_ADMIN, so the cancelled report lists it). */
export async function cancelOne(ctx: EngineCtx, id: string) {
  await cancelCallback(ctx, id, { reason: ADMIN_REASON });
  return await stateOf(ctx, id);
}

async function stateOf(ctx: EngineCtx, id: string) {
  const row = await ctx.store.getCallback(id);
  if (!row) throw new CallbackError(40030, `Callback ${id} cannot be found`);
  return { id, state: row.state, reason: row.reason, desiredTime: new Date(row.desired_time).toISOString() };
}

/** What a bulk cancel would touch, for its confirmation: count per service and how many are PROCESSING (left alone). */
export async function previewBulkCancel(ctx: EngineCtx, input: BulkCancelInput) {
  const services = new Map<string, number>();
  let processing = 0;
  let completed = 0;
  let total = 0;
  const add = (service: string, state: string, n: number) => {
    services.set(service, (services.get(service) ?? 0) + n);
    if (state === "PROCESSING") processing += n;
    if (state === "COMPLETED") completed += n;
    total += n;
  };
  if ("ids" in input) {
    for (const id of new Set(input.ids)) {
      const row = await ctx.store.getCallback(id);
      if (row) add(row.service_name, row.state, 1);
    }
  } else {
    // the whole range: one grouped count, however many callbacks it holds
    const q = parseCallbacksQuery(input.query);
    const counts = await countsInQuery(ctx.store, q, ctx.now(), input.tz ?? q.tz ?? "UTC");
    if (!Array.isArray(counts)) throw badParameter(counts.error);
    for (const c of counts) add(c.service, c.state, c.n);
  }
  return {
    total: "ids" in input ? new Set(input.ids).size : total,
    processing,
    completed,
    services: [...services].map(([service, count]) => ({ service, count })).sort((a, b) => b.count - a.count),
  };
}
export type BulkPreview = Awaited<ReturnType<typeof previewBulkCancel>>;

/**
 * Starts the admin bulk cancel in the background: answered at once; the range's callbacks are then read a page at a
 * time (the event loop stays free for other requests) and the progress kept in the operation's stored summary.
 */
export async function startConsoleBulkCancel(ctx: EngineCtx, input: BulkCancelInput) {
  if ("ids" in input) {
    const ids = [...new Set(input.ids)];
    return { operation: (await startBulkCancelOf(ctx, { ids: ids.length }, async () => ids)).operation, total: ids.length };
  }
  // a bad range or an empty one is refused before anything is stored (one grouped count, not the ids)
  const q = parseCallbacksQuery(input.query);
  const zone = input.tz ?? q.tz ?? "UTC";
  const counts = await countsInQuery(ctx.store, q, ctx.now(), zone);
  if (!Array.isArray(counts)) throw badParameter(counts.error);
  const total = counts.reduce((n, c) => n + c.n, 0);
  if (total === 0) throw badParameter("Nothing to cancel: the filter selects no callback");
  const items = idsInQueryPaced(ctx.store, q, ctx.now(), zone);
  if (typeof items !== "function") throw badParameter(items.error);
  return { operation: (await startBulkCancelOf(ctx, { filter: input.query }, items)).operation, total };
}

export type BulkProgress = Progress;

/** The stored summary without per-item results: what a progress bar polls. */
export async function bulkProgress(ctx: EngineCtx, operation: string): Promise<BulkProgress> {
  const counts = await bulkOperationCounts(ctx.store, operation);
  if (counts === undefined) throw notFound(`Bulk operation ${operation} cannot be found`);
  return JSON.parse(counts) as BulkProgress;
}

/** The latest bulk cancels (Download Reports → cancellation summaries). */
export async function recentBulkCancels(ctx: EngineCtx, limit = 5): Promise<BulkProgress[]> {
  return (await recentBulkOperations(ctx.store, limit)).map((r) => JSON.parse(r.counts) as BulkProgress);
}

/** Per-callback results of a bulk cancel as CSV (one row per callback: cancelled, skipped or failed, and why). */
export async function bulkResultsCsv(ctx: EngineCtx, operation: string): Promise<ReadableStream<Uint8Array>> {
  const results = summaryResults(await bulkSummary(ctx, operation));
  let i = 0;
  return csvStream(["_id", "status", "message"], () => {
    if (i >= results.length) return null;
    const rows = results.slice(i, i + ROWS_PER_CHUNK).map((r) => [r._id, r.status, r.message ?? ""]);
    i += ROWS_PER_CHUNK;
    return rows;
  });
}

const VIEW_COLUMNS = [
  "_id",
  "_service_name",
  "_callback_state",
  "_callback_reason",
  "_desired_time",
  "desired_time_local",
  "_customer_number",
];

/** Every row of the panel's current filter (not only the page) as CSV, read and written chunk by chunk. */
export function viewCsv(ctx: EngineCtx, params: URLSearchParams, extraColumns: string[]) {
  const q = parseCallbacksQuery(params);
  const zone = q.tz ?? "UTC";
  const now = ctx.now();
  const w = resolveWindow(q, now, zone);
  if ("error" in w) throw badParameter(w.error);
  const records = recordsInQuery(ctx.store, q, now, zone);
  const fields = [...VIEW_COLUMNS, ...extraColumns.filter((c) => !VIEW_COLUMNS.includes(c))];
  const cell = (r: Record<string, string>, k: string) =>
    k === "desired_time_local" ? (DateTime.fromISO(r._desired_time, { zone }).toISO({ suppressMilliseconds: true }) ?? "") : (r[k] ?? "");
  const stream = csvStream(fields, async () => {
    const rows: string[][] = [];
    for (let n = 0; n < ROWS_PER_CHUNK; n++) {
      const next = await records.next();
      if (next.done) break;
      rows.push(fields.map((k) => cell(next.value, k)));
    }
    return rows.length ? rows : null;
  });
  const stamp = DateTime.fromMillis(now, { zone }).toFormat("yyyyLLdd-HHmm");
  return { stream, filename: `callbacks-${q.window}-${stamp}.csv` };
}

/** The cancelled-callbacks report (the admin report), narrowed to a window of local days and a service. */
export async function cancelledCsv(ctx: EngineCtx, q: CancelledReportQuery) {
  const body = { callback_reason: q.reason, exported_properties: q.columns ?? null };
  const dayStart = (d: string) => DateTime.fromISO(d, { zone: q.tz }).startOf("day");
  const from = q.start ? dayStart(q.start).toMillis() : undefined;
  const to = q.end ? dayStart(q.end).plus({ days: 1 }).toMillis() - 1 : undefined;
  if (from !== undefined && to !== undefined && from > to) throw badParameter("The start of the range must be before its end.");
  const stream =
    (await cancelledReport(ctx, body, { from, to, service: q.service })) ??
    // nothing matches: the header alone, so a download is never an empty response
    csvStream(parseReportRequest(body).columns, () => null);
  const stamp = DateTime.fromMillis(ctx.now(), { zone: q.tz }).toFormat("yyyyLLdd-HHmm");
  return { stream, filename: `cancelled-${q.reason.toLowerCase()}-${stamp}.csv` };
}

/** Free slots of one local day (reschedule and create pickers): bookable ones only, never in the past. */
export async function daySlots(ctx: EngineCtx, q: AvailabilityQuery) {
  const cfg = await serviceConfig(ctx.store, q.service);
  const office = officeZone(cfg);
  const zone = q.tz ?? office;
  const day = DateTime.fromISO(q.date, { zone });
  if (!day.isValid) throw badParameter(`Invalid date: '${q.date}'`);
  const now = ctx.now();
  const from = Math.max(now, day.startOf("day").toMillis());
  const to = Math.min(day.startOf("day").plus({ days: 1 }).toMillis(), addDuration(now, cfg.rejectFuture) + 1);
  const slots = await computeSlots(ctx.store, cfg, { from, to });
  return {
    service: cfg.name,
    date: q.date,
    zone,
    officeZone: office,
    bucketMinutes: cfg.bucketMinutes,
    slots: slots.map((s) => ({
      start: new Date(s.start).toISOString(),
      local: DateTime.fromMillis(s.start, { zone }).toFormat("HH:mm"),
      remaining: s.remaining,
      total: s.total,
    })),
  };
}
export type DaySlots = Awaited<ReturnType<typeof daySlots>>;
