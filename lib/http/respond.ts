// Responses of the edge: JSON helpers and the GMS error body.
import { CallbackError } from "../callback/errors";
import { log } from "../ops/logger";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS });
}

/** A JSON body already serialized (UTF-8) by its verb. */
export function jsonBytes(body: Uint8Array<ArrayBuffer>): Response {
  return new Response(body, { status: 200, headers: JSON_HEADERS });
}

export function empty(status = 200): Response {
  return new Response(null, { status });
}

export function errorResponse(err: CallbackError, headers?: Record<string, string>): Response {
  return json(err.toBody(), err.status, headers);
}

/** Any thrown value → GMS body. Unknown errors become 50050 with a safe message; the detail is only logged. */
export function toErrorResponse(e: unknown): Response {
  if (e instanceof CallbackError) return errorResponse(e);
  const code = (e as { code?: string })?.code;
  if (typeof code === "string" && code.startsWith("SQLITE_")) {
    log().error({ err: e }, "storage error");
    return errorResponse(new CallbackError(50020, "Storage error, please retry"));
  }
  log().error({ err: e }, "internal error");
  return errorResponse(new CallbackError(50050, "Error processing callback internal error", { properties: { message: "internal error" } }));
}
