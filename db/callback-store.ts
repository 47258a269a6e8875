// The storage seam the engine, execution, console and handlers type against: one asynchronous API with two
// implementations, the embedded SQLite store (db/store.ts, one server) and the PostgreSQL store (db/pg/store.ts,
// several servers on one database). The query modules of db/ (console, monitor, ops, services) run their SQL
// through `query`, choosing the text by `dialect`; nothing outside db/ sees SQL.
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { CallbackWhere } from "./filters";
import type { BulkOperationRow, CallbackRow, EventInput, EventRow, OutboxRow, ServiceRow } from "./store";

export type { BulkOperationRow, CallbackRow, EventInput, EventRow, OutboxRow, ServiceRow } from "./store";

/** A console user as stored. */
export interface UserRow {
  username: string;
  passwordHash: string;
  role: string;
  sessionEpoch: number;
  createdAt: number;
  updatedAt: number;
}

/** One keyset page request of a (service, state) queue (see `callbackPage`). */
export interface CallbackPageQuery {
  service: string;
  state: string;
  from: number;
  to: number;
  /** the last row of the previous page: its desired time and its position (`rowid`, a per-store insertion order) */
  after?: { t: number; rowid: number } | null;
  limit: number;
  where?: CallbackWhere;
  idsOnly?: boolean;
}

const gl = globalThis as unknown as { __callbackEventListeners?: Set<(e: EventInput) => void> };
/** Process-wide observers of every event written and committed (metrics count outcomes); they must not throw. */
export const eventListeners = () => (gl.__callbackEventListeners ??= new Set());

/** Tells the listeners of one event that is in the database (written outside a transaction, or committed). */
export function announceEvent(e: EventInput): void {
  for (const fn of eventListeners()) fn(e);
}

/**
 * The events a transaction wrote, told to the listeners only after its COMMIT: a rollback tells nothing, a
 * savepoint rolled back forgets its own, and an attempt PostgreSQL runs again (serialization failure, deadlock)
 * starts with a new list, so a metric never counts an event twice or one that was undone.
 */
export class CommittedEvents {
  private list: EventInput[] = [];
  add(e: EventInput): void {
    this.list.push(e);
  }
  /** The position to go back to when the savepoint opened now rolls back. */
  mark(): number {
    return this.list.length;
  }
  undo(mark: number): void {
    this.list.length = mark;
  }
  /** After COMMIT. */
  announce(): void {
    const list = this.list;
    this.list = [];
    for (const e of list) announceEvent(e);
  }
}

/** A bulk operation as it is first stored (status "running"). */
export interface BulkOperationInput {
  id: string;
  kind: string;
  actor: string | null;
  createdAt: number;
  request: string;
  summary: string;
}

/** An event's values in the column order both stores insert: time, service, callback, type, state, reason, actor, details. */
export const eventValues = (e: EventInput): unknown[] => [
  e.time,
  e.serviceName ?? null,
  e.callbackId ?? null,
  e.type,
  e.state ?? null,
  e.reason ?? null,
  e.actor ?? null,
  e.details === undefined ? null : JSON.stringify(e.details),
];

/** A fixed-window limiter: `points` per `duration` seconds per key, its keys under `keyPrefix`. */
export interface SharedLimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
}

export interface CallbackStore {
  readonly dialect: "sqlite" | "postgres";

  /** Where the data lives, for the start-up log (a file path, or a PostgreSQL URL without its password). */
  describe(): string;
  /**
   * The directory the generated console secret is kept in (next to the SQLite file); null when there is none: an
   * in-memory database, or PostgreSQL, where several servers must share one secret (see lib/auth/secret.ts).
   */
  secretDir(): string | null;
  /**
   * A rate limiter whose counts every server on this database shares (PostgreSQL: rows of `sign_in_limits`), or
   * null where one machine's processes share them in memory (SQLite: the process, or the cluster primary).
   */
  sharedLimiter(opts: SharedLimiterOptions): RateLimiterAbstract | null;

  /** Waits until this async context may use the store (see `tx`); PostgreSQL: until migrated. */
  ready(): Promise<void>;
  /** Runs `fn` in a write transaction (each store documents its isolation); a `tx` inside a `tx` is a savepoint. */
  tx<T>(fn: () => Promise<T> | T): Promise<T>;
  /**
   * Serialises, across every server, the transactions that check a service's limits (capacity, queued limit,
   * throttle) and then write: call first inside the `tx`. SQLite: nothing to do (BEGIN IMMEDIATE already lets one
   * writer in at a time); PostgreSQL: a transaction-scoped advisory lock on the service's name.
   */
  lockService(name: string): Promise<void>;
  /**
   * Changes whenever a committed write may change an answer computed from the data (keys answer caches, with the
   * current second). PostgreSQL's may move a moment before the write commits (a sequence, see docs/deployment.md).
   */
  changeStamp(): Promise<string>;
  /** Rows of a query module's SQL (`?` placeholders), inside the caller's transaction when there is one. */
  query<R>(sql: string, args?: readonly unknown[]): Promise<R[]>;
  /** Bytes the database takes (SQLite: the file and its WAL; PostgreSQL: pg_database_size). */
  databaseBytes(): Promise<number>;
  /** Migrations applied to the database, and those this code knows. */
  migrationLevel(): Promise<{ applied: number; known: number }>;

  // configuration
  getService(name: string): Promise<ServiceRow | undefined>;
  listServices(): Promise<ServiceRow[]>;
  putService(name: string, kind: string, options: Record<string, unknown>, now: number): Promise<void>;
  deleteService(name: string): Promise<boolean>;
  getSettings(section: string): Promise<Record<string, unknown> | undefined>;
  putSettings(section: string, options: Record<string, unknown>, now: number): Promise<void>;
  getPatternGroup(name: string): Promise<Record<string, string> | undefined>;
  listPatternGroups(): Promise<Record<string, Record<string, string>>>;
  putPatternGroup(name: string, patterns: Record<string, string>, now: number): Promise<void>;
  deletePatternGroup(name: string): Promise<boolean>;
  serviceOptionsText(name: string, kind?: string): Promise<string | undefined>;
  settingsText(section: string): Promise<string | undefined>;

  // users
  getUser(username: string): Promise<UserRow | undefined>;
  listUsers(): Promise<Array<Pick<UserRow, "username" | "role" | "createdAt">>>;
  countUsers(): Promise<number>;
  /** Creates the user only when there are no users at all: of several servers starting at once exactly one does (true). */
  createFirstUser(username: string, passwordHash: string, role: string, now: number): Promise<boolean>;
  putUser(username: string, passwordHash: string, role: string, now: number): Promise<void>;
  bumpSessionEpoch(username: string, now: number): Promise<void>;
  deleteUser(username: string): Promise<boolean>;

  // callbacks
  getCallback(id: string): Promise<CallbackRow | undefined>;
  insertCallback(r: CallbackRow): Promise<void>;
  updateCallback(r: CallbackRow): Promise<void>;
  countBucket(service: string, bucket: number): Promise<number>;
  bucketCounts(service: string, from: number, to: number): Promise<{ buckets: number[]; counts: number[] }>;
  countOpenForNumber(service: string, number: string): Promise<number>;
  countInState(service: string, state: string, cap?: number): Promise<number>;
  countCreatedInWindow(service: string, now: number, ttlSeconds: number): Promise<number>;
  pruneCreationCounts(before: number): Promise<void>;
  countParamSince(service: string, key: string, value: string, since: number, cap?: number): Promise<number>;
  findCallbacks(where: CallbackWhere, limit: number): Promise<CallbackRow[]>;
  callbackPage(q: CallbackPageQuery): Promise<Array<CallbackRow & { rowid: number }>>;
  callbackServiceNames(): Promise<string[]>;
  maxCallbackRowid(): Promise<number>;
  callbackNumbersRange(after: number, to: number): Promise<Array<{ id: string; customer_number: string }>>;
  countQueuedAhead(service: string, enqueuedAt: number, id: string): Promise<number>;
  dueCallbacks(now: number, limit: number): Promise<CallbackRow[]>;
  localCallbacksInState(service: string, state: string, limit: number): Promise<CallbackRow[]>;
  callbacksInExecution(): Promise<CallbackRow[]>;
  servicesWithPausedCallbacks(): Promise<string[]>;
  purgeCompleted(id: string, now: number): Promise<void>;
  setDueAt(id: string, dueAt: number | null): Promise<void>;

  // events
  insertEvent(e: EventInput): Promise<void>;
  eventsFor(callbackId: string): Promise<Array<EventRow & { details: string | null }>>;
  countStateEntries(service: string, state: string, since: number): Promise<number>;
  maxEventId(): Promise<number>;
  /** Hand-offs recorded after event `afterId`, oldest first (the simulator's holder learns of other processes' ones). */
  handoffEventsSince(afterId: number, limit: number): Promise<Array<{ id: number; callbackId: string }>>;
  eventDetailsRange(afterId: number, toId: number): Promise<Array<{ id: number; callback_id: string | null; details: string }>>;
  clearEventDetails(eventId: number): Promise<void>;

  // hand-off ledger, lease, outbox
  claimHandoff(id: string, attempt: number, now: number, done?: boolean): Promise<boolean>;
  finishHandoff(id: string, attempt: number, ok: boolean, now: number): Promise<void>;
  acquireLease(name: string, holder: string, now: number, ms: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  enqueueNotification(callbackId: string, target: string, payload: string, now: number): Promise<void>;
  /**
   * Claims up to `limit` due outbox rows for this sender until `claimUntil` (their next_at moves there, in one
   * atomic step), so no other sender, on this server or another, takes them meanwhile. The sender then deletes
   * each row (sent, or given up) or sets its next try (retryNotification); a sender that dies leaves its rows due
   * again at `claimUntil`.
   */
  claimNotifications(now: number, limit: number, claimUntil: number): Promise<OutboxRow[]>;
  deleteNotification(id: number): Promise<void>;
  retryNotification(id: number, nextAt: number, error: string): Promise<void>;

  // bulk operations
  insertBulkOperation(op: BulkOperationInput): Promise<void>;
  getBulkOperation(id: string): Promise<BulkOperationRow | undefined>;
  saveBulkProgress(id: string, status: string, finishedAt: number | null, summary: string): Promise<void>;
  bulkRequests(): Promise<Array<{ id: string; request: string }>>;
  setBulkRequest(id: string, request: string): Promise<void>;

  // personal data
  eraseCallbackData(id: string): Promise<void>;
  /** While any erasure runs (calls nest), deleted content is overwritten where the database can (SQLite). */
  secureDelete(on: boolean): Promise<void>;
}
