#!/usr/bin/env node
// `npm start`: builds when needed (no build yet, or sources newer than it), then serves the production build:
// WORKERS server processes (default: one per core) on one port through node:cluster, or with WORKERS=1 one
// `next start` process. Migrations, the first admin and demo data are handled by each server at start-up
// (instrumentation.ts), safely when several start together. README "Several processes (WORKERS)".
import { spawn, spawnSync } from "node:child_process";
import cluster from "node:cluster";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
env.AUTH_TRUST_HOST ??= "true"; // next-auth derives its URL from the Host header (localhost, 127.0.0.1, a LAN name)
const port = env.PORT || "3000";
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");

function newestMtime(p) {
  let newest = 0;
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const built = fs.statSync(buildId, { throwIfNoEntry: false });
const sources = ["app", "lib", "db", "public", "instrumentation.ts", "next.config.mjs", "package.json"];
if (!built || Math.max(...sources.map((s) => newestMtime(path.join(root, s)))) > built.mtimeMs) {
  console.log("[start] building the production bundle (next build)…");
  const r = spawnSync(process.execPath, [next, "build"], { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const workers = env.WORKERS ? Number(env.WORKERS) : os.availableParallelism();
if (!Number.isInteger(workers) || workers < 1) {
  console.error(`[start] WORKERS must be a whole number of server processes (1 or more), not "${env.WORKERS}"`);
  process.exit(1);
}
console.log(
  `[start] serving on http://localhost:${port} with ${workers} server process${workers > 1 ? "es" : ""}` +
    `  (console: http://localhost:${port}/callbacks, API: http://localhost:${port}/genesys/1/...)`,
);

if (workers === 1) {
  const child = spawn(process.execPath, [next, "start", "-p", port], { stdio: "inherit", env });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await servePrimary(workers);
}

/**
 * The cluster primary: forks the workers (each a `next start`, whose listen() on the port is shared through this
 * process), restarts one that dies unexpectedly, forwards SIGTERM/SIGINT and exits when every worker has. It also
 * keeps what the workers must share: the sign-in limiter's counts and the sums for /metrics.
 */
async function servePrimary(n) {
  const [{ RateLimiterClusterMaster }, { AggregatorRegistry }] = await Promise.all([
    import("rate-limiter-flexible"),
    import("prom-client"),
  ]);
  new RateLimiterClusterMaster(); // answers the workers' RateLimiterCluster calls (lib/auth/throttle.ts)

  // GET /metrics on any worker (lib/ops/metrics.ts): the primary collects the registry of every worker that has
  // started (announced by "metrics-ready", so one still booting is not waited for) and adds them up
  const started = new Set();
  const collecting = new Map(); // request → { waiting: Set<worker>, parts, finish }
  let nextRequest = 0;
  const collect = () =>
    new Promise((resolve, reject) => {
      const req = nextRequest++;
      const waiting = new Set([...started].filter((w) => w.isConnected()));
      const parts = [];
      const finish = (err) => {
        if (!collecting.delete(req)) return;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(AggregatorRegistry.aggregate(parts).metrics());
      };
      const timer = setTimeout(() => finish(new Error(`no answer from ${waiting.size} worker(s) in 5 s`)), 5000);
      collecting.set(req, { waiting, parts, finish });
      for (const w of waiting) w.send({ type: "callback:metrics-collect", req });
      if (!waiting.size) finish();
    });
  cluster.on("exit", (w) => {
    started.delete(w);
    for (const c of [...collecting.values()]) if (c.waiting.delete(w) && !c.waiting.size) c.finish();
  });
  cluster.on("message", (worker, msg) => {
    if (msg?.type === "callback:metrics-ready") started.add(worker);
    else if (msg?.type === "callback:metrics-of") {
      const c = collecting.get(msg.req);
      if (!c?.waiting.delete(worker)) return;
      if (msg.error) c.finish(new Error(msg.error));
      else {
        c.parts.push(msg.metrics);
        if (!c.waiting.size) c.finish();
      }
    } else if (msg?.type === "callback:metrics")
      collect().then(
        (text) => worker.isConnected() && worker.send({ type: "callback:metrics", id: msg.id, text }),
        (e) => worker.isConnected() && worker.send({ type: "callback:metrics", id: msg.id, error: String(e?.message ?? e) }),
      );
  });

  cluster.setupPrimary({ exec: next, args: ["start", "-p", port] });
  const graceMs = Number(env.SHUTDOWN_GRACE_MS || 10_000);
  const slots = new Map(); // slot → { worker, startedAt, crashes, timer }
  let stopping = null; // the signal being forwarded
  let everListened = false;
  let failed = false;

  const fork = (slot) => {
    const s = slots.get(slot);
    s.timer = null;
    s.startedAt = Date.now();
    // CALLBACK_WORKER: the worker's slot (1..n, kept across restarts); its presence tells the server it is one of several
    const worker = cluster.fork({ ...env, CALLBACK_WORKER: String(slot) });
    s.worker = worker;
    worker.once("listening", () => (everListened = true));
    worker.once("exit", (code, signal) => exited(slot, worker, code, signal));
  };

  const exited = (slot, worker, code, signal) => {
    const s = slots.get(slot);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      if (code !== 130 && code !== 143 && code !== 0) failed = true;
      s.worker = null;
      if ([...slots.values()].every((x) => !x.worker)) process.exit(failed ? 1 : stopping === "SIGINT" ? 130 : 143);
      return;
    }
    if (!everListened) {
      // the very first start failed (port taken, no build…): fail like a single server would, instead of looping
      console.error(`[start] worker ${slot} (pid ${worker.process.pid}) failed to start (${how}); stopping`);
      stopping = "SIGTERM";
      failed = true;
      s.worker = null;
      for (const x of slots.values()) x.worker?.process.kill("SIGTERM");
      if ([...slots.values()].every((x) => !x.worker)) process.exit(1);
      return;
    }
    // a worker that ran a while gets a fresh start; one that keeps dying waits longer each time (at most 30 s)
    s.crashes = Date.now() - s.startedAt >= 60_000 ? 1 : s.crashes + 1;
    const delay = Math.min(30_000, 500 * 2 ** (s.crashes - 1));
    console.error(`[start] worker ${slot} (pid ${worker.process.pid}) exited (${how}); restarting it in ${delay} ms`);
    s.worker = null;
    s.timer = setTimeout(() => fork(slot), delay);
  };

  for (const sig of ["SIGINT", "SIGTERM"])
    process.on(sig, () => {
      if (stopping) return; // a terminal's Ctrl+C reaches the workers too; forwarding once is enough
      stopping = sig;
      for (const s of slots.values()) {
        if (s.timer) clearTimeout(s.timer);
        s.timer = null;
        s.worker?.process.kill(sig);
      }
      if ([...slots.values()].every((x) => !x.worker)) process.exit(sig === "SIGINT" ? 130 : 143);
      // each worker bounds its own wait by SHUTDOWN_GRACE_MS; this only catches one that hangs past it
      setTimeout(() => {
        console.error("[start] workers still running after the shutdown grace period; killing them");
        for (const s of slots.values()) s.worker?.process.kill("SIGKILL");
        process.exit(1);
      }, graceMs + 5000).unref();
    });

  for (let slot = 1; slot <= n; slot++) {
    slots.set(slot, { worker: null, startedAt: 0, crashes: 0, timer: null });
    fork(slot);
  }
}
