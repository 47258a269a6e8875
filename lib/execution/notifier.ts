// Status notifications (SPEC §6.5): sent from the durable outbox, never on the request path; retried with
// backoff; given up after MAX_ATTEMPTS (reported as an event).
import type { EngineCtx } from "../callback/context";

export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 5000;
const inFlight = new Set<number>();

export async function sendNotifications(ctx: EngineCtx, limit = 100): Promise<number> {
  const now = ctx.now();
  const rows = ctx.store.stmt("SELECT id, callback_id, target, payload, attempts FROM notification_outbox WHERE next_at <= ? ORDER BY next_at LIMIT ?")
    .all(now, limit) as Array<{ id: number; callback_id: string; target: string; payload: string; attempts: number }>;
  const todo = rows.filter((r) => !inFlight.has(r.id));
  await Promise.all(todo.map(async (r) => {
    inFlight.add(r.id);
    try {
      let error: string | null = null;
      try {
        const res = await fetch(r.target, { method: "POST", headers: { "content-type": "application/json" }, body: r.payload, signal: AbortSignal.timeout(TIMEOUT_MS) });
        await res.body?.cancel().catch(() => {});
        if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
      } catch (e) {
        error = (e as Error).message;
      }
      const t = ctx.now();
      if (!error) ctx.store.stmt("DELETE FROM notification_outbox WHERE id = ?").run(r.id);
      else if (r.attempts + 1 >= MAX_ATTEMPTS) {
        ctx.store.tx(() => {
          ctx.store.stmt("DELETE FROM notification_outbox WHERE id = ?").run(r.id);
          ctx.store.insertEvent({ time: t, callbackId: r.callback_id, type: "notification_dropped", actor: "notifier", details: { target: r.target, error } });
        });
      } else
        ctx.store.stmt("UPDATE notification_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?")
          .run(t + Math.min(300_000, 1000 * 2 ** r.attempts), error, r.id);
    } finally {
      inFlight.delete(r.id);
    }
  }));
  return todo.length;
}
