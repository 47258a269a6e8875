"use client";
// A console mutation: JSON in and out, a GMS error body turned into an ActionError carrying its message and code.
import { ActionError } from "./callbacks/actions/api";

export async function sendJson<T>(method: "POST" | "PUT" | "DELETE", url: string, body?: unknown): Promise<T> {
  const r = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await r.json().catch(() => null)) as { message?: string; code?: number } | null;
  if (!r.ok) throw new ActionError(answer?.message ?? `The server answered HTTP ${r.status}`, answer?.code);
  return answer as T;
}
