// Outbound URLs (hand-off, cancel, status notifications): a request may never choose where the server connects.
// Overrides apply only where `_overwritable_options` lists them and are fixed at start; `$token$`s fill only a
// URL's path or query; targets follow the outbound policy (EXECUTION_URL_ALLOWLIST). Real HTTP servers on
// loopback stand in for engines and receivers; real SQLite; pinned clock (Monday 2026-06-01T12:00:00.000Z).
import { describe, it, expect, beforeEach, afterEach, vi } from "vitest";
import http from "node:http";
import dns from "node:dns";
import type { AddressInfo } from "node:net";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, cbService, eventsOfType, props, row, rowCount, type Env } from "./public-fixtures";
import { Scheduler } from "../lib/execution/scheduler";
import { sendNotifications } from "../lib/execution/notifier";
import { postJson, OutboundRefused } from "../lib/execution/outbound";
import { targetRefusal } from "../lib/callback/url-policy";

interface Received {
  method: string;
  url: string;
  body: unknown;
}

/** A loopback HTTP server that records every request; `answer` decides the status and headers. */
type Answer = { status: number; headers?: Record<string, string> };
async function fakeServer(answer: (req: http.IncomingMessage) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  const server = http.createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    received.push({ method: req.method!, url: req.url!, body: text ? JSON.parse(text) : undefined });
    const a = answer(req);
    res.writeHead(a.status, { "content-type": "application/json", ...a.headers }).end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
type Fake = Awaited<ReturnType<typeof fakeServer>>;

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));
let engine: Fake;
let attacker: Fake;
beforeEach(async () => {
  engine = await fakeServer();
  attacker = await fakeServer();
});
afterEach(async () => {
  delete process.env.EXECUTION_URL_ALLOWLIST;
  await engine.close();
  await attacker.close();
});

const post = (service: string, body: Record<string, unknown>) => call(srv.url, "POST", `${S}/${service}`, body);
const LATER = "2026-06-01T15:00:00.000Z";
/** Runs one scheduler tick at the time a callback desired at LATER is due (default 120 s buffer). */
const dueTick = async () => {
  env.setNow("2026-06-01T14:58:00.000Z");
  await new Scheduler(env.ctx).tick();
};

describe("Execution engine URL (_ors)", () => {
  it("ignores an _ors in the body unless _overwritable_options lists it: hand-off and cancel go to the configured engine", async () => {
    await cbService(env, "ext", { _type: "ors", _ors: `${engine.url}/ors`, _enable_in_queue_checking: "false" });
    const r = await post("ext", { _customer_number: "+16175551212", _ors: `${attacker.url}/steal` });
    expect(r.status).toBe(200);
    expect((await props(env, r.json._id))._ors).toBe(`${attacker.url}/steal`); // kept as the client's property, never used
    const s = await post("ext", { _customer_number: "+16175551213", _ors: `${attacker.url}/steal`, _desired_time: LATER });
    await dueTick();
    expect(await row(env, s.json._id)).toMatchObject({ state: "QUEUED", handed_off: 1 });
    expect((await call(srv.url, "DELETE", `${S}/ext/${s.json._id}`)).status).toBe(200);
    expect(attacker.received).toEqual([]);
    expect(engine.received.map((x) => x.url)).toEqual(["/ors", "/ors", `/ors/${s.json._id}/cancel`]);
  });

  it("refuses at start (400 40010 naming the option, nothing stored) a $token$ that would fill the scheme, host or port", async () => {
    await cbService(env, "whole", { _type: "ors", _ors: "$engine$" });
    await cbService(env, "host", { _type: "ors", _ors: "http://$host$/ors" });
    await cbService(env, "port", { _type: "ors", _ors: "http://127.0.0.1:$port$/ors" });
    const port = new URL(attacker.url).port;
    const cases = [
      ["whole", { engine: `${attacker.url}/x` }],
      ["host", { host: `127.0.0.1:${port}` }],
      ["port", { port }],
    ] as const;
    for (const [service, param] of cases) {
      const r = await post(service, { _customer_number: "+16175551212", ...param });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({
        code: 40010,
        phrase: "BAD_PARAMETER",
        message: "Invalid option _ors: a $token$ may only fill the path or query of a URL, not its scheme, host or port",
      });
    }
    expect(await rowCount(env)).toBe(0);
    expect(attacker.received).toEqual([]);
  });

  it("fills a $token$ in the path or query percent-encoded, once at start: hand-off and cancel use the same URL", async () => {
    await cbService(env, "tenant", { _type: "ors", _ors: `${engine.url}/ors/$tenant$?ref=$ref$`, _enable_in_queue_checking: "false" });
    const r = await post("tenant", { _customer_number: "+16175551212", tenant: "acme/../admin", ref: "a&b=c", _desired_time: LATER });
    expect(r.status).toBe(200);
    await dueTick();
    expect((await call(srv.url, "DELETE", `${S}/tenant/${r.json._id}`)).status).toBe(200);
    expect(engine.received.map((x) => x.url)).toEqual([
      "/ors/acme%2F..%2Fadmin?ref=a%26b%3Dc",
      `/ors/acme%2F..%2Fadmin/${r.json._id}/cancel?ref=a%26b%3Dc`,
    ]);
    expect(engine.received[0].body).toMatchObject({ options: { _ors: `${engine.url}/ors/acme%2F..%2Fadmin?ref=a%26b%3Dc` } });
  });

  it("answers 400 40010 for an engine URL whose $token$ the request does not supply (it could never be handed over)", async () => {
    await cbService(env, "tenant", { _type: "ors", _ors: `${engine.url}/ors/$tenant$` });
    const r = await post("tenant", { _customer_number: "+16175551212" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 40010, message: "Missing parameter 'tenant' (used by option _ors)" });
    expect(await rowCount(env)).toBe(0);
  });

  it("refuses an overwritable _ors naming a host outside the policy (400 40010), and accepts this host", async () => {
    await cbService(env, "ov", {
      _type: "ors",
      _ors: `${engine.url}/ors`,
      _overwritable_options: "_ors",
      _enable_in_queue_checking: "false",
    });
    const r = await post("ov", { _customer_number: "+16175551212", _ors: "http://ors.attacker.example/x", _desired_time: LATER });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 40010,
      message: "Invalid _ors: http://ors.attacker.example is neither this host nor configured in the service (see EXECUTION_URL_ALLOWLIST)",
    });
    const meta = await post("ov", { _customer_number: "+16175551212", _ors: "http://169.254.169.254/latest", _desired_time: LATER });
    expect(meta.json).toMatchObject({
      code: 40010,
      message: "Invalid _ors: http://169.254.169.254 is a link-local or cloud metadata address",
    });
    expect(await rowCount(env)).toBe(0);
    const local = await post("ov", { _customer_number: "+16175551212", _ors: `${attacker.url}/other` });
    expect(local.status).toBe(200);
    expect(attacker.received.map((x) => x.url)).toEqual(["/other"]);
  });

  it("with EXECUTION_URL_ALLOWLIST set, fails a hand-off outside it without sending anything (reason in the event)", async () => {
    process.env.EXECUTION_URL_ALLOWLIST = "https://ors.example.com:8443, *.partner.example";
    await cbService(env, "ext", { _type: "ors", _ors: `${engine.url}/ors`, _max_ors_submit_attempts: 1, _overwritable_options: "_ors" });
    const ok = await post("ext", { _customer_number: "+16175551212", _ors: "https://eu.partner.example/ors", _desired_time: LATER });
    expect(ok.status).toBe(200);
    const r = await post("ext", { _customer_number: "+16175551213" });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 50006 });
    expect(engine.received).toEqual([]);
    const failed = (await eventsOfType(env, "handoff_failed")).find((e) => e.callback_id === r.json.properties.id)!;
    expect(JSON.parse(failed.details!).error).toBe(`outbound URL refused: ${engine.url} is not in EXECUTION_URL_ALLOWLIST`);
  });

  it("does not follow a redirect: a 3xx answer is a failed hand-off and the redirect target is never contacted", async () => {
    const redirecting = await fakeServer(() => ({ status: 307, headers: { location: `${attacker.url}/steal` } }));
    await cbService(env, "ext", { _type: "ors", _ors: `${redirecting.url}/ors`, _max_ors_submit_attempts: 1 });
    const r = await post("ext", { _customer_number: "+16175551212" });
    expect(r.status).toBe(500);
    expect(redirecting.received).toHaveLength(1);
    expect(attacker.received).toEqual([]);
    const failed = (await eventsOfType(env, "handoff_failed"))[0];
    expect(JSON.parse(failed.details!).error).toBe("execution engine answered 307 (redirects are not followed)");
    await redirecting.close();
  });
});

describe("Status notification target", () => {
  const pending = async () => (await env.store.query<{ n: number }>("SELECT count(*) AS n FROM notification_outbox"))[0].n;

  it("resolves a $token$ from the start request (percent-encoded path/query) for every later notification", async () => {
    await cbService(env, "n", { _enable_status_notification: true, _status_notification_target: `${engine.url}/events?ticket=$ticket$` });
    const r = await post("n", { _customer_number: "+16175551212", ticket: "T 1&x", _desired_time: LATER });
    expect((await call(srv.url, "DELETE", `${S}/n/${r.json._id}`)).status).toBe(200);
    await sendNotifications(env.ctx);
    expect(engine.received.map((x) => x.url)).toEqual(["/events?ticket=T%201%26x"]);
    expect(engine.received[0].body).toMatchObject({ _id: r.json._id, _callback_state: "COMPLETED" });
  });

  it("refuses at start a $token$ that would choose the notification host", async () => {
    await cbService(env, "n", { _enable_status_notification: true, _status_notification_target: "http://$nhost$/events" });
    const r = await post("n", { _customer_number: "+16175551212", nhost: new URL(attacker.url).host });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 40010, message: expect.stringContaining("Invalid option _status_notification_target") });
    expect(await rowCount(env)).toBe(0);
  });

  it("drops an unusable target (an unresolved $token$) at the first try with an event, instead of retrying it", async () => {
    await cbService(env, "n", { _enable_status_notification: true, _status_notification_target: "$notify$" });
    const r = await post("n", { _customer_number: "+16175551212", _desired_time: LATER });
    expect(r.status).toBe(200);
    await call(srv.url, "DELETE", `${S}/n/${r.json._id}`);
    expect(await pending()).toBe(1);
    await sendNotifications(env.ctx);
    expect(await pending()).toBe(0);
    const dropped = await eventsOfType(env, "notification_dropped");
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ callback_id: r.json._id, service_name: "n" });
    expect(JSON.parse(dropped[0].details!)).toMatchObject({
      target: "$notify$",
      error: "outbound URL refused: not a valid http(s) URL",
      attempts: 1,
    });
  });

  it("drops a target outside EXECUTION_URL_ALLOWLIST without sending, and never follows a receiver's redirect", async () => {
    const redirecting = await fakeServer(() => ({ status: 302, headers: { location: `${attacker.url}/steal` } }));
    await cbService(env, "a", { _enable_status_notification: true, _status_notification_target: `${engine.url}/events` });
    await cbService(env, "b", { _enable_status_notification: true, _status_notification_target: `${redirecting.url}/events` });
    const a = await post("a", { _customer_number: "+16175551212", _desired_time: LATER });
    const b = await post("b", { _customer_number: "+16175551213", _desired_time: LATER });
    await call(srv.url, "DELETE", `${S}/a/${a.json._id}`);
    await call(srv.url, "DELETE", `${S}/b/${b.json._id}`);
    process.env.EXECUTION_URL_ALLOWLIST = `https://hooks.example.com,${redirecting.url}`;
    await sendNotifications(env.ctx);
    expect(engine.received).toEqual([]);
    expect(redirecting.received).toHaveLength(1);
    expect(attacker.received).toEqual([]);
    expect(await pending()).toBe(1); // b's 302 is a failure, retried later like any non-2xx
    expect(await env.store.query("SELECT last_error FROM notification_outbox")).toEqual([{ last_error: "HTTP 302" }]);
    expect((await eventsOfType(env, "notification_dropped")).map((e) => e.callback_id)).toEqual([a.json._id]);
    await redirecting.close();
  });
});

describe("Outbound policy", () => {
  const none: string[] = [];

  it("by default allows this machine and the origins the service configures literally, nothing else", () => {
    expect(targetRefusal("http://127.0.0.1:9/x", none)).toBeNull();
    expect(targetRefusal("http://localhost:9/x", none)).toBeNull();
    expect(targetRefusal("http://[::1]:9/x", none)).toBeNull();
    expect(targetRefusal("https://ors.example.com:8443/a/b", ["https://ors.example.com:8443/ors/$tenant$"])).toBeNull();
    expect(targetRefusal("https://ors.example.com/a", ["https://ors.example.com:8443/ors"])).toMatch(/neither this host/);
    expect(targetRefusal("https://other.example.com/", ["https://$host$/ors"])).toMatch(/neither this host/);
    expect(targetRefusal("ftp://127.0.0.1/x", none)).toBe("scheme ftp: is not allowed (http or https only)");
    expect(targetRefusal("$notify$", none)).toBe("not a valid http(s) URL");
  });

  it("refuses link-local and cloud metadata addresses in every spelling unless the allowlist names them exactly", () => {
    for (const u of [
      "http://169.254.169.254/latest",
      "http://2852039166/",
      "http://0xa9.254.169.254/",
      "http://[::ffff:169.254.169.254]/",
      "http://[fe80::1]/",
      "http://[fd00:ec2::254]/",
      "http://100.100.100.200/",
      "http://metadata.google.internal/computeMetadata",
    ])
      expect(targetRefusal(u, [u])).toMatch(/link-local or cloud metadata address/);
    process.env.EXECUTION_URL_ALLOWLIST = "*.internal";
    expect(targetRefusal("http://metadata.google.internal/", none)).toMatch(/metadata/); // a pattern is not explicit
    process.env.EXECUTION_URL_ALLOWLIST = "169.254.169.254, http://metadata.google.internal";
    expect(targetRefusal("http://169.254.169.254/latest", none)).toBeNull();
    expect(targetRefusal("http://metadata.google.internal/x", none)).toBeNull();
  });

  it("checks the addresses a name resolves to when connecting: an allowed name resolving to a metadata address is refused", async () => {
    process.env.EXECUTION_URL_ALLOWLIST = "*.example.com";
    // DNS is the one thing faked here: no resolver on this machine answers a metadata address for a public name
    const answer = (_host: string, _opts: dns.LookupOptions, cb: (e: null, a: dns.LookupAddress[]) => void) =>
      cb(null, [{ address: "169.254.169.254", family: 4 }]);
    const spy = vi.spyOn(dns, "lookup").mockImplementation(answer as unknown as typeof dns.lookup);
    try {
      const e: unknown = await postJson("http://ors.example.com:9/x", {}, { configured: none, timeoutMs: 1000 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(OutboundRefused);
      expect((e as Error).message).toBe("ors.example.com resolves to 169.254.169.254, a link-local or cloud metadata address");
    } finally {
      spy.mockRestore();
    }
  });

  it("with EXECUTION_URL_ALLOWLIST matches origins exactly, hosts on any port and *.patterns on subdomains only", () => {
    process.env.EXECUTION_URL_ALLOWLIST = "https://ors.example.com:8443,hooks.example.net,*.partner.example";
    expect(targetRefusal("https://ors.example.com:8443/x", none)).toBeNull();
    expect(targetRefusal("http://ors.example.com:8443/x", none)).toMatch(/not in EXECUTION_URL_ALLOWLIST/);
    expect(targetRefusal("https://hooks.example.net:9000/x", none)).toBeNull();
    expect(targetRefusal("https://a.b.partner.example/x", none)).toBeNull();
    expect(targetRefusal("https://partner.example/x", none)).toMatch(/not in EXECUTION_URL_ALLOWLIST/);
    expect(targetRefusal("https://evilpartner.example/x", none)).toMatch(/not in EXECUTION_URL_ALLOWLIST/);
    expect(targetRefusal("http://127.0.0.1:9/x", ["http://127.0.0.1:9/x"])).toMatch(/not in EXECUTION_URL_ALLOWLIST/);
  });
});
