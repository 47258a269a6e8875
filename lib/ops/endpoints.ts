// The operations endpoints: /healthz (the process answers), /readyz (it can do its work) and /metrics
// (Prometheus text; a METRICS_TOKEN bearer token or an admin's Basic credentials). README "Operations".
import { timingSafeEqual } from "node:crypto";
import { getStore } from "../../db/store";
import { writable, migrationLevel, schedulerLease, outboxBacklog } from "../../db/ops-queries";
import { metrics } from "./metrics";
import { withBasicAuth } from "../http/wrappers";
import { json } from "../http/respond";

/** /readyz fails when more status notifications than this wait in the outbox. */
const OUTBOX_READY_MAX = Number(process.env.READY_OUTBOX_MAX || 10_000);

export const healthz = () => json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });

export async function readyz(now = Date.now()): Promise<Response> {
  const store = getStore();
  const level = await migrationLevel(store);
  const lease = await schedulerLease(store);
  const outbox = await outboxBacklog(store, now);
  const checks = {
    database: { ok: await writable(store) },
    migrations: { ok: level.applied === level.known, ...level },
    // someone (this process or another on the same database) runs the scheduler and renews its lease
    scheduler: { ok: lease !== null && lease.expiresAt >= now, holder: lease?.holder ?? null },
    outbox: { ok: outbox.count < OUTBOX_READY_MAX, backlog: outbox.count, oldestAgeSeconds: Math.round(outbox.oldestAgeMs / 1000) },
  };
  const ready = Object.values(checks).every((c) => c.ok);
  return json({ status: ready ? "ready" : "not ready", checks }, ready ? 200 : 503);
}

function bearerOk(header: string | null): boolean {
  const token = process.env.METRICS_TOKEN;
  if (!token || !header?.startsWith("Bearer ")) return false;
  const [a, b] = [Buffer.from(header.slice(7)), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

const exposition = async () => {
  const { registry, text } = metrics();
  return new Response(await text(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
};
const asAdmin = withBasicAuth("admin", exposition);

export async function metricsEndpoint(req: Request): Promise<Response> {
  if (bearerOk(req.headers.get("authorization"))) return await exposition();
  return asAdmin({ req, url: new URL(req.url), params: {} });
}
