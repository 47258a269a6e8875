"use client";
// Calls of the Configured Services pages to their console routes: JSON in and out; a refusal keeps the GMS message
// and, for a refused save, the message per option (the body's `properties`) to show beside each field.
import type { FieldErrors } from "@/lib/console/service-editor";

export class ServiceActionError extends Error {
  constructor(
    message: string,
    readonly fields: FieldErrors,
  ) {
    super(message);
  }
}

export async function send<T>(method: "POST" | "PUT" | "DELETE", url: string, body?: unknown): Promise<T> {
  const r = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await r.json().catch(() => null)) as { message?: string; properties?: FieldErrors } | null;
  if (r.status === 401) {
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(new URL(`/signin?callbackUrl=${back}`, window.location.origin).href);
    throw new ServiceActionError("Your session has expired: signing in again", {});
  }
  if (!r.ok) throw new ServiceActionError(json?.message ?? `The server answered HTTP ${r.status}`, json?.properties ?? {});
  return json as T;
}

export const serviceUrl = (name: string) => `/api/console/services/${encodeURIComponent(name)}`;
