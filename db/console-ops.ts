// SQL of the console's bulk-operation list (Download Reports → cancellation summaries): the latest operations'
// counts, read without their per-item results (which can hold 100,000 entries).
import type { Store } from "./store";

export interface BulkOperationRow {
  id: string;
  actor: string | null;
  created_at: number;
  status: string;
  /** The stored summary without `results` (JSON text). */
  counts: string;
}

export async function recentBulkOperations(store: Store, limit: number): Promise<BulkOperationRow[]> {
  await store.ready();
  return store
    .stmt(
      "SELECT id, actor, created_at, status, json_remove(summary, '$.results') AS counts FROM bulk_operations WHERE kind = 'cancel' " +
        "ORDER BY created_at DESC, rowid DESC LIMIT ?",
    )
    .all(limit) as BulkOperationRow[];
}

/** One operation's summary without its per-item results (the progress bar polls this). */
export async function bulkOperationCounts(store: Store, id: string): Promise<string | undefined> {
  await store.ready();
  return store.stmt("SELECT json_remove(summary, '$.results') FROM bulk_operations WHERE id = ?", "value").get(id) as string | undefined;
}
