// The HTTP execution engine (`_type=ors`): hand-off = POST {_ors} with {callback, options} and
// `Idempotency-Key: <_id>`; cancel = POST {_ors}/{_id}/cancel. Timeouts (5 s), non-2xx (3xx included: redirects
// are not followed) and URLs the outbound policy refuses are failures.
import { postJson, type OutboundResponse } from "./outbound";

const ORS_TIMEOUT_MS = 5000;

async function post(
  url: string,
  body: unknown,
  configured: readonly string[],
  headers: Record<string, string> = {},
): Promise<OutboundResponse> {
  if (!url) throw new Error("no execution engine URL configured (_ors)");
  const res = await postJson(url, body, { configured, headers, timeoutMs: ORS_TIMEOUT_MS });
  if (res.status < 200 || res.status > 299) {
    const redirect = res.status >= 300 && res.status < 400 ? " (redirects are not followed)" : "";
    throw new Error(`execution engine answered ${res.status}${redirect}`);
  }
  return res;
}

/** `configured`: the service's URL options as the admin wrote them (the outbound policy's default allowance). */
export async function orsSubmit(
  url: string,
  record: Record<string, string>,
  options: Record<string, unknown>,
  configured: readonly string[],
): Promise<{ sessionId?: string }> {
  const res = await post(url, { callback: record, options }, configured, { "idempotency-key": record._id });
  try {
    const j: unknown = res.text ? JSON.parse(res.text) : {};
    const session = j && typeof j === "object" ? (j as Record<string, unknown>)._ors_session_id : undefined;
    return { sessionId: typeof session === "string" ? session : undefined };
  } catch {
    return {};
  }
}

export async function orsCancel(url: string, id: string, configured: readonly string[]): Promise<void> {
  await post(cancelUrl(url, id), { _id: id }, configured);
}

/** `{_ors}/{_id}/cancel`, keeping a query string of the engine URL after the path. */
function cancelUrl(url: string, id: string): string {
  try {
    const u = new URL(url.trim());
    u.pathname = `${u.pathname.replace(/\/+$/, "")}/${encodeURIComponent(id)}/cancel`;
    return u.toString();
  } catch {
    return url; // the outbound policy names what is wrong with it
  }
}
