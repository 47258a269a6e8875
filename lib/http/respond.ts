// Responses of the edge: JSON helpers and the GMS error body.
import { CallbackError, badParameter } from "../callback/errors";
import { storageFault } from "../../db/errors";
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

/** The answer to text with U+0000, which PostgreSQL cannot store: refused on every route, whichever the store. */
export const NUL_REFUSED = "Text must not contain the NUL character (U+0000)";

/** Any thrown value → GMS body. Unknown errors become 50050 with a safe message; the detail is only logged. */
export function toErrorResponse(e: unknown): Response {
  if (e instanceof CallbackError) return errorResponse(e);
  const fault = storageFault(e);
  if (fault === "unstorable-text") return errorResponse(badParameter(NUL_REFUSED));
  if (fault === "unavailable") {
    log().error({ err: e }, "storage error");
    return errorResponse(new CallbackError(50020, "Storage error, please retry"));
  }
  log().error({ err: e }, "internal error");
  return errorResponse(new CallbackError(50050, "Error processing callback internal error", { properties: { message: "internal error" } }));
}
