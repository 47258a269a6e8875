// Bad input at the HTTP edge: deep JSON, wrong-shaped admin bodies, bad numbers in queries, odd methods and
// paths, exception patterns that cannot be evaluated. Each answers a 4xx GMS body, never a 5xx.
import { describe, it, expect } from "vitest";
import { basic, call, useHttpEnv, type Server, type Env } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { checkJsonDepth, MAX_JSON_DEPTH } from "../lib/http/body";
import { safeTest } from "../lib/callback/patterns";
import { router } from "../lib/http/routes";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)), { start: Date.parse("2026-06-03T15:00:00.000Z"), users: true });

const admin = { authorization: basic("admin") };
const S = "/genesys/1/service/callback";
const A = "/genesys/1/admin";
const expect40010 = (r: { status: number; json: Record<string, unknown> }, what: RegExp) => {
  expect(r.status, JSON.stringify(r.json)).toBe(400);
  expect(r.json).toMatchObject({ code: 40010, phrase: "BAD_PARAMETER", exception: expect.any(String) });
  expect(r.json.message).toMatch(what);
};
const nested = (open: string, close: string, depth: number, inner = "1") => open.repeat(depth) + inner + close.repeat(depth);

describe("JSON nesting depth", () => {
  it(`refuses bodies nested deeper than ${MAX_JSON_DEPTH} levels with 400 40010 on every route that reads JSON`, async () => {
    await putService(env.ctx, "svc", { _service: "callback" });
    const start = { _customer_number: "+16175551212", _desired_time: "2026-06-04T15:00:00.000Z" };
    const started = await call(srv.url, "POST", `${S}/svc`, start);
    const id = started.json._id;
    const deepObjects = `{"a":${nested('{"a":', "}", 5000)}}`;
    const deepArrays = `{"a":${nested("[", "]", 100_000)}}`;
    const routes: Array<[string, string, Record<string, string>?]> = [
      ["POST", `${S}/svc`],
      ["PUT", `${S}/svc/${id}`],
      ["POST", "/genesys/1/ping"],
      ["PUT", `${A}/services/svc2`, admin],
      ["PUT", `${A}/settings/callback`, admin],
      ["PUT", `${A}/patterns/g`, admin],
      ["PUT", `${A}/users/u1`, admin],
      ["POST", `${A}/callback/cancel`, admin],
      ["POST", `${A}/callback/reportcancelled`, admin],
      ["POST", `${A}/callback/ops/delete`, admin],
    ];
    for (const [method, path, h] of routes)
      for (const body of [deepObjects, deepArrays]) {
        const r = await call(srv.url, method, path, body, { ...h, "content-type": "application/json" });
        expect(r.json.code, `${method} ${path}`).toBe(40010);
        expect40010(r, /nested deeper than 32 levels/);
      }
  });

  it("refuses deep JSON text carried in a form field (a bulk-cancel filter)", async () => {
    const form = new URLSearchParams({ filter: nested("[", "]", 100_000) }).toString();
    const r = await call(srv.url, "POST", `${A}/callback/cancel`, form, { ...admin, "content-type": "application/x-www-form-urlencoded" });
    expect40010(r, /nested deeper than 32 levels/);
  });

  it("accepts exactly 32 levels, and does not count brackets inside strings or after escaped quotes", () => {
    expect(() => checkJsonDepth(nested("[", "]", 32))).not.toThrow();
    expect(() => checkJsonDepth(nested("[", "]", 33))).toThrow(/nested deeper/);
    expect(() => checkJsonDepth(JSON.stringify({ a: "[".repeat(1000), b: '\\"[[[[' + "{".repeat(100) }))).not.toThrow();
    expect(() => checkJsonDepth(`{"a":"\\\\"${"[".repeat(40)}`)).toThrow(/nested deeper/); // "\\" ends the string
  });
});

describe("admin bodies of the wrong shape", () => {
  it("answers 400 40010 naming the field, for every admin route that reads a body", async () => {
    await putService(env.ctx, "svc", { _service: "callback" });
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", `${A}/callback/ops/delete`, { _id: "x" }, /_id: expected a list/],
      ["POST", `${A}/callback/ops/delete`, { _customer_number: { a: 1 } }, /_customer_number: expected a list/],
      ["POST", `${A}/callback/cancel`, { ids: "a,b" }, /ids: expected a list/],
      ["POST", `${A}/callback/cancel`, { filter: { target: "svc", states: [{ s: 1 }] } }, /filter\.states/],
      ["POST", `${A}/callback/cancel`, { ids: ["a"], wait: "later" }, /wait/],
      ["POST", `${A}/callback/reportcancelled`, { callback_reason: ["CANCELLED"] }, /callback_reason/],
      ["POST", `${A}/callback/reportcancelled`, { callback_reason: "X", exported_properties: { a: 1 } }, /exported_properties/],
      ["PUT", `${A}/services/svc`, { _service: "callback", _max_queued_callbacks_per_service: { n: 1 } }, /_max_queued_callbacks_per/],
      ["PUT", `${A}/settings/callback`, { "returned-keys": ["_id"] }, /returned-keys/],
      ["PUT", `${A}/patterns/g`, { p: ["^1"] }, /p: must be a string/],
      ["PUT", `${A}/users/u1`, { password: "long-enough-1", role: ["admin"] }, /role/],
      ["PUT", `${A}/services/svc`, [], /must be an object/],
    ];
    for (const [method, path, body, what] of cases) expect40010(await call(srv.url, method, path, body, admin), what);
    expect((await env.store.listUsers()).map((u) => u.username)).not.toContain("u1");
  });

  it("still accepts form bodies, whose lists are comma-separated text", async () => {
    const form = "_id=nope-1,nope-2";
    const headers = { ...admin, "content-type": "application/x-www-form-urlencoded" };
    const r = await call(srv.url, "POST", `${A}/callback/ops/delete`, form, headers);
    expect(r.status).toBe(200);
    expect(r.json.errors.map((e: { _id: string }) => e._id)).toEqual(["nope-1", "nope-2"]);
  });
});

describe("numbers in query parameters", () => {
  it("answers 400 40010 for non-integer or out-of-range paging and slot parameters", async () => {
    await putService(env.ctx, "svc", { _service: "callback" });
    const bad = [
      `${S}/svc/availability?max-time-slots=1.5`,
      `${S}/svc/availability?number-of-days=-1`,
      `/genesys/2/service/callback/svc/availability?max-time-slots=1e3`,
      `${A}/callback/queues?max=1.5`,
      `${A}/callback/queues?max=0`,
    ];
    for (const p of bad) {
      const r = await call(srv.url, "GET", p, undefined, admin);
      expect(r.status, `${p} → ${r.text}`).toBe(400);
      expect(r.json.code).toBe(40010);
    }
  });
});

describe("methods and paths", () => {
  it("answers 405 with Allow (HEAD with GET) and a JSON body to methods a route does not have", async () => {
    for (const m of ["PROPFIND", "PATCH"]) {
      const r = await router().handle(new Request("http://x/genesys/1/ping", { method: m }));
      expect(r.status).toBe(405);
      expect(r.headers.get("allow")).toBe("GET, POST, OPTIONS, HEAD"); // OPTIONS: the CORS preflight of public routes
      expect(await r.json()).toMatchObject({ code: 405, phrase: "METHOD_NOT_ALLOWED" });
    }
    const trace = router().match("TRACE", `${A}/services/x`) as Response; // Node's Request cannot carry TRACE
    expect(trace.status).toBe(405);
    expect(trace.headers.get("allow")).toBe("GET, PUT, DELETE, HEAD");
  });

  it("answers 400 40010 to paths with malformed percent-encoding", async () => {
    for (const p of [`${S}/%E0%A4%A`, "/genesys/%zz", `${S}/%FF%FE`, `${A}/services/%E0%A4%A`]) {
      const r = await call(srv.url, "GET", p, undefined, admin);
      expect40010(r, /Malformed URL/);
    }
  });
});

describe("exception patterns (RE2)", () => {
  it("refuses at configuration what RE2 cannot compile, naming group, pattern and reason", async () => {
    const r = await call(srv.url, "PUT", `${A}/patterns/blocked`, { ok: "^\\+1900", look: "^(?!\\+1)", back: "(\\d)\\1" }, admin);
    expect40010(r, /Invalid patterns for blocked: look: is not a valid RE2 regular expression: .*\(\?!.*; back: .*\\1/);
    expect(await env.store.getPatternGroup("blocked")).toBeUndefined();
  });

  it("evaluates a catastrophic-backtracking pattern in linear time, with the right answer", () => {
    const t0 = performance.now();
    expect(safeTest("^(1+)+$|x", "1".repeat(40) + "x")).toBe(true);
    expect(safeTest("^(a+)+$", "a".repeat(200) + "!")).toBe(false);
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it("fails closed: a stored pattern that cannot be evaluated rejects the number with the exception-pattern error", async () => {
    await env.store.putPatternGroup("legacy", { broken: "(?<=1)2" }, env.clock.t); // stored before patterns were checked
    await putService(env.ctx, "svc", { _service: "callback", _exceptions: "legacy" });
    const r = await call(srv.url, "POST", `${S}/svc`, { _customer_number: "+16175551212" });
    expect40010(r, /is not allowed\. Check option 'exceptions' : details=\{legacy=broken\}/);
    expect(await env.store.query("SELECT count(*) AS n FROM callbacks")).toEqual([{ n: 0 }]);
  });
});
