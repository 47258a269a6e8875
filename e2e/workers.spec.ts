// `npm start` with WORKERS=2 against the production build: two server processes on one port and one database.
// Requests go over a new connection each, so the cluster primary spreads them over both workers (`x-worker`).
import { test, expect } from "@playwright/test";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { tally, until } from "./helpers";

test.describe.configure({ mode: "serial" });

const PORT = Number(process.env.E2E_PORT || 3100) + 9;
const SVC = "/genesys/1/service/callback";
let server: ChildProcess;
let exited: Promise<number | null>;
let output = "";
let dbPath = "";
let auth = "";

interface Answer {
  status: number;
  worker: string;
  body: string;
  json: () => Record<string, unknown>;
}

/** One request on a connection of its own. */
function call(method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers = { ...(body ? { "content-type": "application/json" } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, method, path: url, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, worker: String(res.headers["x-worker"]), body: text, json: () => JSON.parse(text) }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

const admin = (method: string, url: string, body?: unknown) => call(method, url, { headers: { authorization: auth }, body });
/** The server processes under the primary (its workers). */
const workerPids = () =>
  execFileSync("ps", ["-o", "pid=", "--ppid", String(server.pid)], { encoding: "utf8" })
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter(Boolean);
const lines = (re: RegExp) => output.split("\n").filter((l) => re.test(l));

/** A minute in the same capacity bucket whatever its length: 2 minutes past a whole hour, two days ahead. */
const bucketTime = new Date(Math.ceil((Date.now() + 2 * 864e5) / 3_600_000) * 3_600_000 + 120_000).toISOString();
const start = (service: string, i: number) =>
  call("POST", `${SVC}/${service}`, { body: { _customer_number: `+1617${5_100_000 + i}`, _desired_time: bucketTime } });
const storedFor = (service: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM callbacks WHERE service_name = ?").get(service) as { n: number }).n;
  } finally {
    db.close();
  }
};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cb-workers-")), "db.sqlite");
  // no ADMIN_PASSWORD: the first admin's generated password is printed by whichever worker creates it
  const env: NodeJS.ProcessEnv = { ...process.env, WORKERS: "2", PORT: String(PORT), DATABASE_PATH: dbPath, LOG_LEVEL: "warn" };
  delete env.ADMIN_PASSWORD;
  delete env.ADMIN_USER;
  server = spawn(process.execPath, ["scripts/start.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d: Buffer) => (output += d));
  server.stderr!.on("data", (d: Buffer) => (output += d));
  exited = new Promise((r) => server.on("exit", (code) => r(code)));
  // both workers have run their start-up duties (each prints where the admin credentials come from)
  await until(
    "both workers to start",
    () => lines(/\[callback\] admin credentials/).length,
    (n) => n === 2,
    150_000,
  );
  await until(
    "the server to answer",
    () => call("GET", "/healthz"),
    (r) => r.status === 200,
  );
});

test.afterAll(async () => {
  if (server.exitCode !== null || server.signalCode !== null) return;
  for (const pid of workerPids()) process.kill(pid, "SIGKILL");
  server.kill("SIGKILL");
});

test("both workers answer on the one port", async () => {
  expect(workerPids()).toHaveLength(2);
  const rs = await Promise.all(Array.from({ length: 20 }, () => call("GET", "/healthz")));
  expect(rs.every((r) => r.status === 200)).toBe(true);
  expect(new Set(rs.map((r) => r.worker))).toEqual(new Set(["1", "2"]));
});

test("the first admin is created once: exactly one password printed, and it works on every worker", async () => {
  const printed = lines(/password "/).map((l) => /password "([^"]+)"/.exec(l)![1]);
  expect(printed).toHaveLength(1);
  expect(lines(/admin credentials: existing users in the database/)).toHaveLength(1);
  auth = "Basic " + Buffer.from(`admin:${printed[0]}`).toString("base64");
  // one after another: parallel first sign-ins would all count against the user's 5 attempts before one succeeds
  const rs: Answer[] = [];
  for (let i = 0; i < 6; i++) rs.push(await admin("GET", "/genesys/1/admin/services"));
  expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(new Set(rs.map((r) => r.worker))).toEqual(new Set(["1", "2"]));
  // the demo services are seeded once too
  expect(lines(/demo services created/)).toHaveLength(1);
  const names = Object.keys(rs[0].json()).filter((n) => n.startsWith("demo-"));
  expect(names.sort()).toEqual(["demo-capacity", "demo-immediate", "demo-office-hours", "demo-scheduled"]);
});

test("200 parallel starts spread over both workers into a bucket of capacity 10: exactly 10 accepted and stored", async () => {
  test.setTimeout(120_000);
  const put = await admin("PUT", "/genesys/1/admin/services/e2e-wk-cap", {
    _service: "callback",
    _max_request_by_time_bucket: 10,
    _enable_in_queue_checking: "false",
  });
  expect(put.status).toBe(200);
  const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => start("e2e-wk-cap", i)));
  expect(new Set(rs.map((r) => r.worker))).toEqual(new Set(["1", "2"]));
  expect(tally(rs)).toEqual({ "200": 10, "400/40051": 190 });
  expect(storedFor("e2e-wk-cap")).toBe(10);
});

test("a capacity raised through one worker applies at once to the next starts on either worker", async () => {
  const put = await admin("PUT", "/genesys/1/admin/services/e2e-wk-cap", {
    _service: "callback",
    _max_request_by_time_bucket: 16,
    _enable_in_queue_checking: "false",
  });
  expect(put.status).toBe(200);
  const rs: Answer[] = [];
  for (let i = 0; i < 6; i++) rs.push(await start("e2e-wk-cap", 1000 + i)); // one after another, alternating workers
  expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(rs.some((r) => r.worker !== put.worker)).toBe(true);
  const full = await start("e2e-wk-cap", 2000);
  expect([full.status, full.json().code]).toEqual([400, 40051]);
  expect(storedFor("e2e-wk-cap")).toBe(16);
});

test("the sign-in limiter counts attempts made on both workers together", async () => {
  // a client address of its own, so these failures do not count against the other requests (all from localhost)
  const headers = (pw: string) => ({
    authorization: "Basic " + Buffer.from(`e2e-wk-nobody:${pw}`).toString("base64"),
    "x-forwarded-for": "10.98.0.1",
  });
  const rs: Answer[] = [];
  for (let i = 0; i < 5; i++) rs.push(await call("GET", "/genesys/1/admin/services", { headers: headers(`bad-${i}`) }));
  expect(rs.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
  expect(new Set(rs.map((r) => r.worker))).toEqual(new Set(["1", "2"]));
  // per-process counts would allow 5 on each worker; shared, the 6th attempt on either one is refused
  const sixth = await call("GET", "/genesys/1/admin/services", { headers: headers("bad-5") });
  expect(sixth.status).toBe(429);
});

test("/metrics adds up every worker: the Start-Callback counters equal every start made, whichever worker answers", async () => {
  const total = (text: string, status: number) =>
    text
      .split("\n")
      .filter((l) => l.startsWith("callback_http_requests_total{") && l.includes('method="POST"') && l.includes("service/callback"))
      .filter((l) => l.includes(`status="${status}"`))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  const rs = await Promise.all(Array.from({ length: 6 }, () => admin("GET", "/metrics")));
  expect(new Set(rs.map((r) => r.worker))).toEqual(new Set(["1", "2"]));
  for (const r of rs) {
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^callback_server_processes 2$/m);
    expect(total(r.body, 200)).toBe(16); // 10 + 6 accepted
    expect(total(r.body, 400)).toBe(191); // 190 + 1 refused
    // read from the shared database once, not once per worker
    expect(r.body).toMatch(/^callback_callbacks\{service="e2e-wk-cap",state="SCHEDULED"\} 16$/m);
  }
});

/** The pid of the process holding the scheduler lease, as /readyz reports it (holder `<pid>-<random>`). */
const leaseHolderPid = async () => {
  const holder = ((await call("GET", "/readyz")).json().checks as { scheduler: { holder: string | null } }).scheduler.holder;
  return holder ? Number(holder.split("-")[0]) : null;
};

test("the scheduler's worker, killed, is restarted, another takes the lease over, and both answer again", async () => {
  test.setTimeout(90_000);
  const victim = (await leaseHolderPid())!;
  expect(workerPids()).toContain(victim); // one of the two workers holds the lease
  process.kill(victim, "SIGKILL");
  const pids = await until(
    "the worker's restart",
    () => workerPids(),
    (p) => p.length === 2 && !p.includes(victim),
  );
  // the dead holder's lease lapses (10 s), then one of the live workers holds it
  await until("a live worker to take the scheduler over", leaseHolderPid, (pid) => pid !== null && pids.includes(pid));
  await until(
    "both workers to answer",
    async () => new Set((await Promise.all(Array.from({ length: 10 }, () => call("GET", "/healthz")))).map((r) => r.worker)),
    (s) => s.has("1") && s.has("2"),
  );
  expect(lines(/worker \d \(pid \d+\) exited \(signal SIGKILL\); restarting it/)).toHaveLength(1);
  expect(workerPids()).toEqual(pids);
});

test("SIGTERM to npm start stops every worker gracefully: acknowledged starts stored, lease handed back, exit 143", async () => {
  test.setTimeout(90_000);
  const put = await admin("PUT", "/genesys/1/admin/services/e2e-wk-stop", {
    _service: "callback",
    _max_request_by_time_bucket: 100000,
    _enable_in_queue_checking: "false",
  });
  expect(put.status).toBe(200);
  const pids = workerPids();
  const acknowledged: string[] = [];
  let stopping = false;
  let n = 0;
  const client = async () => {
    while (!stopping || n < 50) {
      try {
        const r = await start("e2e-wk-stop", 10_000 + n++);
        if (r.status === 200) acknowledged.push(r.json()._id as string);
      } catch {
        return; // the server stopped accepting
      }
    }
  };
  const clients = Array.from({ length: 16 }, client);
  await until(
    "starts to flow",
    () => acknowledged.length,
    (k) => k >= 20,
  );
  stopping = true;
  server.kill("SIGTERM");
  await Promise.all(clients);
  expect(await exited).toBe(143);
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(); // no worker left behind

  const db = new Database(dbPath, { readonly: true });
  const stored = new Set(db.prepare("SELECT id FROM callbacks WHERE service_name = 'e2e-wk-stop'").pluck().all() as string[]);
  const lease = db.prepare("SELECT holder FROM leases WHERE name = 'scheduler'").get();
  db.close();
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  expect(lease).toBeUndefined();
});
