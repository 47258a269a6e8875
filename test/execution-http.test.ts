import { describe, it, expect, beforeEach, afterEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freshEngine, serve, call } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { Scheduler } from "../lib/execution/scheduler";
import { resetSimulator } from "../lib/execution/simulator";

/** A real external execution engine on loopback that records what it receives. */
async function fakeOrs() {
  const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: any }> = [];
  let status = 200;
  const server = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    received.push({ method: req.method!, url: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined });
    res.writeHead(status, { "content-type": "application/json" });
    res.end(status < 300 && req.url === "/ors" ? JSON.stringify({ _ors_session_id: `ors-${received.length}` }) : "{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    setStatus: (s: number) => (status = s),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let env: Awaited<ReturnType<typeof freshEngine>>;
let ors: Awaited<ReturnType<typeof fakeOrs>>;
let srv: Awaited<ReturnType<typeof serve>>;
beforeEach(async () => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  resetSimulator();
  ors = await fakeOrs();
  srv = await serve();
  await putService(env.ctx, "ext", {
    _service: "callback",
    _type: "ors",
    _ors: `${ors.url}/ors`,
    _enable_in_queue_checking: "false",
    _target: "Sales",
    _max_ors_submit_attempts: 2,
  });
});
afterEach(async () => {
  await srv.close();
  await ors.close();
});

describe("HTTP execution engine (_type=ors)", () => {
  it("POSTs the callback and the service options with an Idempotency-Key, stores the session id, and takes PUT progress reports", async () => {
    const r = await call(srv.url, "POST", "/genesys/1/service/callback/ext", { _customer_number: "+16175551212", topic: "billing" });
    expect(r.status).toBe(200);
    const id = r.json._id;
    expect(ors.received).toHaveLength(1);
    const h = ors.received[0];
    expect(h.method).toBe("POST");
    expect(h.url).toBe("/ors");
    expect(h.headers["idempotency-key"]).toBe(id);
    expect(h.body.callback).toMatchObject({
      _id: id,
      _customer_number: "+16175551212",
      topic: "billing",
      _callback_state: "QUEUED",
      _service_name: "ext",
    });
    expect(h.body.options).toMatchObject({ _service: "callback", _type: "ors", _target: "Sales" });
    expect((await env.store.getCallback(id))!.ors_session_id).toBe("ors-1");

    const u = `/genesys/1/service/callback/ext/${id}`;
    expect((await call(srv.url, "PUT", u, { _callback_state: "ROUTING" })).status).toBe(200);
    expect((await call(srv.url, "PUT", u, { _callback_state: "PROCESSING", _reason: "" })).json).toEqual({});
    const illegal = await call(srv.url, "PUT", u, { _callback_state: "QUEUED" });
    expect(illegal.status).toBe(400);
    expect(illegal.json.code).toBe(40020);
    expect((await call(srv.url, "PUT", u, { _callback_state: "COMPLETED", _callback_reason: "AGENT_CONNECTED" })).status).toBe(200);
    expect((await call(srv.url, "GET", u)).json[0]).toMatchObject({ _callback_state: "COMPLETED", _callback_reason: "AGENT_CONNECTED" });
  });

  it("forwards a customer cancel to the engine, and answers 500 50030 when the engine refuses unless discard_ors_failure=true", async () => {
    const id = (await call(srv.url, "POST", "/genesys/1/service/callback/ext", { _customer_number: "+16175551212" })).json._id;
    expect((await call(srv.url, "DELETE", `/genesys/1/service/callback/ext/${id}`)).status).toBe(200);
    expect(ors.received[1]).toMatchObject({ method: "POST", url: `/ors/${id}/cancel` });
    expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED" });

    const id2 = (await call(srv.url, "POST", "/genesys/1/service/callback/ext", { _customer_number: "+16175551213" })).json._id;
    ors.setStatus(503);
    const refused = await call(srv.url, "DELETE", `/genesys/1/service/callback/ext/${id2}`);
    expect(refused.status).toBe(500);
    expect(refused.json).toMatchObject({ code: 50030, phrase: "EXECUTION_ERROR" });
    expect((await env.store.getCallback(id2))!.state).toBe("QUEUED");
    expect((await call(srv.url, "DELETE", `/genesys/1/service/callback/ext/${id2}?discard_ors_failure=true`)).status).toBe(200);
    expect((await env.store.getCallback(id2))!.reason).toBe("CANCELLED");
  });

  it("counts non-2xx and an engine that is down as failed attempts: immediate → 500 50006; scheduled → retries then SUBMIT_FAILED", async () => {
    ors.setStatus(500);
    const r = await call(srv.url, "POST", "/genesys/1/service/callback/ext", { _customer_number: "+16175551212" });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({
      code: 50006,
      phrase: "MAX_SUBMIT_ATTEMPTS",
      properties: { id: r.json.properties.id, "max-attempts": 2 },
    });
    expect(await env.store.getCallback(r.json.properties.id)).toMatchObject({ state: "COMPLETED", reason: "SUBMIT_FAILED" });

    await ors.close(); // engine down
    const s = await call(srv.url, "POST", "/genesys/1/service/callback/ext", {
      _customer_number: "+16175551214",
      _desired_time: "2026-06-01T13:00:00Z",
    });
    expect(s.status).toBe(200);
    const sched = new Scheduler(env.ctx);
    env.setNow("2026-06-01T12:58:00Z");
    await sched.tick();
    expect(await env.store.getCallback(s.json._id)).toMatchObject({ state: "SCHEDULED", submit_attempts: 1 });
    env.clock.t += 1000;
    await sched.tick();
    expect(await env.store.getCallback(s.json._id)).toMatchObject({ state: "COMPLETED", reason: "SUBMIT_FAILED", submit_attempts: 2 });
    ors = await fakeOrs(); // for afterEach
  });

  it("lets a request override _ors when it is listed in _overwritable_options", async () => {
    const other = await fakeOrs();
    await putService(env.ctx, "ext2", {
      _service: "callback",
      _type: "ors",
      _ors: `${ors.url}/ors`,
      _overwritable_options: "_ors",
      _enable_in_queue_checking: "false",
    });
    const r = await call(srv.url, "POST", "/genesys/1/service/callback/ext2", {
      _customer_number: "+16175551212",
      _ors: `${other.url}/ors`,
    });
    expect(r.status).toBe(200);
    expect(ors.received).toHaveLength(0);
    expect(other.received).toHaveLength(1);
    await other.close();
  });
});
