// The storage seam: every engine verb talks to this module, never to the driver directly, so another store
// (PostgreSQL for multi-server deployments) can be added without touching the rules.
// Configuration tables go through drizzle; the callback hot paths use cached prepared statements (≈3× faster
// than drizzle's query builder on this machine, see bench/README.md), over the same schema.
import { eq, asc, sql } from "drizzle-orm";
import type Database from "better-sqlite3";
import { getDb, type DbHandle } from "./client";
import * as t from "./schema";

export interface CallbackRow {
  id: string;
  service_name: string;
  customer_number: string | null;
  desired_time: number;
  state: string;
  reason: string | null;
  time_scheduled: number;
  expiration_time: number;
  ors_session_id: string | null;
  bucket: number | null;
  enqueued_at: number | null;
  due_at: number | null;
  submit_attempts: number;
  immediate: number;
  handed_off: number;
  external: number;
  props: string;
  /** JSON of the options fixed at start where they differ from the service's (see db/schema.ts); absent = none. */
  exec_options?: string | null;
  version: number;
  updated_at: number;
  completed_at: number | null;
}

export interface ServiceRow {
  name: string;
  kind: string;
  options: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** A stored event, as read back (without its JSON details). */
export interface EventRow {
  id: number;
  time: number;
  service_name: string | null;
  callback_id: string | null;
  type: string;
  state: string | null;
  reason: string | null;
  actor: string | null;
}

export interface EventInput {
  time: number;
  serviceName?: string | null;
  callbackId?: string | null;
  type: string;
  state?: string | null;
  reason?: string | null;
  actor?: string | null;
  details?: unknown;
}

const gl = globalThis as unknown as { __callbackEventListeners?: Set<(e: EventInput) => void> };
/** Process-wide observers of every event written (metrics count outcomes from them); they must not throw. */
export const eventListeners = () => (gl.__callbackEventListeners ??= new Set());

const COLS =
  "id, service_name, customer_number, desired_time, state, reason, time_scheduled, expiration_time, ors_session_id, bucket, enqueued_at, due_at, submit_attempts, immediate, handed_off, external, props, exec_options, version, updated_at, completed_at";

/** Attempts of one write transaction while another process holds the write lock past busy_timeout. */
export const TX_BUSY_ATTEMPTS = 3;

export class Store {
  readonly handle: DbHandle;
  readonly sqlite: Database.Database;
  private stmts = new Map<string, Database.Statement>();

  constructor(handle: DbHandle) {
    this.handle = handle;
    this.sqlite = handle.sqlite;
  }

  get db() {
    return this.handle.db;
  }

  /**
   * Changes whenever anything is written to the database: by this connection (`total_changes()`, trigger writes
   * included) or by another process (`PRAGMA data_version`). For caches of answers computed from the data.
   */
  changeStamp(): string {
    return `${this.stmt("PRAGMA data_version").pluck().get() as number}:${this.stmt("SELECT total_changes()").pluck().get() as number}`;
  }

  /** A cached prepared statement. */
  stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /**
   * Runs fn in ONE `BEGIN IMMEDIATE` transaction (the write lock is taken up front: no overbooking). When another
   * process holds the lock past busy_timeout (SQLITE_BUSY), the whole transaction is retried a few times.
   */
  tx<T>(fn: () => T): T {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.sqlite.transaction(fn).immediate();
      } catch (e) {
        if ((e as { code?: string }).code !== "SQLITE_BUSY" || attempt >= TX_BUSY_ATTEMPTS || this.sqlite.inTransaction) throw e;
        this.busyRetries++;
      }
    }
  }

  /** Transactions started again after SQLITE_BUSY (lock contention with another process), since open. */
  busyRetries = 0;

  private pending: Array<{ fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  private flushQueued = false;

  /**
   * Group commit: `fn` runs inside ONE `BEGIN IMMEDIATE` transaction shared with the other calls queued in the
   * same event-loop turn, each in its own savepoint (a throw undoes only that call). Resolves after COMMIT.
   * Calls still run one after another, so checks inside `fn` see every earlier write of the batch.
   */
  txGroup<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        setImmediate(() => this.flushGroup());
      }
    });
  }

  private flushGroup(): void {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    const results: Array<{ ok: boolean; v: unknown }> = [];
    try {
      this.sqlite
        .transaction(() => {
          for (const item of batch) {
            try {
              results.push({ ok: true, v: this.sqlite.transaction(item.fn)() }); // nested: a savepoint
            } catch (e) {
              results.push({ ok: false, v: e });
            }
          }
        })
        .immediate();
    } catch (e) {
      for (const item of batch) item.reject(e);
      return;
    }
    batch.forEach((item, i) => (results[i].ok ? item.resolve(results[i].v) : item.reject(results[i].v)));
  }

  // ---- services, settings, patterns (configuration) ----
  getService(name: string): ServiceRow | undefined {
    const r = this.stmt("SELECT name, kind, options, created_at, updated_at FROM services WHERE name = ?").get(name) as
      { name: string; kind: string; options: string; created_at: number; updated_at: number } | undefined;
    return r && { name: r.name, kind: r.kind, options: JSON.parse(r.options), createdAt: r.created_at, updatedAt: r.updated_at };
  }
  listServices(): ServiceRow[] {
    return this.db
      .select()
      .from(t.services)
      .orderBy(asc(t.services.name))
      .all()
      .map((r) => ({ ...r, options: JSON.parse(r.options) as Record<string, unknown> }));
  }
  putService(name: string, kind: string, options: Record<string, unknown>, now: number): void {
    this.db
      .insert(t.services)
      .values({ name, kind, options: JSON.stringify(options), createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: t.services.name, set: { kind, options: JSON.stringify(options), updatedAt: now } })
      .run();
  }
  deleteService(name: string): boolean {
    return this.db.delete(t.services).where(eq(t.services.name, name)).run().changes > 0;
  }
  getSettings(section: string): Record<string, unknown> | undefined {
    const r = this.stmt("SELECT options FROM settings WHERE section = ?").get(section) as { options: string } | undefined;
    return r ? JSON.parse(r.options) : undefined;
  }
  settingsVersion(section: string): number {
    const r = this.stmt("SELECT updated_at FROM settings WHERE section = ?").get(section) as { updated_at: number } | undefined;
    return r?.updated_at ?? 0;
  }
  putSettings(section: string, options: Record<string, unknown>, now: number): void {
    this.db
      .insert(t.settings)
      .values({ section, options: JSON.stringify(options), updatedAt: now })
      .onConflictDoUpdate({ target: t.settings.section, set: { options: JSON.stringify(options), updatedAt: now } })
      .run();
  }
  getPatternGroup(name: string): Record<string, string> | undefined {
    const r = this.stmt("SELECT patterns FROM pattern_groups WHERE name = ?").get(name) as { patterns: string } | undefined;
    return r ? JSON.parse(r.patterns) : undefined;
  }
  listPatternGroups(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const r of this.db.select().from(t.patternGroups).orderBy(asc(t.patternGroups.name)).all()) out[r.name] = JSON.parse(r.patterns);
    return out;
  }
  putPatternGroup(name: string, patterns: Record<string, string>, now: number): void {
    this.db
      .insert(t.patternGroups)
      .values({ name, patterns: JSON.stringify(patterns), updatedAt: now })
      .onConflictDoUpdate({ target: t.patternGroups.name, set: { patterns: JSON.stringify(patterns), updatedAt: now } })
      .run();
  }
  deletePatternGroup(name: string): boolean {
    return this.db.delete(t.patternGroups).where(eq(t.patternGroups.name, name)).run().changes > 0;
  }

  // ---- users ----
  getUser(username: string) {
    return this.db.select().from(t.users).where(eq(t.users.username, username)).get();
  }
  listUsers() {
    return this.db
      .select({ username: t.users.username, role: t.users.role, createdAt: t.users.createdAt })
      .from(t.users)
      .orderBy(asc(t.users.username))
      .all();
  }
  countUsers(): number {
    return (this.stmt("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }
  /**
   * Creates the user only when there are no users at all, in one write transaction: of several processes
   * starting on one database at once exactly one creates it (true), the others see it (false).
   */
  createFirstUser(username: string, passwordHash: string, role: string, now: number): boolean {
    return this.tx(() => {
      if (this.countUsers() > 0) return false;
      this.putUser(username, passwordHash, role, now);
      return true;
    });
  }
  /**
   * Creates or updates a user. A new password or role moves the session epoch (ends the user's sessions); it
   * only ever grows, starting from the clock, so a user deleted and created again never accepts an old session.
   */
  putUser(username: string, passwordHash: string, role: string, now: number): void {
    const moved = sql`CASE WHEN ${t.users.passwordHash} <> ${passwordHash} OR ${t.users.role} <> ${role}
      THEN max(${t.users.sessionEpoch} + 1, ${now}) ELSE ${t.users.sessionEpoch} END`;
    this.db
      .insert(t.users)
      .values({ username, passwordHash, role, sessionEpoch: now, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: t.users.username, set: { passwordHash, role, sessionEpoch: moved, updatedAt: now } })
      .run();
  }
  /** Ends every session of the user (sign-out). */
  bumpSessionEpoch(username: string, now: number): void {
    const moved = sql`max(${t.users.sessionEpoch} + 1, ${now})`;
    this.db.update(t.users).set({ sessionEpoch: moved }).where(eq(t.users.username, username)).run();
  }
  deleteUser(username: string): boolean {
    return this.db.delete(t.users).where(eq(t.users.username, username)).run().changes > 0;
  }

  // ---- callbacks ----
  getCallback(id: string): CallbackRow | undefined {
    return this.stmt(`SELECT ${COLS} FROM callbacks WHERE id = ?`).get(id) as CallbackRow | undefined;
  }
  insertCallback(r: CallbackRow): void {
    this.stmt(
      `INSERT INTO callbacks (${COLS}) VALUES (@id, @service_name, @customer_number, @desired_time, @state, @reason, @time_scheduled, @expiration_time, @ors_session_id, @bucket, @enqueued_at, @due_at, @submit_attempts, @immediate, @handed_off, @external, @props, @exec_options, @version, @updated_at, @completed_at)`,
    ).run(r.exec_options === undefined ? { ...r, exec_options: null } : r);
  }
  /** Writes every mutable column of the row and bumps its version. */
  updateCallback(r: CallbackRow): void {
    this.stmt(
      `UPDATE callbacks SET customer_number=@customer_number, desired_time=@desired_time, state=@state, reason=@reason, expiration_time=@expiration_time, ors_session_id=@ors_session_id, bucket=@bucket, enqueued_at=@enqueued_at, due_at=@due_at, submit_attempts=@submit_attempts, immediate=@immediate, handed_off=@handed_off, external=@external, props=@props, version=version+1, updated_at=@updated_at, completed_at=@completed_at WHERE id=@id`,
    ).run(r);
    r.version += 1;
  }
  /** Bookings in a bucket (a counter kept by triggers; see migration 0001). */
  countBucket(service: string, bucket: number): number {
    return (
      (this.stmt("SELECT n FROM bucket_counts WHERE service_name = ? AND bucket = ?").pluck().get(service, bucket) as number | undefined) ??
      0
    );
  }
  /** Booked count per bucket start in [from, to): one range scan of the counters. */
  // Two JSON arrays in one row instead of a row per bucket: 30 days of 5-minute buckets are 8,640 rows, and
  // better-sqlite3 builds a JS array per row; the covering index (migration 0007) keeps the scan in the index.
  /** Booked buckets of a service in [from, to), ascending, as parallel arrays of bucket starts and counts. */
  bucketCounts(service: string, from: number, to: number): { buckets: number[]; counts: number[] } {
    const [b, n] = this.stmt(
      "SELECT json_group_array(bucket), json_group_array(n) FROM " +
        "(SELECT bucket, n FROM bucket_counts WHERE service_name = ? AND bucket >= ? AND bucket < ? AND n > 0 ORDER BY bucket)",
    )
      .raw()
      .get(service, from, to) as [string, string];
    return { buckets: JSON.parse(b) as number[], counts: JSON.parse(n) as number[] };
  }
  // Limit checks only need to know whether a count reached its limit: counts are capped (`LIMIT cap`) so they
  // cost O(limit), not O(rows in the window).
  countOpenForNumber(service: string, number: string): number {
    return (
      this.stmt("SELECT count(*) AS n FROM callbacks WHERE customer_number = ? AND service_name = ? AND state <> 'COMPLETED'").get(
        number,
        service,
      ) as { n: number }
    ).n;
  }
  countInState(service: string, state: string, cap = 1e9): number {
    return (
      this.stmt("SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE service_name = ? AND state = ? LIMIT ?)").get(
        service,
        state,
        cap,
      ) as { n: number }
    ).n;
  }
  /**
   * Creations of the service in the last `ttl` whole seconds, the current second included (per-second counters
   * kept by a trigger, see migration 0002): a creation leaves the window `ttl` seconds after its own second.
   */
  countCreatedInWindow(service: string, now: number, ttlSeconds: number): number {
    return this.stmt("SELECT coalesce(sum(n), 0) FROM creation_counts WHERE service_name = ? AND sec > ?")
      .pluck()
      .get(service, Math.floor(now / 1000) - ttlSeconds) as number;
  }
  /** Drops creation counters older than `before` (the longest throttle window is far shorter). */
  pruneCreationCounts(before: number): void {
    this.stmt("DELETE FROM creation_counts WHERE sec < ?").run(Math.floor(before / 1000));
  }
  /** Immediate creations today for a parameter value (scheduled callbacks do not count, as in GMS). */
  countParamSince(service: string, key: string, value: string, since: number, cap = 1e9): number {
    if (key === "_customer_number")
      return (
        this.stmt(
          "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE customer_number = ? AND service_name = ? AND time_scheduled >= ? AND immediate = 1 LIMIT ?)",
        ).get(value, service, since, cap) as { n: number }
      ).n;
    return (
      this.stmt(
        "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE service_name = ? AND time_scheduled >= ? AND immediate = 1 AND json_extract(props, ?) = ? LIMIT ?)",
      ).get(service, since, `$."${key.replace(/"/g, "")}"`, value, cap) as { n: number }
    ).n;
  }
  /** Raw query helper for read paths that build their own WHERE clause from whitelisted columns. */
  queryCallbacks(where: string, params: unknown[], suffix = ""): CallbackRow[] {
    return this.stmt(`SELECT ${COLS} FROM callbacks WHERE ${where} ${suffix}`).all(...params) as CallbackRow[];
  }

  // ---- events ----
  /** The id of the newest event (0 when there is none). */
  lastEventId(): number {
    return (this.stmt("SELECT coalesce(max(id), 0) AS n FROM callback_events").get() as { n: number }).n;
  }
  /** Hand-offs recorded after event `afterId`, oldest first (the simulator's holder learns of other processes' ones). */
  handoffEventsSince(afterId: number, limit: number): Array<{ id: number; callbackId: string }> {
    return this.stmt(
      "SELECT id, callback_id AS callbackId FROM callback_events WHERE id > ? AND type = 'handoff' AND callback_id IS NOT NULL ORDER BY id LIMIT ?",
    ).all(afterId, limit) as Array<{ id: number; callbackId: string }>;
  }
  insertEvent(e: EventInput): void {
    this.stmt(
      "INSERT INTO callback_events (time, service_name, callback_id, type, state, reason, actor, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      e.time,
      e.serviceName ?? null,
      e.callbackId ?? null,
      e.type,
      e.state ?? null,
      e.reason ?? null,
      e.actor ?? null,
      e.details === undefined ? null : JSON.stringify(e.details),
    );
    for (const fn of eventListeners()) fn(e);
  }
  eventsFor(callbackId: string): Array<EventRow & { details: string | null }> {
    return this.stmt(
      "SELECT id, time, service_name, callback_id, type, state, reason, actor, details FROM callback_events WHERE callback_id = ? ORDER BY id",
    ).all(callbackId) as Array<EventRow & { details: string | null }>;
  }

  // ---- admin callback API (issue 5): keyset pages and small reads ----
  /**
   * One keyset page of a (service, state) queue in `(desired_time, rowid)` order within [from, to]: an index range
   * scan of callbacks_service_state_desired (rowid is the index's tail), so a page never sorts or rescans.
   * `where`/`args` add whitelisted conditions; `idsOnly` skips reading the record columns.
   */
  callbackPage(q: {
    service: string;
    state: string;
    from: number;
    to: number;
    after?: { t: number; rowid: number } | null;
    limit: number;
    where?: string;
    args?: unknown[];
    idsOnly?: boolean;
  }): Array<CallbackRow & { rowid: number }> {
    const cols = q.idsOnly ? "rowid, id, desired_time, state" : `rowid, ${COLS}`;
    // the range starts at the cursor's time (an index seek); ties on that time are resolved by rowid
    const cur = q.after ? " AND (desired_time > ? OR rowid > ?)" : "";
    const sql = `SELECT ${cols} FROM callbacks WHERE service_name = ? AND state = ? AND desired_time >= ? AND desired_time <= ?${cur}${q.where ? ` AND (${q.where})` : ""} ORDER BY desired_time, rowid LIMIT ?`;
    const from = q.after ? Math.max(q.from, q.after.t) : q.from;
    const cursor = q.after ? [q.after.t, q.after.rowid] : [];
    return this.stmt(sql).all(q.service, q.state, from, q.to, ...cursor, ...(q.args ?? []), q.limit) as Array<
      CallbackRow & { rowid: number }
    >;
  }
  /** Distinct service names that have callbacks (a skip-scan over the service index: O(services), not O(rows)). */
  callbackServiceNames(): string[] {
    return (
      this.stmt(
        "WITH RECURSIVE s(n) AS (SELECT min(service_name) FROM callbacks UNION ALL SELECT (SELECT min(service_name) FROM callbacks WHERE service_name > s.n) FROM s WHERE s.n IS NOT NULL) SELECT n FROM s WHERE n IS NOT NULL",
      )
        .raw()
        .all() as Array<[string]>
    ).map((r) => r[0]);
  }
  getBulkOperation(id: string):
    | {
        id: string;
        kind: string;
        actor: string | null;
        created_at: number;
        finished_at: number | null;
        status: string;
        request: string;
        summary: string;
      }
    | undefined {
    return this.stmt("SELECT id, kind, actor, created_at, finished_at, status, request, summary FROM bulk_operations WHERE id = ?").get(
      id,
    ) as never;
  }
  maxEventId(): number {
    return (this.stmt("SELECT coalesce(max(id), 0) AS n FROM callback_events").get() as { n: number }).n;
  }
  /** Events with details whose id lies in (afterId, toId]: a bounded rowid range (callers page through the table). */
  eventDetailsRange(afterId: number, toId: number): Array<{ id: number; callback_id: string | null; details: string }> {
    return this.stmt("SELECT id, callback_id, details FROM callback_events WHERE id > ? AND id <= ? AND details IS NOT NULL").all(
      afterId,
      toId,
    ) as never;
  }
  maxCallbackRowid(): number {
    return (this.stmt("SELECT coalesce(max(rowid), 0) AS n FROM callbacks").get() as { n: number }).n;
  }
  /** Customer numbers of the callbacks whose rowid lies in (after, to]: a bounded rowid range. */
  callbackNumbersRange(after: number, to: number): Array<{ id: string; customer_number: string }> {
    return this.stmt(
      "SELECT id, customer_number FROM callbacks WHERE rowid > ? AND rowid <= ? AND customer_number IS NOT NULL ORDER BY rowid",
    ).all(after, to) as never;
  }
}

const g = globalThis as unknown as { __callbackStore?: Store };

/** The process-wide store over getDb(). */
export function getStore(): Store {
  const h = getDb();
  if (!g.__callbackStore || g.__callbackStore.handle !== h) g.__callbackStore = new Store(h);
  return g.__callbackStore;
}
