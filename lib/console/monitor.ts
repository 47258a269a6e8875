// Read models for the console's live panels (Monitor): plain queries over the store.
import type { Store } from "../../db/store";

export function monitorSnapshot(store: Store) {
  const byState = store
    .stmt("SELECT service_name AS service, state, count(*) AS n FROM callbacks GROUP BY service_name, state")
    .all() as Array<{ service: string; state: string; n: number }>;
  const services: Record<string, Record<string, number>> = {};
  for (const s of store.listServices()) if (s.kind === "callback") services[s.name] = {};
  for (const r of byState) (services[r.service] ??= {})[r.state] = r.n;
  const inExecution = (m: Record<string, number>) => (m.QUEUED ?? 0) + (m.ROUTING ?? 0) + (m.PROCESSING ?? 0) + (m.PAUSED ?? 0);
  const events = store
    .stmt("SELECT id, time, service_name, callback_id, type, state, reason, actor FROM callback_events ORDER BY id DESC LIMIT 30")
    .all();
  return {
    watermarks: {
      total: Object.values(services).reduce((a, m) => a + inExecution(m), 0),
      services: Object.fromEntries(Object.entries(services).map(([k, m]) => [k, inExecution(m)])),
    },
    byState: services,
    events,
  };
}
