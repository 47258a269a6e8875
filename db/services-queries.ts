// SQL of the console's Configured Services list: callbacks per service in a desired-time window (the
// (desired_time, id) index serves the range; the grouping is over that day's rows only).
import type { CallbackStore } from "./callback-store";

/** Callbacks whose desired time lies in [from, to), per service name. */
export async function callbacksPerService(store: CallbackStore, from: number, to: number): Promise<Map<string, number>> {
  const rows = await store.query<{ name: string; n: number }>(
    "SELECT service_name AS name, count(*) AS n FROM callbacks WHERE desired_time >= ? AND desired_time < ? GROUP BY service_name",
    [from, to],
  );
  return new Map(rows.map((r) => [r.name, r.n]));
}
