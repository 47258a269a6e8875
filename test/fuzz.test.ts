// Robustness: seeded random requests against every public and admin route must never answer 5xx, never leak a
// stack trace, and always answer JSON error bodies with the GMS keys.
import { describe, it, expect, beforeEach } from "vitest";
import { basic, call, useHttpEnv, type Server, type Env } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { prng } from "../lib/execution/simulator";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)), { start: Date.parse("2026-06-03T15:00:00.000Z"), users: true });
beforeEach(async () => {
  await putService(env.ctx, "oh", { _service: "office-hours", _timezone: "America/New_York", _bh_regular1: "Mon-Fri 8:00-20:00" });
  await putService(env.ctx, "cap", { _service: "capacity", _timezone: "UTC", _capacity_3: { 3: { "0000": 2 } } });
  await putService(env.ctx, "svc", {
    _service: "callback",
    _business_hours_service: "oh",
    _capacity_service: "cap",
    _overwritable_options: "_target,_redirect",
  });
});

describe("random input", () => {
  it("never gets a 5xx or a stack trace from 600 seeded random requests", async () => {
    const r = prng(Number(process.env.FUZZ_SEED ?? 20261125)); // FUZZ_SEED=<n> explores other inputs
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const strings = [
      "",
      " ",
      "null",
      "true",
      "6175551212",
      "+16175551212",
      "+1900555121",
      "2026-06-03T16:00:00.000Z",
      "2026-06-03T16:00:00-0500",
      "2026-13-45",
      "svc",
      "../../etc",
      "%00",
      "\u0000",
      "\ud800",
      "\u202e",
      "😀",
      "<script>",
      "'; DROP TABLE callbacks;--",
      "x".repeat(300),
      "QUEUED",
      "!COMPLETED",
      "1e999",
    ];
    const value = (depth = 0): unknown => {
      const k = r();
      if (k < 0.45) return pick(strings);
      if (k < 0.6) return pick([0, -1, 1.5, 1e308, -0, 2 ** 53]);
      if (k < 0.7) return pick([true, false, null]);
      if (k < 0.85 && depth < 2) return Array.from({ length: Math.floor(r() * 3) }, () => value(depth + 1));
      if (depth < 2) return Object.fromEntries(Array.from({ length: Math.floor(r() * 3) }, () => [pick(keys), value(depth + 1)]));
      return "x";
    };
    const keys = [
      "_customer_number",
      "_desired_time",
      "_new_desired_time",
      "_callback_state",
      "_callback_reason",
      "_id",
      "_target",
      "_redirect",
      "customer_number",
      "operand",
      "reason",
      "ids",
      "filter",
      "states",
      "_ors_session_id",
      "exported_properties",
      "callback_reason",
      "foo",
    ];
    const body = () => Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, () => [pick(keys), value()]));
    // a lone surrogate cannot be percent-encoded: send the invalid UTF-8 bytes it would be instead
    const enc = (v: string) => {
      try {
        return encodeURIComponent(v);
      } catch {
        return "%ED%A0%80";
      }
    };
    const query = () =>
      Array.from(
        { length: Math.floor(r() * 4) },
        () =>
          `${enc(pick([...keys, "start", "end", "number-of-days", "max-time-slots", "timezone", "report-busy", "start-ms", "target", "max", "start_time", "end_time", "service_name", "number", "country"]))}=${enc(String(pick(strings)))}`,
      ).join("&");
    const ids: string[] = ["nope"];
    const routes: Array<() => [string, string, unknown?, Record<string, string>?]> = [
      () => [
        "POST",
        `/genesys/1/service/callback/${pick(["svc", "svc", "nope", "oh"])}?${query()}`,
        pick([body(), JSON.stringify(body()).slice(0, 20), "[]", "x=1&_customer_number=%FF"]),
      ],
      () => [
        "POST",
        "/genesys/1/service/callback/svc",
        {
          _customer_number: `+1617555${String(1000 + Math.floor(r() * 9000))}`,
          ...(r() < 0.5 ? { _desired_time: pick(["2026-06-03T16:00:00.000Z", "2026-06-03T19:30:00.000Z", "2026-06-04T13:00:00Z"]) } : {}),
          [pick(keys)]: value(),
        },
      ],
      () => ["PUT", `/genesys/1/service/callback/svc/${pick(ids)}`, body()],
      () => ["DELETE", `/genesys/1/service/callback/svc/${pick(ids)}?discard_ors_failure=${pick(["true", "x"])}`],
      () => ["GET", `/genesys/1/service/callback/svc/${pick(ids)}`],
      () => ["GET", `/genesys/1/service/callback${pick(["", "/svc"])}?${query()}`],
      () => ["GET", `/genesys/${pick(["1", "2"])}/service/callback/svc/availability?${query()}`],
      () => ["POST", `/genesys/1/service/${pick(ids)}/check-queue-position`],
      () => ["GET", `/genesys/1/service/${pick(["oh", "cap", "nope"])}?${query()}`],
      () => ["GET", `/genesys/1/phonenumber?${query()}`],
      () => ["GET", `/genesys/1/admin/callback/queues?${query()}`, undefined, { authorization: basic("admin") }],
      () => ["POST", "/genesys/1/admin/callback/cancel", body(), { authorization: basic("admin") }],
      () => ["POST", "/genesys/1/admin/callback/reportcancelled", body(), { authorization: basic("admin") }],
      () => ["POST", "/genesys/1/admin/callback/ops/delete", body(), { authorization: basic("admin") }],
      () => [
        "PUT",
        `/genesys/1/admin/services/${pick(["f1", "svc", "a b"])}`,
        { _service: pick(["callback", "capacity", "x"]), ...body() },
        { authorization: basic("admin") },
      ],
      () => [
        pick(["GET", "POST", "PUT"]),
        `/genesys/1/${pick(["service/callback", "admin/services"])}/${pick(["%E0%A4%A", "%zz", "%FF%FE", "%"])}`,
      ],
      () => [
        "POST",
        "/genesys/1/service/callback/svc",
        `{"_customer_number":${pick(["[", '{"a":']).repeat(30 + Math.floor(r() * 3000))}1`,
        { "content-type": "application/json" },
      ],
    ];
    for (let i = 0; i < 600; i++) {
      const [method, path, b, h] = pick(routes)();
      const headers: Record<string, string> = { ...(h ?? {}) };
      if (typeof b === "string" && b.includes("=")) headers["content-type"] = "application/x-www-form-urlencoded";
      const res = await call(srv.url, method, path, b, headers);
      expect(res.status, `${method} ${path} ${JSON.stringify(b)} → ${res.text}`).toBeLessThan(500);
      expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
      // every refusal, the edge's 401/403/404/405/413/429 included, has the GMS body shape
      if (res.status >= 400) {
        expect(res.json, res.text).toMatchObject({
          code: expect.any(Number),
          phrase: expect.any(String),
          message: expect.any(String),
          exception: expect.any(String),
        });
      }
      if (res.status === 200 && res.json?._id && !ids.includes(res.json._id)) ids.push(res.json._id);
    }
    expect(ids.length).toBeGreaterThan(3); // some random starts were valid
  });
});
