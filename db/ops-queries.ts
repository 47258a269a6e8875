// SQL of the operations endpoints (/readyz, /metrics): small, indexed reads, the same text for both stores.
import type { CallbackStore } from "./callback-store";

/** Callbacks per service and state (reads the (service_name, state, desired_time) index). */
export async function callbacksByServiceAndState(store: CallbackStore): Promise<Array<{ service: string; state: string; n: number }>> {
  return await store.query("SELECT service_name AS service, state, count(*) AS n FROM callbacks GROUP BY service_name, state");
}

/** How far behind its due time the oldest due SCHEDULED callback is (0 when none is due). */
export async function schedulerLagMs(store: CallbackStore, now: number): Promise<number> {
  const [r] = await store.query<{ due: number | null }>(
    "SELECT min(due_at) AS due FROM callbacks WHERE state = 'SCHEDULED' AND due_at <= ?",
    [now],
  );
  return r?.due == null ? 0 : now - r.due;
}

/** Status notifications waiting in the outbox, and the age of the oldest. */
export async function outboxBacklog(store: CallbackStore, now: number): Promise<{ count: number; oldestAgeMs: number }> {
  const [r] = await store.query<{ n: number; oldest: number | null }>(
    "SELECT count(*) AS n, min(created_at) AS oldest FROM notification_outbox",
  );
  return { count: r.n, oldestAgeMs: r.oldest == null ? 0 : now - r.oldest };
}

/** The scheduler lease: who holds it and until when (null when nobody ever took it). */
export async function schedulerLease(store: CallbackStore): Promise<{ holder: string; expiresAt: number } | null> {
  const [r] = await store.query<{ holder: string; expiresAt: number }>(
    `SELECT holder, expires_at AS ${store.dialect === "postgres" ? '"expiresAt"' : "expiresAt"} FROM leases WHERE name = 'scheduler'`,
  );
  return r ?? null;
}

/** Migrations applied to this database, and those this code knows. */
export async function migrationLevel(store: CallbackStore): Promise<{ applied: number; known: number }> {
  return await store.migrationLevel();
}

/** Whether a write transaction can be opened right now (SQLite: the write lock is free within busy_timeout). */
export async function writable(store: CallbackStore): Promise<boolean> {
  try {
    await store.tx(() => store.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}

/** Bytes the database takes. */
export async function databaseBytes(store: CallbackStore): Promise<number> {
  return await store.databaseBytes();
}
