// Prometheus metrics (prom-client), served at /metrics: HTTP requests by route template and status, latencies,
// Start-Callback outcomes by code, hand-offs, and gauges read from the database at scrape time (callbacks by
// state, scheduler lag, outbox backlog, database size). One registry per process, shared by every bundle.
// With several server processes (WORKERS) the answer covers them all: the cluster primary (scripts/start.mjs) asks
// each worker for its registry and adds them up (prom-client's AggregatorRegistry.aggregate); gauges read from the
// shared database are taken once, not added up.
import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { getStore, eventListeners, type EventInput } from "../../db/store";
import { callbacksByServiceAndState, schedulerLagMs, outboxBacklog, databaseBytes } from "../../db/ops-queries";
import { workerSlot } from "./workers";

/** How long a worker waits for the primary's sums before /metrics fails (the primary waits 5 s for the workers). */
const CLUSTER_METRICS_TIMEOUT_MS = 8000;

type MetricsReply = { type: "callback:metrics"; id: number; text?: string; error?: string };

type CollectRequest = { type: "callback:metrics-collect"; req: number };

/**
 * Joins the cluster's metrics: answers the primary's requests for this worker's registry, announces that it does,
 * and returns the exposition text of every worker added up, asked of the primary.
 */
function clusterText(registry: Registry): () => Promise<string> {
  process.on("message", (m: CollectRequest) => {
    if (m?.type !== "callback:metrics-collect") return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send!({ type: "callback:metrics-of", req: m.req, metrics }),
      (e: Error) => process.send!({ type: "callback:metrics-of", req: m.req, error: e.message }),
    );
  });
  process.send!({ type: "callback:metrics-ready" });
  let next = 0;
  const waiting = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  process.on("message", (m: MetricsReply) => {
    const w = m?.type === "callback:metrics" ? waiting.get(m.id) : undefined;
    if (!w) return;
    waiting.delete(m.id);
    clearTimeout(w.timer);
    if (m.text !== undefined) w.resolve(m.text);
    else w.reject(new Error(`metrics of the server processes could not be collected: ${m.error}`));
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error("metrics of the server processes could not be collected: no answer from the primary"));
      }, CLUSTER_METRICS_TIMEOUT_MS);
      waiting.set(id, { resolve, reject, timer });
      process.send!({ type: "callback:metrics", id });
    });
}

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "callback_" }); // includes event-loop lag
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: "callback_http_requests_total",
      help: "HTTP requests by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "callback_http_request_duration_seconds",
      help: "HTTP request duration by method and route template",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    startOutcomes: new Counter({
      name: "callback_start_outcomes_total",
      help: "Start-Callback outcomes: accepted, or the GMS error code",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    handoffs: new Counter({
      name: "callback_handoff_attempts_total",
      help: "Hand-off attempts to execution by outcome (ok, retry, failed)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
  // outcomes counted from the events the engine writes anyway: no counter calls inside the engine
  eventListeners().add((e: EventInput) => {
    if (e.type === "accepted") metrics.startOutcomes.inc({ outcome: "accepted" });
    else if (e.type === "rejected")
      metrics.startOutcomes.inc({ outcome: String((e.details as { code?: number } | undefined)?.code ?? "unknown") });
    else if (e.type === "handoff") metrics.handoffs.inc({ outcome: "ok" });
    else if (e.type === "handoff_failed") metrics.handoffs.inc({ outcome: "failed" });
  });
  const now = () => Date.now();
  new Gauge({
    name: "callback_callbacks",
    aggregator: "first", // read from the one shared database: every worker sees the same value
    help: "Stored callbacks by service and state",
    labelNames: ["service", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await callbacksByServiceAndState(getStore())) this.set({ service: r.service, state: r.state }, r.n);
    },
  });
  new Gauge({
    name: "callback_scheduler_lag_seconds",
    aggregator: "first",
    help: "How far the oldest due SCHEDULED callback is behind its hand-off time",
    registers: [registry],
    async collect() {
      this.set((await schedulerLagMs(getStore(), now())) / 1000);
    },
  });
  new Gauge({
    name: "callback_outbox_backlog",
    aggregator: "first",
    help: "Status notifications waiting to be sent",
    registers: [registry],
    async collect() {
      this.set((await outboxBacklog(getStore(), now())).count);
    },
  });
  new Gauge({
    name: "callback_outbox_oldest_age_seconds",
    aggregator: "first",
    help: "Age of the oldest waiting status notification",
    registers: [registry],
    async collect() {
      this.set((await outboxBacklog(getStore(), now())).oldestAgeMs / 1000);
    },
  });
  new Gauge({
    name: "callback_database_bytes",
    aggregator: "first",
    help: "Size of the database (SQLite: the file and its WAL; PostgreSQL: pg_database_size)",
    registers: [registry],
    async collect() {
      this.set(await databaseBytes(getStore()));
    },
  });
  new Gauge({
    name: "callback_server_processes",
    help: "Server processes whose metrics this answer adds up (WORKERS)",
    registers: [registry],
    collect() {
      this.set(1);
    },
  });
  return { ...metrics, text: workerSlot() ? clusterText(registry) : () => registry.metrics() };
}

const g = globalThis as unknown as { __callbackMetrics?: Awaited<ReturnType<typeof create>> };
/** The process-wide metrics. */
export const metrics = () => (g.__callbackMetrics ??= create());
