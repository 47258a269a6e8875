"use client";
// JSON from a console route. An expired session (401) goes to sign-in, which comes back to this very URL.
export async function fetchJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { cache: "no-store" });
  if (r.status === 401) {
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    // a full page load: the sign-in page lives outside the console's client-side router
    window.location.assign(new URL(`/signin?callbackUrl=${back}`, window.location.origin).href);
    throw new Error("Your session has expired: signing in again");
  }
  if (!r.ok) {
    const body = (await r.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ? `${body.message} (HTTP ${r.status})` : `The server answered HTTP ${r.status}`);
  }
  return r.json() as Promise<T>;
}
