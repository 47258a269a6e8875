// Resolved, typed configuration of a callback service: its options (with request overrides and $token$s),
// global settings as fallbacks, and the calendar and capacity plan it references. Parsed calendars and plans
// are cached per service version, so a change takes effect immediately and costs nothing otherwise.
import type { CallbackStore, ServiceRow, CallbackRow } from "../../db/callback-store";
import { CallbackError, notFound } from "./errors";
import { OPTION_DEFS, list, optValue, optText, parseDuration } from "./options";
import { fillUrlTemplate } from "./url-policy";
import { parseOfficeHours, type OfficeHours } from "./office-hours-grammar";
import { parseCapacityPlan, type CapacityPlan } from "./capacity-grammar";
import { capacityLookup } from "./capacity";
import { bucketMs } from "./buckets";
import type { NumberRules } from "./phone";
import type { Duration } from "./time";

export interface CallbackConfig {
  name: string;
  options: Record<string, unknown>;
  settings: Record<string, unknown>;
  type: "builtin" | "ors";
  bucketMinutes: number;
  bucketMs: number;
  maxPerBucket: number;
  bufferMs: number;
  ttlMs: number;
  rejectPastMs: number;
  rejectFuture: Duration;
  lookupKeys: string[];
  mandatoryKeys: string[];
  numberRules: NumberRules;
  exceptions: string[];
  inQueue: "true" | "strict" | "false";
  maxQueued: number | undefined;
  throttles: Array<{ n: number; ttl: number }>;
  paramKeys: string[];
  paramLimit: number;
  maxSubmitAttempts: number;
  overwritable: string[];
  redirect: string;
  queueTimeStat: string;
  /** `_enable_status_notification`; the target is a callback's own (execOptions), fixed at its start. */
  notify: { enabled: boolean };
  /** The service's URL options as the admin configured them (no request overrides): the outbound policy allows them. */
  adminUrls: string[];
  paused: boolean;
  calendar?: OfficeHours;
  capacityPlan?: CapacityPlan;
  /** Capacity of the bucket starting at ms. */
  capacityAt: (bucketStart: number) => number;
  returnedKeys: string[];
  filterKeys: string[];
}

// Keyed on the options' content, not only on updated_at: two versions written in the same millisecond (or a
// service deleted and re-created, or another database) must never share a cached calendar or plan.
/** Parses a referenced office-hours or capacity service once per version of its options (50005 / 50004 when bad). */
async function parsedService<T>(
  cache: Map<string, { v: string; value: T }>,
  store: CallbackStore,
  name: string,
  kind: string,
  label: string,
  code: 50004 | 50005,
  parse: (options: Record<string, unknown>) => T,
): Promise<T> {
  const s = await store.getService(name);
  if (!s || s.kind !== kind) throw new CallbackError(code, `${label} service ${name} cannot be found`);
  const v = JSON.stringify(s.options);
  const hit = cache.get(name);
  if (hit && hit.v === v) return hit.value;
  try {
    const value = parse(s.options);
    cache.set(name, { v, value });
    return value;
  } catch (e) {
    throw new CallbackError(code, `${label} service ${name} is misconfigured: ${(e as Error).message}`);
  }
}

const calendars = new Map<string, { v: string; value: OfficeHours }>();
const plans = new Map<string, { v: string; value: CapacityPlan }>();
export const calendarOf = async (store: CallbackStore, name: string) =>
  await parsedService(calendars, store, name, "office-hours", "Office-hours", 50005, parseOfficeHours);
export const planOf = async (store: CallbackStore, name: string) =>
  await parsedService(plans, store, name, "capacity", "Capacity", 50004, parseCapacityPlan);

export async function settingsOf(store: CallbackStore): Promise<Record<string, unknown>> {
  return (await store.getSettings("callback")) ?? {};
}

/** The callback service or 404 40030. */
export async function callbackService(store: CallbackStore, name: string): Promise<ServiceRow> {
  const s = await store.getService(name);
  if (!s || s.kind !== "callback") throw notFound(`Service ${name} cannot be found`);
  return s;
}

/** Options whose value is a URL the server calls (hand-off, cancel, notifications). */
const URL_OPTIONS: readonly string[] = OPTION_DEFS.filter((d) => d.type === "url" && d.scopes.includes("callback")).map((d) => d.name);

/**
 * Applies `_overwritable_options` from a request body and resolves `$name$` tokens from its params.
 * In URL options a token may only fill the path or query (400 40010 otherwise).
 */
export function effectiveOptions(options: Record<string, unknown>, body?: Record<string, unknown>): Record<string, unknown> {
  if (!body) return options;
  let out: Record<string, unknown> | null = null; // copied only when something changes: callers compare identity
  // "" (or the literal `""` of the seed's `?_redirect=""`) overrides too: it unsets the option for this request
  for (const k of list(options._overwritable_options))
    if (body[k] !== undefined && body[k] !== null) (out ??= { ...options })[k] = body[k] === '""' ? "" : body[k];
  const param = (name: string) => (body[name] !== undefined ? String(body[name]) : undefined);
  for (const [k, v] of Object.entries(out ?? options)) {
    if (typeof v === "string" && v.includes("$")) {
      const r = URL_OPTIONS.includes(k)
        ? fillUrlTemplate(k, v, param)
        : v.replace(/\$([A-Za-z0-9_.-]+)\$/g, (m, name: string) => param(name) ?? m);
      if (r !== v) (out ??= { ...options })[k] = r;
    }
  }
  return out ?? options;
}

/** What a callback keeps of `effective` options: the ones that differ from its service's stored options. */
export function execOverrides(effective: Record<string, unknown>, stored: Record<string, unknown>): string | null {
  if (effective === stored) return null;
  const diff: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(effective)) if (v !== stored[k]) diff[k] = v;
  return Object.keys(diff).length ? JSON.stringify(diff) : null;
}

/** The options a callback is executed with: its service's, with the overrides fixed at its start. */
export function execOptions(row: Pick<CallbackRow, "exec_options">, cfg: CallbackConfig): Record<string, unknown> {
  return row.exec_options ? { ...cfg.options, ...(JSON.parse(row.exec_options) as Record<string, unknown>) } : cfg.options;
}

/** The URL options of a service's stored options: what the admin configured literally. */
export const adminUrlsOf = (stored: Record<string, unknown>): string[] => URL_OPTIONS.map((k) => optText(stored, k)).filter(Boolean);

/** A service's phone number rules; global settings as fallbacks. */
export function numberRulesOf(options: Record<string, unknown>, settings: Record<string, unknown>): NumberRules {
  const v = (k: string) => optValue(k, options, settings);
  return {
    fixPlus: v("_fix_plus_on_int_phone_numbers") === true,
    disallowImpossible: v("_disallow_impossible_phone_numbers") === true,
    disallowPremium: v("_disallow_premium_phone_numbers") === true,
    defaultCountry: String(v("_default_country") || "US").toUpperCase(),
  };
}

/** `stored`: the service's own options when `options` carry a request's overrides. */
export async function resolveConfig(
  store: CallbackStore,
  name: string,
  options: Record<string, unknown>,
  given?: Record<string, unknown>,
  stored = options,
): Promise<CallbackConfig> {
  const settings = given ?? (await settingsOf(store));
  const v = (k: string) => optValue(k, options, settings);
  const n = (k: string) => Number(v(k));
  const bucketMinutes = n("_request_time_bucket");
  const maxPerBucket = n("_max_request_by_time_bucket");
  const calName = optText(options, "_business_hours_service");
  const capName = optText(options, "_capacity_service");
  // a `$token$` reference is resolved per request (effectiveOptions); the stored config has none
  const calendar = calName && !calName.includes("$") ? await calendarOf(store, calName) : undefined;
  const capacityPlan = capName && !capName.includes("$") ? await planOf(store, capName) : undefined;
  const maxQueuedRaw = optValue("_max_queued_callbacks_per_service", options) ?? optValue("max_queued_callbacks_per_service", settings);
  return {
    name,
    options,
    settings,
    type: v("_type") === "ors" ? "ors" : "builtin",
    bucketMinutes,
    bucketMs: bucketMs(bucketMinutes),
    maxPerBucket,
    bufferMs: n("_request_execution_time_buffer") * 1000,
    ttlMs: n("_ttl") * 1000,
    rejectPastMs: n("_reject_past_desired_time") * 1000,
    rejectFuture: parseDuration(String(v("_reject_future_desired_time"))) ?? { amount: 1, unit: "M" },
    lookupKeys: list(v("_customer_lookup_keys")),
    mandatoryKeys: list(v("_mandatory_customer_lookup_keys")),
    numberRules: numberRulesOf(options, settings),
    exceptions: list(options._exceptions),
    inQueue: String(v("_enable_in_queue_checking")) as "true" | "strict" | "false",
    maxQueued: maxQueuedRaw === undefined ? undefined : Number(maxQueuedRaw),
    throttles: [
      { n: n("_throttle_callbacks_per_service_1"), ttl: n("_throttle_ttl_1") },
      { n: n("_throttle_callbacks_per_service_2"), ttl: n("_throttle_ttl_2") },
    ],
    paramKeys: list(v("_throttle_request_parameters")),
    paramLimit: n("_throttle_request_parameters_limit"),
    maxSubmitAttempts: n("_max_ors_submit_attempts"),
    overwritable: list(options._overwritable_options),
    redirect: optText(options, "_redirect"),
    queueTimeStat: optText(options, "_request_queue_time_stat"),
    notify: { enabled: v("_enable_status_notification") === true },
    adminUrls: adminUrlsOf(stored),
    paused: v("_paused") === true,
    calendar,
    capacityPlan,
    capacityAt: capacityPlan ? capacityLookup(capacityPlan) : () => maxPerBucket,
    returnedKeys: list(optValue("returned-keys", settings)),
    filterKeys: list(optValue("filter-keys", settings)),
  };
}

// Versions are the stored option texts, not updated_at: two writes in the same millisecond (or a service
// re-created, or another database) must never be served a stale config ("Changes Take Effect: Immediately").
const resolved = new Map<string, { v: string; sv: string; refs: string; cfg: CallbackConfig }>();

/** Versions of the services a config depends on (itself is checked separately): calendar and capacity plan. */
async function refVersions(store: CallbackStore, cfg: CallbackConfig): Promise<string> {
  const names = [optText(cfg.options, "_business_hours_service"), optText(cfg.options, "_capacity_service")];
  const texts = await Promise.all(names.map(async (n) => (n ? ((await store.serviceOptionsText(n)) ?? "-") : "")));
  return texts.join("\u0000");
}

/**
 * The resolved config of a stored callback service (no request overrides), cached until the service, the
 * settings or a referenced calendar/plan changes (checked with three indexed reads of their option texts).
 */
export async function serviceConfig(store: CallbackStore, name: string): Promise<CallbackConfig> {
  const v = await store.serviceOptionsText(name, "callback");
  if (v === undefined) throw notFound(`Service ${name} cannot be found`);
  const sv = (await store.settingsText("callback")) ?? "";
  const hit = resolved.get(name);
  if (hit && hit.v === v && hit.sv === sv && hit.refs === (await refVersions(store, hit.cfg))) return hit.cfg;
  const cfg = await resolveConfig(store, name, (await callbackService(store, name)).options);
  resolved.set(name, { v, sv, refs: await refVersions(store, cfg), cfg });
  return cfg;
}

/** The number rules of every callback service (a lookup across services matches a number the way each stores it). */
export async function allNumberRules(store: CallbackStore): Promise<NumberRules[]> {
  const settings = await settingsOf(store);
  const out = new Map<string, NumberRules>();
  for (const s of await store.listServices()) {
    if (s.kind !== "callback") continue;
    const r = numberRulesOf(s.options, settings);
    out.set(JSON.stringify(r), r);
  }
  return [...out.values()];
}
