// The storage seam: every engine verb talks to this module, never to the driver directly, so another store
// (PostgreSQL for multi-server deployments) can be added without touching the rules.
// Configuration tables go through drizzle; the callback hot paths use cached prepared statements (≈3× faster
// than drizzle's query builder on this machine, see bench/README.md), over the same schema.
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import { eq, asc, sql } from "drizzle-orm";
import type Database from "better-sqlite3";
import { getDb, migrationsFolder, type DbHandle } from "./client";
import {
  announceEvent,
  CommittedEvents,
  eventValues,
  type BulkOperationInput,
  type CallbackPageQuery,
  type CallbackStore,
  type UserRow,
} from "./callback-store";
import * as t from "./schema";
import { whereSql, type CallbackWhere } from "./filters";
import { PgStore } from "./pg/store";

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

/** A stored bulk operation. */
export interface BulkOperationRow {
  id: string;
  kind: string;
  actor: string | null;
  created_at: number;
  finished_at: number | null;
  status: string;
  request: string;
  summary: string;
}

/** A status notification waiting in the outbox. */
export interface OutboxRow {
  id: number;
  callback_id: string;
  target: string;
  payload: string;
  attempts: number;
  service_name: string | null;
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

export { eventListeners } from "./callback-store";

/** The transaction an async context runs in (see Store.tx); `live` ends with it. */
interface TxToken {
  store: Store;
  live: boolean;
  events: CommittedEvents;
}
const inTx = new AsyncLocalStorage<TxToken>();

const COLS =
  "id, service_name, customer_number, desired_time, state, reason, time_scheduled, expiration_time, ors_session_id, bucket, " +
  "enqueued_at, due_at, submit_attempts, immediate, handed_off, external, props, exec_options, version, updated_at, completed_at";

/** Attempts of one write transaction while another process holds the write lock past busy_timeout. */
export const TX_BUSY_ATTEMPTS = 3;

export class Store implements CallbackStore {
  readonly dialect = "sqlite" as const;
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

  describe(): string {
    return this.handle.path;
  }

  secretDir(): string | null {
    return this.handle.path === ":memory:" ? null : path.dirname(path.resolve(this.handle.path));
  }

  /** One SQLite file is one machine: its processes share limits in memory (lib/auth/throttle.ts). */
  sharedLimiter(): null {
    return null;
  }

  /** Nothing to lock: BEGIN IMMEDIATE already admits one writer at a time, whatever the process. */
  async lockService(_name: string): Promise<void> {
    await this.ready();
  }

  async query<R>(sql: string, args: readonly unknown[] = []): Promise<R[]> {
    await this.ready();
    return this.stmt(sql).all(...args) as R[];
  }

  /** Bytes of the database file and its WAL. */
  async databaseBytes(): Promise<number> {
    const p = this.handle.path;
    if (p === ":memory:") return 0;
    let n = 0;
    for (const f of [p, `${p}-wal`])
      try {
        n += (await fs.promises.stat(f)).size;
      } catch {
        /* no WAL yet */
      }
    return n;
  }

  async migrationLevel(): Promise<{ applied: number; known: number }> {
    const journal = JSON.parse(await fs.promises.readFile(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    };
    await this.ready();
    return { applied: this.stmt("SELECT count(*) FROM __drizzle_migrations", "value").get() as number, known: journal.entries.length };
  }

  /**
   * Changes whenever anything is written to the database: by this connection (`total_changes()`, trigger writes
   * included) or by another process (`PRAGMA data_version`). For caches of answers computed from the data.
   */
  async changeStamp(): Promise<string> {
    await this.ready();
    return `${this.stmt("PRAGMA data_version", "value").get() as number}:${this.stmt("SELECT total_changes()", "value").get() as number}`;
  }

  /**
   * A cached prepared statement. Its result shape is part of the cache key: better-sqlite3's pluck/raw modes stick
   * to a statement, so one SQL text read as values in one place and as rows in another gets two statements.
   * `rows`: objects; `value`: the first column; `raw`: arrays.
   */
  stmt(sql: string, mode: "rows" | "value" | "raw" = "rows"): Database.Statement {
    const key = mode === "rows" ? sql : `${mode}\u0000${sql}`;
    let s = this.stmts.get(key);
    if (!s) {
      s = this.sqlite.prepare(sql);
      if (mode === "value") s.pluck();
      else if (mode === "raw") s.raw();
      this.stmts.set(key, s);
    }
    return s;
  }

  /**
   * Runs `fn` in a write transaction and resolves with its result after COMMIT; a throw rolls back only `fn`'s
   * writes and rejects. Inside `fn` (its whole async context) every call on this store is part of the
   * transaction; outside it, calls wait until the transaction is over, so nothing else can slip into it.
   *
   * SQLite: transactions asked for in the same event-loop turn share one `BEGIN IMMEDIATE` … `COMMIT` (group
   * commit), each in its own savepoint, one after another, so each sees every earlier write of the batch and the
   * write lock is held for all of them: no bucket can be overbooked. A `tx` inside a `tx` is a savepoint.
   */
  async tx<T>(fn: () => Promise<T> | T): Promise<T> {
    const token = inTx.getStore();
    if (token?.live && token.store === this) return this.savepoint(fn);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.drainQueued) {
        this.drainQueued = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Transactions whose BEGIN was retried after SQLITE_BUSY (another process held the write lock), since open. */
  busyRetries = 0;

  /** Waits while a transaction of another async context holds the connection (see `tx`). */
  async ready(): Promise<void> {
    while (this.open) {
      const token = inTx.getStore();
      if (token?.live && token.store === this) return;
      await this.open;
    }
  }

  private pending: Array<{ fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  private drainQueued = false;
  /** Set while a batch runs: resolves when it has committed or rolled back. */
  private open: Promise<void> | null = null;
  private savepoints = 0;

  private async savepoint<T>(fn: () => Promise<T> | T): Promise<T> {
    const name = `sp${++this.savepoints}`;
    const events = inTx.getStore()?.events;
    const mark = events?.mark() ?? 0;
    this.sqlite.exec(`SAVEPOINT ${name}`);
    try {
      const v = await fn();
      this.sqlite.exec(`RELEASE ${name}`);
      return v;
    } catch (e) {
      events?.undo(mark);
      this.sqlite.exec(`ROLLBACK TO ${name}`);
      this.sqlite.exec(`RELEASE ${name}`);
      throw e;
    }
  }

  /** BEGIN IMMEDIATE, tried again a few times when another process holds the write lock past busy_timeout. */
  private begin(): void {
    for (let attempt = 1; ; attempt++) {
      try {
        this.sqlite.exec("BEGIN IMMEDIATE");
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== "SQLITE_BUSY" || attempt >= TX_BUSY_ATTEMPTS) throw e;
        this.busyRetries++;
      }
    }
  }

  private async drain(): Promise<void> {
    this.drainQueued = false;
    const batch = this.pending;
    this.pending = [];
    let close!: () => void;
    this.open = new Promise<void>((r) => (close = r));
    const token: TxToken = { store: this, live: true, events: new CommittedEvents() };
    const results: Array<{ ok: boolean; v: unknown }> = [];
    let failure: unknown = null;
    try {
      this.begin();
      try {
        for (const item of batch) {
          try {
            results.push({ ok: true, v: await inTx.run(token, () => this.savepoint(item.fn)) });
          } catch (e) {
            results.push({ ok: false, v: e });
          }
        }
        this.sqlite.exec("COMMIT");
        token.events.announce();
      } catch (e) {
        if (this.sqlite.inTransaction) this.sqlite.exec("ROLLBACK");
        throw e;
      }
    } catch (e) {
      failure = e;
    } finally {
      // work started inside a transaction and still running after it is an ordinary caller from now on
      token.live = false;
      this.open = null;
      close();
    }
    batch.forEach((item, i) =>
      failure !== null ? item.reject(failure) : results[i].ok ? item.resolve(results[i].v) : item.reject(results[i].v),
    );
  }

  // ---- services, settings, patterns (configuration) ----
  async getService(name: string): Promise<ServiceRow | undefined> {
    await this.ready();
    const r = this.stmt("SELECT name, kind, options, created_at, updated_at FROM services WHERE name = ?").get(name) as
      { name: string; kind: string; options: string; created_at: number; updated_at: number } | undefined;
    return r && { name: r.name, kind: r.kind, options: JSON.parse(r.options), createdAt: r.created_at, updatedAt: r.updated_at };
  }
  async listServices(): Promise<ServiceRow[]> {
    await this.ready();
    return this.db
      .select()
      .from(t.services)
      .orderBy(asc(t.services.name))
      .all()
      .map((r) => ({ ...r, options: JSON.parse(r.options) as Record<string, unknown> }));
  }
  async putService(name: string, kind: string, options: Record<string, unknown>, now: number): Promise<void> {
    await this.ready();
    this.db
      .insert(t.services)
      .values({ name, kind, options: JSON.stringify(options), createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: t.services.name, set: { kind, options: JSON.stringify(options), updatedAt: now } })
      .run();
  }
  async deleteService(name: string): Promise<boolean> {
    await this.ready();
    return this.db.delete(t.services).where(eq(t.services.name, name)).run().changes > 0;
  }
  async getSettings(section: string): Promise<Record<string, unknown> | undefined> {
    await this.ready();
    const text = await this.settingsText(section);
    return text === undefined ? undefined : JSON.parse(text);
  }
  async putSettings(section: string, options: Record<string, unknown>, now: number): Promise<void> {
    await this.ready();
    this.db
      .insert(t.settings)
      .values({ section, options: JSON.stringify(options), updatedAt: now })
      .onConflictDoUpdate({ target: t.settings.section, set: { options: JSON.stringify(options), updatedAt: now } })
      .run();
  }
  async getPatternGroup(name: string): Promise<Record<string, string> | undefined> {
    await this.ready();
    const r = this.stmt("SELECT patterns FROM pattern_groups WHERE name = ?").get(name) as { patterns: string } | undefined;
    return r ? JSON.parse(r.patterns) : undefined;
  }
  async listPatternGroups(): Promise<Record<string, Record<string, string>>> {
    await this.ready();
    const out: Record<string, Record<string, string>> = {};
    for (const r of this.db.select().from(t.patternGroups).orderBy(asc(t.patternGroups.name)).all()) out[r.name] = JSON.parse(r.patterns);
    return out;
  }
  async putPatternGroup(name: string, patterns: Record<string, string>, now: number): Promise<void> {
    await this.ready();
    this.db
      .insert(t.patternGroups)
      .values({ name, patterns: JSON.stringify(patterns), updatedAt: now })
      .onConflictDoUpdate({ target: t.patternGroups.name, set: { patterns: JSON.stringify(patterns), updatedAt: now } })
      .run();
  }
  async deletePatternGroup(name: string): Promise<boolean> {
    await this.ready();
    return this.db.delete(t.patternGroups).where(eq(t.patternGroups.name, name)).run().changes > 0;
  }

  // ---- users ----
  async getUser(username: string): Promise<UserRow | undefined> {
    await this.ready();
    return this.db.select().from(t.users).where(eq(t.users.username, username)).get();
  }
  async listUsers() {
    await this.ready();
    return this.db
      .select({ username: t.users.username, role: t.users.role, createdAt: t.users.createdAt })
      .from(t.users)
      .orderBy(asc(t.users.username))
      .all();
  }
  async countUsers(): Promise<number> {
    await this.ready();
    return (this.stmt("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }
  /**
   * Creates the user only when there are no users at all, in one write transaction: of several processes
   * starting on one database at once exactly one creates it (true), the others see it (false).
   */
  async createFirstUser(username: string, passwordHash: string, role: string, now: number): Promise<boolean> {
    return await this.tx(async () => {
      if ((await this.countUsers()) > 0) return false;
      await this.putUser(username, passwordHash, role, now);
      return true;
    });
  }
  /**
   * Creates or updates a user. A new password or role moves the session epoch (ends the user's sessions); it
   * only ever grows, starting from the clock, so a user deleted and created again never accepts an old session.
   */
  async putUser(username: string, passwordHash: string, role: string, now: number): Promise<void> {
    await this.ready();
    const moved = sql`CASE WHEN ${t.users.passwordHash} <> ${passwordHash} OR ${t.users.role} <> ${role}
      THEN max(${t.users.sessionEpoch} + 1, ${now}) ELSE ${t.users.sessionEpoch} END`;
    this.db
      .insert(t.users)
      .values({ username, passwordHash, role, sessionEpoch: now, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: t.users.username, set: { passwordHash, role, sessionEpoch: moved, updatedAt: now } })
      .run();
  }
  /** Ends every session of the user (sign-out). */
  async bumpSessionEpoch(username: string, now: number): Promise<void> {
    await this.ready();
    const moved = sql`max(${t.users.sessionEpoch} + 1, ${now})`;
    this.db.update(t.users).set({ sessionEpoch: moved }).where(eq(t.users.username, username)).run();
  }
  async deleteUser(username: string): Promise<boolean> {
    await this.ready();
    return this.db.delete(t.users).where(eq(t.users.username, username)).run().changes > 0;
  }

  // ---- callbacks ----
  async getCallback(id: string): Promise<CallbackRow | undefined> {
    await this.ready();
    return this.stmt(`SELECT ${COLS} FROM callbacks WHERE id = ?`).get(id) as CallbackRow | undefined;
  }
  async insertCallback(r: CallbackRow): Promise<void> {
    await this.ready();
    this.stmt(
      `INSERT INTO callbacks (${COLS}) VALUES (@id, @service_name, @customer_number, @desired_time, @state, @reason, ` +
        "@time_scheduled, @expiration_time, @ors_session_id, @bucket, @enqueued_at, @due_at, @submit_attempts, @immediate, " +
        "@handed_off, @external, @props, @exec_options, @version, @updated_at, @completed_at)",
    ).run(r.exec_options === undefined ? { ...r, exec_options: null } : r);
  }
  /** Writes every mutable column of the row and bumps its version. */
  async updateCallback(r: CallbackRow): Promise<void> {
    await this.ready();
    this.stmt(
      "UPDATE callbacks SET customer_number=@customer_number, desired_time=@desired_time, state=@state, reason=@reason, " +
        "expiration_time=@expiration_time, ors_session_id=@ors_session_id, bucket=@bucket, enqueued_at=@enqueued_at, due_at=@due_at, " +
        "submit_attempts=@submit_attempts, immediate=@immediate, handed_off=@handed_off, external=@external, props=@props, " +
        "version=version+1, updated_at=@updated_at, completed_at=@completed_at WHERE id=@id",
    ).run(r);
    r.version += 1;
  }
  /** Bookings in a bucket (a counter kept by triggers; see migration 0001). */
  async countBucket(service: string, bucket: number): Promise<number> {
    await this.ready();
    return (
      (this.stmt("SELECT n FROM bucket_counts WHERE service_name = ? AND bucket = ?", "value").get(service, bucket) as
        number | undefined) ?? 0
    );
  }
  /** Booked count per bucket start in [from, to): one range scan of the counters. */
  // Two JSON arrays in one row instead of a row per bucket: 30 days of 5-minute buckets are 8,640 rows, and
  // better-sqlite3 builds a JS array per row; the covering index (migration 0007) keeps the scan in the index.
  /** Booked buckets of a service in [from, to), ascending, as parallel arrays of bucket starts and counts. */
  async bucketCounts(service: string, from: number, to: number): Promise<{ buckets: number[]; counts: number[] }> {
    await this.ready();
    const [b, n] = this.stmt(
      "SELECT json_group_array(bucket), json_group_array(n) FROM " +
        "(SELECT bucket, n FROM bucket_counts WHERE service_name = ? AND bucket >= ? AND bucket < ? AND n > 0 ORDER BY bucket)",
      "raw",
    ).get(service, from, to) as [string, string];
    return { buckets: JSON.parse(b) as number[], counts: JSON.parse(n) as number[] };
  }
  // Limit checks only need to know whether a count reached its limit: counts are capped (`LIMIT cap`) so they
  // cost O(limit), not O(rows in the window).
  async countOpenForNumber(service: string, number: string): Promise<number> {
    await this.ready();
    return (
      this.stmt("SELECT count(*) AS n FROM callbacks WHERE customer_number = ? AND service_name = ? AND state <> 'COMPLETED'").get(
        number,
        service,
      ) as { n: number }
    ).n;
  }
  async countInState(service: string, state: string, cap = 1e9): Promise<number> {
    await this.ready();
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
  async countCreatedInWindow(service: string, now: number, ttlSeconds: number): Promise<number> {
    await this.ready();
    return this.stmt("SELECT coalesce(sum(n), 0) FROM creation_counts WHERE service_name = ? AND sec > ?", "value").get(
      service,
      Math.floor(now / 1000) - ttlSeconds,
    ) as number;
  }
  /** Drops creation counters older than `before` (the longest throttle window is far shorter). */
  async pruneCreationCounts(before: number): Promise<void> {
    await this.ready();
    this.stmt("DELETE FROM creation_counts WHERE sec < ?").run(Math.floor(before / 1000));
  }
  /** Immediate creations today for a parameter value (scheduled callbacks do not count, as in GMS). */
  async countParamSince(service: string, key: string, value: string, since: number, cap = 1e9): Promise<number> {
    await this.ready();
    if (key === "_customer_number")
      return (
        this.stmt(
          "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE customer_number = ? AND service_name = ? AND time_scheduled >= ? " +
            "AND immediate = 1 LIMIT ?)",
        ).get(value, service, since, cap) as { n: number }
      ).n;
    return (
      this.stmt(
        "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE service_name = ? AND time_scheduled >= ? AND immediate = 1 AND " +
          "json_extract(props, ?) = ? LIMIT ?)",
      ).get(service, since, `$."${key.replace(/"/g, "")}"`, value, cap) as { n: number }
    ).n;
  }
  /** Callbacks matching `where`, by desired time, up to `limit`. */
  async findCallbacks(where: CallbackWhere, limit: number): Promise<CallbackRow[]> {
    await this.ready();
    const w = whereSql(where);
    return this.stmt(`SELECT ${COLS} FROM callbacks WHERE ${w.sql || "1"} ORDER BY desired_time LIMIT ?`).all(
      ...w.args,
      limit,
    ) as CallbackRow[];
  }

  // ---- events ----
  /** Hand-offs recorded after event `afterId`, oldest first (the simulator's holder learns of other processes' ones). */
  async handoffEventsSince(afterId: number, limit: number): Promise<Array<{ id: number; callbackId: string }>> {
    await this.ready();
    return this.stmt(
      "SELECT id, callback_id AS callbackId FROM callback_events WHERE id > ? AND type = 'handoff' AND callback_id IS NOT NULL " +
        "ORDER BY id LIMIT ?",
    ).all(afterId, limit) as Array<{ id: number; callbackId: string }>;
  }
  async insertEvent(e: EventInput): Promise<void> {
    await this.ready();
    this.stmt(
      "INSERT INTO callback_events (time, service_name, callback_id, type, state, reason, actor, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(...eventValues(e));
    const t = inTx.getStore();
    if (t?.live && t.store === this) t.events.add(e);
    else announceEvent(e);
  }
  async eventsFor(callbackId: string): Promise<Array<EventRow & { details: string | null }>> {
    await this.ready();
    return this.stmt(
      "SELECT id, time, service_name, callback_id, type, state, reason, actor, details " +
        "FROM callback_events WHERE callback_id = ? ORDER BY id",
    ).all(callbackId) as Array<EventRow & { details: string | null }>;
  }

  // ---- admin callback API (issue 5): keyset pages and small reads ----
  /**
   * One keyset page of a (service, state) queue in `(desired_time, rowid)` order within [from, to]: an index range
   * scan of callbacks_service_state_desired (rowid is the index's tail), so a page never sorts or rescans.
   * `where` adds conditions; `idsOnly` skips reading the record columns.
   */
  async callbackPage(q: CallbackPageQuery): Promise<Array<CallbackRow & { rowid: number }>> {
    await this.ready();
    const cols = q.idsOnly ? "rowid, id, desired_time, state" : `rowid, ${COLS}`;
    // the range starts at the cursor's time (an index seek); ties on that time are resolved by rowid
    const cur = q.after ? " AND (desired_time > ? OR rowid > ?)" : "";
    const w = whereSql(q.where);
    const sql =
      `SELECT ${cols} FROM callbacks WHERE service_name = ? AND state = ? AND desired_time >= ? AND desired_time <= ?${cur}` +
      `${w.sql ? ` AND ${w.sql}` : ""} ORDER BY desired_time, rowid LIMIT ?`;
    const from = q.after ? Math.max(q.from, q.after.t) : q.from;
    const cursor = q.after ? [q.after.t, q.after.rowid] : [];
    return this.stmt(sql).all(q.service, q.state, from, q.to, ...cursor, ...w.args, q.limit) as Array<CallbackRow & { rowid: number }>;
  }
  /** Distinct service names that have callbacks (a skip-scan over the service index: O(services), not O(rows)). */
  async callbackServiceNames(): Promise<string[]> {
    await this.ready();
    return (
      this.stmt(
        "WITH RECURSIVE s(n) AS (SELECT min(service_name) FROM callbacks UNION ALL SELECT (SELECT min(service_name) FROM callbacks " +
          "WHERE service_name > s.n) FROM s WHERE s.n IS NOT NULL) SELECT n FROM s WHERE n IS NOT NULL",
        "raw",
      ).all() as Array<[string]>
    ).map((r) => r[0]);
  }
  async getBulkOperation(id: string): Promise<BulkOperationRow | undefined> {
    await this.ready();
    return this.stmt("SELECT id, kind, actor, created_at, finished_at, status, request, summary FROM bulk_operations WHERE id = ?").get(
      id,
    ) as never;
  }
  async maxEventId(): Promise<number> {
    await this.ready();
    return (this.stmt("SELECT coalesce(max(id), 0) AS n FROM callback_events").get() as { n: number }).n;
  }
  /** Events with details whose id lies in (afterId, toId]: a bounded rowid range (callers page through the table). */
  async eventDetailsRange(afterId: number, toId: number): Promise<Array<{ id: number; callback_id: string | null; details: string }>> {
    await this.ready();
    return this.stmt("SELECT id, callback_id, details FROM callback_events WHERE id > ? AND id <= ? AND details IS NOT NULL").all(
      afterId,
      toId,
    ) as never;
  }
  async maxCallbackRowid(): Promise<number> {
    await this.ready();
    return (this.stmt("SELECT coalesce(max(rowid), 0) AS n FROM callbacks").get() as { n: number }).n;
  }
  /** Customer numbers of the callbacks whose rowid lies in (after, to]: a bounded rowid range. */
  async callbackNumbersRange(after: number, to: number): Promise<Array<{ id: string; customer_number: string }>> {
    await this.ready();
    return this.stmt(
      "SELECT id, customer_number FROM callbacks WHERE rowid > ? AND rowid <= ? AND customer_number IS NOT NULL ORDER BY rowid",
    ).all(after, to) as never;
  }

  // ---- engine reads beyond one row ----
  /** The stored option text of a service (of a kind, when given): the version a config cache compares. */
  async serviceOptionsText(name: string, kind?: string): Promise<string | undefined> {
    await this.ready();
    return kind
      ? (this.stmt("SELECT options FROM services WHERE name = ? AND kind = ?", "value").get(name, kind) as string | undefined)
      : (this.stmt("SELECT options FROM services WHERE name = ?", "value").get(name) as string | undefined);
  }
  /** The stored option text of a settings section. */
  async settingsText(section: string): Promise<string | undefined> {
    await this.ready();
    return this.stmt("SELECT options FROM settings WHERE section = ?", "value").get(section) as string | undefined;
  }
  /** QUEUED callbacks of the service ahead of one enqueued at `enqueuedAt` (ties broken by id). */
  async countQueuedAhead(service: string, enqueuedAt: number, id: string): Promise<number> {
    await this.ready();
    return this.stmt(
      "SELECT count(*) FROM callbacks WHERE service_name = ? AND state = 'QUEUED' AND " +
        "(coalesce(enqueued_at, time_scheduled) < ? OR (coalesce(enqueued_at, time_scheduled) = ? AND id < ?))",
      "value",
    ).get(service, enqueuedAt, enqueuedAt, id) as number;
  }
  /** State changes of the service into `state` since `since` (from the event log). */
  async countStateEntries(service: string, state: string, since: number): Promise<number> {
    await this.ready();
    return this.stmt(
      "SELECT count(*) FROM callback_events WHERE service_name = ? AND time >= ? AND type = 'state' AND state = ?",
      "value",
    ).get(service, since, state) as number;
  }
  /** Callbacks of every service whose next check is due (`due_at <= now`), oldest first. */
  async dueCallbacks(now: number, limit: number): Promise<CallbackRow[]> {
    await this.ready();
    // every state, so the (state, due_at) index serves the scan as six ranges
    return this.stmt(
      `SELECT ${COLS} FROM callbacks WHERE state IN ('SCHEDULED','QUEUED','ROUTING','PROCESSING','PAUSED','COMPLETED') ` +
        "AND due_at <= ? ORDER BY due_at LIMIT ?",
    ).all(now, limit) as CallbackRow[];
  }
  /** Callbacks of a service in a state that execution of this server holds (not external), up to `limit`. */
  async localCallbacksInState(service: string, state: string, limit: number): Promise<CallbackRow[]> {
    await this.ready();
    return this.stmt(`SELECT ${COLS} FROM callbacks WHERE service_name = ? AND state = ? AND external = 0 LIMIT ?`).all(
      service,
      state,
      limit,
    ) as CallbackRow[];
  }
  /** Callbacks execution holds (QUEUED, ROUTING, PROCESSING, not external), in enqueue order. */
  async callbacksInExecution(): Promise<CallbackRow[]> {
    await this.ready();
    return this.stmt(
      `SELECT ${COLS} FROM callbacks WHERE state IN ('QUEUED','ROUTING','PROCESSING') AND external = 0 ORDER BY enqueued_at`,
    ).all() as CallbackRow[];
  }
  /** Services with PAUSED callbacks. */
  async servicesWithPausedCallbacks(): Promise<string[]> {
    await this.ready();
    return this.stmt("SELECT DISTINCT service_name FROM callbacks WHERE state = 'PAUSED'", "value").all() as string[];
  }
  /** Purges a COMPLETED callback whose retention ended. */
  async purgeCompleted(id: string, now: number): Promise<void> {
    await this.ready();
    this.stmt("DELETE FROM callbacks WHERE id = ? AND state = 'COMPLETED' AND due_at <= ?").run(id, now);
  }
  /** Moves only the next check of a callback (no version bump: nothing the customer sees changed). */
  async setDueAt(id: string, dueAt: number | null): Promise<void> {
    await this.ready();
    this.stmt("UPDATE callbacks SET due_at = ? WHERE id = ?").run(dueAt, id);
  }

  // ---- hand-off ledger: one row per (callback, attempt), so an attempt is made once whoever tries it ----
  /** Claims an attempt; false when another scheduler (or the request path) already has it. */
  async claimHandoff(id: string, attempt: number, now: number, done = false): Promise<boolean> {
    await this.ready();
    return (
      this.stmt(
        "INSERT INTO handoffs (key, callback_id, attempt, status, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT DO NOTHING",
      ).run(`${id}#${attempt}`, id, attempt, done ? "ok" : "pending", now, done ? now : null).changes > 0
    );
  }
  async finishHandoff(id: string, attempt: number, ok: boolean, now: number): Promise<void> {
    await this.ready();
    this.stmt("UPDATE handoffs SET status = ?, finished_at = ? WHERE key = ?").run(ok ? "ok" : "failed", now, `${id}#${attempt}`);
  }

  // ---- lease: one holder at a time among the server processes ----
  /** Takes or renews the lease; false when another holder has it and it has not expired. */
  async acquireLease(name: string, holder: string, now: number, ms: number): Promise<boolean> {
    await this.ready();
    return (
      this.stmt(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
      ).run(name, holder, now + ms, now).changes > 0
    );
  }
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.ready();
    this.stmt("DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
  }

  // ---- notification outbox ----
  async enqueueNotification(callbackId: string, target: string, payload: string, now: number): Promise<void> {
    await this.ready();
    this.stmt(
      "INSERT INTO notification_outbox (callback_id, target, payload, attempts, next_at, created_at) VALUES (?, ?, ?, 0, ?, ?)",
    ).run(callbackId, target, payload, now, now);
  }
  /** Notifications due now, oldest first, with the service of their callback (null once it was purged). */
  async claimNotifications(now: number, limit: number, claimUntil: number): Promise<OutboxRow[]> {
    // one transaction: SQLite's single writer makes the read and the claim one step for every process
    return await this.tx(() => {
      const rows = this.stmt(
        `SELECT o.id, o.callback_id, o.target, o.payload, o.attempts, c.service_name FROM notification_outbox o
    LEFT JOIN callbacks c ON c.id = o.callback_id WHERE o.next_at <= ? ORDER BY o.next_at LIMIT ?`,
      ).all(now, limit) as OutboxRow[];
      const claim = this.stmt("UPDATE notification_outbox SET next_at = ? WHERE id = ?");
      for (const r of rows) claim.run(claimUntil, r.id);
      return rows;
    });
  }
  async deleteNotification(id: number): Promise<void> {
    await this.ready();
    this.stmt("DELETE FROM notification_outbox WHERE id = ?").run(id);
  }
  async retryNotification(id: number, nextAt: number, error: string): Promise<void> {
    await this.ready();
    this.stmt("UPDATE notification_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?").run(nextAt, error, id);
  }

  // ---- bulk operations ----
  async insertBulkOperation(op: BulkOperationInput): Promise<void> {
    await this.ready();
    this.stmt(
      "INSERT INTO bulk_operations (id, kind, actor, created_at, finished_at, status, request, summary) " +
        "VALUES (?, ?, ?, ?, NULL, 'running', ?, ?)",
    ).run(op.id, op.kind, op.actor, op.createdAt, op.request, op.summary);
  }
  async saveBulkProgress(id: string, status: string, finishedAt: number | null, summary: string): Promise<void> {
    await this.ready();
    this.stmt("UPDATE bulk_operations SET status = ?, finished_at = ?, summary = ? WHERE id = ?").run(status, finishedAt, summary, id);
  }
  async bulkRequests(): Promise<Array<{ id: string; request: string }>> {
    await this.ready();
    return this.stmt("SELECT id, request FROM bulk_operations").all() as Array<{ id: string; request: string }>;
  }
  async setBulkRequest(id: string, request: string): Promise<void> {
    await this.ready();
    this.stmt("UPDATE bulk_operations SET request = ? WHERE id = ?").run(request, id);
  }

  // ---- personal data (GDPR forget) ----
  /** Deletes a callback with its outbox and ledger rows, and drops the details of its events; call inside tx. */
  async eraseCallbackData(id: string): Promise<void> {
    await this.ready();
    this.stmt("DELETE FROM callbacks WHERE id = ?").run(id);
    this.stmt("UPDATE callback_events SET details = NULL WHERE callback_id = ? AND details IS NOT NULL").run(id);
    this.stmt("DELETE FROM notification_outbox WHERE callback_id = ?").run(id);
    this.stmt("DELETE FROM handoffs WHERE callback_id = ?").run(id);
  }
  async clearEventDetails(eventId: number): Promise<void> {
    await this.ready();
    this.stmt("UPDATE callback_events SET details = NULL WHERE id = ?").run(eventId);
  }

  private secureUsers = 0;
  private securePrev: number | undefined;
  /**
   * While any erasure runs (calls nest), SQLite overwrites deleted content with zeros, so a deleted number does not
   * linger in free space of the file; at the end the WAL, which still holds the old pages, is checkpointed away.
   */
  async secureDelete(on: boolean): Promise<void> {
    await this.ready();
    const db = this.sqlite;
    if (on) {
      if (this.secureUsers++ === 0) {
        this.securePrev = Number(db.pragma("secure_delete", { simple: true }));
        db.pragma("secure_delete = 1");
      }
    } else if (--this.secureUsers === 0) {
      db.pragma(`secure_delete = ${this.securePrev ?? 0}`);
      // copy the WAL into the zeroed database file and empty it; never wait long for it
      const busy = Number(db.pragma("busy_timeout", { simple: true }));
      try {
        db.pragma("busy_timeout = 100");
        db.pragma("wal_checkpoint(TRUNCATE)");
      } catch {
        /* a busy database is checkpointed later by SQLite itself */
      } finally {
        db.pragma(`busy_timeout = ${busy}`);
      }
    }
  }
}

const g = globalThis as unknown as { __callbackStore?: Store; __callbackPgStore?: PgStore; __callbackStoreOverride?: CallbackStore };

/** Whether DATABASE_URL names a PostgreSQL database (then the server runs on PostgreSQL, not on DATABASE_PATH). */
export function postgresUrl(env: Record<string, string | undefined> = process.env): string | null {
  const url = env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : null;
}

/**
 * The process-wide store: a store installed by setStore (tests), else PostgreSQL when DATABASE_URL names one
 * (built at once, connected and migrated by its first `ready()`, so callers stay synchronous), else SQLite over
 * getDb().
 */
export function getStore(): CallbackStore {
  if (g.__callbackStoreOverride) return g.__callbackStoreOverride;
  const url = postgresUrl();
  if (url) return (g.__callbackPgStore ??= new PgStore({ url }));
  return sqliteStore();
}

/** The SQLite store over getDb() (tools and tests that read SQLite itself; the server asks getStore). */
export function sqliteStore(): Store {
  const h = getDb();
  if (!g.__callbackStore || g.__callbackStore.handle !== h) g.__callbackStore = new Store(h);
  return g.__callbackStore;
}

/** Installs a store as the process-wide one (tests); undefined goes back to getStore's own choice. */
export function setStore(store: CallbackStore | undefined): void {
  g.__callbackStoreOverride = store;
}
