// SQL of the operations endpoints (/readyz, /metrics): small, indexed reads.
import fs from "node:fs";
import path from "node:path";
import type { Store } from "./store";
import { migrationsFolder } from "./client";

/** Callbacks per service and state (reads the (service_name, state, desired_time) index). */
export async function callbacksByServiceAndState(store: Store): Promise<Array<{ service: string; state: string; n: number }>> {
  await store.ready();
  return store.stmt("SELECT service_name AS service, state, count(*) AS n FROM callbacks GROUP BY service_name, state").all() as Array<{
    service: string;
    state: string;
    n: number;
  }>;
}

/** How far behind its due time the oldest due SCHEDULED callback is (0 when none is due). */
export async function schedulerLagMs(store: Store, now: number): Promise<number> {
  await store.ready();
  const due = store.stmt("SELECT min(due_at) FROM callbacks WHERE state = 'SCHEDULED' AND due_at <= ?", "value").get(now) as number | null;
  return due == null ? 0 : now - due;
}

/** Status notifications waiting in the outbox, and the age of the oldest. */
export async function outboxBacklog(store: Store, now: number): Promise<{ count: number; oldestAgeMs: number }> {
  await store.ready();
  const r = store.stmt("SELECT count(*) AS n, min(created_at) AS oldest FROM notification_outbox").get() as {
    n: number;
    oldest: number | null;
  };
  return { count: r.n, oldestAgeMs: r.oldest == null ? 0 : now - r.oldest };
}

/** The scheduler lease: who holds it and until when (null when nobody ever took it). */
export async function schedulerLease(store: Store): Promise<{ holder: string; expiresAt: number } | null> {
  await store.ready();
  return (
    (store.stmt("SELECT holder, expires_at AS expiresAt FROM leases WHERE name = 'scheduler'").get() as
      { holder: string; expiresAt: number } | undefined) ?? null
  );
}

/** Migrations applied to this database, and those this code knows. */
export async function migrationLevel(store: Store): Promise<{ applied: number; known: number }> {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  await store.ready();
  return { applied: store.stmt("SELECT count(*) FROM __drizzle_migrations", "value").get() as number, known: journal.entries.length };
}

/** Whether a write transaction can be opened right now (the write lock is free within busy_timeout). */
export async function writable(store: Store): Promise<boolean> {
  try {
    await store.tx(() => store.stmt("SELECT 1").get());
    return true;
  } catch {
    return false;
  }
}

/** Bytes of the database file and its WAL. */
export function databaseBytes(store: Store): number {
  const p = store.handle.path;
  if (p === ":memory:") return 0;
  let n = 0;
  for (const f of [p, `${p}-wal`])
    try {
      n += fs.statSync(f).size;
    } catch {
      /* no WAL yet */
    }
  return n;
}
