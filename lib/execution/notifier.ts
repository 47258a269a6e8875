// Status notifications: sent from the durable outbox, never on the request path; retried with
// backoff; given up after MAX_ATTEMPTS (reported as an event). A target the outbound policy refuses (or that is
// no URL at all, e.g. an unresolved `$token$`) is dropped at once: retrying cannot make it usable.
import type { EngineCtx } from "../callback/context";
import { adminUrlsOf } from "../callback/config";
import { postJson, OutboundRefused } from "./outbound";

const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 5000;
/**
 * How long a round's rows are claimed: far beyond one POST's timeout, so they are settled (deleted or given
 * their next try) before the claim ends; a sender that dies mid-round leaves them to be sent again after it.
 */
export const CLAIM_MS = 60_000;

/** The URLs the callback's service configures (the outbound policy's default allowance); none once it is gone. */
async function adminUrls(ctx: EngineCtx, service: string | null): Promise<string[]> {
  const options = service ? (await ctx.store.getService(service))?.options : undefined;
  return options ? adminUrlsOf(options) : [];
}

export async function sendNotifications(ctx: EngineCtx, limit = 100): Promise<number> {
  const now = ctx.now();
  // claimed: neither a later round of this process nor another server sends them while this one does
  const todo = await ctx.store.claimNotifications(now, limit, now + CLAIM_MS);
  await Promise.all(
    todo.map(async (r) => {
      let error: string | null = null;
      let final = false;
      try {
        const res = await postJson(r.target, JSON.parse(r.payload), {
          configured: await adminUrls(ctx, r.service_name),
          timeoutMs: TIMEOUT_MS,
        });
        if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
      } catch (e) {
        error = (e as Error).message;
        final = e instanceof OutboundRefused;
      }
      const t = ctx.now();
      if (!error) await ctx.store.deleteNotification(r.id);
      else if (final || r.attempts + 1 >= MAX_ATTEMPTS) {
        await ctx.store.tx(async () => {
          await ctx.store.deleteNotification(r.id);
          await ctx.store.insertEvent({
            time: t,
            serviceName: r.service_name,
            callbackId: r.callback_id,
            type: "notification_dropped",
            actor: "notifier",
            details: { target: r.target, error, attempts: r.attempts + 1 },
          });
        });
      } else await ctx.store.retryNotification(r.id, t + Math.min(300_000, 1000 * 2 ** r.attempts), error);
    }),
  );
  return todo.length;
}
