#!/usr/bin/env node
// HTTP benchmarks against the production build (`next start`), in one run on one server:
//  1. a trivial JSON route (GET /genesys/1/ping) — the baseline
//  2. Start-Callback (POST /genesys/1/service/callback/bench) — target ≥ 0.8× the baseline
//  3. availability v2 over 30 days of 5-minute buckets with 100,000 stored callbacks — target ≤ 20 ms median
// Usage: npm run build && node bench/http.mjs   (loopback only; stops by itself)
// BENCH_WORKERS=N: the server is `npm start` (scripts/start.mjs) with WORKERS=N instead of one `next start`.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";

const PORT = Number(process.env.BENCH_PORT || 3400);
const BASE = `http://127.0.0.1:${PORT}`;
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "callback-bench-"));
const dbPath = path.join(dir, "bench.db");
const auth = "Basic " + Buffer.from("admin:bench-password").toString("base64");

const WORKERS = process.env.BENCH_WORKERS;
const serverEnv = {
  ...process.env,
  DATABASE_PATH: dbPath,
  ADMIN_PASSWORD: "bench-password",
  SEED_DEMO: "false",
  NEXT_TELEMETRY_DISABLED: "1",
};
const server = spawn(process.execPath, WORKERS ? ["scripts/start.mjs"] : ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
  env: WORKERS ? { ...serverEnv, WORKERS, PORT: String(PORT) } : serverEnv,
  stdio: ["ignore", "ignore", "inherit"], // request logs (one JSON line each) go nowhere, but are still written
});
const stop = () => server.kill("SIGTERM");
process.on("exit", stop);

async function waitReady() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${BASE}/genesys/1/ping`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

async function put(p, body) {
  const r = await fetch(BASE + p, {
    method: "PUT",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
}

/**
 * CPU time (ms) the server has used so far: its process and, under `npm start` with WORKERS, every worker (Linux
 * /proc, 100 ticks a second). Per request it depends less than req/s on what else runs on the machine.
 */
function serverCpuMs() {
  let children = "";
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(server.pid)], { encoding: "utf8" });
  } catch {
    // ps exits 1 when the server has no child process (a single `next start`)
  }
  let ticks = 0;
  for (const pid of [server.pid, ...children.split("\n").map(Number).filter(Boolean)]) {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks * 10;
}

async function run(opts) {
  const cpu0 = serverCpuMs();
  const r = await new Promise((resolve, reject) =>
    autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (e, res) => (e ? reject(e) : resolve(res))),
  );
  return { ...r, cpuMsPerRequest: +((serverCpuMs() - cpu0) / r.requests.total).toFixed(2) };
}

const fmt = (r) => ({
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors,
  cpuMsPerRequest: r.cpuMsPerRequest,
});

await waitReady();
await put("/genesys/1/admin/services/bench", {
  _service: "callback",
  _enable_in_queue_checking: "false",
  _max_request_by_time_bucket: 1000000,
  _throttle_callbacks_per_service_1: 100000000,
  _throttle_ttl_1: 1,
  _throttle_callbacks_per_service_2: 100000000,
  _throttle_ttl_2: 1,
  _reject_future_desired_time: "2M",
});
await put("/genesys/1/admin/services/bench-oh", {
  _service: "office-hours",
  _timezone: "America/New_York",
  _bh_regular1: "Mon-Fri 8:00-20:00",
  _bh_regular2: "Sat 9:00-13:00",
});
await put("/genesys/1/admin/services/avail", {
  _service: "callback",
  _business_hours_service: "bench-oh",
  _max_request_by_time_bucket: 100,
  _reject_future_desired_time: "2M",
});

// warm-up, then baseline and Start-Callback back to back
await run({ url: `${BASE}/genesys/1/ping`, duration: 3 });
const ping = await run({ url: `${BASE}/genesys/1/ping` });
const postBody = JSON.stringify({ _customer_number: "+16175551212", _desired_time: new Date().toISOString(), topic: "bench" });
const pingPost = await run({
  url: `${BASE}/genesys/1/ping`,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: postBody,
});
// desired times spread over 30 days (realistic bucket occupancy)
const base = Date.now() + 864e5;
const start = await run({
  url: `${BASE}/genesys/1/service/callback/bench`,
  method: "POST",
  headers: { "content-type": "application/json" },
  requests: [
    {
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          _customer_number: "+16175551212",
          _desired_time: new Date(base + Math.floor(Math.random() * 30 * 864e5)).toISOString(),
          topic: "bench",
        }),
      }),
    },
  ],
});

// availability: 100,000 callbacks spread over the next 30 days of the "avail" service (5-minute buckets)
const db = new Database(dbPath);
db.pragma("busy_timeout = 5000");
const ins =
  db.prepare(`INSERT INTO callbacks (id, service_name, customer_number, desired_time, state, time_scheduled, expiration_time, bucket, props, updated_at)
  VALUES (?, 'avail', ?, ?, 'SCHEDULED', ?, ?, ?, '{}', ?)`);
const now = Date.now();
db.transaction(() => {
  for (let i = 0; i < 100000; i++) {
    const t = now + Math.floor(Math.random() * 30 * 864e5);
    const b = Math.floor(t / 300000) * 300000;
    ins.run(`avail-${i}`, `+1617${String(i).padStart(7, "0")}`, t, now, t + 864e5, b, now);
  }
})();
db.close();
const availUrl = `${BASE}/genesys/2/service/callback/avail/availability?start=${encodeURIComponent(new Date(now).toISOString())}&number-of-days=30&report-busy=true`;
const probe = await (await fetch(availUrl)).json();
const lat = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  const r = await fetch(availUrl);
  await r.arrayBuffer();
  lat.push(performance.now() - t0);
}
lat.sort((a, b) => a - b);

const result = {
  date: new Date().toISOString(),
  workers: WORKERS ?? "next start",
  connections: CONNECTIONS,
  seconds: DURATION,
  ping: fmt(ping),
  pingPost: fmt(pingPost),
  start: fmt(start),
  startToPingRatio: +(start.requests.average / ping.requests.average).toFixed(2),
  startToPingPostRatio: +(start.requests.average / pingPost.requests.average).toFixed(2),
  availabilityV2_30days: {
    slots: probe.slots.length,
    medianMs: +lat[100].toFixed(1),
    p90Ms: +lat[180].toFixed(1),
    maxMs: +lat[199].toFixed(1),
  },
};
console.log(JSON.stringify(result, null, 2));
stop();
process.exit(0);
