// The HTTP execution engine (`_type=ors`, SPEC §6.3): hand-off = POST {_ors} with {callback, options} and
// `Idempotency-Key: <_id>`; cancel = POST {_ors}/{_id}/cancel. Timeouts (5 s) and non-2xx are failures.
export const ORS_TIMEOUT_MS = 5000;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (!/^https?:\/\//i.test(url)) throw new Error(`no execution engine URL configured (_ors='${url}')`);
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(ORS_TIMEOUT_MS),
  });
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`execution engine answered ${res.status}`);
  }
  return res;
}

export async function orsSubmit(url: string, record: Record<string, string>, options: Record<string, unknown>): Promise<{ sessionId?: string }> {
  const res = await post(url, { callback: record, options }, { "idempotency-key": record._id });
  const text = await res.text();
  try {
    const j = text ? JSON.parse(text) : {};
    return { sessionId: typeof j?._ors_session_id === "string" ? j._ors_session_id : undefined };
  } catch {
    return {};
  }
}

export async function orsCancel(url: string, id: string): Promise<void> {
  await post(`${url.replace(/\/+$/, "")}/${encodeURIComponent(id)}/cancel`, { _id: id });
}
