// SQL of the console's Configured Services list: callbacks per service in a desired-time window (the
// (desired_time, id) index serves the range; the grouping is over that day's rows only).
import type { Store } from "./store";

/** Callbacks whose desired time lies in [from, to), per service name. */
export async function callbacksPerService(store: Store, from: number, to: number): Promise<Map<string, number>> {
  await store.ready();
  const rows = store
    .stmt("SELECT service_name AS name, count(*) AS n FROM callbacks WHERE desired_time >= ? AND desired_time < ? GROUP BY service_name")
    .all(from, to) as Array<{ name: string; n: number }>;
  return new Map(rows.map((r) => [r.name, r.n]));
}
