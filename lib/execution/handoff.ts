// Hand-off of callbacks to execution: idempotent per (callback id, attempt) through the `handoffs`
// ledger, with backoff between failed attempts and COMPLETED/SUBMIT_FAILED after `_max_ors_submit_attempts`.
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "../callback/context";
import { CallbackError } from "../callback/errors";
import { serviceConfig, type CallbackConfig } from "../callback/config";
import { transition, HANDOFF_LEASE_MS } from "../callback/state";
import { engineFor, usesSimulator } from "./engine";
import { simulator } from "./simulator";

const backoffMs = (attempt: number) => Math.min(60_000, 1000 * 2 ** (attempt - 1));

export type HandoffOutcome = "ok" | "retry" | "failed" | "skipped";

/** Claims the next attempt in the ledger (one transaction). Returns the attempt number, or null when taken. */
async function claim(
  ctx: EngineCtx,
  id: string,
  expectState: string[],
  dueOnly: boolean,
): Promise<{ row: CallbackRow; attempt: number } | null> {
  return await ctx.store.tx(async () => {
    const row = await ctx.store.getCallback(id);
    if (!row || !expectState.includes(row.state) || row.handed_off) return null;
    // a scheduler works from a list read earlier: a row claimed since (its due_at moved HANDOFF_LEASE_MS ahead, its
    // attempt maybe still in flight) or rescheduled since is not due any more, and is left alone
    if (dueOnly && (row.due_at === null || row.due_at > ctx.now())) return null;
    const attempt = row.submit_attempts + 1;
    if (!(await ctx.store.claimHandoff(id, attempt, ctx.now()))) return null; // another scheduler (or the request path) has it
    row.submit_attempts = attempt;
    row.due_at = ctx.now() + HANDOFF_LEASE_MS;
    row.updated_at = ctx.now();
    await ctx.store.updateCallback(row);
    return { row, attempt };
  });
}

/**
 * One hand-off attempt of a SCHEDULED (due) or QUEUED (not yet handed) callback.
 * ok → QUEUED and handed over; retry → next attempt after backoff; failed → COMPLETED/SUBMIT_FAILED.
 * `dueOnly` (the scheduler): only while the row is still due when claimed (see claim).
 */
export async function handOffOnce(
  ctx: EngineCtx,
  id: string,
  cfgIn?: CallbackConfig,
  opts: { dueOnly?: boolean } = {},
): Promise<HandoffOutcome> {
  const claimed = await claim(ctx, id, ["SCHEDULED", "QUEUED"], opts.dueOnly ?? false);
  if (!claimed) return "skipped";
  const { row, attempt } = claimed;
  let cfg: CallbackConfig;
  try {
    cfg = cfgIn ?? (await serviceConfig(ctx.store, row.service_name));
  } catch {
    return await finish(ctx, id, attempt, null, "service is gone", Infinity);
  }
  try {
    const res = await engineFor(cfg).submit(row, cfg, attempt);
    return await finish(ctx, id, attempt, res.sessionId ?? null, null, cfg.maxSubmitAttempts);
  } catch (e) {
    return await finish(ctx, id, attempt, null, (e as Error).message || "hand-off failed", cfg.maxSubmitAttempts);
  }
}

/** A successful hand-off (inside the caller's transaction): SCHEDULED → QUEUED, or an immediate one marked handed. */
async function recordHandedOff(ctx: EngineCtx, row: CallbackRow, attempt: number, sessionId: string | null, now: number): Promise<void> {
  row.handed_off = 1;
  if (row.state === "SCHEDULED") await transition(ctx, row, "QUEUED", { sessionId, actor: "scheduler", details: { attempt } });
  else {
    if (sessionId) row.ors_session_id = sessionId;
    row.due_at = row.expiration_time;
    row.updated_at = now;
    await ctx.store.updateCallback(row);
  }
  const event = { time: now, serviceName: row.service_name, callbackId: row.id, type: "handoff", state: row.state, actor: "scheduler" };
  await ctx.store.insertEvent({ ...event, details: { attempt } });
}

async function finish(
  ctx: EngineCtx,
  id: string,
  attempt: number,
  sessionId: string | null,
  error: string | null,
  max: number,
): Promise<HandoffOutcome> {
  return await ctx.store.tx(async () => {
    const now = ctx.now();
    await ctx.store.finishHandoff(id, attempt, !error, now);
    const row = await ctx.store.getCallback(id);
    if (!row || row.state === "COMPLETED") return "skipped";
    if (!error) {
      await recordHandedOff(ctx, row, attempt, sessionId, now);
      return "ok";
    }
    await ctx.store.insertEvent({
      time: now,
      serviceName: row.service_name,
      callbackId: id,
      type: "handoff_failed",
      state: row.state,
      actor: "scheduler",
      details: { attempt, error },
    });
    if (attempt >= max) {
      await transition(ctx, row, "COMPLETED", { reason: "SUBMIT_FAILED", actor: "scheduler", details: { attempts: attempt, error } });
      return "failed";
    }
    row.due_at = now + backoffMs(attempt);
    row.updated_at = now;
    await ctx.store.updateCallback(row);
    return "retry";
  });
}

/**
 * The request path of an immediate Start-Callback: try every attempt now (short waits between them).
 * All failed → the callback is COMPLETED/SUBMIT_FAILED and 500 50006 is thrown.
 */
export async function handOffImmediate(
  ctx: EngineCtx,
  id: string,
  cfg: CallbackConfig,
  wait = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  // the in-process simulator cannot fail half-way: claim, hand over and record in one transaction
  if (
    usesSimulator(cfg) &&
    (await handOffBatchInProcess(
      ctx,
      [id],
      () => cfg,
      (row) => simulator().accept(row),
    )) === 1
  )
    return;
  for (let i = 0; i < cfg.maxSubmitAttempts; i++) {
    const out = await handOffOnce(ctx, id, cfg);
    if (out === "ok" || out === "skipped") return;
    if (out === "failed") break;
    await wait(Math.min(200 * 2 ** i, 1000));
  }
  const row = await ctx.store.getCallback(id);
  if (row && row.state !== "COMPLETED") {
    // attempts left over because another worker holds one: leave the callback to the scheduler
    if (row.submit_attempts < cfg.maxSubmitAttempts) return;
  }
  throw new CallbackError(50006, `Callback ${id} reached maximum attempts to submit to ORS reached (${cfg.maxSubmitAttempts})`, {
    properties: { id, "max-attempts": cfg.maxSubmitAttempts },
  });
}

/**
 * Hand-off to the in-process simulator: no I/O can fail half-way, so a whole batch is claimed, handed over and
 * recorded in ONE transaction (10,000 due callbacks cost a few transactions, not 20,000).
 */
export async function handOffBatchInProcess(
  ctx: EngineCtx,
  ids: string[],
  cfgOf: (service: string) => CallbackConfig | null | Promise<CallbackConfig | null>,
  accept: (row: CallbackRow) => string,
): Promise<number> {
  let ok = 0;
  await ctx.store.tx(async () => {
    const now = ctx.now();
    for (const id of ids) {
      const row = await ctx.store.getCallback(id);
      if (!row || (row.state !== "SCHEDULED" && row.state !== "QUEUED") || row.handed_off || row.external) continue;
      const cfg = await cfgOf(row.service_name);
      if (!cfg) continue;
      const attempt = row.submit_attempts + 1;
      if (!(await ctx.store.claimHandoff(id, attempt, now, true))) continue;
      row.submit_attempts = attempt;
      await recordHandedOff(ctx, row, attempt, accept(row), now);
      ok++;
    }
  });
  return ok;
}
