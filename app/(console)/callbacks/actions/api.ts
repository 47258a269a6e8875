"use client";
// Fetch helpers of the console's action components: JSON in and out, GMS error bodies turned into readable errors,
// and the query keys every action refreshes.
import type { QueryClient } from "@tanstack/react-query";
import type { Role } from "@/lib/auth/users";

export class ActionError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

async function answer<T>(r: Response): Promise<T> {
  const body = (await r.json().catch(() => null)) as { message?: string; code?: number } | null;
  if (!r.ok) throw new ActionError(body?.message ?? `The server answered ${r.status}`, body?.code);
  return body as T;
}

export const postJson = async <T>(url: string, body?: unknown): Promise<T> =>
  answer<T>(
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

export const getJson = async <T>(url: string): Promise<T> => answer<T>(await fetch(url, { cache: "no-store" }));

/** After any action: the Callbacks list and the drawer of the callback it touched. */
export async function refreshCallbacks(client: QueryClient, id?: string): Promise<void> {
  await client.invalidateQueries({ queryKey: ["callbacks"] });
  if (id) await client.invalidateQueries({ queryKey: ["callback", id] });
}

/** Supervisors and admins act; a monitor only watches (the routes refuse it too). */
export const canAct = (role: Role) => role === "supervisor" || role === "admin";
