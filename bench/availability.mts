// Availability v2 of a 24/7 service: 30 days of 5-minute buckets (8,640 slots, report-busy) with 100,000 stored
// callbacks. Median latency of one client (200 sequential requests) and throughput at 32 connections (10 s).
// The server is a child process on loopback: the /genesys router on node:http by default (no build needed), or
// `next start` with BENCH_SERVER=next (needs `npm run build`). BENCH_WRITES_PER_S=n books n scheduled callbacks
// per second during the 32-connection run (every write makes the server compute the next answer afresh).
// BENCH_STORE=postgres: the callbacks are stored in a private PostgreSQL cluster (scripts/pg-cluster.mjs, loopback,
// removed at the end) and the server runs on it (DATABASE_URL); default sqlite (a temp file, DATABASE_PATH).
// Usage: npx tsx bench/availability.mts
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { openDatabase, setDb } from "../db/client";
import { setStore, sqliteStore } from "../db/store";
import { PgStore } from "../db/pg/store";
import { putService } from "../lib/callback/config-admin";
import { defaultCtx } from "../lib/runtime";
import { benchCluster, benchStore, insertScheduledPg } from "./pg-bench.mjs";

const PORT = Number(process.env.BENCH_PORT || 3410);
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const WRITES_PER_S = Number(process.env.BENCH_WRITES_PER_S || 0);
const STORE = benchStore();

if (process.argv[2] === "--serve") {
  // the child: the /genesys router on node:http, as test/helpers serves it
  const { router } = await import("../lib/http/routes");
  const r = router();
  http
    .createServer(async (req, res) => {
      const response = await r.handle(new Request(`http://${req.headers.host}${req.url}`, { method: req.method }));
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    })
    .listen(PORT, "127.0.0.1");
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "callback-bench-avail-"));
  const dbPath = path.join(dir, "bench.db");
  const cluster = STORE === "postgres" ? await benchCluster() : null;
  const pgUrl = cluster ? await cluster.freshDatabase() : null;
  const pgStore = pgUrl ? new PgStore({ url: pgUrl }) : null;
  if (pgStore) setStore(pgStore);
  else setDb(openDatabase(dbPath));
  const ctx = defaultCtx("bench");
  await putService(ctx, "avail247", {
    _service: "callback",
    _max_request_by_time_bucket: 100,
    _reject_future_desired_time: "2M",
    // the writer of BENCH_WRITES_PER_S must book, not be throttled
    _throttle_callbacks_per_service_1: 1_000_000,
    _throttle_callbacks_per_service_2: 1_000_000,
    _throttle_request_parameters_limit: 1_000_000,
  });
  const now = Date.now();
  const seed0 = performance.now();
  if (pgStore) {
    const rows = Array.from({ length: 100_000 }, (_, i) => {
      const t = now + Math.floor(Math.random() * 30 * 864e5);
      return {
        id: `avail-${i}`,
        number: `+1617${String(i).padStart(7, "0")}`,
        desired: t,
        expiration: t + 864e5,
        bucket: Math.floor(t / 300_000) * 300_000,
        dueAt: null,
      };
    });
    await insertScheduledPg(pgStore, "avail247", now, rows);
    // the server reads a freshly filled table: statistics first, as autovacuum would soon do
    await pgStore.query("ANALYZE");
    await pgStore.close();
    setStore(undefined);
  } else {
    const store = sqliteStore();
    const ins = store.sqlite.prepare(
      `INSERT INTO callbacks (id, service_name, customer_number, desired_time, state, time_scheduled, expiration_time, bucket, props, updated_at)
     VALUES (?, 'avail247', ?, ?, 'SCHEDULED', ?, ?, ?, '{}', ?)`,
    );
    await store.tx(() => {
      for (let i = 0; i < 100_000; i++) {
        const t = now + Math.floor(Math.random() * 30 * 864e5);
        ins.run(`avail-${i}`, `+1617${String(i).padStart(7, "0")}`, t, now, t + 864e5, Math.floor(t / 300_000) * 300_000, now);
      }
    });
    setDb(undefined);
  }
  const seedMs = Math.round(performance.now() - seed0);

  const { DATABASE_PATH: _path, DATABASE_URL: _url, ...inherited } = process.env;
  const env = {
    ...inherited,
    ...(pgUrl ? { DATABASE_URL: pgUrl } : { DATABASE_PATH: dbPath }),
    SEED_DEMO: "false",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "silent",
  };
  const server: ChildProcess =
    process.env.BENCH_SERVER === "next"
      ? spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
          env,
          stdio: ["ignore", "ignore", "inherit"],
        })
      : spawn(process.execPath, ["--import", "tsx", "bench/availability.mts", "--serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((r) => server.once("exit", r));
  const stop = () => server.kill("SIGTERM");
  process.on("exit", stop);

  const url = `${BASE}/genesys/2/service/callback/avail247/availability?start=${encodeURIComponent(new Date(now).toISOString())}&number-of-days=30&report-busy=true`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      if (i > 300) throw new Error("server did not start");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const slots = ((await (await fetch(url)).json()) as { slots: unknown[] }).slots.length;
  for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer();
  // the server's own CPU time per request (utime + stime from /proc, in clock ticks of 10 ms): steadier than
  // wall-clock figures on a machine shared with other work
  const cpuTicks = () => {
    const f = fs.readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(f[11]) + Number(f[12]);
  };
  const c0 = cpuTicks();
  const db0 = cluster?.cpuMs() ?? 0;
  const lat: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await (await fetch(url)).arrayBuffer();
    lat.push(performance.now() - t0);
  }
  const cpuMsPerRequest = ((cpuTicks() - c0) * 10) / 200;
  // PostgreSQL's own CPU time per request (its processes are not the server's)
  const dbCpuMsPerRequest = cluster ? (cluster.cpuMs() - db0) / 200 : null;
  lat.sort((a, b) => a - b);
  const writes: Record<string, number> = {};
  let booked = 0;
  const writer =
    WRITES_PER_S > 0
      ? setInterval(async () => {
          const i = booked++;
          const r = await fetch(`${BASE}/genesys/1/service/callback/avail247`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              _customer_number: `+1212${String(5_000_000 + i).padStart(7, "0")}`,
              _desired_time: new Date(now + 3_600_000 + ((i * 7_919_000) % (29 * 864e5))).toISOString(),
            }),
          });
          writes[r.status] = (writes[r.status] ?? 0) + 1;
        }, 1000 / WRITES_PER_S)
      : undefined;
  const load = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url, connections: 32, duration: SECONDS }, (e, r) => (e ? reject(e) : resolve(r))),
  );
  clearInterval(writer);
  console.log(
    JSON.stringify({
      availabilityV2_247: {
        store: STORE,
        seedMs,
        server: process.env.BENCH_SERVER === "next" ? "next start" : "router on node:http",
        slots,
        medianMs: +lat[100].toFixed(1),
        p90Ms: +lat[180].toFixed(1),
        serverCpuMsPerRequest: +cpuMsPerRequest.toFixed(1),
        dbCpuMsPerRequest: dbCpuMsPerRequest === null ? null : +dbCpuMsPerRequest.toFixed(1),
        loadAverage: os.loadavg()[0].toFixed(1),
        rpsAt32: Math.round(load.requests.average),
        p50At32Ms: load.latency.p50,
        non2xx: load.non2xx,
        writesPerS: WRITES_PER_S,
        writes,
        errors: load.errors,
      },
    }),
  );
  stop();
  // the server closes its connections before its database goes away
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
