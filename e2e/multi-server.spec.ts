// Three `next start` processes on three ports against one private PostgreSQL (DATABASE_URL): the limits hold across
// servers, and when the server holding the scheduler lease is killed (-9) a survivor takes the lease over and every
// due callback is handed over exactly once, while no acknowledged start is lost.
import { test, expect } from "@playwright/test";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import pg from "pg";
import type { PgCluster } from "../scripts/pg-cluster.mjs";
import { tally, until } from "./helpers";

test.describe.configure({ mode: "serial" });

const BASE_PORT = Number(process.env.E2E_PORT || 3100) + 11;
const PORTS = [BASE_PORT, BASE_PORT + 1, BASE_PORT + 2];
const SVC = "/genesys/1/service/callback";
const PASSWORD = "multi-server-pass-1";
const AUTH = "Basic " + Buffer.from(`admin:${PASSWORD}`).toString("base64");

interface Server {
  port: number;
  proc: ChildProcess;
  output: string;
  exited: Promise<void>;
}

let cluster: PgCluster;
let pool: pg.Pool;
const servers: Server[] = [];

interface Answer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** One request on a connection of its own to the server on `port`. */
function call(port: number, method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers = { ...(body ? { "content-type": "application/json" } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: url, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const admin = (port: number, method: string, url: string, body?: unknown) =>
  call(port, method, url, { headers: { authorization: AUTH }, body });
const putService = (i: number, name: string, options: Record<string, unknown>) =>
  admin(PORTS[i % 3], "PUT", `/genesys/1/admin/services/${name}`, { _service: "callback", _enable_in_queue_checking: "false", ...options });
/** A Start-Callback on server i mod 3 (round-robin), with a customer number of its own. */
const start = (i: number, service: string, n: number, desired?: string, ports = PORTS) =>
  call(ports[i % ports.length], "POST", `${SVC}/${service}`, {
    body: { _customer_number: `+1617${5_200_000 + n}`, ...(desired ? { _desired_time: desired } : {}) },
  });

const count = async (sql: string, params: unknown[]) => Number((await pool.query<{ n: string }>(sql, params)).rows[0].n);
const stored = (service: string, state?: string) =>
  state
    ? count("SELECT count(*) AS n FROM callbacks WHERE service_name = $1 AND state = $2", [service, state])
    : count("SELECT count(*) AS n FROM callbacks WHERE service_name = $1", [service]);

/** A minute in the same capacity bucket whatever its length: 2 minutes past a whole hour, two days ahead. */
const bucketTime = new Date(Math.ceil((Date.now() + 2 * 864e5) / 3_600_000) * 3_600_000 + 120_000).toISOString();

/** The pids of a server: `next start` itself and any process it started. */
const pidsOf = (s: Server): number[] => {
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(s.proc.pid)], { encoding: "utf8" })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter(Boolean);
  } catch {
    // ps exits 1 when the process has no children
  }
  return [s.proc.pid!, ...children];
};
const alive = (s: Server) => s.proc.exitCode === null && s.proc.signalCode === null;

/** The scheduler lease holder's pid as the server on `port` reports it in /readyz (holder `<pid>-<random>`). */
const leaseHolderPid = async (port: number) => {
  const holder = ((await call(port, "GET", "/readyz")).json().checks as { scheduler: { holder: string | null } }).scheduler.holder;
  return holder ? Number(holder.split("-")[0]) : null;
};

test.beforeAll(async () => {
  test.setTimeout(300_000);
  // imported here: the script has a top-level await, which the spec's CommonJS loading cannot require
  const { startPgCluster } = await import("../scripts/pg-cluster.mjs");
  cluster = await startPgCluster();
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  for (const port of PORTS) {
    const proc = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
      env: { ...process.env, DATABASE_URL: cluster.url, ADMIN_PASSWORD: PASSWORD, SEED_DEMO: "false", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const s: Server = { port, proc, output: "", exited: new Promise((r) => proc.on("exit", () => r())) };
    proc.stdout!.on("data", (d: Buffer) => (s.output += d));
    proc.stderr!.on("data", (d: Buffer) => (s.output += d));
    servers.push(s);
  }
  for (const s of servers) {
    await until(
      `the server on ${s.port} to answer`,
      () => call(s.port, "GET", "/healthz"),
      (r) => r.status === 200,
      240_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${s.output}`);
    });
  }
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  // SIGTERM so that the live servers close their connections before the cluster stops
  for (const s of servers.filter(alive)) s.proc.kill("SIGTERM");
  await Promise.race([Promise.all(servers.map((s) => s.exited)), new Promise((r) => setTimeout(r, 20_000))]);
  for (const s of servers.filter(alive)) for (const pid of pidsOf(s).reverse()) process.kill(pid, "SIGKILL");
  await pool?.end();
  await cluster?.stop();
});

test("three servers migrated one database and share the admin user", async () => {
  const rs = await Promise.all(PORTS.map((p) => admin(p, "GET", "/genesys/1/admin/services")));
  expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(await count("SELECT count(*) AS n FROM users WHERE username = 'admin'", [])).toBe(1);
});

test("200 parallel starts round-robin over three servers into a bucket of capacity 10: exactly 10 accepted and stored", async () => {
  test.setTimeout(180_000);
  expect((await putService(0, "e2e-ms-cap", { _max_request_by_time_bucket: 10 })).status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => start(i, "e2e-ms-cap", i, bucketTime)));
  expect(tally(rs)).toEqual({ "200": 10, "400/40051": 190 });
  expect(await stored("e2e-ms-cap")).toBe(10);
});

test("the queued limit across three servers: exactly 10 immediate starts queued, the rest refused with 40002", async () => {
  test.setTimeout(180_000);
  expect((await putService(1, "e2e-ms-queued", { _max_queued_callbacks_per_service: 10, _sim_agents: 0 })).status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 60 }, (_, i) => start(i, "e2e-ms-queued", 1000 + i)));
  expect(tally(rs)).toEqual({ "200": 10, "429/40002": 50 });
  expect(await stored("e2e-ms-queued")).toBe(10);
  expect(await stored("e2e-ms-queued", "QUEUED")).toBe(10);
});

test("a throttle of 25 per 10 minutes across three servers: exactly 25 accepted, the rest refused with 40003", async () => {
  test.setTimeout(180_000);
  const options = { _throttle_callbacks_per_service_1: 25, _throttle_ttl_1: 600, _max_request_by_time_bucket: 100000 };
  expect((await putService(2, "e2e-ms-thr", options)).status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 80 }, (_, i) => start(i, "e2e-ms-thr", 2000 + i, bucketTime)));
  expect(tally(rs)).toEqual({ "200": 25, "429/40003": 55 });
  expect(await stored("e2e-ms-thr")).toBe(25);
});

test("the scheduler's server killed (-9): a survivor takes the lease over, each due callback is handed over once", async () => {
  test.setTimeout(300_000);
  const due = { _request_execution_time_buffer: 1, _sim_agents: 0, _max_request_by_time_bucket: 100000 };
  // the flow would otherwise reach the default throttles (500 per 5 minutes)
  const flow = {
    _max_request_by_time_bucket: 100000,
    _throttle_callbacks_per_service_1: 100000,
    _throttle_callbacks_per_service_2: 100000,
  };
  expect((await putService(0, "e2e-ms-due", due)).status).toBe(200);
  expect((await putService(1, "e2e-ms-flow", flow)).status).toBe(200);

  // 50 callbacks due in about 30 s, created round-robin on all three servers
  const desired = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000).toISOString();
  const dueStarts = await Promise.all(Array.from({ length: 50 }, (_, i) => start(i, "e2e-ms-due", 3000 + i, desired)));
  expect(tally(dueStarts)).toEqual({ "200": 50 });
  const dueIds = dueStarts.map((r) => r.json()._id as string);

  // the lease holder: one of the three servers (or a process it started)
  const holder = await until(
    "a scheduler lease holder",
    () => leaseHolderPid(PORTS[0]),
    (pid) => pid !== null,
  );
  const victim = servers.find((s) => pidsOf(s).includes(holder!));
  expect(victim, `lease holder pid ${holder} is one of the servers`).toBeDefined();
  const survivors = servers.filter((s) => s !== victim);
  const survivorPorts = survivors.map((s) => s.port);
  const survivorPids = survivors.flatMap(pidsOf);

  // starts keep flowing to the survivors during the kill and the takeover
  const acknowledged: string[] = [];
  const answered: Record<string, number> = {};
  let flowing = true;
  let n = 0;
  const client = async (c: number) => {
    while (flowing) {
      const r = await start(c, "e2e-ms-flow", 10_000 + n++, bucketTime, survivorPorts);
      answered[r.status] = (answered[r.status] ?? 0) + 1;
      if (r.status === 200) acknowledged.push(r.json()._id as string);
    }
  };
  const clients = Array.from({ length: 6 }, (_, c) => client(c));
  let takeoverMs = 0;
  let killedAt = 0;
  try {
    await until(
      "starts to flow",
      () => acknowledged.length,
      (k) => k >= 10,
    );

    const victimPids = pidsOf(victim!);
    killedAt = Date.now();
    for (const pid of victimPids.reverse()) process.kill(pid, "SIGKILL");
    await victim!.exited;
    const newHolder = await until(
      "a survivor to take the scheduler lease over",
      () => leaseHolderPid(survivorPorts[0]),
      (pid) => pid !== null && survivorPids.includes(pid),
      60_000,
    );
    takeoverMs = Date.now() - killedAt;
    expect(survivorPids).toContain(newHolder);
    const ackedAtTakeover = acknowledged.length;
    await until(
      "more starts after the takeover",
      () => acknowledged.length,
      (k) => k >= ackedAtTakeover + 10,
    );
  } finally {
    flowing = false;
  }
  await Promise.all(clients);

  // every due callback leaves SCHEDULED (handed over by whichever server holds the lease)
  await until(
    "every due callback to be handed over",
    () => stored("e2e-ms-due", "SCHEDULED"),
    (left) => left === 0,
    120_000,
  );
  const handedAt = Date.now();

  const storedIds = new Set(
    (await pool.query<{ id: string }>("SELECT id FROM callbacks WHERE service_name IN ('e2e-ms-due', 'e2e-ms-flow')")).rows.map(
      (r) => r.id,
    ),
  );
  expect([...dueIds, ...acknowledged].filter((id) => !storedIds.has(id))).toEqual([]);
  const twice = await pool.query("SELECT callback_id, count(*) FROM handoffs WHERE status = 'ok' GROUP BY callback_id HAVING count(*) > 1");
  expect(twice.rows).toEqual([]);
  const okRows = await pool.query<{ callback_id: string; n: string }>(
    "SELECT callback_id, count(*) AS n FROM handoffs WHERE status = 'ok' AND callback_id = ANY($1) GROUP BY callback_id",
    [dueIds],
  );
  expect(okRows.rows.length).toBe(50);
  expect(okRows.rows.every((r) => r.n === "1")).toBe(true);
  // due 30 s after creation, well after the kill: every hand-off was made by a survivor after the takeover
  const early = await count("SELECT count(*) AS n FROM handoffs WHERE callback_id = ANY($1) AND created_at < $2", [dueIds, killedAt]);
  expect(early).toBe(0);
  expect(await stored("e2e-ms-due", "QUEUED")).toBe(50);

  // the dead holder's lease lapses after 10 s; a survivor's scheduler loop (every 250 ms) then takes it
  expect(takeoverMs).toBeLessThan(10_000 + 20_000);
  console.log(
    `[multi-server] takeover ${takeoverMs} ms after kill -9; flow starts ${JSON.stringify(answered)}, ` +
      `${acknowledged.length} acknowledged; due callbacks all handed over ${handedAt - Date.parse(desired)} ms after their desired time`,
  );
});
