// The PostgreSQL store: the CallbackStore API over a node-postgres pool, for several servers on one database.
// Same semantics as the SQLite store (db/store.ts) method for method; what differs is how transactions isolate:
//  - `tx(fn)` takes a pooled connection and runs fn between BEGIN and COMMIT (READ COMMITTED); every store call in
//    fn's async context goes to that connection, others run beside it on other connections (no single writer).
//  - what SQLite got from its single writer is asked for explicitly: `lockService` (an advisory lock on the
//    service, taken first by every transaction that counts a service's limits and then writes) and row locks on
//    the callbacks a transaction reads (`getCallback` inside a tx is SELECT … FOR UPDATE), so two servers never
//    both change one callback from the same version.
//  - a transaction that fails with a serialization failure or a deadlock (40001, 40P01) is run again as a whole,
//    a bounded number of times.
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import { pgPool } from "./pool";
import { RateLimiterPostgres, type RateLimiterAbstract } from "rate-limiter-flexible";
import { migratePg, pgMigrations } from "./migrate";
import {
  announceEvent,
  CommittedEvents,
  eventValues,
  type BulkOperationInput,
  type CallbackPageQuery,
  type CallbackStore,
  type SharedLimiterOptions,
  type UserRow,
} from "../callback-store";
import type { BulkOperationRow, CallbackRow, EventInput, EventRow, OutboxRow, ServiceRow } from "../store";
import type { CallbackCondition, CallbackField, CallbackWhere } from "../filters";

interface PgTx {
  store: PgStore;
  client: pg.PoolClient;
  live: boolean;
  savepoints: number;
  events: CommittedEvents;
}
const inTx = new AsyncLocalStorage<PgTx>();

/** The columns a write sets from the row (version is bumped by the update itself). */
const MUTABLE_COLUMNS = [
  "customer_number",
  "desired_time",
  "state",
  "reason",
  "expiration_time",
  "ors_session_id",
  "bucket",
  "enqueued_at",
  "due_at",
  "submit_attempts",
  "immediate",
  "handed_off",
  "external",
  "props",
  "updated_at",
  "completed_at",
] as const satisfies ReadonlyArray<keyof CallbackRow>;
/** Every column: the ones fixed at creation, then the mutable ones. */
const ALL_COLUMNS = [
  "id",
  "service_name",
  "time_scheduled",
  "exec_options",
  "version",
  ...MUTABLE_COLUMNS,
] as const satisfies ReadonlyArray<keyof CallbackRow>;
const COLS = ALL_COLUMNS.join(", ");

/** Runs of one transaction when PostgreSQL aborts it for a serialization failure or a deadlock. */
export const PG_TX_ATTEMPTS = 5;
const RETRIED = new Set(["40001", "40P01"]);

// node-postgres reports a lost or unreachable server without a SQLSTATE; naming it 08006 (connection failure) lets
// the edge answer 50020 "Storage error, please retry" (db/errors.ts), as for SQLite's busy database.
const CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;
function markConnectionFault(e: unknown): void {
  if (e instanceof Error && !(e as { code?: unknown }).code && CONNECTION_LOST.test(e.message)) Object.assign(e, { code: "08006" });
}
function tagConnectionFault(e: unknown): never {
  markConnectionFault(e);
  throw e;
}

/** `?` placeholders (the query modules' dialect-neutral form) as PostgreSQL's `$n`. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const COLUMNS = new Set<string>(["id", "service_name", "customer_number", "reason", "ors_session_id", "state", "desired_time"]);
const OPS = { eq: "=", ne: "<>", gte: ">=", lte: "<=" } as const;

/** db/filters.ts's conditions in PostgreSQL: props are JSON text, read with ->>; lists bind as one text[]. */
function pgWhere(w: CallbackWhere | undefined, args: unknown[]): string {
  const field = (f: CallbackField): string => {
    if (typeof f === "string") {
      if (!COLUMNS.has(f)) throw new Error(`not a callback column: ${f}`);
      return f;
    }
    args.push(f.prop);
    return `((props::jsonb) ->> $${args.length})`;
  };
  const cond = (c: CallbackCondition): string => {
    const f = field(c.field);
    if (c.op === "in") {
      args.push([...c.values]);
      return `${f} = ANY($${args.length}::text[])`;
    }
    args.push(c.value);
    // a property is text: compared as text, as json_extract of a stored string is in SQLite
    const cast = typeof c.field === "string" || typeof c.value !== "number" ? "" : "::text";
    return `${f} ${OPS[c.op]} $${args.length}${cast}`;
  };
  const parts = w?.any?.length ? [`(${w.any.map(cond).join(" OR ")})`] : [];
  for (const c of w?.all ?? []) parts.push(cond(c));
  return parts.join(" AND ");
}

export interface PgStoreOptions {
  /** the database, when no pool is given */
  url?: string;
  pool?: pg.Pool;
  /** connections of the pool made from `url` (default 10) */
  max?: number;
  /** how long an idle connection of that pool stays open (pg's default: 10 s) */
  idleMs?: number;
  /** runs once before the first connection (tests create their database here) */
  prepare?: () => Promise<void>;
}

export class PgStore implements CallbackStore {
  readonly dialect = "postgres" as const;
  private poolOf: pg.Pool | null;
  private opening: Promise<void> | null = null;
  private ownsPool: boolean;

  constructor(private readonly opts: PgStoreOptions) {
    if (!opts.pool && !opts.url) throw new Error("PgStore needs a url or a pool");
    this.poolOf = opts.pool ?? null;
    this.ownsPool = !opts.pool;
  }

  private get pool(): pg.Pool {
    if (!this.poolOf) throw new Error("the PostgreSQL store is not open yet (await ready())");
    return this.poolOf;
  }

  /** Transactions run again after a serialization failure or a deadlock, since open. */
  busyRetries = 0;

  describe(): string {
    if (!this.opts.url) return "postgresql (pool)";
    try {
      const u = new URL(this.opts.url);
      if (u.password) u.password = "***";
      return u.toString();
    } catch {
      return "postgresql";
    }
  }

  secretDir(): string | null {
    return null;
  }

  /**
   * rate-limiter-flexible's RateLimiterPostgres on this store's pool (table `sign_in_limits`, migration 0002), so
   * attempts sent to different servers count against one limit. Its queries wait for `ready()`; each is one
   * atomic upsert, outside any transaction of the caller. Rows that expired an hour ago are swept hourly.
   */
  sharedLimiter(opts: SharedLimiterOptions): RateLimiterAbstract {
    const client = { query: async (q: pg.QueryConfig) => (await this.ready(), this.pool.query(q)) };
    return new RateLimiterPostgres({ ...opts, storeClient: client, storeType: "pool", tableName: "sign_in_limits", tableCreated: true });
  }

  /** Connects and migrates on first use (the servers of a deployment may start at once: see db/pg/migrate.ts). */
  async ready(): Promise<void> {
    this.opening ??= (async () => {
      await this.opts.prepare?.();
      this.poolOf ??= pgPool(this.opts.url!, { max: this.opts.max ?? 10, idleTimeoutMillis: this.opts.idleMs ?? 10_000 });
      await migratePg(this.poolOf);
    })().catch((e: unknown) => {
      this.opening = null; // the next call tries again (the database may come up later)
      throw e;
    });
    await this.opening;
  }

  /** Closes the pool this store made. */
  async close(): Promise<void> {
    if (this.ownsPool && this.poolOf) await this.poolOf.end();
    this.poolOf = null;
    this.opening = null;
  }

  private async run<R extends pg.QueryResultRow>(sql: string, args: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.ready();
    const t = inTx.getStore();
    const on = t?.live && t.store === this ? t.client : this.pool;
    return await on.query<R>(sql, args as unknown[]).catch(tagConnectionFault);
  }
  private async rows<R extends pg.QueryResultRow>(sql: string, args: readonly unknown[] = []): Promise<R[]> {
    return (await this.run<R>(sql, args)).rows;
  }
  private async one<R extends pg.QueryResultRow>(sql: string, args: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.run<R>(sql, args)).rows[0];
  }
  private async changed(sql: string, args: readonly unknown[] = []): Promise<number> {
    return (await this.run(sql, args)).rowCount ?? 0;
  }
  private inTransaction(): boolean {
    const t = inTx.getStore();
    return !!t?.live && t.store === this;
  }

  async query<R>(sql: string, args: readonly unknown[] = []): Promise<R[]> {
    return (await this.rows<pg.QueryResultRow>(numbered(sql), args)) as R[];
  }

  /**
   * Runs `fn` in a READ COMMITTED transaction on one pooled connection and resolves after COMMIT; a throw rolls
   * back and rejects. Inside `fn` (its whole async context) every call on this store uses that connection; a `tx`
   * inside a `tx` is a savepoint. Aborted for a serialization failure or a deadlock, `fn` runs again from the
   * start (up to PG_TX_ATTEMPTS times): it must not have effects outside the store it cannot repeat. The store's
   * own such effect, telling event listeners (metrics), waits for COMMIT (CommittedEvents).
   */
  async tx<T>(fn: () => Promise<T> | T): Promise<T> {
    const t = inTx.getStore();
    if (t?.live && t.store === this) return await this.savepoint(t, fn);
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch(tagConnectionFault);
      const token: PgTx = { store: this, client, live: true, savepoints: 0, events: new CommittedEvents() };
      let broken: Error | undefined;
      // a connection lost while checked out is reported here (its query fails too); the pool then drops it
      const onLost = (e: Error) => (broken = e);
      client.on("error", onLost);
      try {
        await client.query("BEGIN");
        const v = await inTx.run(token, fn);
        await client.query("COMMIT");
        token.events.announce();
        return v;
      } catch (e) {
        markConnectionFault(e);
        if (!broken) await client.query("ROLLBACK").catch((r: unknown) => (broken = r instanceof Error ? r : new Error(String(r))));
        if (RETRIED.has((e as { code?: string }).code ?? "") && attempt < PG_TX_ATTEMPTS && !broken) {
          this.busyRetries++;
          continue;
        }
        throw e;
      } finally {
        // work started inside the transaction and still running after it is an ordinary caller from now on
        token.live = false;
        client.off("error", onLost);
        client.release(broken);
      }
    }
  }

  private async savepoint<T>(t: PgTx, fn: () => Promise<T> | T): Promise<T> {
    const name = `sp${++t.savepoints}`;
    const mark = t.events.mark();
    await t.client.query(`SAVEPOINT ${name}`);
    try {
      const v = await fn();
      await t.client.query(`RELEASE SAVEPOINT ${name}`);
      return v;
    } catch (e) {
      t.events.undo(mark);
      await t.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await t.client.query(`RELEASE SAVEPOINT ${name}`);
      throw e;
    }
  }

  /**
   * A transaction-scoped advisory lock on the service: every server's transactions that count a service's
   * bookings or limits and then write queue here, one at a time, until COMMIT or ROLLBACK releases it. Outside
   * a transaction there is nothing to hold it for.
   */
  async lockService(name: string): Promise<void> {
    if (!this.inTransaction()) return;
    await this.run("SELECT pg_advisory_xact_lock(hashtext($1))", [`callback-service:service:${name}`]);
  }

  /** The counter every write to the answer tables bumps in its own transaction (migration 0001). */
  async changeStamp(): Promise<string> {
    // the sequence every write of an answer's tables moves (migration 0003): current across sessions, never locked
    const r = await this.one<{ n: number }>("SELECT last_value AS n FROM change_stamp_seq");
    return String(r?.n ?? 0);
  }

  async databaseBytes(): Promise<number> {
    return (await this.one<{ n: number }>("SELECT pg_database_size(current_database()) AS n"))?.n ?? 0;
  }

  async migrationLevel(): Promise<{ applied: number; known: number }> {
    const r = await this.one<{ n: number }>("SELECT count(*) AS n FROM schema_migrations");
    return { applied: r?.n ?? 0, known: pgMigrations().length };
  }

  // ---- services, settings, patterns ----
  async getService(name: string): Promise<ServiceRow | undefined> {
    const r = await this.one<{ name: string; kind: string; options: string; created_at: number; updated_at: number }>(
      "SELECT name, kind, options, created_at, updated_at FROM services WHERE name = $1",
      [name],
    );
    return r && { name: r.name, kind: r.kind, options: JSON.parse(r.options), createdAt: r.created_at, updatedAt: r.updated_at };
  }
  async listServices(): Promise<ServiceRow[]> {
    const rows = await this.rows<{ name: string; kind: string; options: string; created_at: number; updated_at: number }>(
      "SELECT name, kind, options, created_at, updated_at FROM services ORDER BY name",
    );
    return rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      options: JSON.parse(r.options) as Record<string, unknown>,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
  async putService(name: string, kind: string, options: Record<string, unknown>, now: number): Promise<void> {
    await this.run(
      "INSERT INTO services (name, kind, options, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) " +
        "ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, options = EXCLUDED.options, updated_at = EXCLUDED.updated_at",
      [name, kind, JSON.stringify(options), now],
    );
  }
  async deleteService(name: string): Promise<boolean> {
    return (await this.changed("DELETE FROM services WHERE name = $1", [name])) > 0;
  }
  async getSettings(section: string): Promise<Record<string, unknown> | undefined> {
    const text = await this.settingsText(section);
    return text === undefined ? undefined : JSON.parse(text);
  }
  async putSettings(section: string, options: Record<string, unknown>, now: number): Promise<void> {
    await this.run(
      "INSERT INTO settings (section, options, updated_at) VALUES ($1, $2, $3) " +
        "ON CONFLICT (section) DO UPDATE SET options = EXCLUDED.options, updated_at = EXCLUDED.updated_at",
      [section, JSON.stringify(options), now],
    );
  }
  async getPatternGroup(name: string): Promise<Record<string, string> | undefined> {
    const r = await this.one<{ patterns: string }>("SELECT patterns FROM pattern_groups WHERE name = $1", [name]);
    return r ? JSON.parse(r.patterns) : undefined;
  }
  async listPatternGroups(): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    for (const r of await this.rows<{ name: string; patterns: string }>("SELECT name, patterns FROM pattern_groups ORDER BY name"))
      out[r.name] = JSON.parse(r.patterns);
    return out;
  }
  async putPatternGroup(name: string, patterns: Record<string, string>, now: number): Promise<void> {
    await this.run(
      "INSERT INTO pattern_groups (name, patterns, updated_at) VALUES ($1, $2, $3) " +
        "ON CONFLICT (name) DO UPDATE SET patterns = EXCLUDED.patterns, updated_at = EXCLUDED.updated_at",
      [name, JSON.stringify(patterns), now],
    );
  }
  async deletePatternGroup(name: string): Promise<boolean> {
    return (await this.changed("DELETE FROM pattern_groups WHERE name = $1", [name])) > 0;
  }
  async serviceOptionsText(name: string, kind?: string): Promise<string | undefined> {
    const r = kind
      ? await this.one<{ options: string }>("SELECT options FROM services WHERE name = $1 AND kind = $2", [name, kind])
      : await this.one<{ options: string }>("SELECT options FROM services WHERE name = $1", [name]);
    return r?.options;
  }
  async settingsText(section: string): Promise<string | undefined> {
    return (await this.one<{ options: string }>("SELECT options FROM settings WHERE section = $1", [section]))?.options;
  }

  // ---- users ----
  async getUser(username: string): Promise<UserRow | undefined> {
    return await this.one<UserRow>(
      'SELECT username, password_hash AS "passwordHash", role, session_epoch AS "sessionEpoch", created_at AS "createdAt", ' +
        'updated_at AS "updatedAt" FROM users WHERE username = $1',
      [username],
    );
  }
  async listUsers(): Promise<Array<Pick<UserRow, "username" | "role" | "createdAt">>> {
    return await this.rows('SELECT username, role, created_at AS "createdAt" FROM users ORDER BY username');
  }
  async countUsers(): Promise<number> {
    return (await this.one<{ n: number }>("SELECT count(*) AS n FROM users"))?.n ?? 0;
  }
  async createFirstUser(username: string, passwordHash: string, role: string, now: number): Promise<boolean> {
    return await this.tx(async () => {
      // READ COMMITTED: without the lock two servers could both count no users and both write the first admin
      await this.lockService(":first-user");
      if ((await this.countUsers()) > 0) return false;
      await this.putUser(username, passwordHash, role, now);
      return true;
    });
  }
  /** As the SQLite store: a new password or role moves the session epoch, which only ever grows. */
  async putUser(username: string, passwordHash: string, role: string, now: number): Promise<void> {
    await this.run(
      "INSERT INTO users (username, password_hash, role, session_epoch, created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $4) " +
        "ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, " +
        "updated_at = EXCLUDED.updated_at, " +
        "session_epoch = CASE WHEN users.password_hash <> EXCLUDED.password_hash OR users.role <> EXCLUDED.role " +
        "THEN greatest(users.session_epoch + 1, EXCLUDED.updated_at) ELSE users.session_epoch END",
      [username, passwordHash, role, now],
    );
  }
  async bumpSessionEpoch(username: string, now: number): Promise<void> {
    await this.run("UPDATE users SET session_epoch = greatest(session_epoch + 1, $2::bigint) WHERE username = $1", [username, now]);
  }
  async deleteUser(username: string): Promise<boolean> {
    return (await this.changed("DELETE FROM users WHERE username = $1", [username])) > 0;
  }

  // ---- callbacks ----
  /** Inside a transaction the row is locked until it ends: the transaction's later write starts from this version. */
  async getCallback(id: string): Promise<CallbackRow | undefined> {
    const lock = this.inTransaction() ? " FOR UPDATE" : "";
    return await this.one<CallbackRow>(`SELECT ${COLS} FROM callbacks WHERE id = $1${lock}`, [id]);
  }
  async insertCallback(r: CallbackRow): Promise<void> {
    const values = ALL_COLUMNS.map((c) => r[c] ?? null);
    await this.run(`INSERT INTO callbacks (${COLS}) VALUES (${values.map((_, n) => `$${n + 1}`).join(", ")})`, values);
  }
  /** Writes every mutable column of the row and bumps its version. */
  async updateCallback(r: CallbackRow): Promise<void> {
    const set = MUTABLE_COLUMNS.map((c, n) => `${c} = $${n + 2}`).join(", ");
    await this.run(`UPDATE callbacks SET ${set}, version = version + 1 WHERE id = $1`, [r.id, ...MUTABLE_COLUMNS.map((c) => r[c])]);
    r.version += 1;
  }
  async countBucket(service: string, bucket: number): Promise<number> {
    return (
      (await this.one<{ n: number }>("SELECT n FROM bucket_counts WHERE service_name = $1 AND bucket = $2", [service, bucket]))?.n ?? 0
    );
  }
  async bucketCounts(service: string, from: number, to: number): Promise<{ buckets: number[]; counts: number[] }> {
    const r = await this.one<{ b: number[] | null; n: number[] | null }>(
      "SELECT array_agg(bucket ORDER BY bucket) AS b, array_agg(n ORDER BY bucket) AS n FROM bucket_counts " +
        "WHERE service_name = $1 AND bucket >= $2 AND bucket < $3 AND n > 0",
      [service, from, to],
    );
    // bigint[] arrives as text (the pool's int8 parser is for scalars)
    return { buckets: (r?.b ?? []).map(Number), counts: r?.n ?? [] };
  }
  async countOpenForNumber(service: string, number: string): Promise<number> {
    const r = await this.one<{ n: number }>(
      "SELECT count(*) AS n FROM callbacks WHERE customer_number = $1 AND service_name = $2 AND state <> 'COMPLETED'",
      [number, service],
    );
    return r?.n ?? 0;
  }
  async countInState(service: string, state: string, cap = 1e9): Promise<number> {
    const r = await this.one<{ n: number }>(
      "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE service_name = $1 AND state = $2 LIMIT $3) c",
      [service, state, cap],
    );
    return r?.n ?? 0;
  }
  async countCreatedInWindow(service: string, now: number, ttlSeconds: number): Promise<number> {
    const r = await this.one<{ n: number }>(
      "SELECT coalesce(sum(n), 0)::bigint AS n FROM creation_counts WHERE service_name = $1 AND sec > $2",
      [service, Math.floor(now / 1000) - ttlSeconds],
    );
    return r?.n ?? 0;
  }
  async pruneCreationCounts(before: number): Promise<void> {
    await this.run("DELETE FROM creation_counts WHERE sec < $1", [Math.floor(before / 1000)]);
  }
  async countParamSince(service: string, key: string, value: string, since: number, cap = 1e9): Promise<number> {
    const r =
      key === "_customer_number"
        ? await this.one<{ n: number }>(
            "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE customer_number = $1 AND service_name = $2 " +
              "AND time_scheduled >= $3 " +
              "AND immediate = 1 LIMIT $4) c",
            [value, service, since, cap],
          )
        : await this.one<{ n: number }>(
            "SELECT count(*) AS n FROM (SELECT 1 FROM callbacks WHERE service_name = $1 AND time_scheduled >= $2 AND immediate = 1 AND " +
              "((props::jsonb) ->> $3) = $4 LIMIT $5) c",
            [service, since, key, value, cap],
          );
    return r?.n ?? 0;
  }
  async findCallbacks(where: CallbackWhere, limit: number): Promise<CallbackRow[]> {
    const args: unknown[] = [];
    const w = pgWhere(where, args);
    args.push(limit);
    return await this.rows<CallbackRow>(
      `SELECT ${COLS} FROM callbacks WHERE ${w || "true"} ORDER BY desired_time LIMIT $${args.length}`,
      args,
    );
  }
  /** As the SQLite store's, with seq (migration 0001) for SQLite's rowid. */
  async callbackPage(q: CallbackPageQuery): Promise<Array<CallbackRow & { rowid: number }>> {
    const cols = q.idsOnly ? "seq AS rowid, id, desired_time, state" : `seq AS rowid, ${COLS}`;
    const from = q.after ? Math.max(q.from, q.after.t) : q.from;
    const args: unknown[] = [q.service, q.state, from, q.to];
    let cur = "";
    if (q.after) {
      args.push(q.after.t, q.after.rowid);
      cur = " AND (desired_time > $5 OR seq > $6)";
    }
    const w = pgWhere(q.where, args);
    args.push(q.limit);
    return await this.rows(
      `SELECT ${cols} FROM callbacks WHERE service_name = $1 AND state = $2 AND desired_time >= $3 AND desired_time <= $4${cur}` +
        `${w ? ` AND ${w}` : ""} ORDER BY desired_time, seq LIMIT $${args.length}`,
      args,
    );
  }
  async callbackServiceNames(): Promise<string[]> {
    const rows = await this.rows<{ n: string }>(
      "WITH RECURSIVE s(n) AS (SELECT min(service_name) FROM callbacks UNION ALL SELECT (SELECT min(service_name) FROM callbacks " +
        "WHERE service_name > s.n) FROM s WHERE s.n IS NOT NULL) SELECT n FROM s WHERE n IS NOT NULL",
    );
    return rows.map((r) => r.n);
  }
  async maxCallbackRowid(): Promise<number> {
    return (await this.one<{ n: number }>("SELECT coalesce(max(seq), 0) AS n FROM callbacks"))?.n ?? 0;
  }
  async callbackNumbersRange(after: number, to: number): Promise<Array<{ id: string; customer_number: string }>> {
    return await this.rows(
      "SELECT id, customer_number FROM callbacks WHERE seq > $1 AND seq <= $2 AND customer_number IS NOT NULL ORDER BY seq",
      [after, to],
    );
  }
  async countQueuedAhead(service: string, enqueuedAt: number, id: string): Promise<number> {
    const r = await this.one<{ n: number }>(
      "SELECT count(*) AS n FROM callbacks WHERE service_name = $1 AND state = 'QUEUED' AND " +
        "(coalesce(enqueued_at, time_scheduled) < $2 OR (coalesce(enqueued_at, time_scheduled) = $2 AND id < $3))",
      [service, enqueuedAt, id],
    );
    return r?.n ?? 0;
  }
  async dueCallbacks(now: number, limit: number): Promise<CallbackRow[]> {
    return await this.rows<CallbackRow>(
      `SELECT ${COLS} FROM callbacks WHERE state IN ('SCHEDULED','QUEUED','ROUTING','PROCESSING','PAUSED','COMPLETED') ` +
        "AND due_at <= $1 ORDER BY due_at LIMIT $2",
      [now, limit],
    );
  }
  async localCallbacksInState(service: string, state: string, limit: number): Promise<CallbackRow[]> {
    return await this.rows<CallbackRow>(`SELECT ${COLS} FROM callbacks WHERE service_name = $1 AND state = $2 AND external = 0 LIMIT $3`, [
      service,
      state,
      limit,
    ]);
  }
  async callbacksInExecution(): Promise<CallbackRow[]> {
    return await this.rows<CallbackRow>(
      `SELECT ${COLS} FROM callbacks WHERE state IN ('QUEUED','ROUTING','PROCESSING') AND external = 0 ORDER BY enqueued_at`,
    );
  }
  async servicesWithPausedCallbacks(): Promise<string[]> {
    return (await this.rows<{ s: string }>("SELECT DISTINCT service_name AS s FROM callbacks WHERE state = 'PAUSED'")).map((r) => r.s);
  }
  async purgeCompleted(id: string, now: number): Promise<void> {
    await this.run("DELETE FROM callbacks WHERE id = $1 AND state = 'COMPLETED' AND due_at <= $2", [id, now]);
  }
  async setDueAt(id: string, dueAt: number | null): Promise<void> {
    await this.run("UPDATE callbacks SET due_at = $1 WHERE id = $2", [dueAt, id]);
  }

  // ---- events ----
  async insertEvent(e: EventInput): Promise<void> {
    await this.run(
      "INSERT INTO callback_events (time, service_name, callback_id, type, state, reason, actor, details) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      [...eventValues(e)],
    );
    const t = inTx.getStore();
    if (t?.live && t.store === this) t.events.add(e);
    else announceEvent(e);
  }
  async eventsFor(callbackId: string): Promise<Array<EventRow & { details: string | null }>> {
    return await this.rows(
      "SELECT id, time, service_name, callback_id, type, state, reason, actor, details FROM callback_events " +
        "WHERE callback_id = $1 ORDER BY id",
      [callbackId],
    );
  }
  async countStateEntries(service: string, state: string, since: number): Promise<number> {
    const r = await this.one<{ n: number }>(
      "SELECT count(*) AS n FROM callback_events WHERE service_name = $1 AND time >= $2 AND type = 'state' AND state = $3",
      [service, since, state],
    );
    return r?.n ?? 0;
  }
  async maxEventId(): Promise<number> {
    return (await this.one<{ n: number }>("SELECT coalesce(max(id), 0) AS n FROM callback_events"))?.n ?? 0;
  }
  async handoffEventsSince(afterId: number, limit: number): Promise<Array<{ id: number; callbackId: string }>> {
    return await this.rows(
      "SELECT id, callback_id AS \"callbackId\" FROM callback_events WHERE id > $1 AND type = 'handoff' AND callback_id IS NOT NULL " +
        "ORDER BY id LIMIT $2",
      [afterId, limit],
    );
  }
  async eventDetailsRange(afterId: number, toId: number): Promise<Array<{ id: number; callback_id: string | null; details: string }>> {
    return await this.rows("SELECT id, callback_id, details FROM callback_events WHERE id > $1 AND id <= $2 AND details IS NOT NULL", [
      afterId,
      toId,
    ]);
  }
  async clearEventDetails(eventId: number): Promise<void> {
    await this.run("UPDATE callback_events SET details = NULL WHERE id = $1", [eventId]);
  }

  // ---- hand-off ledger: the primary key admits one row per (callback, attempt), whichever server inserts first ----
  async claimHandoff(id: string, attempt: number, now: number, done = false): Promise<boolean> {
    return (
      (await this.changed(
        "INSERT INTO handoffs (key, callback_id, attempt, status, created_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6) " +
          "ON CONFLICT DO NOTHING",
        [`${id}#${attempt}`, id, attempt, done ? "ok" : "pending", now, done ? now : null],
      )) > 0
    );
  }
  async finishHandoff(id: string, attempt: number, ok: boolean, now: number): Promise<void> {
    await this.run("UPDATE handoffs SET status = $1, finished_at = $2 WHERE key = $3", [ok ? "ok" : "failed", now, `${id}#${attempt}`]);
  }

  // ---- lease: INSERT … ON CONFLICT DO UPDATE … WHERE is one atomic statement, whoever races it ----
  async acquireLease(name: string, holder: string, now: number, ms: number): Promise<boolean> {
    return (
      (await this.changed(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, " +
          "expires_at = EXCLUDED.expires_at WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < $4",
        [name, holder, now + ms, now],
      )) > 0
    );
  }
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.run("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
  }

  // ---- notification outbox ----
  async enqueueNotification(callbackId: string, target: string, payload: string, now: number): Promise<void> {
    await this.run(
      "INSERT INTO notification_outbox (callback_id, target, payload, attempts, next_at, created_at) VALUES ($1, $2, $3, 0, $4, $4)",
      [callbackId, target, payload, now],
    );
  }
  async claimNotifications(now: number, limit: number, claimUntil: number): Promise<OutboxRow[]> {
    // one statement: rows another sender is claiming right now are skipped, not waited for
    const rows = await this.rows<OutboxRow & { next_at: number }>(
      "WITH due AS (SELECT id FROM notification_outbox WHERE next_at <= $1 ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED) " +
        "UPDATE notification_outbox o SET next_at = $3 FROM due WHERE o.id = due.id RETURNING o.id, o.callback_id, o.target, " +
        "o.payload, o.attempts, (SELECT c.service_name FROM callbacks c WHERE c.id = o.callback_id) AS service_name",
      [now, limit, claimUntil],
    );
    return rows.sort((a, b) => a.id - b.id);
  }
  async deleteNotification(id: number): Promise<void> {
    await this.run("DELETE FROM notification_outbox WHERE id = $1", [id]);
  }
  async retryNotification(id: number, nextAt: number, error: string): Promise<void> {
    await this.run("UPDATE notification_outbox SET attempts = attempts + 1, next_at = $1, last_error = $2 WHERE id = $3", [
      nextAt,
      error,
      id,
    ]);
  }

  // ---- bulk operations ----
  async insertBulkOperation(op: BulkOperationInput): Promise<void> {
    await this.run(
      "INSERT INTO bulk_operations (id, kind, actor, created_at, finished_at, status, request, summary) " +
        "VALUES ($1, $2, $3, $4, NULL, 'running', $5, $6)",
      [op.id, op.kind, op.actor, op.createdAt, op.request, op.summary],
    );
  }
  async getBulkOperation(id: string): Promise<BulkOperationRow | undefined> {
    return await this.one<BulkOperationRow>(
      "SELECT id, kind, actor, created_at, finished_at, status, request, summary FROM bulk_operations WHERE id = $1",
      [id],
    );
  }
  async saveBulkProgress(id: string, status: string, finishedAt: number | null, summary: string): Promise<void> {
    await this.run("UPDATE bulk_operations SET status = $1, finished_at = $2, summary = $3 WHERE id = $4", [
      status,
      finishedAt,
      summary,
      id,
    ]);
  }
  async bulkRequests(): Promise<Array<{ id: string; request: string }>> {
    return await this.rows("SELECT id, request FROM bulk_operations");
  }
  async setBulkRequest(id: string, request: string): Promise<void> {
    await this.run("UPDATE bulk_operations SET request = $1 WHERE id = $2", [request, id]);
  }

  // ---- personal data ----
  async eraseCallbackData(id: string): Promise<void> {
    await this.run("DELETE FROM callbacks WHERE id = $1", [id]);
    await this.run("UPDATE callback_events SET details = NULL WHERE callback_id = $1 AND details IS NOT NULL", [id]);
    await this.run("DELETE FROM notification_outbox WHERE callback_id = $1", [id]);
    await this.run("DELETE FROM handoffs WHERE callback_id = $1", [id]);
  }
  /**
   * Nothing to switch: PostgreSQL has no secure-delete mode. Deleted rows stay in their pages until VACUUM
   * reclaims them, and in the WAL and backups until those are recycled (docs/deployment.md says so).
   */
  async secureDelete(_on: boolean): Promise<void> {
    await this.ready();
  }
}
