// Admin bulk cancel: cancel a list of callbacks, or every callback a queue filter
// selects, with per-item results; the summary of each operation is kept in `bulk_operations` for download.
//
// Request: {"reason":"CANCELLED_BY_ADMIN","ids":[…]} or {"reason":…,"filter":{"target","states","start_time",
// "end_time", <filter-key>: value|[values]}}. `reason` may be omitted; it can only be CANCELLED_BY_ADMIN.
// A filter selects exactly what GET /callback/queues shows for the same parameters (same defaults, same 31-day
// limit, same `filter-keys`), without its per-queue max; the item set is fixed when the operation starts.
//
// Answer (and the stored summary, GET /callback/cancel/{operation}):
//   {"operation": "<id>", "status": "completed", "reason": "CANCELLED_BY_ADMIN", "actor": "<user>",
//    "started": ISO, "finished": ISO, "total": n, "cancelled": n, "skipped": n, "failed": n,
//    "results": [{"_id": "…", "status": "cancelled"}, {"_id": "…", "status": "skipped", "message": "…"}, …]}
// skipped = left as it is on purpose (PROCESSING: the customer talks to an agent; already COMPLETED);
// failed = could not be cancelled (unknown id, unexpected error). While it runs, the stored summary has
// "status": "running" and the counts so far (no results). With `"wait": false` the request is answered at once
// (202, the running summary) and the operation continues in the background: poll GET /callback/cancel/{operation}.
//
// Each item is cancelled by cancelCallback() — the same verb as Cancel-Callback: a cancel is forwarded to
// execution for handed-over callbacks (its failure is discarded: the admin's cancel wins), then
// COMPLETED/CANCELLED_BY_ADMIN through the state machine. Work runs in batches with a macrotask yield between
// them, so a 100,000-callback operation never blocks other requests for long (bench/admin-bulk.ts).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EngineCtx } from "./context";
import { CallbackError, badParameter, notFound } from "./errors";
import { cancelCallback } from "./cancel";
import { resolveSelection, type Selection, type SelectionInput } from "./admin-queues";
import { iso } from "./time";
import { IN_EXECUTION } from "../execution/engine";
import { log } from "../ops/logger";

export const ADMIN_REASON = "CANCELLED_BY_ADMIN";
/** Callbacks per batch; between batches the event loop serves other requests. */
export const BATCH = 100;
/** Ids read per page while collecting a filter's item set. */
const COLLECT_PAGE = 2000;
/** Concurrent cancels within a batch (matters only for remote execution engines, whose cancel is an HTTP call). */
const CONCURRENCY = 8;

export type ItemStatus = "cancelled" | "skipped" | "failed";
export interface ItemResult {
  _id: string;
  status: ItemStatus;
  message?: string;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

interface Parsed {
  ids?: string[];
  filter?: SelectionInput;
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const time = z.union([z.string(), z.number()]);
/** The request body (form bodies: `ids` comma-separated, `filter` as JSON text). */
export const BulkCancelBody = z.object({
  reason: z.string().optional(),
  ids: z.array(z.union([z.string(), z.number()]), { message: "expected a list of callback ids" }).optional(),
  filter: z
    .object({
      target: z.string().optional(),
      states: z.union([z.string(), z.array(z.string())]).optional(),
      start_time: time.optional(),
      end_time: time.optional(),
    })
    .catchall(z.union([scalar, z.array(scalar)]))
    .optional(),
  wait: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
});
export type BulkCancelRequest = z.infer<typeof BulkCancelBody>;

/** `"wait": false` (or "false" in a form body): answer at once and run in the background. */
export const waitsForCompletion = (body: BulkCancelRequest) => !(body.wait === false || body.wait === "false");

function parseRequest(body: BulkCancelRequest): Parsed {
  if (body.reason !== undefined && body.reason !== "" && body.reason !== ADMIN_REASON)
    throw badParameter(`Invalid reason '${body.reason}': a bulk cancel completes callbacks with ${ADMIN_REASON}`);
  if ((body.ids === undefined) === (body.filter === undefined))
    throw badParameter("Bulk cancel needs either 'ids' (a list of callback ids) or 'filter', not both");
  if (body.ids) {
    const ids = [...new Set(body.ids.map((x) => String(x).trim()).filter(Boolean))];
    if (ids.length === 0) throw badParameter("Invalid ids: the list is empty");
    return { ids };
  }
  const { target, states, start_time, end_time, ...rest } = body.filter!;
  const filters: Array<[string, string[]]> = Object.entries(rest).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map((x) => String(x))]);
  return { filter: { target, states, start_time, end_time, filters } };
}

/** The item set of a filter: keyset pages per (service, state), yielding between pages. */
async function collect(ctx: EngineCtx, sel: Selection): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const service of sel.services)
    for (const state of sel.states) {
      let after: { t: number; rowid: number } | null = null;
      for (;;) {
        const page = ctx.store.callbackPage({
          service,
          state,
          from: sel.from,
          to: sel.to,
          after,
          limit: COLLECT_PAGE,
          where: sel.where,
          args: sel.args,
          idsOnly: true,
        });
        for (const r of page)
          if (!seen.has(r.id)) {
            seen.add(r.id);
            ids.push(r.id);
          }
        if (page.length < COLLECT_PAGE) break;
        const last = page[page.length - 1];
        after = { t: last.desired_time, rowid: last.rowid };
        await yieldToLoop();
      }
    }
  return ids;
}

async function cancelOne(ctx: EngineCtx, id: string, row = ctx.store.getCallback(id)): Promise<ItemResult> {
  if (!row) return { _id: id, status: "failed", message: `No such request to cancel : [${id}]` };
  if (row.state === "COMPLETED") return { _id: id, status: "skipped", message: `Request already cancelled or completed : [${id}]` };
  if (row.state === "PROCESSING")
    return { _id: id, status: "skipped", message: `Callback ${id} is PROCESSING (customer connected to an agent) and is not cancelled` };
  try {
    await cancelCallback(ctx, id, { reason: ADMIN_REASON, discardOrsFailure: true });
    return { _id: id, status: "cancelled" };
  } catch (e) {
    if (e instanceof CallbackError && e.code === 40020) return { _id: id, status: "skipped", message: e.message };
    if (e instanceof CallbackError) return { _id: id, status: "failed", message: e.message };
    log().error({ err: e }, "bulk cancel failed");
    return { _id: id, status: "failed", message: "internal error" };
  }
}

/**
 * Cancels one batch. Callbacks that execution does not hold are cancelled inside ONE enclosing transaction:
 * cancelCallback() reaches its own transaction synchronously for them, which then nests as a savepoint, so the
 * batch costs one commit instead of one per callback (half the time per callback in bench/admin-bulk.ts; should
 * cancelCallback ever await first, its transaction simply runs on its own — same result, slower). Handed-over
 * callbacks need a call to execution first: they run outside it, at most CONCURRENCY at a time.
 */
async function cancelBatch(ctx: EngineCtx, batch: string[]): Promise<ItemResult[]> {
  const results: Promise<ItemResult>[] = new Array(batch.length);
  const remote: number[] = [];
  ctx.store.tx(() => {
    for (let k = 0; k < batch.length; k++) {
      const row = ctx.store.getCallback(batch[k]);
      if (row && IN_EXECUTION.has(row.state) && row.state !== "PROCESSING" && !row.external) remote.push(k);
      else results[k] = cancelOne(ctx, batch[k], row);
    }
  });
  let next = 0;
  const worker = async () => {
    while (next < remote.length) {
      const k = remote[next++];
      results[k] = cancelOne(ctx, batch[k]);
      await results[k];
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, remote.length) }, worker));
  return Promise.all(results);
}

/** The stored summary of a bulk cancel while it runs and after: what a progress bar polls. */
export interface Progress {
  operation: string;
  status: "running" | "completed" | "failed";
  reason: string;
  actor: string | null;
  started: string;
  finished?: string;
  total: number;
  cancelled: number;
  skipped: number;
  failed: number;
  error?: string;
}

function save(ctx: EngineCtx, p: Progress, summary: string): void {
  ctx.store
    .stmt("UPDATE bulk_operations SET status = ?, finished_at = ?, summary = ? WHERE id = ?")
    .run(p.status, p.finished ? Date.parse(p.finished) : null, summary, p.operation);
}

export interface BulkRun {
  operation: string;
  /** The summary stored when the operation started (status "running"). */
  initial: string;
  /** Resolves with the final summary JSON text (the stored one, serialised batch by batch, never in one long call). */
  done: Promise<string>;
}

/** Runs a bulk cancel to completion and returns its summary as JSON text. */
export async function bulkCancel(ctx: EngineCtx, body: Record<string, unknown>): Promise<string> {
  return startBulkCancel(ctx, body).done;
}

/** Validates the request (throws before storing anything on a bad one), stores the operation and starts it. */
export function startBulkCancel(ctx: EngineCtx, body: BulkCancelRequest): BulkRun {
  const req = parseRequest(body);
  const sel = req.filter ? resolveSelection(ctx, req.filter) : null; // a bad filter is refused before anything is stored
  const request = req.ids ? { ids: req.ids.length } : { filter: body.filter };
  return startBulkCancelOf(ctx, request, req.ids ? async () => req.ids! : () => collect(ctx, sel!));
}

/**
 * A bulk cancel of the callbacks `items` finds. It is stored as running at once and answered before `items` runs,
 * so a large item set is read in the background (`request` describes it in the stored summary).
 */
export function startBulkCancelOf(ctx: EngineCtx, request: Record<string, unknown>, items: () => Promise<string[]>): BulkRun {
  const operation = randomUUID();
  const started = ctx.now();
  const p: Progress = {
    operation,
    status: "running",
    reason: ADMIN_REASON,
    actor: ctx.actor ?? null,
    started: iso(started),
    total: 0,
    cancelled: 0,
    skipped: 0,
    failed: 0,
  };
  const initial = JSON.stringify(p);
  ctx.store
    .stmt(
      "INSERT INTO bulk_operations (id, kind, actor, created_at, finished_at, status, request, summary) VALUES (?, 'cancel', ?, ?, " +
        "NULL, 'running', ?, ?)",
    )
    .run(operation, p.actor, started, JSON.stringify({ reason: ADMIN_REASON, ...request }), initial);
  return { operation, initial, done: runBulk(ctx, p, items) };
}

async function runBulk(ctx: EngineCtx, p: Progress, items: () => Promise<string[]>): Promise<string> {
  const chunks: string[] = [];
  await yieldToLoop(); // nothing runs before the caller had the chance to answer
  try {
    const ids = await items();
    p.total = ids.length;
    save(ctx, p, JSON.stringify(p));
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const results = await cancelBatch(ctx, batch);
      for (const r of results) p[r.status] += 1;
      chunks.push(results.map((r) => JSON.stringify(r)).join(","));
      save(ctx, p, JSON.stringify(p));
      await yieldToLoop();
    }
    p.status = "completed";
  } catch (e) {
    p.status = "failed";
    p.error = e instanceof CallbackError ? e.message : "internal error";
    p.finished = iso(ctx.now());
    save(ctx, p, JSON.stringify({ ...p, results: [] }));
    throw e;
  }
  p.finished = iso(ctx.now());
  const summary = `${JSON.stringify(p).slice(0, -1)},"results":[${chunks.join(",")}]}`;
  save(ctx, p, summary);
  return summary;
}

/** The stored summary of a bulk operation (JSON text), or 404 40030. */
export function bulkSummary(ctx: EngineCtx, operation: string): string {
  const op = ctx.store.getBulkOperation(operation);
  if (!op) throw notFound(`Bulk operation ${operation} cannot be found`);
  return op.summary;
}

/** The per-item results of a stored summary (the CSV download). */
export function summaryResults(summary: string): ItemResult[] {
  const parsed = JSON.parse(summary) as { results?: ItemResult[] };
  return parsed.results ?? [];
}
