// Engine-only benchmarks (no HTTP): Start-Callback verb throughput, and the scheduler handing over 10,000
// callbacks due in the same minute. Usage: npx tsx bench/engine.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, setDb } from "../db/client";
import { sqliteStore, type Store } from "../db/store";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { Scheduler } from "../lib/execution/scheduler";
import type { EngineCtx } from "../lib/callback/context";
import { executionPort } from "../lib/execution/port";

function fresh(): EngineCtx & { store: Store } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "callback-bench-"));
  setDb(openDatabase(path.join(dir, "bench.db")));
  return { store: sqliteStore(), now: Date.now, actor: "bench", execution: executionPort };
}

// 1. engine-only starts per second (scheduled: capacity check + limits + insert + event, one transaction each)
{
  const ctx = fresh();
  await putService(ctx, "bench", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _max_request_by_time_bucket: 1000000,
    _throttle_callbacks_per_service_1: 1e9,
    _throttle_ttl_1: 1,
    _throttle_callbacks_per_service_2: 1e9,
    _throttle_ttl_2: 1,
    _reject_future_desired_time: "2M",
  });
  // desired times spread over the next 30 days, as real bookings are (a single bucket would make every
  // capacity check count 20,000 bookings)
  const base = Date.now() + 864e5;
  const desired = Array.from({ length: 20000 }, () => new Date(base + Math.floor(Math.random() * 30 * 864e5)).toISOString());
  const N = 20000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await startCallback(ctx, "bench", { _customer_number: "+16175551212", _desired_time: desired[i] });
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ engineStartsPerSecond: Math.round(N / s), n: N }));
}

// 2. 10,000 callbacks due in the same minute: time from due until all are handed over (real clock), none twice
{
  const ctx = fresh();
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
  const ins = ctx.store.sqlite
    .prepare(`INSERT INTO callbacks (id, service_name, customer_number, desired_time, state, time_scheduled, expiration_time, bucket, due_at, props, updated_at)
    VALUES (?, 'due', ?, ?, 'SCHEDULED', ?, ?, ?, ?, '{}', ?)`);
  await ctx.store.tx(() => {
    for (let i = 0; i < 10000; i++) {
      const t = dueAt + Math.floor((i / 10000) * 59_000); // spread over the same minute
      ins.run(`due-${i}`, `+1617${String(i).padStart(7, "0")}`, t, now, t + 864e5, Math.floor(t / 3e5) * 3e5, t, now);
    }
  });
  const sched = new Scheduler(ctx, { batch: 20000 });
  let lastLag = 0;
  let worst = 0;
  const end = dueAt + 62_000;
  while (Date.now() < end) {
    await sched.tick();
    // lag = now - due for rows handed over this tick: measured as the age of the oldest still-SCHEDULED due row
    const oldest = ctx.store.sqlite
      .prepare("SELECT min(desired_time) AS t FROM callbacks WHERE state = 'SCHEDULED' AND desired_time <= ?")
      .get(Date.now()) as { t: number | null };
    lastLag = oldest.t === null ? 0 : Date.now() - oldest.t;
    worst = Math.max(worst, lastLag);
    await new Promise((r) => setTimeout(r, 100));
  }
  const queued = (ctx.store.sqlite.prepare("SELECT count(*) AS n FROM callbacks WHERE state = 'QUEUED'").get() as { n: number }).n;
  const handoffs = ctx.store.sqlite
    .prepare("SELECT count(*) AS n, count(DISTINCT callback_id) AS d FROM handoffs WHERE status = 'ok'")
    .get() as { n: number; d: number };
  // all at once: the burst case (10,000 due at the same instant)
  const ctx2 = fresh();
  await putService(ctx2, "due", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _request_execution_time_buffer: 0,
    _sim_agents: 0,
  });
  const t1 = Date.now();
  const ins2 = ctx2.store.sqlite
    .prepare(`INSERT INTO callbacks (id, service_name, customer_number, desired_time, state, time_scheduled, expiration_time, bucket, due_at, props, updated_at)
    VALUES (?, 'due', ?, ?, 'SCHEDULED', ?, ?, ?, ?, '{}', ?)`);
  await ctx2.store.tx(() => {
    for (let i = 0; i < 10000; i++) ins2.run(`b-${i}`, `+1617${String(i).padStart(7, "0")}`, t1, t1, t1 + 864e5, null, t1, t1);
  });
  const s2 = new Scheduler(ctx2, { batch: 20000 });
  const b0 = performance.now();
  await s2.tick();
  const burstMs = performance.now() - b0;
  const q2 = (ctx2.store.sqlite.prepare("SELECT count(*) AS n FROM callbacks WHERE state = 'QUEUED'").get() as { n: number }).n;
  console.log(
    JSON.stringify({
      spreadOverMinute: { handedOver: queued, worstLagMs: worst, handoffsOk: handoffs.n, distinct: handoffs.d },
      burst: { handedOver: q2, oneTickMs: Math.round(burstMs) },
    }),
  );
}
process.exit(0);
