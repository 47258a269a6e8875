// Delete Callback — "Forget Me" (GMS ops/delete, GDPR): deletes SCHEDULED or COMPLETED callbacks
// given by `_id` or by `_customer_number`, and every trace of their personal data: the callback row (number and
// properties), the details of its events (the event rows stay, without details, so counts and metrics do not
// change), its pending status notifications, its hand-off ledger rows, and the details of any other event that
// mentions a requested number (rejected requests never became callbacks, yet their messages quote the number).
//
// Answer, as in the GMS example:
//   {"success": [{"_id": "…"}, {"_customer_number": "…", "reason": "no callback(s) to delete"}],
//    "errors": [{"code": 40020, "phrase": "INVALID_OPERATION", "_id": "…",
//                "message": "Callback <id> cannot be deleted - _callback_state=PROCESSING"},
//               {"code": 40030, "phrase": "NOT_FOUND", "_id": "…", "message": "Callback <id> cannot be found"}]}
// A number's callbacks appear one by one (a success `{"_id"}` per deleted callback, an error per callback that
// cannot be deleted). A number matches a stored one when their digits are equal — separators and `+` ignored,
// which includes the `+` fixing done on creation ("16175550100" finds "+16175550100" and "+1 (617) 555-0100");
// a national form ("6175550100") is another number: list every form to forget.
import { z } from "zod";
import type { EngineCtx } from "./context";
import { CODES, badParameter } from "./errors";
import type { CallbackRow } from "../../db/store";

const DELETABLE = new Set(["SCHEDULED", "COMPLETED"]);
/** Event ids scanned per step of the personal-data sweep (bounded work between event-loop yields). */
const EVENT_SCAN_STEP = 5000;
const YIELD_EVERY = 200;
/** Shortest number (in characters, and in digits) that the event sweep looks for. */
const MIN_SWEEP_LENGTH = 5;
/** Callback rowids scanned per step when looking for a number's callbacks. */
const CALLBACK_SCAN_STEP = 20_000;

export interface ForgetResult {
  success: Array<{ _id: string } | { _customer_number: string; reason: string }>;
  errors: Array<{ code: number; phrase: string; _id: string; message: string }>;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

const idList = z.array(z.union([z.string(), z.number()]), { message: "expected a list of strings" });
/** The request body: lists of callback ids and customer numbers (form bodies: comma-separated). */
export const ForgetBody = z.object({ _id: idList.optional(), _customer_number: idList.optional() });
export type ForgetRequest = z.infer<typeof ForgetBody>;

const stringList = (items: Array<string | number> = []) => [...new Set(items.map((x) => String(x).trim()).filter(Boolean))];

const digitsOf = (s: string) => s.replace(/\D/g, "");
/** The comparison key of a number: its digits (a number without digits compares as itself). */
const numberKey = (s: string) => digitsOf(s) || s.trim();
const RUN = /\+?\d[\d\s().\-/]*\d|\d/g;

/**
 * A test: does a text (an event's JSON details) mention one of the numbers? Exact forms match as substrings; digit runs
 * (separators ignored: "+1 (617) 555-0100") match when equal, or, from 7 digits on, when one ends with the other
 * (national vs international form). Over-matching only removes details of an unrelated event, never data.
 */
export function numberMatcher(numbers: string[]): (text: string) => boolean {
  // too short a number would match everywhere (error codes, times): such numbers are not swept
  const needles = [...new Set(numbers.flatMap((n) => [n, JSON.stringify(n).slice(1, -1)]))].filter((x) => x.length >= MIN_SWEEP_LENGTH);
  const digits = [...new Set(numbers.map(digitsOf).filter((d) => d.length >= MIN_SWEEP_LENGTH))];
  return (text) => {
    if (needles.some((x) => text.includes(x))) return true;
    if (!digits.length) return false;
    for (const m of text.matchAll(RUN)) {
      const run = digitsOf(m[0]);
      for (const d of digits) {
        if (run === d) return true;
        if (run.length >= 7 && d.length >= 7 && (run.endsWith(d) || d.endsWith(run))) return true;
      }
    }
    return false;
  };
}

/** Deletes one callback and its personal data; call inside a transaction. */
async function eraseCallback(ctx: EngineCtx, row: CallbackRow): Promise<void> {
  const s = ctx.store;
  await s.eraseCallbackData(row.id);
  // the audit trail of the deletion itself carries no personal data
  await s.insertEvent({
    time: ctx.now(),
    serviceName: row.service_name,
    callbackId: row.id,
    type: "deleted",
    state: row.state,
    reason: row.reason,
    actor: ctx.actor,
  });
}

const notDeletable = (id: string, state: string) => ({
  code: 40020,
  phrase: CODES[40020].phrase,
  _id: id,
  message: `Callback ${id} cannot be deleted - _callback_state=${state}`,
});
const notFoundError = (id: string) => ({ code: 40030, phrase: CODES[40030].phrase, _id: id, message: `Callback ${id} cannot be found` });

/** Tries to delete one callback (state re-checked in the transaction); returns the result entry. */
async function tryErase(
  ctx: EngineCtx,
  id: string,
  numbers: Set<string>,
): Promise<ForgetResult["success"][number] | ForgetResult["errors"][number]> {
  return await ctx.store.tx(async () => {
    const row = await ctx.store.getCallback(id);
    if (!row) return notFoundError(id);
    if (!DELETABLE.has(row.state)) return notDeletable(id, row.state);
    if (row.customer_number) numbers.add(row.customer_number);
    await eraseCallback(ctx, row);
    return { _id: id };
  });
}

/** POST /genesys/1/admin/callback/ops/delete */
export async function forgetCallbacks(ctx: EngineCtx, body: ForgetRequest): Promise<ForgetResult> {
  const ids = stringList(body._id);
  const numbers = stringList(body._customer_number);
  if (!ids.length && !numbers.length) throw badParameter("Nothing to delete: give _id and/or _customer_number (lists of strings)");
  const out: ForgetResult = { success: [], errors: [] };
  const push = (r: Awaited<ReturnType<typeof tryErase>>) => ("code" in r ? out.errors.push(r) : out.success.push(r));
  const handled = new Set<string>();
  const scrub = new Set<string>(); // numbers whose mentions are swept from event details
  let steps = 0;
  const step = async () => {
    if (++steps % YIELD_EVERY === 0) await yieldToLoop();
  };
  await ctx.store.secureDelete(true);
  try {
    for (const id of ids) {
      handled.add(id);
      push(await tryErase(ctx, id, scrub));
      await step();
    }
    const found = await callbacksOfNumbers(ctx, numbers);
    for (const n of numbers) {
      scrub.add(n);
      const ids = found.get(numberKey(n)) ?? [];
      if (ids.length === 0) {
        out.success.push({ _customer_number: n, reason: "no callback(s) to delete" });
        continue;
      }
      for (const id of ids) {
        if (handled.has(id)) continue;
        handled.add(id);
        push(await tryErase(ctx, id, scrub));
        await step();
      }
    }
    if (scrub.size) await sweepMentions(ctx, [...scrub]);
  } finally {
    await ctx.store.secureDelete(false);
  }
  return out;
}

/**
 * Callback ids per requested number (keyed by numberKey), in creation order: one pass over the callbacks in
 * bounded rowid ranges with event-loop yields (numbers are compared by digits, which no index can serve).
 */
async function callbacksOfNumbers(ctx: EngineCtx, numbers: string[]): Promise<Map<string, string[]>> {
  const keys = new Set(numbers.map(numberKey));
  const out = new Map<string, string[]>();
  const max = await ctx.store.maxCallbackRowid();
  for (let after = 0; after < max; after += CALLBACK_SCAN_STEP) {
    for (const r of await ctx.store.callbackNumbersRange(after, Math.min(after + CALLBACK_SCAN_STEP, max))) {
      const k = numberKey(r.customer_number);
      if (keys.has(k)) out.set(k, [...(out.get(k) ?? []), r.id]);
    }
    if (after + CALLBACK_SCAN_STEP < max) await yieldToLoop();
  }
  return out;
}

/** Removes the details of every event, and redacts every bulk-operation request, that mentions one of the numbers. */
async function sweepMentions(ctx: EngineCtx, numbers: string[]): Promise<void> {
  const s = ctx.store;
  const mentions = numberMatcher(numbers);
  const max = await s.maxEventId();
  for (let after = 0; after < max; after += EVENT_SCAN_STEP) {
    const hits = (await s.eventDetailsRange(after, Math.min(after + EVENT_SCAN_STEP, max))).filter((e) => mentions(e.details));
    if (hits.length)
      await s.tx(async () => {
        for (const e of hits) await s.clearEventDetails(e.id);
      });
    await yieldToLoop();
  }
  // a bulk cancel by filter may have named a number (a `filter-keys` filter on _customer_number)
  const ops = await s.bulkRequests();
  const redact = ops.filter((o) => mentions(o.request));
  if (redact.length)
    await s.tx(async () => {
      for (const o of redact) await s.setBulkRequest(o.id, JSON.stringify({ redacted: "personal data removed" }));
    });
}
