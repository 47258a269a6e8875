// Drizzle (pg-core) description of the PostgreSQL schema, for the PostgreSQL store's queries. The database is made
// by the SQL migrations in db/pg/migrations (triggers, collations and identities included); a test checks that
// every table and column here exists there with the same type and nullability. Same names as db/schema.ts.
import { pgTable, text, bigint, integer, varchar, index, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";

// epoch milliseconds, ids and counters beyond 2^31: numbers in JS (the pool parses int8 as numbers too)
const big = (name: string) => bigint(name, { mode: "number" });

export const services = pgTable("services", {
  name: text("name").primaryKey(),
  kind: text("kind").notNull(),
  options: text("options").notNull(),
  createdAt: big("created_at").notNull(),
  updatedAt: big("updated_at").notNull(),
});

export const settings = pgTable("settings", {
  section: text("section").primaryKey(),
  options: text("options").notNull(),
  updatedAt: big("updated_at").notNull(),
});

export const patternGroups = pgTable("pattern_groups", {
  name: text("name").primaryKey(),
  patterns: text("patterns").notNull(),
  updatedAt: big("updated_at").notNull(),
});

export const callbacks = pgTable(
  "callbacks",
  {
    id: text("id").primaryKey(),
    serviceName: text("service_name").notNull(),
    customerNumber: text("customer_number"),
    desiredTime: big("desired_time").notNull(),
    state: text("state").notNull(),
    reason: text("reason"),
    timeScheduled: big("time_scheduled").notNull(),
    expirationTime: big("expiration_time").notNull(),
    orsSessionId: text("ors_session_id"),
    bucket: big("bucket"),
    enqueuedAt: big("enqueued_at"),
    dueAt: big("due_at"),
    submitAttempts: integer("submit_attempts").notNull().default(0),
    immediate: integer("immediate").notNull().default(0),
    handedOff: integer("handed_off").notNull().default(0),
    external: integer("external").notNull().default(0),
    props: text("props").notNull(),
    execOptions: text("exec_options"),
    version: integer("version").notNull().default(1),
    updatedAt: big("updated_at").notNull(),
    completedAt: big("completed_at"),
    // SQLite's rowid: insertion order for keyset pages and the forget scan (migration 0001)
    seq: big("seq").generatedByDefaultAsIdentity(),
  },
  (t) => [
    index("callbacks_service_state_desired").on(t.serviceName, t.state, t.desiredTime, t.seq),
    uniqueIndex("callbacks_seq").on(t.seq),
    index("callbacks_customer_number").on(t.customerNumber),
    index("callbacks_bucket").on(t.serviceName, t.bucket),
    index("callbacks_state_due").on(t.state, t.dueAt),
    index("callbacks_desired").on(t.desiredTime, t.id),
    index("callbacks_service_created").on(t.serviceName, t.timeScheduled),
  ],
);

export const bucketCounts = pgTable(
  "bucket_counts",
  {
    serviceName: text("service_name").notNull(),
    bucket: big("bucket").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceName, t.bucket] }), index("bucket_counts_cover").on(t.serviceName, t.bucket, t.n)],
);

export const creationCounts = pgTable(
  "creation_counts",
  {
    serviceName: text("service_name").notNull(),
    sec: big("sec").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceName, t.sec] })],
);

export const callbackEvents = pgTable(
  "callback_events",
  {
    id: big("id").primaryKey().generatedByDefaultAsIdentity(),
    time: big("time").notNull(),
    serviceName: text("service_name"),
    callbackId: text("callback_id"),
    type: text("type").notNull(),
    state: text("state"),
    reason: text("reason"),
    actor: text("actor"),
    details: text("details"),
  },
  (t) => [index("events_callback").on(t.callbackId), index("events_service_time").on(t.serviceName, t.time)],
);

export const users = pgTable("users", {
  username: text("username").primaryKey(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").notNull(),
  sessionEpoch: big("session_epoch").notNull().default(0),
  createdAt: big("created_at").notNull(),
  updatedAt: big("updated_at").notNull(),
});

export const notificationOutbox = pgTable(
  "notification_outbox",
  {
    id: big("id").primaryKey().generatedByDefaultAsIdentity(),
    callbackId: text("callback_id").notNull(),
    target: text("target").notNull(),
    payload: text("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAt: big("next_at").notNull(),
    createdAt: big("created_at").notNull(),
    lastError: text("last_error"),
  },
  (t) => [index("outbox_next").on(t.nextAt), index("outbox_callback").on(t.callbackId)],
);

export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: big("expires_at").notNull(),
});

export const handoffs = pgTable("handoffs", {
  key: text("key").primaryKey(),
  callbackId: text("callback_id").notNull(),
  attempt: integer("attempt").notNull(),
  status: text("status").notNull(),
  createdAt: big("created_at").notNull(),
  finishedAt: big("finished_at"),
});

export const bulkOperations = pgTable("bulk_operations", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  actor: text("actor"),
  createdAt: big("created_at").notNull(),
  finishedAt: big("finished_at"),
  status: text("status").notNull(),
  request: text("request").notNull(),
  summary: text("summary").notNull(),
});

/** The sign-in limiter's shared counts, in rate-limiter-flexible's RateLimiterPostgres layout (migration 0002). */
export const signInLimits = pgTable(
  "sign_in_limits",
  {
    key: varchar("key", { length: 255 }).primaryKey(),
    points: integer("points").notNull().default(0),
    expire: big("expire"),
  },
  (t) => [index("sign_in_limits_expire").on(t.expire)],
);
