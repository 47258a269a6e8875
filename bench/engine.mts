// Engine-only benchmarks (no HTTP): Start-Callback verb throughput, and the scheduler handing over 10,000
// callbacks due in the same minute. Usage: npx tsx bench/engine.mts
// BENCH_STORE=postgres: the same on a PgStore, each measurement on a fresh database of a private PostgreSQL cluster
// (scripts/pg-cluster.mjs: loopback, fsync off as for tests, removed at the end); default sqlite (a temp file).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, setDb } from "../db/client";
import { setStore, sqliteStore, Store } from "../db/store";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { Scheduler } from "../lib/execution/scheduler";
import type { EngineCtx } from "../lib/callback/context";
import { executionPort } from "../lib/execution/port";
import { benchCluster, benchStore, insertScheduledPg, type ScheduledRow } from "./pg-bench.mjs";

const STORE = benchStore();
const cluster = STORE === "postgres" ? await benchCluster() : null;

async function fresh(): Promise<EngineCtx> {
  if (cluster) {
    const store = await cluster.freshStore();
    // anything that asks for the process-wide store gets this one too
    setStore(store);
    return { store, now: Date.now, actor: "bench", execution: executionPort };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "callback-bench-"));
  setDb(openDatabase(path.join(dir, "bench.db")));
  return { store: sqliteStore(), now: Date.now, actor: "bench", execution: executionPort };
}

/** Scheduled callbacks stored as they are (not timed): one transaction on SQLite, batched INSERTs on PostgreSQL. */
async function insertScheduled(ctx: EngineCtx, service: string, now: number, rows: ScheduledRow[]): Promise<void> {
  if (!(ctx.store instanceof Store)) return await insertScheduledPg(ctx.store, service, now, rows);
  const ins = ctx.store.sqlite
    .prepare(`INSERT INTO callbacks (id, service_name, customer_number, desired_time, state, time_scheduled, expiration_time, bucket, due_at, props, updated_at)
    VALUES (?, ?, ?, ?, 'SCHEDULED', ?, ?, ?, ?, '{}', ?)`);
  await ctx.store.tx(() => {
    for (const r of rows) ins.run(r.id, service, r.number, r.desired, now, r.expiration, r.bucket, r.dueAt, now);
  });
}

const scalar = async (ctx: EngineCtx, sql: string, args: unknown[] = []) => (await ctx.store.query<{ n: number | null }>(sql, args))[0].n;

const unlimited = {
  _service: "callback",
  _enable_in_queue_checking: "false",
  _max_request_by_time_bucket: 1000000,
  _throttle_callbacks_per_service_1: 1e9,
  _throttle_ttl_1: 1,
  _throttle_callbacks_per_service_2: 1e9,
  _throttle_ttl_2: 1,
  _reject_future_desired_time: "2M",
};

// 1. engine-only starts per second (scheduled: capacity check + limits + insert + event, one transaction each),
// by one caller awaiting each start in turn, then by 50 callers at once (what concurrent HTTP requests do)
{
  const ctx = await fresh();
  await putService(ctx, "bench", unlimited);
  // desired times spread over the next 30 days, as real bookings are (a single bucket would make every
  // capacity check count 20,000 bookings)
  const base = Date.now() + 864e5;
  const desired = Array.from({ length: 20000 }, () => new Date(base + Math.floor(Math.random() * 30 * 864e5)).toISOString());
  const N = 20000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await startCallback(ctx, "bench", { _customer_number: "+16175551212", _desired_time: desired[i] });
  const s = (performance.now() - t0) / 1000;

  const ctx50 = await fresh();
  await putService(ctx50, "bench", unlimited);
  let next = 0;
  const caller = async () => {
    while (next < N) {
      const i = next++;
      await startCallback(ctx50, "bench", { _customer_number: "+16175551212", _desired_time: desired[i] });
    }
  };
  const t50 = performance.now();
  await Promise.all(Array.from({ length: 50 }, caller));
  const s50 = (performance.now() - t50) / 1000;
  const stored50 = await scalar(ctx50, "SELECT count(*) AS n FROM callbacks");
  console.log(
    JSON.stringify({
      store: STORE,
      engineStartsPerSecond: Math.round(N / s),
      engineStartsPerSecond50Callers: Math.round(N / s50),
      n: N,
      stored50,
      loadAverage: os.loadavg()[0].toFixed(1),
    }),
  );
}

// 2. 10,000 callbacks due in the same minute: time from due until all are handed over (real clock), none twice
{
  const ctx = await fresh();
  await putService(ctx, "due", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _max_request_by_time_bucket: 1000000,
    _request_execution_time_buffer: 0,
    _sim_agents: 0,
    _throttle_callbacks_per_service_1: 1e9,
    _throttle_callbacks_per_service_2: 1e9,
  });
  const now = Date.now();
  const dueAt = now + 3000;
  await insertScheduled(
    ctx,
    "due",
    now,
    Array.from({ length: 10000 }, (_, i) => {
      const t = dueAt + Math.floor((i / 10000) * 59_000); // spread over the same minute
      return {
        id: `due-${i}`,
        number: `+1617${String(i).padStart(7, "0")}`,
        desired: t,
        expiration: t + 864e5,
        bucket: Math.floor(t / 3e5) * 3e5,
        dueAt: t,
      };
    }),
  );
  const sched = new Scheduler(ctx, { batch: 20000 });
  let lastLag = 0;
  let worst = 0;
  const end = dueAt + 62_000;
  while (Date.now() < end) {
    await sched.tick();
    // lag = now - due for rows handed over this tick: measured as the age of the oldest still-SCHEDULED due row
    const oldest = await scalar(ctx, "SELECT min(desired_time) AS n FROM callbacks WHERE state = 'SCHEDULED' AND desired_time <= ?", [
      Date.now(),
    ]);
    lastLag = oldest === null ? 0 : Date.now() - oldest;
    worst = Math.max(worst, lastLag);
    await new Promise((r) => setTimeout(r, 100));
  }
  const queued = await scalar(ctx, "SELECT count(*) AS n FROM callbacks WHERE state = 'QUEUED'");
  const handoffs = (
    await ctx.store.query<{ n: number; d: number }>(
      "SELECT count(*) AS n, count(DISTINCT callback_id) AS d FROM handoffs WHERE status = 'ok'",
    )
  )[0];
  // all at once: the burst case (10,000 due at the same instant)
  const ctx2 = await fresh();
  await putService(ctx2, "due", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _request_execution_time_buffer: 0,
    _sim_agents: 0,
  });
  const t1 = Date.now();
  await insertScheduled(
    ctx2,
    "due",
    t1,
    Array.from({ length: 10000 }, (_, i) => ({
      id: `b-${i}`,
      number: `+1617${String(i).padStart(7, "0")}`,
      desired: t1,
      expiration: t1 + 864e5,
      bucket: null,
      dueAt: t1,
    })),
  );
  const s2 = new Scheduler(ctx2, { batch: 20000 });
  const b0 = performance.now();
  await s2.tick();
  const burstMs = performance.now() - b0;
  const q2 = await scalar(ctx2, "SELECT count(*) AS n FROM callbacks WHERE state = 'QUEUED'");
  console.log(
    JSON.stringify({
      store: STORE,
      spreadOverMinute: { handedOver: queued, worstLagMs: worst, handoffsOk: handoffs.n, distinct: handoffs.d },
      burst: { handedOver: q2, oneTickMs: Math.round(burstMs) },
      loadAverage: os.loadavg()[0].toFixed(1),
    }),
  );
}
await cluster?.stop();
process.exit(0);
