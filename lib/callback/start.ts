// Start-Callback: validate in GMS order, then capacity + duplicates + limits + insert in ONE
// `BEGIN IMMEDIATE` transaction, then hand immediate callbacks to execution.
import { randomUUID } from "node:crypto";
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "./context";
import { CallbackError, EXC, badParameter } from "./errors";
import { serviceConfig, effectiveOptions, execOverrides, resolveConfig, type CallbackConfig } from "./config";
import { checkCustomerNumber } from "./phone";
import { matchingPatterns } from "./patterns";
import { officeStatusAt } from "./office-hours";
import { floorBucket } from "./buckets";
import { bucketFullError, proposeSlots } from "./availability";
import { RECORD_KEYS, TYPED_NUMBER, propText, toRecord } from "./record";
import { parseTime, iso, addDuration } from "./time";
import { isState, dueAtFor, HANDOFF_LEASE_MS } from "./state";
import { ewtForNewRequest } from "./ewt";
import { isUnset, optText } from "./options";
import { targetRefusal } from "./url-policy";

/** Keys of a start body that are parameters, not properties to store. */
const CONTROL_KEYS = new Set(["_callback_state", "_id"]);
/** Not copied from a COMPLETED callback on redial. */
const NOT_COPIED = new Set([
  "_callback_state",
  "_callback_reason",
  "_ors_session_id",
  "_desired_time",
  "desired_time",
  "_id",
  "_url",
  "url",
  "_time_scheduled",
  "_expiration_time",
  "_service_name",
]);

export interface StartResult {
  id: string;
  immediate: boolean;
  external: boolean;
  row: CallbackRow;
  config: CallbackConfig;
}

const newId = () => randomUUID();

/** Reports a rejected request; also used by the HTTP edge for unreadable bodies. */
export async function recordRejection(ctx: EngineCtx, service: string, e: unknown): Promise<void> {
  if (!(e instanceof CallbackError)) return;
  try {
    await ctx.store.insertEvent({
      time: ctx.now(),
      serviceName: service,
      type: "rejected",
      actor: ctx.actor,
      details: { code: e.code, message: e.message },
    });
  } catch {
    /* reporting must never mask the client's error */
  }
}

/**
 * Validates and stores a new callback. Throws CallbackError (and reports a rejected event) on any failure. The write
 * joins the store's group commit: requests arriving together share one transaction, each in its own savepoint.
 */
export async function startCallback(ctx: EngineCtx, serviceName: string, input: Record<string, unknown>): Promise<StartResult> {
  try {
    const p = await prepareStart(ctx, serviceName, input, false);
    try {
      await ctx.store.tx(p.write);
    } catch (e) {
      await p.fail(e);
    }
    return p.result;
  } catch (e) {
    await recordRejection(ctx, serviceName, e);
    throw e;
  }
}

/** Start-Callback's whole request path (public API, console, demo): store the callback, then hand an immediate one over. */
export async function startAndHandOff(ctx: EngineCtx, service: string, body: Record<string, unknown>): Promise<StartResult> {
  const r = await startCallback(ctx, service, body);
  if (r.immediate && !r.external) await ctx.execution.handOffNow(ctx, r.id, r.config);
  return r;
}

/** A validated request: `write` runs steps 7-9 and the insert inside a write transaction. */
interface Prepared {
  write: () => Promise<void>;
  /** Maps a failure of `write` to the client's error (a full bucket gets its proposals). */
  fail: (e: unknown) => Promise<never>;
  result: StartResult;
}

async function prepareStart(ctx: EngineCtx, serviceName: string, input: Record<string, unknown>, redirected: boolean): Promise<Prepared> {
  // 1. service
  const base = await serviceConfig(ctx.store, serviceName); // cached per service version
  // redial: copy a COMPLETED callback's properties, then merge the new body over them
  let body = input;
  if (!isUnset(input._id)) {
    const srcId = propText(input._id);
    const src = await ctx.store.getCallback(srcId);
    if (!src || src.state !== "COMPLETED") throw new CallbackError(40030, `Callback ${srcId} to copy from cannot be found`);
    const copied: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(toRecord(src, false))) if (!NOT_COPIED.has(k)) copied[k] = v;
    body = { ...copied, ...input };
    delete body._id;
  }
  // 3. overwritable options and $token$s (before _redirect, which may itself be overwritable)
  const options = effectiveOptions(base.options, body);
  for (const ref of ["_redirect", "_business_hours_service", "_capacity_service"]) {
    const token = typeof options[ref] === "string" ? /\$([A-Za-z0-9_.-]+)\$/.exec(options[ref] as string) : null;
    if (token) throw badParameter(`Missing parameter '${token[1]}' (used by option ${ref})`);
  }
  if (!redirected && options._redirect) {
    const target = String(options._redirect);
    // a redirect to a service that does not exist (from a request override or a $token$) is bad input
    if (target !== serviceName && (await ctx.store.getService(target))?.kind !== "callback")
      throw badParameter(`Invalid _redirect: callback service ${target} cannot be found`);
    if (target !== serviceName) {
      const redirectError = (e: unknown): never => {
        if (e instanceof CallbackError && e.code < 50000 && e.code !== 40030) throw e;
        throw new CallbackError(50040, e instanceof CallbackError ? e.message : `Redirect to ${target} failed`);
      };
      let p: Prepared;
      try {
        p = await prepareStart(ctx, target, body, true);
      } catch (e) {
        return redirectError(e);
      }
      return {
        ...p,
        fail: async (e) => {
          try {
            return await p.fail(e);
          } catch (mapped) {
            return redirectError(mapped);
          }
        },
      };
    }
  }
  const cfg = options === base.options ? base : await resolveConfig(ctx.store, serviceName, options, undefined, base.options);
  checkRequestUrls(cfg, base.options);
  const now = ctx.now();
  // 2. mandatory lookup keys
  for (const k of cfg.mandatoryKeys) if (isUnset(body[k])) throw badParameter(`Missing mandatory parameter: ${k}`);
  for (const [k, v] of Object.entries(body))
    if (v !== null && typeof v === "object" && !Array.isArray(v) && k.startsWith("_") && RECORD_KEYS.has(k))
      throw badParameter(`Invalid value for ${k}: expected a string`);
  // 4. customer number: fixing, impossible / premium numbers, exception patterns
  let number: string | null = null;
  if (!isUnset(body._customer_number)) {
    const raw = body._customer_number;
    if (typeof raw !== "string" && typeof raw !== "number") throw badParameter("Invalid value for _customer_number: expected a string");
    if (String(raw).length > 64) throw badParameter("Invalid value for _customer_number: longer than 64 characters");
    number = checkCustomerNumber(String(raw), cfg.numberRules);
    await checkExceptions(ctx, cfg.exceptions, String(raw), number);
  }
  // 5. desired time window
  const hasDesired = !isUnset(body._desired_time);
  let desired = now;
  if (hasDesired) {
    const t = parseTime(body._desired_time);
    if (t === null)
      throw badParameter(`Invalid _desired_time: '${propText(body._desired_time)}'. Expected ISO 8601 such as 2026-05-28T15:30:00.000Z`);
    desired = checkDesiredWindow(cfg, t, now);
  }
  // 6. office hours at the desired time (or now)
  await checkOfficeOpen(ctx, cfg, desired, now);
  // immediate vs scheduled (EWT only when a queue-time statistic is configured)
  const ewtMs = cfg.queueTimeStat ? (await ewtForNewRequest(ctx.store, serviceName, now)) * 1000 : 0;
  const immediate = !hasDesired || desired < now + cfg.bufferMs + ewtMs;
  const forced = isUnset(body._callback_state) ? null : String(body._callback_state).toUpperCase();
  if (forced !== null && !isState(forced)) throw badParameter(`Invalid _callback_state: '${propText(body._callback_state)}'`);
  const state = forced ?? (immediate ? "QUEUED" : "SCHEDULED");
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    // a field without a value is not stored (as "" removes a property on update)
    if (RECORD_KEYS.has(k) || CONTROL_KEYS.has(k) || v === null || v === undefined || v === "") continue;
    props[k] = propText(v);
  }
  for (const k of cfg.overwritable) if (!isUnset(options[k]) && props[k] === undefined) props[k] = propText(options[k]);
  Object.assign(props, typedNumber(body._customer_number, number));
  const id = newId();
  const row: CallbackRow = {
    id,
    service_name: serviceName,
    customer_number: number,
    desired_time: desired,
    state,
    reason: state === "COMPLETED" ? propText(body._callback_reason ?? "NOT_AVAILABLE") : null,
    time_scheduled: now,
    expiration_time: desired + cfg.ttlMs,
    ors_session_id: null,
    bucket: state === "SCHEDULED" ? floorBucket(desired, cfg.bucketMs) : null,
    enqueued_at: state === "QUEUED" ? now : null,
    due_at: null,
    submit_attempts: 0,
    immediate: immediate ? 1 : 0,
    handed_off: 0,
    external: forced ? 1 : 0,
    props: "",
    exec_options: execOverrides(options, base.options),
    version: 1,
    updated_at: now,
    completed_at: state === "COMPLETED" ? now : null,
  };
  row.props = JSON.stringify(props);
  // immediate callbacks are handed over by the request itself; the scheduler takes over after a grace period
  row.due_at = state === "QUEUED" && !forced ? now + HANDOFF_LEASE_MS : await dueAtFor(ctx, row, cfg.bufferMs);

  // 7-9 + insert: one write transaction — concurrent requests can never overbook or exceed a limit
  let full: number | null = null;
  const write = async () => {
    // across servers (PostgreSQL) two transactions of one service must not both count and then insert
    await ctx.store.lockService(serviceName);
    if (row.bucket !== null) {
      const cap = cfg.capacityAt(row.bucket);
      if ((await ctx.store.countBucket(serviceName, row.bucket)) >= cap) {
        full = row.bucket;
        throw new CallbackError(40051, "full");
      }
    }
    await checkLimits(ctx, cfg, number, body, state === "QUEUED" && immediate, now);
    await ctx.store.insertCallback(row);
    await ctx.store.insertEvent({
      time: now,
      serviceName,
      callbackId: id,
      type: "accepted",
      state,
      actor: ctx.actor,
      details: { immediate, desired_time: iso(desired), ...(forced ? { forced } : {}) },
    });
  };
  const fail = async (e: unknown): Promise<never> => {
    if (full !== null) throw await bucketFullError(ctx.store, cfg, full, desired, now);
    throw e;
  };
  return { write, fail, result: { id, immediate: state === "QUEUED", external: !!forced, row, config: cfg } };
}

/**
 * Outbound URLs this request chose (an overwritable option or a `$token$`) are checked against the outbound
 * policy now, so a refused one stores nothing (400 40010 naming the option). An engine URL still lacking a
 * token's param is refused too: the callback could never be handed over.
 */
function checkRequestUrls(cfg: CallbackConfig, stored: Record<string, unknown>): void {
  const inUse = [...(cfg.type === "ors" ? ["_ors"] : []), ...(cfg.notify.enabled ? ["_status_notification_target"] : [])];
  for (const k of inUse) {
    const url = optText(cfg.options, k);
    const token = k === "_ors" ? /\$([A-Za-z0-9_.-]+)\$/.exec(url) : null;
    if (token) throw badParameter(`Missing parameter '${token[1]}' (used by option ${k})`);
    if (url === optText(stored, k)) continue; // as the admin configured it: checked when it is called
    const why = targetRefusal(url, cfg.adminUrls);
    if (why) throw badParameter(`Invalid ${k}: ${why}`);
  }
}

/** `_customer_number_typed`: the number as the customer typed it, kept when it differs from the stored identity. */
export function typedNumber(raw: unknown, stored: string | null): Record<string, string> {
  const typed = stored === null ? "" : propText(raw).trim();
  return typed && typed !== stored ? { [TYPED_NUMBER]: typed } : {};
}

/** The desired-time window of a start or reschedule: not before now − `_reject_past_desired_time`, not after
 * now + `_reject_future_desired_time` (40040); a time in the accepted past means now. */
export function checkDesiredWindow(cfg: CallbackConfig, t: number, now: number): number {
  if (t < now - cfg.rejectPastMs) throw new CallbackError(40040, `Desired time ${iso(t)} is in the past`);
  const latest = addDuration(now, cfg.rejectFuture);
  if (t > latest) throw new CallbackError(40040, `Desired time ${iso(t)} is too far in the future (latest ${iso(latest)})`);
  return Math.max(t, now);
}

/** `_exceptions` pattern groups (`groups`): a matching number → 400 40010 naming group and pattern. */
export async function checkExceptions(ctx: EngineCtx, groups: readonly string[], raw: string, fixed: string): Promise<void> {
  for (const group of groups) {
    const patterns = await ctx.store.getPatternGroup(group);
    if (!patterns) continue;
    const [name] = matchingPatterns(patterns, raw, fixed);
    if (name !== undefined)
      throw new CallbackError(40010, `Customer Number [${raw}] is not allowed. Check option 'exceptions' : details={${group}=${name}}`, {
        exception: EXC.service,
      });
  }
}

/** Office hours at `t`: closed → 400 40050 with the GMS JSON-string message and proposals. */
export async function checkOfficeOpen(ctx: EngineCtx, cfg: CallbackConfig, t: number, now: number): Promise<void> {
  if (!cfg.calendar) return;
  const st = officeStatusAt(cfg.calendar, t);
  if (st.open) return;
  throw new CallbackError(40050, JSON.stringify({ status: "closed", reason: st.reason }), {
    availability: await proposeSlots(ctx.store, cfg, t, now),
  });
}

/** Duplicates (40001) and limits (40002-40004): called inside the write transaction. */
async function checkLimits(
  ctx: EngineCtx,
  cfg: CallbackConfig,
  number: string | null,
  body: Record<string, unknown>,
  queuedNow: boolean,
  now: number,
): Promise<void> {
  const s = ctx.store;
  if (number && cfg.inQueue !== "false") {
    const max = cfg.inQueue === "strict" ? 1 : 2;
    if ((await s.countOpenForNumber(cfg.name, number)) >= max)
      throw new CallbackError(
        40001,
        `There is already ${max} or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking for detail.`,
        { properties: { max_queued: max } },
      );
  }
  if (queuedNow) await checkQueuedLimit(ctx, cfg);
  for (const th of cfg.throttles)
    if ((await s.countCreatedInWindow(cfg.name, now, th.ttl)) >= th.n)
      throw new CallbackError(40003, `Limit of queued callbacks for ${cfg.name} is reached for interval ${th.ttl}s.`);
  if (queuedNow)
    await checkParamDailyLimit(
      ctx,
      cfg,
      (key) => (key === "_customer_number" ? number : isUnset(body[key]) ? null : propText(body[key])),
      now,
    );
}

/** The service's queued limit (40002) for a callback joining the queue now (an immediate start or reschedule). */
export async function checkQueuedLimit(ctx: EngineCtx, cfg: CallbackConfig): Promise<void> {
  if (cfg.maxQueued !== undefined && (await ctx.store.countInState(cfg.name, "QUEUED", cfg.maxQueued)) >= cfg.maxQueued)
    throw new CallbackError(40002, `Limit of queued callbacks for ${cfg.name} is reached.`);
}

/**
 * The per-parameter daily limit (40004) for a callback joining the queue now: immediate creations of the same
 * parameter value this UTC day. `valueOf` gives the callback's value of a counted parameter (null: not set).
 */
export async function checkParamDailyLimit(
  ctx: EngineCtx,
  cfg: CallbackConfig,
  valueOf: (key: string) => string | null,
  now: number,
): Promise<void> {
  const dayStart = Math.floor(now / 864e5) * 864e5; // UTC day
  for (const key of cfg.paramKeys) {
    const value = valueOf(key);
    if (!value) continue;
    if ((await ctx.store.countParamSince(cfg.name, key, value, dayStart, cfg.paramLimit)) >= cfg.paramLimit)
      throw new CallbackError(
        40004,
        `Callback for ${key}=${value} rejected because previous callbacks for this parameter were requested for more than ` +
          `${cfg.paramLimit} times today.`,
      );
  }
}
