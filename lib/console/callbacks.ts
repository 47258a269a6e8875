// Read model of the console's Callbacks panel: the URL's search parameters → a validated filter → one page of
// 250 with the exact count. Filters live in the URL, so this is also what makes a view shareable.
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { getStore } from "../../db/store";
import type { CallbackStore } from "../../db/callback-store";
import {
  searchCallbackPage,
  iterateCallbacks,
  iterateCallbackIds,
  countByServiceAndState,
  callbackTimeline,
  SORT_COLUMNS,
  type CallbackSearch,
} from "../../db/console-queries";
import { STATES } from "../callback/states";
import { toRecord } from "../callback/record";
import { now } from "../clock";
import { serviceConfig } from "../callback/config";
import { officeZone } from "../callback/availability";
import { callbackServiceNames } from "../callback/admin-queues";
import { WINDOWS, RANGE_MESSAGES, type WindowPreset } from "./callbacks-params";

export { WINDOWS, RANGE_MESSAGES };

export const PAGE_SIZE = 250;

const list = (v: unknown) =>
  (typeof v === "string" ? v.split(",") : Array.isArray(v) ? v.map(String) : []).map((s) => s.trim()).filter(Boolean);

/** The panel's URL parameters (unknown values fall back to defaults rather than failing the page). */
export const CallbacksQuery = z.object({
  window: z.enum(Object.keys(WINDOWS) as [WindowPreset, ...WindowPreset[]]).catch("today"),
  from: z.string().optional().catch(undefined),
  to: z.string().optional().catch(undefined),
  state: z.preprocess(list, z.array(z.enum(STATES))).catch([]),
  service: z.preprocess(list, z.array(z.string().max(200)).max(100)).catch([]),
  number: z.string().max(64).optional().catch(undefined),
  /** extra property keys shown as columns */
  keys: z.preprocess(list, z.array(z.string().max(100)).max(20)).catch([]),
  sort: z.enum(Object.keys(SORT_COLUMNS) as [keyof typeof SORT_COLUMNS, ...Array<keyof typeof SORT_COLUMNS>]).catch("desired"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  tz: z
    .string()
    .refine((s) => IANAZone.isValidZone(s))
    .optional()
    .catch(undefined),
});
export type CallbacksQuery = z.infer<typeof CallbacksQuery>;

/** Next.js `searchParams` or URLSearchParams → the query (repeated keys join with commas). */
export function parseCallbacksQuery(params: URLSearchParams | Record<string, string | string[] | undefined>): CallbacksQuery {
  const flat: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) if (v !== undefined) flat[k] = flat[k] ? `${flat[k]},${String(v)}` : String(v);
  return CallbacksQuery.parse(flat);
}

/** The desired-time window [from, to) of a query in its display zone, or the reason it is invalid. */
export function resolveWindow(q: CallbacksQuery, now: number, zone: string): { from: number; to: number } | { error: string } {
  const H = 3_600_000;
  const D = 24 * H;
  switch (q.window) {
    case "last24h":
      return { from: now - D, to: now };
    case "last7d":
      return { from: now - 7 * D, to: now };
    case "last30d":
      return { from: now - 30 * D, to: now };
    case "next24h":
      return { from: now, to: now + D };
    case "next7d":
      return { from: now, to: now + 7 * D };
    case "next30d":
      return { from: now, to: now + 30 * D };
    case "today": {
      const start = DateTime.fromMillis(now, { zone }).startOf("day");
      return { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
    }
    case "custom": {
      if (!q.from || !q.to) return { error: RANGE_MESSAGES.missing };
      // datetime-local values (no offset) are read in the display zone
      const from = DateTime.fromISO(q.from, { zone });
      const to = DateTime.fromISO(q.to, { zone });
      if (!from.isValid || !to.isValid) return { error: RANGE_MESSAGES.missing };
      if (from >= to) return { error: RANGE_MESSAGES.order };
      if (to > from.plus({ months: 1 })) return { error: RANGE_MESSAGES.tooLong };
      return { from: from.toMillis(), to: to.toMillis() };
    }
  }
}

export interface ConsoleCallback {
  id: string;
  service: string;
  state: string;
  reason: string | null;
  /** ISO UTC */
  desiredTime: string;
  number: string | null;
  extras: Record<string, string>;
}

function searchOf(q: CallbacksQuery, w: { from: number; to: number }): Omit<CallbackSearch, "sort" | "dir" | "limit" | "offset"> {
  const digits = q.number?.replace(/\D/g, "");
  return { from: w.from, to: w.to, states: q.state, services: q.service, numberDigits: digits || undefined };
}

/** One page of the panel (server-rendered, and refreshed live through the console API). */
export async function callbacksPage(
  store: CallbackStore,
  q: CallbacksQuery,
  now: number,
  zone: string,
  extraKeys: readonly string[] = q.keys,
) {
  const w = resolveWindow(q, now, zone);
  if ("error" in w) return { error: w.error, total: 0, page: 1, pageCount: 0, pageSize: PAGE_SIZE, rows: [] as ConsoleCallback[] };
  const { total, rows } = await searchCallbackPage(store, {
    ...searchOf(q, w),
    sort: q.sort,
    dir: q.dir,
    limit: PAGE_SIZE,
    offset: (q.page - 1) * PAGE_SIZE,
  });
  return {
    error: null,
    window: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() },
    total,
    page: q.page,
    pageCount: Math.ceil(total / PAGE_SIZE),
    pageSize: PAGE_SIZE,
    rows: rows.map((r): ConsoleCallback => {
      const props = JSON.parse(r.props) as Record<string, string>;
      const extras: Record<string, string> = {};
      for (const k of extraKeys) if (props[k] !== undefined) extras[k] = props[k];
      return {
        id: r.id,
        service: r.service_name,
        state: r.state,
        reason: r.reason,
        desiredTime: new Date(r.desired_time).toISOString(),
        number: r.customer_number,
        extras,
      };
    }),
  };
}
export type CallbacksPage = Awaited<ReturnType<typeof callbacksPage>>;

/**
 * The ids of `idsInQuery` read after the call returns, a keyset page at a time with the event loop free between
 * pages: "cancel all in range" of 100,000 callbacks must not hold up other requests. The window is fixed now.
 */
export function idsInQueryPaced(
  store: CallbackStore,
  q: CallbacksQuery,
  now: number,
  zone: string,
): { error: string } | (() => Promise<string[]>) {
  const w = resolveWindow(q, now, zone);
  if ("error" in w) return w;
  const search = searchOf(q, w);
  return async () => {
    const out: string[] = [];
    // each page is read whole (no statement stays open), so other requests may use the database in between
    for await (const r of iterateCallbackIds(store, search)) if (out.push(r.id) % 5000 === 0) await new Promise((go) => setImmediate(go));
    return out;
  };
}

/** How many callbacks the query selects, per service and state. */
export async function countsInQuery(store: CallbackStore, q: CallbacksQuery, now: number, zone: string) {
  const w = resolveWindow(q, now, zone);
  if ("error" in w) return w;
  return await countByServiceAndState(store, searchOf(q, w));
}

/** Every record the query selects, for the CSV of the current view (streamed by the caller). */
export async function* recordsInQuery(
  store: CallbackStore,
  q: CallbacksQuery,
  now: number,
  zone: string,
): AsyncGenerator<Record<string, string>> {
  const w = resolveWindow(q, now, zone);
  if ("error" in w) return;
  for await (const r of iterateCallbacks(store, searchOf(q, w))) yield toRecord(r, false);
}

/** The drawer: every property, and the timeline of events. */
export async function callbackDetail(store: CallbackStore, id: string) {
  const row = await store.getCallback(id);
  if (!row) return null;
  return {
    record: toRecord(row, false),
    events: (await callbackTimeline(store, id)).map((e) => ({
      id: e.id,
      time: new Date(e.time).toISOString(),
      type: e.type,
      state: e.state,
      reason: e.reason,
      actor: e.actor,
      details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null,
    })),
  };
}

/**
 * The office zone of a callback service (its calendar's, else its capacity plan's, else UTC); UTC too when the
 * service is gone or a referenced service is misconfigured: the drawer must still open.
 */
export async function officeZoneOf(store: CallbackStore, service: string): Promise<string> {
  try {
    return officeZone(await serviceConfig(store, service));
  } catch {
    return "UTC";
  }
}

// The process-wide store at the current time: what pages and console routes read.
export const callbacksNow = async (q: CallbacksQuery, zone: string) => await callbacksPage(getStore(), q, now(), zone);
export const configuredCallbackServices = async () => await callbackServiceNames(getStore());

/** The drawer's read: the callback, its timeline and its service's office zone; null when unknown. */
export async function callbackDrawer(id: string) {
  const store = getStore();
  const detail = await callbackDetail(store, id);
  return detail && { ...detail, officeZone: await officeZoneOf(store, detail.record._service_name ?? "") };
}
export type CallbackDrawer = NonNullable<Awaited<ReturnType<typeof callbackDrawer>>>;
