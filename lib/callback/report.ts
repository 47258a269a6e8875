// Export Cancelled Callback Records (GMS reportcancelled): a CSV of the callbacks COMPLETED with a
// given reason whose `_desired_time` lies from now − 30 days to now + 15 days. Streamed: the database is read
// in keyset pages of ROWS_PER_CHUNK rows and each page becomes one CSV chunk, only when the client pulls it,
// so memory stays flat however many rows there are (bench/admin-csv.ts).
import Papa from "papaparse";
import { z } from "zod";
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "./context";
import { badParameter } from "./errors";
import { list, optText } from "./options";
import { callbackUrl } from "./record";
import { iso } from "./time";
import { log } from "../ops/logger";

const DEFAULT_COLUMNS = ["_desired_time", "_service_name", "_customer_number", "urs_virtual_queue", "_vq_for_outbound_calls", "target"];
const REPORT_PAST_MS = 30 * 86_400_000;
const REPORT_AHEAD_MS = 15 * 86_400_000;
export const ROWS_PER_CHUNK = 1000;
const MAX_COLUMNS = 200;

/**
 * Spreadsheet formula injection guard: a cell starting with = @ tab CR, or with + - not followed by a plain
 * number, is prefixed with ' by papaparse. Phone numbers (`+16175550100`, `+1 (617) 555-0100`) stay as they are.
 */
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

/** Routing options that a record may not carry itself: the report falls back to its service's option. */
const ROUTING = new Set(["_target", "_urs_virtual_queue", "_vq_for_outbound_calls"]);

export interface ReportRequest {
  reason: string;
  columns: string[];
}

/** The request body (form bodies: `exported_properties` as JSON text or a comma-separated list). */
export const ReportBody = z.object({
  callback_reason: z.string().nullish(),
  exported_properties: z.union([z.string(), z.array(z.string())], { message: "expected a list of property names" }).nullish(),
});
export type ReportRequestBody = z.infer<typeof ReportBody>;

/**
 * `callback_reason` is required (400 40010 "Callback reason is missing."). `exported_properties` is a JSON
 * array whose items may be comma-separated lists (`["_service_id,_desired_time"]`), or one such string;
 * empty or missing → the GMS default columns.
 */
export function parseReportRequest(body: ReportRequestBody): ReportRequest {
  const reason = body.callback_reason?.trim();
  if (!reason) throw badParameter("Callback reason is missing.");
  const raw = body.exported_properties ?? [];
  const columns = [...new Set((Array.isArray(raw) ? raw : [raw]).flatMap((x) => list(x)))];
  if (columns.length > MAX_COLUMNS) throw badParameter(`Invalid exported_properties: at most ${MAX_COLUMNS} properties`);
  return { reason, columns: columns.length ? columns : DEFAULT_COLUMNS };
}

/** Record fields read straight from the row (as toRecord() writes them), so a row costs no full record. */
const FIELDS: Record<string, (r: CallbackRow) => string> = {
  _id: (r) => r.id,
  _service_id: (r) => r.id, // GMS "service ID" = the callback id
  _service_name: (r) => r.service_name,
  _customer_number: (r) => r.customer_number ?? "",
  _desired_time: (r) => iso(r.desired_time),
  _callback_state: (r) => r.state,
  _callback_reason: (r) => r.reason ?? "",
  _time_scheduled: (r) => iso(r.time_scheduled),
  _expiration_time: (r) => iso(r.expiration_time),
  _ors_session_id: (r) => r.ors_session_id ?? "",
  _url: (r) => callbackUrl(r.service_name, r.id),
};

/**
 * Cell readers, one per column: record fields from the row; any other key from the callback's properties — a
 * key without a leading underscore also reads its `_` spelling (`urs_virtual_queue` ← `_urs_virtual_queue`) and
 * the routing keys fall back to the service's option. Missing → "".
 */
function readers(columns: string[], optionsOf: (service: string) => Record<string, unknown>) {
  return columns.map((key) => {
    const field = FIELDS[key];
    if (field) return (r: CallbackRow) => field(r);
    const under = key.startsWith("_") ? key : `_${key}`;
    const routing = ROUTING.has(under);
    return (r: CallbackRow, props: Record<string, string>) =>
      props[key] ?? props[under] ?? (routing ? optText(optionsOf(r.service_name), under) : "");
  });
}

/** A CSV body produced chunk by chunk on demand: `next()` returns the next rows, or null when done. */
export function csvStream(
  fields: string[],
  next: () => string[][] | null | Promise<string[][] | null>,
  first?: string[][],
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let header = true;
  let pending = first ?? null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const rows = pending ?? (await next());
          pending = null;
          if (rows === null) {
            if (header) controller.enqueue(enc.encode(Papa.unparse({ fields, data: [] }, { escapeFormulae: FORMULA }) + "\r\n"));
            controller.close();
            return;
          }
          controller.enqueue(
            enc.encode(Papa.unparse({ fields, data: rows }, { header, escapeFormulae: FORMULA, newline: "\r\n" }) + "\r\n"),
          );
          header = false;
        } catch (e) {
          log().error({ err: e }, "cancelled report failed");
          controller.error(e);
        }
      },
    },
    { highWaterMark: 1 },
  );
}

/** Pages of matching rows across `services` (default: every one with callbacks, deleted ones included), by desired time. */
async function pager(
  ctx: EngineCtx,
  reason: string,
  from: number,
  to: number,
  only?: string[],
): Promise<() => Promise<CallbackRow[] | null>> {
  const services = only ?? (await ctx.store.callbackServiceNames());
  let s = 0;
  let after: { t: number; rowid: number } | null = null;
  return async () => {
    while (s < services.length) {
      const page = await ctx.store.callbackPage({
        service: services[s],
        state: "COMPLETED",
        from,
        to,
        after,
        limit: ROWS_PER_CHUNK,
        where: { all: [{ field: "reason", op: "eq", value: reason }] },
      });
      if (page.length === ROWS_PER_CHUNK) {
        const last = page[page.length - 1];
        after = { t: last.desired_time, rowid: last.rowid };
      } else {
        s += 1;
        after = null;
      }
      if (page.length) return page;
    }
    return null;
  };
}

/** A narrower report (the console's parameters): a window inside the report's own, and one service. */
export interface ReportScope {
  from?: number;
  to?: number;
  service?: string;
}

/** The report as a CSV stream, or null when no callback matches (the edge answers 204). */
export async function cancelledReport(
  ctx: EngineCtx,
  body: ReportRequestBody,
  scope: ReportScope = {},
): Promise<ReadableStream<Uint8Array> | null> {
  const { reason, columns } = parseReportRequest(body);
  const now = ctx.now();
  const from = Math.max(now - REPORT_PAST_MS, scope.from ?? -Infinity);
  const to = Math.min(now + REPORT_AHEAD_MS, scope.to ?? Infinity);
  const nextRows = await pager(ctx, reason, from, to, scope.service === undefined ? undefined : [scope.service]);
  const options = new Map<string, Record<string, unknown>>();
  const cells = readers(columns, (service) => options.get(service) ?? {});
  const needsProps = columns.some((c) => !FIELDS[c]);
  const toRows = async (page: CallbackRow[]) => {
    // the options of the page's services, read once per report
    for (const name of new Set(page.map((r) => r.service_name)))
      if (!options.has(name)) options.set(name, (await ctx.store.getService(name))?.options ?? {});
    return page.map((r) => {
      const props = needsProps ? (JSON.parse(r.props) as Record<string, string>) : {};
      return cells.map((read) => read(r, props));
    });
  };
  const first = await nextRows();
  if (!first) return null;
  return csvStream(
    columns,
    async () => {
      const page = await nextRows();
      return page ? toRows(page) : null;
    },
    await toRows(first),
  );
}
