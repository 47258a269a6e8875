// Estimated waiting time: from the observed handling rate of the service — callbacks leaving the
// queue (QUEUED → ROUTING) over the last 30 minutes. Without observations: 60 s per waiting callback.
import type { CallbackStore } from "../../db/callback-store";

const WINDOW_MS = 30 * 60_000;
const FALLBACK_SECONDS_PER_CALLBACK = 60;

/** Seconds per dequeued callback observed recently, or null when nothing was observed. */
async function secondsPerCallback(store: CallbackStore, service: string, now: number): Promise<number | null> {
  const n = await store.countStateEntries(service, "ROUTING", now - WINDOW_MS);
  return n > 0 ? WINDOW_MS / 1000 / n : null;
}

/** EWT in seconds for a callback at `position` (1 = next) in the service's queue. */
export async function ewtSeconds(store: CallbackStore, service: string, position: number, now: number): Promise<number> {
  const per = (await secondsPerCallback(store, service, now)) ?? FALLBACK_SECONDS_PER_CALLBACK;
  return Math.round(position * per);
}

/** EWT for a new request: it would join behind every QUEUED callback of the service. */
export async function ewtForNewRequest(store: CallbackStore, service: string, now: number): Promise<number> {
  return await ewtSeconds(store, service, (await store.countInState(service, "QUEUED")) + 1, now);
}
