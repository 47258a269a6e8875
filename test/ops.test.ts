// Operations endpoints and observation: health and readiness, Prometheus metrics, request ids and log lines.
import { describe, it, expect, beforeAll, beforeEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { freshEngine, addUsers, basic } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { Scheduler } from "../lib/execution/scheduler";
import { healthz, readyz, metricsEndpoint } from "../lib/ops/endpoints";
import { installNodeGuard } from "../lib/http/node-guard";
import { setLogger } from "../lib/ops/logger";

let env: Awaited<ReturnType<typeof freshEngine>>;
beforeEach(async () => {
  env = freshEngine(Date.now());
  await addUsers(env.store);
  await putService(env.ctx, "svc", { _service: "callback", _enable_in_queue_checking: "strict" });
});

const scrape = async (headers: Record<string, string> = { authorization: basic("admin") }) =>
  metricsEndpoint(new Request("http://x/metrics", { headers }));
const sample = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, "m").exec(text)?.[1] ?? "0");

describe("health and readiness", () => {
  it("answers /healthz without touching the database", async () => {
    const r = healthz();
    expect(r.status).toBe(200);
    expect((await r.json()).status).toBe("ok");
  });

  it("is ready only while someone holds a live scheduler lease, and says which check fails", async () => {
    let r = await readyz(env.clock.t);
    expect(r.status).toBe(503);
    const body = await r.json();
    expect(body.checks).toMatchObject({ database: { ok: true }, migrations: { ok: true }, scheduler: { ok: false }, outbox: { ok: true } });
    const s = new Scheduler(env.ctx, { holder: "me", leaseMs: 10_000 });
    expect(await s.acquireLease()).toBe(true);
    r = await readyz(env.clock.t);
    expect(r.status).toBe(200);
    expect((await r.json()).checks.scheduler).toEqual({ ok: true, holder: "me" });
    expect((await readyz(env.clock.t + 10_001)).status).toBe(503); // the holder stopped renewing
  });
});

describe("metrics", () => {
  it("refuses anonymous scrapes, accepts an admin or the METRICS_TOKEN bearer", async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: basic("monitor") })).status).toBe(403);
    process.env.METRICS_TOKEN = "scrape-token-123";
    expect((await scrape({ authorization: "Bearer scrape-token-123" })).status).toBe(200);
    expect((await scrape({ authorization: "Bearer wrong" })).status).toBe(401);
    delete process.env.METRICS_TOKEN;
  });

  it("counts Start-Callback outcomes by code and shows callbacks by state", async () => {
    const before = await (await scrape()).text();
    await startCallback(env.ctx, "svc", { _customer_number: "+16175550100" });
    await expect(startCallback(env.ctx, "svc", { _customer_number: "+16175550100" })).rejects.toThrow(/already/);
    const after = await (await scrape()).text();
    expect(
      sample(after, "callback_start_outcomes_total", 'outcome="accepted"') -
        sample(before, "callback_start_outcomes_total", 'outcome="accepted"'),
    ).toBe(1);
    expect(
      sample(after, "callback_start_outcomes_total", 'outcome="40001"') -
        sample(before, "callback_start_outcomes_total", 'outcome="40001"'),
    ).toBe(1);
    expect(sample(after, "callback_callbacks", 'service="svc",state="QUEUED"')).toBe(1);
    for (const name of [
      "callback_scheduler_lag_seconds",
      "callback_outbox_backlog",
      "callback_database_bytes",
      "callback_nodejs_eventloop_lag_seconds",
    ])
      expect(after).toMatch(new RegExp(`^${name} `, "m"));
  });
});

/** The log line is written when the server finishes the response, a moment after the client has it. */
async function logged(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
}

describe("request observation on the Node server", () => {
  const lines: Array<Record<string, unknown>> = [];
  let base = "";
  beforeAll(async () => {
    setLogger(pino({ level: "info" }, new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) })));
    installNodeGuard();
    const server = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  it("returns the caller's x-request-id, or a new one, and logs one line per request with it", async () => {
    const mine = await fetch(`${base}/genesys/1/ping`, { headers: { "x-request-id": "abc-123" } });
    expect(mine.headers.get("x-request-id")).toBe("abc-123");
    const fresh = await fetch(`${base}/genesys/1/ping`, { headers: { "x-request-id": "bad id with spaces" } });
    const id = fresh.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await logged(() => lines.some((l) => l.reqId === id));
    const line = lines.find((l) => l.reqId === id);
    expect(line).toMatchObject({ method: "GET", route: "/genesys/1/ping", status: 200 });
    expect(typeof line!.ms).toBe("number");
  });

  it("logs the route template, never the query string with the customer's number", async () => {
    await fetch(`${base}/genesys/1/service/callback/svc?_customer_number=%2B16175550199`);
    await fetch(`${base}/genesys/1/service/callback/svc/0f8fad5b-d9cb-469f-a165-70867728950e`);
    await logged(() => lines.filter((l) => String(l.route).startsWith("/genesys/1/service/callback/")).length >= 2);
    const text = JSON.stringify(lines);
    expect(text).not.toContain("6175550199");
    expect(lines.map((l) => l.route)).toEqual(
      expect.arrayContaining(["/genesys/1/service/callback/:service", "/genesys/1/service/callback/:service/:id"]),
    );
  });
});
