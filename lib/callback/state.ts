// The state machine, enforced here for every writer: API, scheduler, engines, console.
// A transition updates the row, writes its event and, when enabled, a status notification to the outbox —
// all inside the caller's transaction.
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "./context";
import { invalidOperation } from "./errors";
import { execOptions, serviceConfig } from "./config";
import { optText, optValue, parseDuration } from "./options";
import { iso, addDuration } from "./time";

import { STATES, type State } from "./states";
export { STATES, type State };
export const isState = (s: unknown): s is State => typeof s === "string" && (STATES as readonly string[]).includes(s);

const NEXT: Record<State, readonly State[]> = {
  SCHEDULED: ["QUEUED", "COMPLETED"],
  QUEUED: ["ROUTING", "PAUSED", "COMPLETED"],
  PAUSED: ["QUEUED", "COMPLETED"],
  ROUTING: ["PROCESSING", "QUEUED", "COMPLETED"],
  PROCESSING: ["COMPLETED"],
  COMPLETED: [],
};

const canTransition = (from: string, to: string) => isState(from) && isState(to) && NEXT[from].includes(to);

/** Reasons that give the callback's bucket back (the slot was never used). */
const FREES_BUCKET = new Set(["CANCELLED", "CANCELLED_BY_ADMIN", "SUBMIT_FAILED"]);

export interface TransitionOpts {
  reason?: string | null;
  actor?: string;
  sessionId?: string | null;
  details?: Record<string, unknown>;
  /** Event type; default "state". */
  type?: string;
}

/**
 * How long a hand-off attempt may stay unfinished before the scheduler tries the next one (crash recovery); also
 * how long the request path of an immediate start has before the scheduler takes the hand-off over.
 */
export const HANDOFF_LEASE_MS = 30_000;

/** When a COMPLETED record whose life ended at `end` is purged: `completed-retention` later (default 7 days). */
async function purgeAt(ctx: EngineCtx, end: number): Promise<number> {
  const d = parseDuration(String(optValue("completed-retention", (await ctx.store.getSettings("callback")) ?? {})));
  return addDuration(end, d ?? { amount: 7, unit: "d" });
}

/** Next time the scheduler must look at a row in its (new) state. */
export async function dueAtFor(ctx: EngineCtx, row: CallbackRow, bufferMs: number): Promise<number | null> {
  switch (row.state) {
    case "SCHEDULED":
      return row.external ? row.expiration_time : Math.min(row.desired_time - bufferMs, row.expiration_time);
    case "QUEUED":
      return row.handed_off || row.external ? row.expiration_time : ctx.now();
    case "COMPLETED": {
      const purge = await purgeAt(ctx, Math.max(row.expiration_time, row.completed_at ?? 0));
      // admin cancellations stay reportable for the cancelled-callback report's 30-day look-back
      return row.reason === "CANCELLED_BY_ADMIN" ? Math.max(purge, row.desired_time + 30 * 864e5) : purge;
    }
    default:
      return row.expiration_time;
  }
}

/**
 * Moves a callback to `to` (must be legal, else 40020), writing the event and the notification. Call inside a
 * transaction. Same-state updates of a non-final state are accepted as idempotent no-ops (engines resend).
 */
export async function transition(ctx: EngineCtx, row: CallbackRow, to: string, opts: TransitionOpts = {}): Promise<CallbackRow> {
  const from = row.state;
  if (from === to && to !== "COMPLETED" && isState(to)) {
    if (opts.sessionId) row.ors_session_id = opts.sessionId;
    return row;
  }
  if (!canTransition(from, to)) throw invalidOperation(`Callback ${row.id} cannot change state from ${from} to ${to}`);
  const now = ctx.now();
  let cfg: Awaited<ReturnType<typeof serviceConfig>> | undefined;
  try {
    cfg = await serviceConfig(ctx.store, row.service_name);
  } catch {
    cfg = undefined; // service deleted meanwhile: the transition still happens
  }
  row.state = to;
  row.reason = to === "COMPLETED" ? opts.reason || "NOT_AVAILABLE" : (opts.reason ?? null);
  if (opts.sessionId !== undefined && opts.sessionId !== null) row.ors_session_id = opts.sessionId;
  if (to === "QUEUED") {
    row.enqueued_at ??= now; // original enqueue time: a retried or resumed callback keeps its place
    if (from === "PAUSED") row.handed_off = 0; // resumed: execution dropped it while paused, hand it over again
  }
  if (to === "COMPLETED") {
    row.completed_at = now;
    if (FREES_BUCKET.has(row.reason!)) row.bucket = null;
  }
  row.updated_at = now;
  row.due_at = await dueAtFor(ctx, row, cfg?.bufferMs ?? 0);
  await ctx.store.updateCallback(row);
  await ctx.store.insertEvent({
    time: now,
    serviceName: row.service_name,
    callbackId: row.id,
    type: opts.type ?? "state",
    state: to,
    reason: row.reason,
    actor: opts.actor ?? ctx.actor,
    details: { from, ...(opts.details ?? {}) },
  });
  // the target as fixed at start (a `$token$` resolved from that request), like the hand-off's
  const target = cfg?.notify.enabled ? optText(execOptions(row, cfg), "_status_notification_target") : "";
  if (target) await enqueueNotification(ctx, row, target, "state_changed");
  return row;
}

/** Writes a status notification to the durable outbox; the notifier sends it later. */
async function enqueueNotification(ctx: EngineCtx, row: CallbackRow, target: string, event: string): Promise<void> {
  const now = ctx.now();
  const payload: Record<string, string> = { event, _id: row.id, _service_name: row.service_name, _callback_state: row.state };
  if (row.reason) payload._callback_reason = row.reason;
  if (row.customer_number) payload._customer_number = row.customer_number;
  payload._desired_time = iso(row.desired_time);
  payload.time = iso(now);
  await ctx.store.enqueueNotification(row.id, target, JSON.stringify(payload), now);
}
