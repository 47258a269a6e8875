// Shared fixtures of the public Callback API tests (issue 3): services, numbers, event and row counts, and a
// recording execution engine. Everything runs against the real temp SQLite database of freshEngine().
import { putService, putPatterns, putSettings } from "../lib/callback/config-admin";
import type { ExecutionEngine } from "../lib/execution/engine";
import type { CallbackConfig } from "../lib/callback/config";
import type { CallbackRow, EventRow as StoreEventRow } from "../db/store";
import type { freshEngine } from "./helpers";

export type Env = Awaited<ReturnType<typeof freshEngine>>;

export const S = "/genesys/1/service/callback";
export const S2 = "/genesys/2/service/callback";

export const EXC = {
  number: "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber",
  service: "com.genesyslab.gsg.services.callback.CallbackServiceException",
  availability: "com.genesyslab.gsg.services.callback.CallbackExceptionAvailability",
  unavailable: "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionServiceUnavailable",
  invalidOperation: "com.genesyslab.gsg.services.callback.CallbackExceptionInvalidOperation",
  base: "com.genesyslab.gsg.services.callback.CallbackException",
} as const;

/** A distinct, valid US number per i: +1617555<1000+i>. */
export const num = (i: number) => `+1617555${String(1000 + i).padStart(4, "0")}`;

export const cbService = async (env: Env, name: string, opts: Record<string, unknown> = {}) =>
  await putService(env.ctx, name, { _service: "callback", ...opts });
export const ohService = async (env: Env, name: string, opts: Record<string, unknown>) =>
  await putService(env.ctx, name, { _service: "office-hours", _timezone: "UTC", ...opts });
export const capService = async (env: Env, name: string, opts: Record<string, unknown>) =>
  await putService(env.ctx, name, { _service: "capacity", _timezone: "UTC", ...opts });
export const patterns = async (env: Env, group: string, p: Record<string, string>) => await putPatterns(env.ctx, group, p);
export const settings = async (env: Env, s: Record<string, unknown>) => await putSettings(env.ctx, s);

/** Rows in a table (the whole truth of "nothing else stored"). */
export const rowCount = async (env: Env, table = "callbacks") =>
  (await env.store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n;

/** A stored event with its JSON details, as the tests read it straight from SQLite. */
export interface EventRow extends StoreEventRow {
  details: string | null;
}

export const eventsOfType = async (env: Env, type: string): Promise<EventRow[]> =>
  await env.store.query<EventRow>("SELECT * FROM callback_events WHERE type = ? ORDER BY id", [type]);

/** Accepted and rejected request events, in order. */
export const requestEvents = async (env: Env): Promise<EventRow[]> =>
  await env.store.query<EventRow>("SELECT * FROM callback_events WHERE type IN ('accepted','rejected') ORDER BY id");

export const row = async (env: Env, id: string) => (await env.store.getCallback(id))!;
export const props = async (env: Env, id: string) => JSON.parse((await row(env, id)).props) as Record<string, string>;

/** An execution engine double that records every hand-off (with the effective options) and can fail. */
export function recordingEngine() {
  const submits: Array<{ id: string; attempt: number; options: Record<string, unknown>; record: CallbackRow }> = [];
  const cancels: string[] = [];
  const state = { failSubmit: false, failCancel: false };
  const engine: ExecutionEngine = {
    async submit(r: CallbackRow, cfg: CallbackConfig, attempt: number) {
      if (state.failSubmit) throw new Error("engine down");
      submits.push({ id: r.id, attempt, options: cfg.options, record: r });
      return { sessionId: `s-${r.id}` };
    },
    async cancel(r: CallbackRow) {
      if (state.failCancel) throw new Error("engine down");
      cancels.push(r.id);
    },
  };
  return { engine, submits, cancels, state };
}
