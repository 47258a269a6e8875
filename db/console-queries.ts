// SQL of the console's Callbacks panel: one filtered, sorted, paged search with its exact count, and an id
// stream of the same filter (exports, "cancel all in range"). Filters are bound parameters; the sort column
// comes from a fixed map, never from the request.
import type { CallbackStore, CallbackRow } from "./callback-store";

export interface CallbackSearch {
  /** desired_time window [from, to) in epoch ms */
  from: number;
  to: number;
  states: readonly string[];
  services: readonly string[];
  /** digits the customer number must contain */
  numberDigits?: string;
  sort: keyof typeof SORT_COLUMNS;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

export const SORT_COLUMNS = {
  desired: "desired_time",
  state: "state",
  service: "service_name",
  number: "customer_number",
  id: "id",
} as const;

const COLS =
  "id, service_name, customer_number, desired_time, state, reason, time_scheduled, expiration_time, ors_session_id, bucket, " +
  "enqueued_at, due_at, submit_attempts, immediate, handed_off, external, props, version, updated_at, completed_at";

function where(store: CallbackStore, s: Omit<CallbackSearch, "sort" | "dir" | "limit" | "offset">): { sql: string; params: unknown[] } {
  const pg = store.dialect === "postgres";
  const parts = ["desired_time >= ?", "desired_time < ?"];
  const params: unknown[] = [s.from, s.to];
  if (s.states.length) {
    // `+state`: the (state, due_at) index would read every callback in those states; the window index is narrower
    parts.push(`${pg ? "" : "+"}state IN (${s.states.map(() => "?").join(",")})`);
    params.push(...s.states);
  }
  if (s.services.length) {
    parts.push(`service_name IN (${s.services.map(() => "?").join(",")})`);
    params.push(...s.services);
  }
  if (s.numberDigits) {
    // instr/strpos, not LIKE: the digits are data, never a pattern
    parts.push(pg ? "strpos(customer_number, ?) > 0" : "instr(customer_number, ?) > 0");
    params.push(s.numberDigits);
  }
  return { sql: parts.join(" AND "), params };
}

/** One page and the exact number of callbacks the filter selects. */
export async function searchCallbackPage(store: CallbackStore, s: CallbackSearch): Promise<{ total: number; rows: CallbackRow[] }> {
  const w = where(store, s);
  const [count] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM callbacks WHERE ${w.sql}`, w.params);
  const total = count?.n ?? 0;
  // id breaks ties, so paging is stable whatever the sort column
  const order = `${SORT_COLUMNS[s.sort]} ${s.dir === "desc" ? "DESC" : "ASC"}, id ${s.dir === "desc" ? "DESC" : "ASC"}`;
  const rows = await store.query<CallbackRow>(`SELECT ${COLS} FROM callbacks WHERE ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...w.params,
    s.limit,
    s.offset,
  ]);
  return { total, rows };
}

/** Every callback the filter selects, in desired-time order, read in keyset pages (bounded memory). */
export function iterateCallbacks(store: CallbackStore, s: Omit<CallbackSearch, "sort" | "dir" | "limit" | "offset">, page = 2000) {
  return keysetPages<CallbackRow>(store, COLS, s, page);
}

/** The ids alone, as `iterateCallbacks` orders them: what a bulk cancel of a whole range needs. */
export function iterateCallbackIds(store: CallbackStore, s: Omit<CallbackSearch, "sort" | "dir" | "limit" | "offset">, page = 5000) {
  return keysetPages<{ id: string; desired_time: number }>(store, "id, desired_time", s, page);
}

async function* keysetPages<R extends { id: string; desired_time: number }>(
  store: CallbackStore,
  cols: string,
  s: Omit<CallbackSearch, "sort" | "dir" | "limit" | "offset">,
  page: number,
): AsyncGenerator<R> {
  const w = where(store, s);
  const sql =
    `SELECT ${cols} FROM callbacks WHERE ${w.sql} AND (desired_time > ? OR (desired_time = ? AND id > ?)) ` +
    "ORDER BY desired_time, id LIMIT ?";
  // the first page starts below every stored time (PostgreSQL's bigint has no -Infinity)
  let last: { t: number; id: string } = { t: Number.MIN_SAFE_INTEGER, id: "" };
  for (;;) {
    const rows = await store.query<R>(sql, [...w.params, last.t, last.t, last.id, page]);
    yield* rows;
    if (rows.length < page) return;
    const tail = rows[rows.length - 1]!;
    last = { t: tail.desired_time, id: tail.id };
  }
}

/** How many callbacks the filter selects, per service and state (one grouped read: a bulk cancel's confirmation). */
export async function countByServiceAndState(
  store: CallbackStore,
  s: Omit<CallbackSearch, "sort" | "dir" | "limit" | "offset">,
): Promise<Array<{ service: string; state: string; n: number }>> {
  const w = where(store, s);
  return await store.query<{ service: string; state: string; n: number }>(
    `SELECT service_name AS service, state, count(*) AS n FROM callbacks WHERE ${w.sql} GROUP BY service_name, state`,
    w.params,
  );
}

/** The event timeline of one callback, oldest first. */
export async function callbackTimeline(store: CallbackStore, id: string) {
  return await store.eventsFor(id);
}
