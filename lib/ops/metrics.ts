// Prometheus metrics (prom-client), served at /metrics: HTTP requests by route template and status, latencies,
// Start-Callback outcomes by code, hand-offs, and gauges read from the database at scrape time (callbacks by
// state, scheduler lag, outbox backlog, database size). One registry per process, shared by every bundle.
import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { getStore, eventListeners, type EventInput } from "../../db/store";
import { callbacksByServiceAndState, schedulerLagMs, outboxBacklog, databaseBytes } from "../../db/ops-queries";

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
    help: "How far the oldest due SCHEDULED callback is behind its hand-off time",
    registers: [registry],
    async collect() {
      this.set((await schedulerLagMs(getStore(), now())) / 1000);
    },
  });
  new Gauge({
    name: "callback_outbox_backlog",
    help: "Status notifications waiting to be sent",
    registers: [registry],
    async collect() {
      this.set((await outboxBacklog(getStore(), now())).count);
    },
  });
  new Gauge({
    name: "callback_outbox_oldest_age_seconds",
    help: "Age of the oldest waiting status notification",
    registers: [registry],
    async collect() {
      this.set((await outboxBacklog(getStore(), now())).oldestAgeMs / 1000);
    },
  });
  new Gauge({
    name: "callback_database_bytes",
    help: "Size of the database (SQLite: the file and its WAL; PostgreSQL: pg_database_size)",
    registers: [registry],
    async collect() {
      this.set(await databaseBytes(getStore()));
    },
  });
  return metrics;
}

const g = globalThis as unknown as { __callbackMetrics?: Awaited<ReturnType<typeof create>> };
/** The process-wide metrics. */
export const metrics = () => (g.__callbackMetrics ??= create());
