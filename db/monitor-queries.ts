// SQL of the console Monitor: state changes of the last hour per service in 5-minute steps (the sparklines) and
// the latest events. Both read the (service_name, time) index or the event id, never the whole table.
import type { CallbackStore, EventRow } from "./callback-store";

export interface StepRow {
  service: string;
  step: number;
  /** the state entered (accepted, state change, cancel) */
  state: string | null;
  /** the state left (`details.from`); null for an accepted callback */
  from_state: string | null;
  n: number;
}

/**
 * State changes (accepted callbacks and transitions, which record the state left in `details.from`) per service,
 * step (floor((time − since) / stepMs)) and (from, to) pair since `since`.
 */
export async function stateChangesSince(
  store: CallbackStore,
  services: readonly string[],
  since: number,
  stepMs: number,
): Promise<StepRow[]> {
  if (services.length === 0) return [];
  if (store.dialect === "postgres")
    return await store.query<StepRow>(
      `SELECT service_name AS service, (time - ?::bigint) / ?::bigint AS step, state,
              (details::jsonb ->> 'from') AS from_state, count(*) AS n
       FROM callback_events WHERE service_name = ANY(?::text[]) AND time >= ? AND state IS NOT NULL
         AND (type = 'accepted' OR (details::jsonb ->> 'from') IS NOT NULL)
       GROUP BY service_name, step, state, from_state`,
      [since, stepMs, services, since],
    );
  return await store.query<StepRow>(
    `SELECT service_name AS service, CAST((time - ?) / ? AS INTEGER) AS step, state,
            json_extract(details, '$.from') AS from_state, count(*) AS n
     FROM callback_events WHERE service_name IN (SELECT value FROM json_each(?)) AND time >= ? AND state IS NOT NULL
       AND (type = 'accepted' OR json_extract(details, '$.from') IS NOT NULL)
     GROUP BY service_name, step, state, from_state`,
    [since, stepMs, JSON.stringify(services), since],
  );
}

export async function latestEvents(store: CallbackStore, limit: number): Promise<EventRow[]> {
  return await store.query<EventRow>(
    "SELECT id, time, service_name, callback_id, type, state, reason, actor FROM callback_events ORDER BY id DESC LIMIT ?",
    [limit],
  );
}
