// Admin queue reads: Query-Callback by Queue(s) and the counter watermarks. The selection rules here
// (service, state set, window on `_desired_time`, `filter-keys` filters) are also what a bulk cancel by filter
// selects (lib/callback/bulk-cancel.ts), so "Cancel All Callbacks in Current Time Range" cancels what the view shows.
import type { CallbackRow, CallbackStore } from "../../db/callback-store";
import type { CallbackColumn, CallbackCondition, CallbackWhere } from "../../db/filters";
import type { EngineCtx } from "./context";
import { badParameter, invalidOperation } from "./errors";
import { callbackService, numberRulesOf, settingsOf } from "./config";
import { list, optValue } from "./options";
import { lookupForms } from "./phone";
import { pickRecord } from "./record";
import { STATES, isState, type State } from "./state";
import { IN_EXECUTION } from "./states";
import { iso, parseTime } from "./time";

const DEFAULT_BEFORE_MS = 15 * 60_000; // default window: now − 15 min …
const DEFAULT_AFTER_MS = 24 * 3600_000; // … now + 24 h
const MAX_SPAN_MS = 31 * 86_400_000; // a window may span at most 31 days
const DEFAULT_MAX = 500; // records per queue
const MAX_MAX = 10_000;
/** Outstanding callbacks: every state but COMPLETED. */
const OUTSTANDING: readonly State[] = STATES.filter((s) => s !== "COMPLETED");

export interface Selection {
  services: string[];
  states: State[];
  from: number;
  to: number;
  /** Extra conditions from `filter-keys` params. */
  where: CallbackWhere;
}

/** Raw selection input, as query params (queues) or a JSON filter (bulk cancel) give it. */
export interface SelectionInput {
  target?: unknown;
  states?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  /** Extra filter params: key → values (each key must be listed in the `filter-keys` setting). */
  filters?: Array<[string, string[]]>;
}

const FILTER_COLUMNS: Record<string, CallbackColumn> = {
  _id: "id",
  _service_name: "service_name",
  _customer_number: "customer_number",
  _callback_reason: "reason",
  _ors_session_id: "ors_session_id",
};

const stringList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === "string" || typeof x === "number" ? list(String(x)) : []));

/** `states` (comma list or array) → states; an unknown one is a bad filter (40020), as in Query by properties. */
function parseStates(raw: unknown, param = "states"): State[] | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (!(typeof raw === "string" || Array.isArray(raw))) throw invalidOperation(`Cannot process 'filter' parameter correctly : ${param}`);
  const out: State[] = [];
  for (const s of stringList(raw)) {
    const up = s.toUpperCase();
    if (!isState(up)) throw invalidOperation(`Cannot process 'filter' parameter correctly : ${param}=${s}`);
    if (!out.includes(up)) out.push(up);
  }
  if (out.length === 0) throw invalidOperation(`Cannot process 'filter' parameter correctly : ${param}`);
  return out;
}

/**
 * The `_desired_time` window, both ends inclusive. Defaults: start = now − 15 min; end = 24 h after
 * max(now, start) (GMS: "requests that are due in the next 24 hours"), which is now + 24 h by default.
 * Wider than 31 days → 40020 `Query range spans too wide time range (<requested span in seconds> /
 * <maximum span in seconds>)`, e.g. `(2764800 / 2678400)` for 32 days.
 */
function parseWindow(start: unknown, end: unknown, now: number): { from: number; to: number } {
  const at = (v: unknown, name: string): number | undefined => {
    if (v === undefined || v === null || v === "") return undefined;
    const t = parseTime(v);
    if (t === null) throw badParameter(`Invalid ${name}: '${String(v)}'. Expected ISO 8601 such as 2026-05-28T15:30:00.000Z`);
    return t;
  };
  const from = at(start, "start_time") ?? now - DEFAULT_BEFORE_MS;
  const to = at(end, "end_time") ?? Math.max(now, from) + DEFAULT_AFTER_MS;
  if (to < from) throw badParameter(`Invalid time range: end_time ${iso(to)} is before start_time ${iso(from)}`);
  if (to - from > MAX_SPAN_MS)
    throw invalidOperation(
      `Query range spans too wide time range (${Math.ceil((to - from) / 1000)} / ${MAX_SPAN_MS / 1000}). Adjust query parameters for ` +
        `time range.`,
    );
  return { from, to };
}

/** Builds the selection: unknown target → 404 40030; filter params only from `filter-keys` (else 40020). */
export async function resolveSelection(ctx: EngineCtx, input: SelectionInput): Promise<Selection> {
  const store = ctx.store;
  const settings = await settingsOf(store);
  let services: string[];
  if (input.target !== undefined && input.target !== null && input.target !== "") {
    if (typeof input.target !== "string") throw badParameter("Invalid target: expected a callback service name");
    services = [(await callbackService(store, input.target)).name];
  } else services = await callbackServiceNames(store);
  let states = parseStates(input.states);
  const { from, to } = parseWindow(input.start_time, input.end_time, ctx.now());
  const filterKeys = list(optValue("filter-keys", settings));
  // a number filter matches each searched service's stored form of it (E.164 under that service's rules); the
  // callbacks of a deleted service still match the number as given
  const numberRules = async () =>
    (await Promise.all(services.map((name) => store.getService(name)))).flatMap((s) =>
      s?.kind === "callback" ? [numberRulesOf(s.options, settings)] : [],
    );
  const conds: CallbackCondition[] = [];
  for (const [key, values] of input.filters ?? []) {
    if (!filterKeys.includes(key)) throw invalidOperation(`Cannot process 'filter' parameter correctly : ${key}`);
    if (values.length === 0) continue;
    if (key === "_callback_state") {
      // `_callback_state=QUEUED` (or `!QUEUED`) narrows the state set like `states` does
      const neg = values.every((v) => v.startsWith("!"));
      const named = parseStates(
        values.map((v) => v.replace(/^!/, "")),
        `${key}`,
      )!;
      const base = states ?? (neg ? OUTSTANDING : STATES);
      states = base.filter((s) => (neg ? !named.includes(s) : named.includes(s)));
      continue;
    }
    let vals = values;
    if (key === "_customer_number") {
      const rules = await numberRules();
      vals = [...new Set(values.flatMap((v) => lookupForms(v, rules)))];
    }
    conds.push({ field: FILTER_COLUMNS[key] ?? { prop: key }, op: "in", values: vals });
  }
  return { services, states: states ?? [...OUTSTANDING], from, to, where: { all: conds } };
}

/** Names of the callback services, sorted. */
export async function callbackServiceNames(store: CallbackStore): Promise<string[]> {
  return (await store.listServices()).filter((s) => s.kind === "callback").map((s) => s.name);
}

type Paged = CallbackRow & { rowid: number };
const byTime = (a: Paged, b: Paged) => a.desired_time - b.desired_time || a.rowid - b.rowid;

/** Up to `max` selected callbacks of one service, by desired time: at most `max` index entries read per state. */
async function queueOf(store: CallbackStore, sel: Selection, service: string, max: number): Promise<CallbackRow[]> {
  const rows: Paged[] = [];
  for (const state of sel.states)
    rows.push(...(await store.callbackPage({ service, state, from: sel.from, to: sel.to, limit: max, where: sel.where })));
  return rows.sort(byTime).slice(0, max);
}

const RESERVED = new Set(["target", "start_time", "end_time", "states", "max"]);

/**
 * GET /genesys/1/admin/callback/queues — `{ "<service>": [records…] }` for every selected callback service
 * (a service with nothing outstanding in the window answers `[]`). Records carry the always-returned keys plus
 * the `returned-keys` setting.
 */
export async function queryQueues(ctx: EngineCtx, params: URLSearchParams): Promise<Record<string, Record<string, string>[]>> {
  const filters = new Map<string, string[]>();
  for (const [k, v] of params) if (!RESERVED.has(k)) filters.set(k, [...(filters.get(k) ?? []), v]);
  const sel = await resolveSelection(ctx, {
    target: params.get("target") ?? undefined,
    states: params.getAll("states").join(",") || undefined,
    start_time: params.get("start_time") ?? undefined,
    end_time: params.get("end_time") ?? undefined,
    filters: [...filters],
  });
  let max = DEFAULT_MAX;
  const rawMax = params.get("max");
  if (rawMax !== null && rawMax !== "") {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > MAX_MAX)
      throw badParameter(`Invalid max: '${rawMax}'. Expected an integer from 1 to ${MAX_MAX}`);
  }
  const returned = list(optValue("returned-keys", await settingsOf(ctx.store)));
  const out: Record<string, Record<string, string>[]> = {};
  for (const service of sel.services) out[service] = (await queueOf(ctx.store, sel, service, max)).map((r) => pickRecord(r, returned));
  return out;
}

/** States counted by the watermarks: in execution (neither SCHEDULED nor COMPLETED). */
const EXECUTION_STATES = [...IN_EXECUTION];

/**
 * GET /genesys/1/admin/callback/watermarks — callbacks in execution per service. Every callback service is
 * listed (idle ones with 0), or only the requested ones (`service_name`, repeated or comma-separated; an
 * unknown name → 404 40030). `total` sums the listed services.
 */
export async function queryWatermarks(ctx: EngineCtx, requested: string[]): Promise<{ total: number; services: Record<string, number> }> {
  const names = requested.flatMap((n) => list(n));
  const services = names.length
    ? await Promise.all([...new Set(names)].map(async (n) => (await callbackService(ctx.store, n)).name))
    : await callbackServiceNames(ctx.store);
  const out: Record<string, number> = {};
  let total = 0;
  for (const s of services) {
    let n = 0;
    for (const st of EXECUTION_STATES) n += await ctx.store.countInState(s, st); // index range counts, O(in-execution rows)
    out[s] = n;
    total += n;
  }
  return { total, services: out };
}
