// Drizzle schema: the single description of the embedded SQLite database.
// Times are stored as epoch milliseconds (integers) so bucket arithmetic and range scans stay cheap.
import { sqliteTable, text, integer, index, primaryKey } from "drizzle-orm/sqlite-core";

export const services = sqliteTable("services", {
  name: text("name").primaryKey(),
  kind: text("kind").notNull(), // callback | office-hours | capacity
  options: text("options").notNull(), // JSON flat option map, as stored
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const settings = sqliteTable("settings", {
  section: text("section").primaryKey(), // "callback" (GMS application-level section), "internal"
  options: text("options").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const patternGroups = sqliteTable("pattern_groups", {
  name: text("name").primaryKey(),
  patterns: text("patterns").notNull(), // JSON {patternName: regex}
  updatedAt: integer("updated_at").notNull(),
});

export const callbacks = sqliteTable(
  "callbacks",
  {
    id: text("id").primaryKey(),
    serviceName: text("service_name").notNull(),
    customerNumber: text("customer_number"),
    desiredTime: integer("desired_time").notNull(),
    state: text("state").notNull(),
    reason: text("reason"),
    timeScheduled: integer("time_scheduled").notNull(),
    expirationTime: integer("expiration_time").notNull(),
    orsSessionId: text("ors_session_id"),
    // Start of the capacity bucket this callback occupies; null when it occupies none (immediate, cancelled).
    bucket: integer("bucket"),
    // Original enqueue time: queue position never lets a rescheduled or redialled callback jump ahead.
    enqueuedAt: integer("enqueued_at"),
    // When the scheduler must look at this callback next (hand-off, retry, expiry, purge).
    dueAt: integer("due_at"),
    submitAttempts: integer("submit_attempts").notNull().default(0),
    immediate: integer("immediate").notNull().default(0),
    // 1 once execution accepted the hand-off (for the current QUEUED period).
    handedOff: integer("handed_off").notNull().default(0),
    // 1 when the client forced `_callback_state`: its life-cycle is driven externally (no hand-off by us).
    external: integer("external").notNull().default(0),
    props: text("props").notNull(), // JSON: every other property, values as strings
    // JSON: the options this callback was accepted with where they differ from its service's (request overrides
    // and resolved `$token$`s), fixed at start; execution, cancel and notifications read them, never `props`.
    execOptions: text("exec_options"),
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [
    index("callbacks_service_state_desired").on(t.serviceName, t.state, t.desiredTime),
    index("callbacks_customer_number").on(t.customerNumber),
    index("callbacks_bucket").on(t.serviceName, t.bucket),
    index("callbacks_state_due").on(t.state, t.dueAt),
    // the console's time-window searches and exports (any service, any state)
    index("callbacks_desired").on(t.desiredTime, t.id),
    index("callbacks_service_created").on(t.serviceName, t.timeScheduled),
  ],
);

// Bookings per capacity bucket, maintained by triggers on `callbacks` (migration 0001) for every writer, so
// capacity checks and availability read a few counters instead of counting callbacks.
export const bucketCounts = sqliteTable(
  "bucket_counts",
  {
    serviceName: text("service_name").notNull(),
    bucket: integer("bucket").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceName, t.bucket] }),
    // covering: availability reads (bucket, n) over a range from the index alone, never from the table
    index("bucket_counts_cover").on(t.serviceName, t.bucket, t.n),
  ],
);

// Creations per service per second, maintained by a trigger on `callbacks` (migration 0002): the throttle
// windows (40003) sum at most `ttl` counters instead of counting callbacks.
export const creationCounts = sqliteTable(
  "creation_counts",
  {
    serviceName: text("service_name").notNull(),
    sec: integer("sec").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceName, t.sec] })],
);

export const callbackEvents = sqliteTable(
  "callback_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    time: integer("time").notNull(),
    serviceName: text("service_name"),
    callbackId: text("callback_id"),
    type: text("type").notNull(), // accepted | rejected | state | updated | cancelled | deleted | handoff | ...
    state: text("state"),
    reason: text("reason"),
    actor: text("actor"),
    details: text("details"), // JSON
  },
  (t) => [index("events_callback").on(t.callbackId), index("events_service_time").on(t.serviceName, t.time)],
);

export const users = sqliteTable("users", {
  username: text("username").primaryKey(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").notNull(), // monitor | supervisor | admin
  // Console sessions carry this value; moving it (sign-out, password or role change) ends every older session.
  sessionEpoch: integer("session_epoch").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// Durable outbox of status notifications: written in the state-change transaction, sent later.
export const notificationOutbox = sqliteTable(
  "notification_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    callbackId: text("callback_id").notNull(),
    target: text("target").notNull(),
    payload: text("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAt: integer("next_at").notNull(),
    createdAt: integer("created_at").notNull(),
    lastError: text("last_error"),
  },
  (t) => [index("outbox_next").on(t.nextAt), index("outbox_callback").on(t.callbackId)],
);

// One row per named lease (the scheduler): only its holder runs the loop.
export const leases = sqliteTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

// Idempotency ledger of hand-offs: (callback id, attempt) is handed over at most once.
export const handoffs = sqliteTable("handoffs", {
  key: text("key").primaryKey(), // `${callbackId}#${attempt}`
  callbackId: text("callback_id").notNull(),
  attempt: integer("attempt").notNull(),
  status: text("status").notNull(), // pending | ok | failed
  createdAt: integer("created_at").notNull(),
  finishedAt: integer("finished_at"),
});

// Bulk operations (admin bulk cancel): summary kept for download by the console.
export const bulkOperations = sqliteTable("bulk_operations", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  actor: text("actor"),
  createdAt: integer("created_at").notNull(),
  finishedAt: integer("finished_at"),
  status: text("status").notNull(),
  request: text("request").notNull(),
  summary: text("summary").notNull(), // JSON: counts + per-item results
});
