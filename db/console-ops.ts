// SQL of the console's bulk-operation list (Download Reports → cancellation summaries): the latest operations'
// counts, read without their per-item results (which can hold 100,000 entries).
import type { CallbackStore } from "./callback-store";

export interface BulkOperationRow {
  id: string;
  actor: string | null;
  created_at: number;
  status: string;
  /** The stored summary without `results` (JSON text). */
  counts: string;
}

/** The summary without `results`, as JSON text. */
const counts = (store: CallbackStore) =>
  store.dialect === "postgres" ? "((summary::jsonb) - 'results')::text" : "json_remove(summary, '$.results')";

export async function recentBulkOperations(store: CallbackStore, limit: number): Promise<BulkOperationRow[]> {
  // ties on created_at: SQLite's insertion order; PostgreSQL has none to offer, the id decides
  const tie = store.dialect === "postgres" ? "id DESC" : "rowid DESC";
  return await store.query<BulkOperationRow>(
    `SELECT id, actor, created_at, status, ${counts(store)} AS counts FROM bulk_operations WHERE kind = 'cancel' ` +
      `ORDER BY created_at DESC, ${tie} LIMIT ?`,
    [limit],
  );
}

/** One operation's summary without its per-item results (the progress bar polls this). */
export async function bulkOperationCounts(store: CallbackStore, id: string): Promise<string | undefined> {
  const rows = await store.query<{ c: string }>(`SELECT ${counts(store)} AS c FROM bulk_operations WHERE id = ?`, [id]);
  return rows[0]?.c;
}
