// Several `next start` servers on one private PostgreSQL (scripts/pg-cluster.mjs: loopback, fsync off as for tests,
// removed at the end), as e2e/multi-server.spec.ts starts them: DATABASE_URL, ADMIN_PASSWORD, SEED_DEMO=false.
// Needs the production build (`npm run build`). Loopback only; stops by itself and stops what it started.
//
//   npx tsx bench/multi-server.mts start    Start-Callback over HTTP on BENCH_SERVERS servers (default 1; 3 for the
//                                           scale-out figure): one autocannon spreads BENCH_CONNECTIONS (50)
//                                           connections round-robin over the servers' URLs, BENCH_SECONDS (10) s
//                                           after a 3 s warm-up and as long a run of GET /genesys/1/ping over the
//                                           same servers (the machine's speed now); req/s, p50/p99, non-2xx, the
//                                           servers' CPU time per request; then, in PostgreSQL, every acknowledged
//                                           start (its _id) stored, and the rest stored = requests unanswered when
//                                           autocannon stopped.
//   npx tsx bench/multi-server.mts burst    10,000 callbacks due at the same instant (a whole minute) on
//                                           BENCH_SERVERS servers (default 3). The service's execution engine is
//                                           the HTTP engine (`_type=ors`), a recorder in this process that counts
//                                           hand-offs per callback id and Idempotency-Key. The callbacks are booked
//                                           before the servers start, through the engine's Start-Callback verb on a
//                                           PgStore over the same database (50 callers); then: time from the
//                                           minute until all 10,000 were received, duplicates, which server held
//                                           the scheduler lease (sampled from /readyz), the final states and the
//                                           hand-off ledger in PostgreSQL.
//                                           BENCH_KILL=1: the lease holder is killed (-9) once 3,000 are received.
//
// Ports: the servers listen on BENCH_PORT (default 3430) and up, the recorder on BENCH_PORT + 9.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import autocannon from "autocannon";
import { pgPool } from "../db/pg/pool";
import { PgStore } from "../db/pg/store";
import { setStore } from "../db/store";
import { putService as putEngineService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { executionPort } from "../lib/execution/port";
import { startPgCluster } from "../scripts/pg-cluster.mjs";
import { alive, cpuMs, pidsOf, until } from "../e2e/processes";

const MODE = process.argv[2];
if (MODE !== "start" && MODE !== "burst") {
  console.error("usage: npx tsx bench/multi-server.mts start|burst   (see the header of this file)");
  process.exit(2);
}
const SERVERS = Number(process.env.BENCH_SERVERS || (MODE === "burst" ? 3 : 1));
const BASE_PORT = Number(process.env.BENCH_PORT || 3430);
const PORTS = Array.from({ length: SERVERS }, (_, i) => BASE_PORT + i);
const RECORDER_PORT = BASE_PORT + 9;
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const KILL = process.env.BENCH_KILL === "1";
const BURST = 10_000;
const PASSWORD = "bench-multi-server-1";
const AUTH = "Basic " + Buffer.from(`admin:${PASSWORD}`).toString("base64");
const SVC = "/genesys/1/service/callback";

interface Server {
  port: number;
  proc: ChildProcess;
  stderr: string;
  exited: Promise<void>;
}

async function api(
  port: number,
  method: string,
  p: string,
  body?: unknown,
  admin = false,
): Promise<{ status: number; json: () => unknown }> {
  const r = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(admin ? { authorization: AUTH } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: () => JSON.parse(text) };
}

async function putService(name: string, options: Record<string, unknown>): Promise<void> {
  const r = await api(PORTS[0], "PUT", `/genesys/1/admin/services/${name}`, { _service: "callback", ...options }, true);
  if (r.status !== 200) throw new Error(`PUT service ${name}: ${r.status} ${JSON.stringify(r.json())}`);
}

/** The scheduler lease holder's pid as a server reports it in /readyz (holder `<pid>-<random>`). */
async function leaseHolderPid(port: number): Promise<number | null> {
  const j = (await api(port, "GET", "/readyz")).json() as { checks: { scheduler: { holder: string | null; ok: boolean } } };
  const { holder, ok } = j.checks.scheduler;
  return holder && ok ? Number(holder.split("-")[0]) : null;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const cluster = await startPgCluster({ database: "bench" });
const pool = pgPool(cluster.url, { max: 2 });
const servers: Server[] = [];
let recorder: http.Server | null = null;

async function shutdown(): Promise<void> {
  // SIGTERM so that live servers close their connections before the cluster stops
  for (const s of servers.filter(alive)) s.proc.kill("SIGTERM");
  await Promise.race([Promise.all(servers.map((s) => s.exited)), new Promise((r) => setTimeout(r, 20_000))]);
  for (const s of servers.filter(alive))
    for (const pid of pidsOf(s).reverse())
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
  recorder?.close();
  await pool.end();
  await cluster.stop();
}

try {
  // the burst's recorder: the HTTP execution engine the service hands over to
  const receipts = new Map<string, number>();
  const keys = new Map<string, number>();
  const keyMismatch: string[] = [];
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  if (MODE === "burst") {
    recorder = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => (body += d));
      req.on("end", () => {
        const id = (JSON.parse(body) as { callback: { _id: string } }).callback._id;
        const key = String(req.headers["idempotency-key"] ?? "");
        if (key !== id) keyMismatch.push(id);
        received++;
        receipts.set(id, (receipts.get(id) ?? 0) + 1);
        keys.set(key, (keys.get(key) ?? 0) + 1);
        lastAt = Date.now();
        firstAt ||= lastAt;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ _ors_session_id: `rec-${id}` }));
      });
    });
    await new Promise<void>((r) => recorder!.listen(RECORDER_PORT, "127.0.0.1", r));
  }
  const recorderUrl = `http://127.0.0.1:${RECORDER_PORT}`;

  /** Starts the servers and waits until each is ready; the time it took. */
  const startServers = async (): Promise<number> => {
    const started = Date.now();
    for (const port of PORTS) {
      const { DATABASE_PATH: _path, ...inherited } = process.env;
      const env = {
        ...inherited,
        DATABASE_URL: cluster.url,
        ADMIN_PASSWORD: PASSWORD,
        SEED_DEMO: "false",
        NEXT_TELEMETRY_DISABLED: "1",
        ...(MODE === "burst" ? { EXECUTION_URL_ALLOWLIST: recorderUrl } : {}),
      };
      // request logs (one JSON line each) go nowhere, as in bench/http.mjs, but are still written
      const proc = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
        env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      const s: Server = { port, proc, stderr: "", exited: new Promise((r) => proc.once("exit", () => r())) };
      proc.stderr!.on("data", (d: Buffer) => (s.stderr = (s.stderr + d).slice(-4000)));
      servers.push(s);
    }
    for (const s of servers)
      // ready: migrated, the admin user written and a scheduler holding the lease (/healthz answers before all that)
      await until(
        `the server on ${s.port} to be ready`,
        () => api(s.port, "GET", "/readyz"),
        (r) => r.status === 200,
        240_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n${s.stderr}`);
      });
    return Date.now() - started;
  };

  if (MODE === "start") {
    const startupMs = await startServers();
    const unlimited = {
      _enable_in_queue_checking: "false",
      _max_request_by_time_bucket: 1000000,
      _throttle_callbacks_per_service_1: 100000000,
      _throttle_ttl_1: 1,
      _throttle_callbacks_per_service_2: 100000000,
      _throttle_ttl_2: 1,
      _reject_future_desired_time: "2M",
    };
    await putService("warm", unlimited);
    await putService("bench", unlimited);
    // desired times spread over 30 days (realistic bucket occupancy), as bench/http.mjs books them
    const base = Date.now() + 864e5;
    // the ids of the acknowledged starts (autocannon hands each answer's body to onResponse)
    let acked: string[] = [];
    const run = (service: string, duration: number) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            // autocannon takes several URLs and gives connection i to URL i mod n (its README; @types says one)
            url: PORTS.map((p) => `http://127.0.0.1:${p}${SVC}/${service}`) as unknown as string,
            connections: CONNECTIONS,
            duration,
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
                onResponse: (status: number, body: string) => {
                  if (status === 200) acked.push((JSON.parse(body) as { _id: string })._id);
                },
              },
            ],
          },
          (e, r) => (e ? reject(e) : resolve(r)),
        ),
      );
    const warm = await run("warm", 3);
    // the machine's speed in this session: the trivial GET /genesys/1/ping over the same servers and connections
    const ping = await new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(
        {
          url: PORTS.map((p) => `http://127.0.0.1:${p}/genesys/1/ping`) as unknown as string,
          connections: CONNECTIONS,
          duration: SECONDS,
        },
        (e, res) => (e ? reject(e) : resolve(res)),
      ),
    );
    acked = [];
    const load0 = loadAverage();
    const cpu0 = cpuMs(servers);
    const r = await run("bench", SECONDS);
    const cpu = cpuMs(servers) - cpu0;
    // answers that were on their way when autocannon stopped are stored without being counted: give them a moment
    await new Promise((res) => setTimeout(res, 1000));
    const stored = Number((await pool.query<{ n: number }>("SELECT count(*) AS n FROM callbacks WHERE service_name = 'bench'")).rows[0].n);
    const ok = r["2xx"];
    const ackedStored = Number(
      (await pool.query<{ n: number }>("SELECT count(*) AS n FROM callbacks WHERE service_name = 'bench' AND id = ANY($1)", [acked]))
        .rows[0].n,
    );
    console.log(
      JSON.stringify({
        mode: "start",
        date: new Date().toISOString(),
        servers: SERVERS,
        connections: CONNECTIONS,
        seconds: SECONDS,
        startupMs,
        warmUp: { rps: Math.round(warm.requests.average), non2xx: warm.non2xx },
        pingRps: Math.round(ping.requests.average),
        rps: Math.round(r.requests.average),
        startToPing: +(r.requests.average / ping.requests.average).toFixed(2),
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        "2xx": ok,
        sent: r.requests.sent,
        acknowledged: acked.length,
        // every acknowledged start is stored, and what is stored besides are the requests autocannon sent but had no
        // answer to when it stopped (they were answered after)
        acknowledgedStored: ackedStored,
        stored,
        storedNotAcknowledged: stored - ackedStored,
        unansweredAtStop: r.requests.sent - r.requests.total,
        verified: ackedStored === acked.length && acked.length === ok && stored - ackedStored === r.requests.sent - r.requests.total,
        serverCpuMsPerRequest: +(cpu / r.requests.total).toFixed(2),
        loadAverageBefore: load0,
        loadAverageAfter: loadAverage(),
      }),
    );
  } else {
    // Booked before the servers start, in this process through the engine's own Start-Callback verb on a PgStore
    // over the same database: the same rows, events and counters the API writes, without spending minutes of a
    // loaded 2-core machine on 10,000 HTTP requests (bench/multi-server.mts start measures those).
    const store = new PgStore({ url: cluster.url });
    const ctx = { store, now: Date.now, actor: "bench", execution: executionPort };
    setStore(store);
    await putEngineService(ctx, "burst", {
      _service: "callback",
      _type: "ors",
      _ors: `${recorderUrl}/engine`,
      _enable_in_queue_checking: "false",
      _request_execution_time_buffer: 0,
      _max_request_by_time_bucket: 1000000,
      _throttle_callbacks_per_service_1: 100000000,
      _throttle_callbacks_per_service_2: 100000000,
      _throttle_request_parameters_limit: 100000000,
    });
    // the due minute: the first whole minute at least 150 s away, time enough to book and to start the servers
    const dueAt = Math.ceil((Date.now() + 150_000) / 60_000) * 60_000;
    const desired = new Date(dueAt).toISOString();
    const seed0 = Date.now();
    const ids: string[] = [];
    let n = 0;
    const booker = async () => {
      for (let i = n++; i < BURST; i = n++)
        ids.push((await startCallback(ctx, "burst", { _customer_number: `+1617${String(5_000_000 + i)}`, _desired_time: desired })).id);
    };
    await Promise.all(Array.from({ length: 50 }, booker));
    const seedMs = Date.now() - seed0;
    await store.close();
    setStore(undefined);
    console.error(`[bench] ${ids.length} booked in ${seedMs} ms, due ${desired}; starting ${SERVERS} servers`);
    const startupMs = await startServers();
    console.error(`[bench] servers ready in ${startupMs} ms; waiting for the due minute`);
    if (Date.now() > dueAt - 5000)
      throw new Error(`booking and start-up took ${Date.now() - seed0} ms and ended too close to the due minute`);
    if (received) throw new Error(`${received} hand-offs before the due minute`);

    // which server holds the scheduler lease, sampled every 250 ms through the burst
    const serverOf = (pid: number | null) => (pid === null ? "none" : String(servers.findIndex((s) => pidsOf(s).includes(pid))));
    const holders: Record<string, number> = {};
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const live = servers.find(alive);
        if (live) {
          const pid = await leaseHolderPid(live.port).catch(() => null);
          const k = `server ${serverOf(pid)}`;
          holders[k] = (holders[k] ?? 0) + 1;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const load0 = loadAverage();
    let kill: Record<string, unknown> | null = null;
    if (KILL) {
      await until(
        "3,000 hand-offs before the kill",
        () => receipts.size,
        (k) => k >= 3000,
        dueAt - Date.now() + 120_000,
        5,
      );
      // the holder now (a lease that lapsed mid-tick names none until the next tick takes it)
      const pid = await until(
        "a lease holder to kill",
        () => leaseHolderPid(servers[0].port),
        (p) => p !== null,
        30_000,
        20,
      );
      const victim = servers.find((s) => pid !== null && pidsOf(s).includes(pid));
      if (!victim) throw new Error(`lease holder ${pid} is none of the servers`);
      const before = receipts.size;
      const killedAt = Date.now();
      for (const p of pidsOf(victim).reverse()) process.kill(p, "SIGKILL");
      await victim.exited;
      const settled = receipts.size;
      const survivor = servers.find(alive)!;
      const survivorPids = servers.filter(alive).flatMap(pidsOf);
      const newHolder = await until(
        "a survivor to take the lease over",
        () => leaseHolderPid(survivor.port),
        (p) => p !== null && survivorPids.includes(p),
        60_000,
      );
      const takeoverMs = Date.now() - killedAt;
      const resumed = await until(
        "hand-offs to resume",
        () => receipts.size,
        (k) => k > settled,
        60_000,
        5,
      );
      kill = {
        killed: `server ${servers.indexOf(victim)}`,
        receivedAtKill: before,
        receivedWhenDead: settled,
        newHolder: `server ${serverOf(newHolder)}`,
        takeoverMs,
        resumedAfterKillMs: Date.now() - killedAt,
        receivedWhenResumed: resumed,
      };
    }
    await until(
      `all ${BURST} hand-offs`,
      () => receipts.size,
      (k) => k >= BURST,
      dueAt - Date.now() + 300_000,
      5,
    );
    const allAt = lastAt;
    console.error(`[bench] all ${BURST} received ${allAt - dueAt} ms after the due minute; counting stragglers`);
    // anything sent twice arrives within the hand-off lease (HANDOFF_LEASE_MS) after a crash; without a kill, any
    // second attempt would be in flight at once: wait a little for stragglers before counting
    await new Promise((r) => setTimeout(r, KILL ? 35_000 : 3000));
    sampling = false;
    await sampler;
    const states = (
      await pool.query<{ state: string; handed: number; n: number }>(
        "SELECT state, handed_off AS handed, count(*) AS n FROM callbacks WHERE service_name = 'burst' GROUP BY state, handed_off ORDER BY state",
      )
    ).rows;
    const ledger = (
      await pool.query<{ status: string; n: number; d: number }>(
        "SELECT status, count(*) AS n, count(DISTINCT callback_id) AS d FROM handoffs GROUP BY status ORDER BY status",
      )
    ).rows;
    const unknown = [...receipts.keys()].filter((id) => !ids.includes(id)).length;
    const dupIds = [...receipts.values()].filter((k) => k > 1).length;
    console.log(
      JSON.stringify({
        mode: "burst",
        date: new Date().toISOString(),
        servers: SERVERS,
        startupMs,
        booked: ids.length,
        bookingMs: seedMs,
        bookingPerS: Math.round((ids.length * 1000) / seedMs),
        dueAt: desired,
        firstReceivedAfterDueMs: firstAt - dueAt,
        allReceivedAfterDueMs: allAt - dueAt,
        received,
        distinctIds: receipts.size,
        distinctKeys: keys.size,
        idsReceivedMoreThanOnce: dupIds,
        keyNotTheId: keyMismatch.length,
        notBooked: unknown,
        leaseHolderSamples: holders,
        kill,
        states,
        ledger,
        loadAverageBefore: load0,
        loadAverageAfter: loadAverage(),
      }),
    );
  }
} finally {
  await shutdown();
}
process.exit(0);
