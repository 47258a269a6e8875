"use client";
import { useEffect, useState } from "react";

// Posting and saving the editors' options; a 400 with `properties.issues` names each bad option.
export interface Issue {
  option: string;
  message: string;
}

export class SaveError extends Error {
  constructor(
    message: string,
    readonly issues: Issue[],
  ) {
    super(message);
  }
}

export async function sendJson<T>(method: "POST" | "PUT", url: string, body: unknown): Promise<T> {
  const r = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body), cache: "no-store" });
  if (r.status === 401) {
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(new URL(`/signin?callbackUrl=${back}`, window.location.origin).href);
    throw new Error("Your session has expired: signing in again");
  }
  const data = (await r.json().catch(() => null)) as { message?: string; properties?: { issues?: Issue[] } } | null;
  if (!r.ok) {
    throw new SaveError(
      data?.message ? `${data.message} (HTTP ${r.status})` : `The server answered HTTP ${r.status}`,
      data?.properties?.issues ?? [],
    );
  }
  return data as T;
}

/** Monday of the week holding today's date, as YYYY-MM-DD in the browser's calendar. */
export function thisMonday(): string {
  const d = new Date();
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** An option map as comparable text, whatever the order of its keys. */
export const canonical = (o: Record<string, unknown>) => JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The value once it has stopped changing for a moment: a preview per pause in typing, not per keystroke. */
export function useSettled<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
