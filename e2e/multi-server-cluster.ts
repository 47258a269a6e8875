// The start-up the multi-server specs share: a private PostgreSQL cluster and three `next start` processes of the
// production build on E2E_PORT + 11, 12 and 13, all with the same DATABASE_URL; requests to them each on a
// connection of its own; a loopback HTTP recorder standing in for an execution engine or a notification target.
import { test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type { PgCluster } from "../scripts/pg-cluster.mjs";
import { alive, pidsOf, until } from "./processes";

const BASE_PORT = Number(process.env.E2E_PORT || 3100) + 11;
export const PORTS = [BASE_PORT, BASE_PORT + 1, BASE_PORT + 2];
export const SVC = "/genesys/1/service/callback";
export const ADMIN_PASSWORD = "multi-server-pass-1";
const AUTH = "Basic " + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64");

export interface Server {
  port: number;
  proc: ChildProcess;
  output: string;
  exited: Promise<void>;
}

export interface Answer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** One request on a connection of its own to the server on `port`. */
export function call(
  port: number,
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
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

export const admin = (port: number, method: string, url: string, body?: unknown) =>
  call(port, method, url, { headers: { authorization: AUTH }, body });
/** Creates or replaces a callback service through server i mod 3. */
export const putService = (i: number, name: string, options: Record<string, unknown>) =>
  admin(PORTS[i % 3], "PUT", `/genesys/1/admin/services/${name}`, { _service: "callback", _enable_in_queue_checking: "false", ...options });
/** A Start-Callback on server i mod 3 (round-robin), with a customer number of its own. */
export const start = (i: number, service: string, n: number, desired?: string, ports = PORTS) =>
  call(ports[i % ports.length], "POST", `${SVC}/${service}`, {
    body: { _customer_number: `+1617${5_200_000 + n}`, ...(desired ? { _desired_time: desired } : {}) },
  });
/** Cancel-Callback on server i mod 3. */
export const cancel = (i: number, service: string, id: string, ports = PORTS) =>
  call(ports[i % ports.length], "DELETE", `${SVC}/${service}/${id}`);

/** A minute in the same capacity bucket whatever its length: 2 minutes past a whole hour, two days ahead. */
export const bucketTime = new Date(Math.ceil((Date.now() + 2 * 864e5) / 3_600_000) * 3_600_000 + 120_000).toISOString();

export { alive, pidsOf } from "./processes";

/** The scheduler lease holder's pid as the server on `port` reports it in /readyz (holder `<pid>-<random>`). */
export const leaseHolderPid = async (port: number) => {
  const holder = ((await call(port, "GET", "/readyz")).json().checks as { scheduler: { holder: string | null } }).scheduler.holder;
  return holder ? Number(holder.split("-")[0]) : null;
};

export interface MultiServer {
  servers: Server[];
  pool: pg.Pool;
  count: (sql: string, params: unknown[]) => Promise<number>;
  /** Callbacks of a service stored, in one state or in all. */
  stored: (service: string, state?: string) => Promise<number>;
}

/**
 * Registers the spec file's beforeAll and afterAll: the cluster and the three servers (with `env` added to theirs)
 * are up before its first test and gone after its last. Fields of the answer are set once beforeAll has run.
 */
export function useMultiServer(env: Record<string, string> = {}): MultiServer {
  let cluster: PgCluster | undefined;
  const ms = { servers: [] as Server[] } as MultiServer;
  ms.count = async (sql, params) => Number((await ms.pool.query<{ n: string }>(sql, params)).rows[0].n);
  ms.stored = (service, state) =>
    state
      ? ms.count("SELECT count(*) AS n FROM callbacks WHERE service_name = $1 AND state = $2", [service, state])
      : ms.count("SELECT count(*) AS n FROM callbacks WHERE service_name = $1", [service]);

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    // imported here: the script has a top-level await, which the spec's CommonJS loading cannot require
    const { startPgCluster } = await import("../scripts/pg-cluster.mjs");
    cluster = await startPgCluster();
    ms.pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    for (const port of PORTS) {
      const proc = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
        env: {
          ...process.env,
          DATABASE_URL: cluster.url,
          ADMIN_PASSWORD,
          SEED_DEMO: "false",
          AUTH_TRUST_HOST: "true",
          NEXT_TELEMETRY_DISABLED: "1",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const s: Server = { port, proc, output: "", exited: new Promise((r) => proc.on("exit", () => r())) };
      proc.stdout!.on("data", (d: Buffer) => (s.output += d));
      proc.stderr!.on("data", (d: Buffer) => (s.output += d));
      ms.servers.push(s);
    }
    for (const s of ms.servers) {
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
    const { servers } = ms;
    // SIGTERM so that the live servers close their connections before the cluster stops
    for (const s of servers.filter(alive)) s.proc.kill("SIGTERM");
    await Promise.race([Promise.all(servers.map((s) => s.exited)), new Promise((r) => setTimeout(r, 20_000))]);
    for (const s of servers.filter(alive)) for (const pid of pidsOf(s).reverse()) process.kill(pid, "SIGKILL");
    await ms.pool?.end();
    await cluster?.stop();
  });
  return ms;
}

/** A request the recorder received: when, what, and the body as JSON (null when it is not JSON). */
export interface Received {
  at: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export interface Recorder {
  url: string;
  received: Received[];
  /** Requests whose path starts with `prefix`. */
  on: (prefix: string) => Received[];
  close: () => Promise<void>;
}

/**
 * A loopback HTTP server that answers every POST with 200 `answer(req)` (after `delayMs`) and records it: the
 * execution engine (`_ors`) and the status-notification target of the specs.
 */
export async function startRecorder(opts: { delayMs?: number; answer?: (r: Received) => Record<string, unknown> } = {}): Promise<Recorder> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (text += d));
    req.on("end", () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // recorded as it came
      }
      const r: Received = { at: Date.now(), method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      received.push(r);
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(opts.answer?.(r) ?? {}));
      }, opts.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    on: (prefix) => received.filter((r) => r.url.startsWith(prefix)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
