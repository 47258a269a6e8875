// Admin Callback API: queues, watermarks, bulk cancel (+ its stored summary), cancelled report, GDPR
// delete — thin adapters over lib/callback/{admin-queues,bulk-cancel,report,forget}.ts. Roles: lib/http/routes.ts.
import { defaultCtx } from "../../runtime";
import { queryQueues, queryWatermarks } from "../../callback/admin-queues";
import { startBulkCancel, waitsForCompletion, bulkSummary, summaryResults, BulkCancelBody } from "../../callback/bulk-cancel";
import { cancelledReport, csvStream, ReportBody } from "../../callback/report";
import { forgetCallbacks, ForgetBody } from "../../callback/forget";
import { badParameter } from "../../callback/errors";
import { readBodyAs } from "../body";
import { json, empty } from "../respond";
import type { RouteCtx } from "../router";
import { log } from "../../ops/logger";

const ctxOf = (c: RouteCtx) => defaultCtx(c.user?.username);
const JSON_TEXT = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
const csvHeaders = (filename: string) => ({
  "content-type": "text/csv; charset=utf-8",
  "content-disposition": `attachment; filename="${filename}"`,
  "cache-control": "no-store",
});

// GET /genesys/1/admin/callback/queues — outstanding callbacks per service
export const queues = async (c: RouteCtx) => json(await queryQueues(ctxOf(c), c.url.searchParams));

// GET /genesys/1/admin/callback/watermarks[?service_name=…] — callbacks in execution per service
export const watermarks = async (c: RouteCtx) => json(await queryWatermarks(ctxOf(c), c.url.searchParams.getAll("service_name")));

// POST /genesys/1/admin/callback/cancel — bulk cancel by ids or filter, per-item results
export async function bulkCancel(c: RouteCtx): Promise<Response> {
  const body = await readBodyAs(c.req, BulkCancelBody, { lists: ["ids"], json: ["filter"] });
  const run = await startBulkCancel(ctxOf(c), body);
  if (waitsForCompletion(body)) return new Response(await run.done, { status: 200, headers: JSON_TEXT });
  // the operation itself stores a failure as "failed"; here it is only logged
  run.done.catch((e) => log().error({ err: e, operation: run.operation }, "bulk cancel failed"));
  return new Response(run.initial, {
    status: 202,
    headers: { ...JSON_TEXT, location: `/genesys/1/admin/callback/cancel/${run.operation}` },
  });
}

// GET /genesys/1/admin/callback/cancel/{operation}[?format=csv] — the stored summary of a bulk cancel
export async function bulkCancelSummary(c: RouteCtx): Promise<Response> {
  const summary = await bulkSummary(ctxOf(c), c.params.operation);
  const format = (c.url.searchParams.get("format") ?? "json").toLowerCase();
  if (format === "json") return new Response(summary, { status: 200, headers: JSON_TEXT });
  if (format !== "csv") throw badParameter(`Invalid format '${format}': use json or csv`);
  const results = summaryResults(summary);
  let i = 0;
  const next = () => {
    if (i >= results.length) return null;
    const rows = results.slice(i, i + 1000).map((r) => [r._id, r.status, r.message ?? ""]);
    i += 1000;
    return rows;
  };
  return new Response(csvStream(["_id", "status", "message"], next), {
    status: 200,
    headers: csvHeaders(`cancel-${c.params.operation}.csv`),
  });
}

// POST /genesys/1/admin/callback/reportcancelled — CSV of callbacks cancelled with a reason (streamed)
export async function reportCancelled(c: RouteCtx): Promise<Response> {
  const stream = await cancelledReport(ctxOf(c), await readBodyAs(c.req, ReportBody, { lists: ["exported_properties"] }));
  if (!stream) return empty(204);
  return new Response(stream, { status: 200, headers: csvHeaders("report.csv") });
}

// POST /genesys/1/admin/callback/ops/delete — "forget me": delete callbacks and their personal data
export const opsDelete = async (c: RouteCtx) =>
  json(await forgetCallbacks(ctxOf(c), await readBodyAs(c.req, ForgetBody, { lists: ["_id", "_customer_number"] })));
