// Reschedule / update: `_new_desired_time` (SCHEDULED only, validated like a start), property
// updates ("" removes), and `_callback_state` progress reports from an external execution engine.
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "./context";
import { CallbackError, badParameter, invalidOperation } from "./errors";
import { serviceConfig, type CallbackConfig } from "./config";
import { checkCustomerNumber } from "./phone";
import { floorBucket } from "./buckets";
import { bucketFullError } from "./availability";
import { TYPED_NUMBER, propText, propsOf } from "./record";
import { parseTime, iso } from "./time";
import { isState, transition, dueAtFor } from "./state";
import { checkDesiredWindow, checkOfficeOpen, checkExceptions, checkQueuedLimit, checkParamDailyLimit, typedNumber } from "./start";
import { ewtForNewRequest } from "./ewt";
import { isUnset } from "./options";

/** Echoed by GMS clients; never applied from a PUT body. */
const IGNORED = new Set([
  "_id",
  "_service_name",
  "_url",
  "url",
  "_time_scheduled",
  "_expiration_time",
  "_desired_time",
  "desired_time",
  TYPED_NUMBER,
]);
const CONTROL = new Set(["_new_desired_time", "_callback_state", "_callback_reason", "_ors_session_id", "_reason"]);

export interface UpdateResult {
  becameImmediate: boolean;
  config: CallbackConfig;
}

/** Reschedule / update's request path: a callback rescheduled into the execution buffer is handed over now (50006 if it cannot be). */
export async function updateAndHandOff(ctx: EngineCtx, id: string, body: Record<string, unknown>): Promise<void> {
  const r = await updateCallback(ctx, id, body);
  if (r.becameImmediate) await ctx.execution.handOffNow(ctx, id, r.config);
}

export async function updateCallback(ctx: EngineCtx, id: string, body: Record<string, unknown>): Promise<UpdateResult> {
  const existing = await ctx.store.getCallback(id);
  if (!existing) throw new CallbackError(40030, `Callback ${id} cannot be found`);
  const cfg = await serviceConfig(ctx.store, existing.service_name);
  const now = ctx.now();
  const newState = isUnset(body._callback_state) ? null : String(body._callback_state).toUpperCase();
  if (newState !== null && !isState(newState)) throw badParameter(`Invalid _callback_state: '${propText(body._callback_state)}'`);
  const hasNewTime = !isUnset(body._new_desired_time);
  let newDesired: number | null = null;
  if (hasNewTime) {
    if (existing.state !== "SCHEDULED") throw invalidOperation(`Callback '${id}' is no longer scheduled. State=${existing.state}`);
    const t = parseTime(body._new_desired_time);
    if (t === null) throw badParameter(`Invalid _new_desired_time: '${propText(body._new_desired_time)}'`);
    newDesired = checkDesiredWindow(cfg, t, now);
    await checkOfficeOpen(ctx, cfg, newDesired, now);
  }
  // a changed number is validated like on start (fixing, impossible, premium, exception patterns); an echoed,
  // unchanged one is left alone; removing a mandatory one is refused like a start without it
  let number: string | null | undefined;
  if (body._customer_number !== undefined && body._customer_number !== null) {
    const raw = body._customer_number;
    if (typeof raw !== "string" && typeof raw !== "number") throw badParameter("Invalid value for _customer_number: expected a string");
    const text = String(raw);
    if (text.trim() === "") {
      if (cfg.mandatoryKeys.includes("_customer_number")) throw badParameter("Missing mandatory parameter: _customer_number");
      number = null;
    } else if (text.trim() !== existing.customer_number) {
      const checked = checkCustomerNumber(text, cfg.numberRules);
      await checkExceptions(ctx, cfg.exceptions, text, checked);
      // the same customer typed differently is no change
      if (checked !== existing.customer_number) number = checked;
    }
  }
  let becameImmediate = false;
  let full: number | null = null;
  try {
    await ctx.store.tx(async () => {
      // a new bucket is counted, then written: one such transaction per service at a time across servers
      await ctx.store.lockService(existing.service_name);
      const row = (await ctx.store.getCallback(id))!;
      if (hasNewTime && row.state !== "SCHEDULED") throw invalidOperation(`Callback '${id}' is no longer scheduled. State=${row.state}`);
      const props = propsOf(row);
      let changed = false;
      for (const [k, v] of Object.entries(body)) {
        if (IGNORED.has(k) || CONTROL.has(k) || k === "_customer_number" || v === undefined || v === null) continue;
        const text = propText(v);
        if (text === "") delete props[k];
        else props[k] = text;
        changed = true;
      }
      if (number !== undefined) {
        row.customer_number = number;
        delete props[TYPED_NUMBER];
        Object.assign(props, typedNumber(body._customer_number, number));
        changed = true;
      }
      row.props = JSON.stringify(props);
      if (newDesired !== null) {
        // the immediate rule of a start: buffer + EWT when a queue-time statistic is configured
        const ewtMs = cfg.queueTimeStat ? (await ewtForNewRequest(ctx.store, row.service_name, now)) * 1000 : 0;
        const immediate = newDesired < now + cfg.bufferMs + ewtMs;
        const bucket = floorBucket(newDesired, cfg.bucketMs);
        if (!immediate && bucket !== row.bucket && (await ctx.store.countBucket(row.service_name, bucket)) >= cfg.capacityAt(bucket)) {
          full = bucket;
          throw new CallbackError(40051, "full");
        }
        row.desired_time = newDesired;
        row.expiration_time = newDesired + cfg.ttlMs;
        row.bucket = immediate ? null : bucket;
        row.updated_at = now;
        if (immediate) {
          // joining the queue now: the limits of an immediate start apply (40002, 40004)
          await checkQueuedLimit(ctx, cfg);
          await checkParamDailyLimit(ctx, cfg, (key) => (key === "_customer_number" ? row.customer_number : (props[key] ?? null)), now);
          becameImmediate = true;
          row.immediate = 1;
          await transition(ctx, row, "QUEUED", { type: "rescheduled", details: { desired_time: iso(newDesired) } });
          row.due_at = now; // the scheduler hands it over on its next tick
          await ctx.store.updateCallback(row);
        } else {
          row.due_at = await dueAtFor(ctx, row, cfg.bufferMs);
          await ctx.store.updateCallback(row);
          await ctx.store.insertEvent({
            time: now,
            serviceName: row.service_name,
            callbackId: id,
            type: "rescheduled",
            state: row.state,
            actor: ctx.actor,
            details: { desired_time: iso(newDesired) },
          });
        }
      } else if (newState !== null) {
        const reason = isUnset(body._callback_reason)
          ? isUnset(body._reason)
            ? null
            : propText(body._reason)
          : propText(body._callback_reason);
        const session = isUnset(body._ors_session_id) ? null : propText(body._ors_session_id);
        if (newState === row.state && newState !== "COMPLETED") {
          if (session) row.ors_session_id = session;
          row.updated_at = now;
          await ctx.store.updateCallback(row);
          if (changed) await updatedEvent(ctx, row, body);
        } else await transition(ctx, row, newState, { reason, sessionId: session, type: "state" });
      } else if (changed) {
        row.updated_at = now;
        await ctx.store.updateCallback(row);
        await updatedEvent(ctx, row, body);
      }
    });
  } catch (e) {
    if (full !== null) throw await bucketFullError(ctx.store, cfg, full, newDesired!, now);
    throw e;
  }
  return { becameImmediate, config: cfg };
}

async function updatedEvent(ctx: EngineCtx, row: CallbackRow, body: Record<string, unknown>): Promise<void> {
  await ctx.store.insertEvent({
    time: ctx.now(),
    serviceName: row.service_name,
    callbackId: row.id,
    type: "updated",
    state: row.state,
    actor: ctx.actor,
    details: { keys: Object.keys(body).filter((k) => !IGNORED.has(k) && !CONTROL.has(k)) },
  });
}
