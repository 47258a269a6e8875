// Bad input at the public API: malformed bodies, wrong types, invalid dates, unknown services, huge
// bodies and odd unicode → a 4xx GMS error body {code, phrase, message, exception}, never a 500 or a stack
// trace, and nothing stored.
import { describe, it, expect, beforeEach } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, S2, num, cbService, rowCount, eventsOfType, type Env } from "./public-fixtures";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));
beforeEach(async () => {
  await cbService(env, "svc");
});

type Answer = Awaited<ReturnType<typeof call>>;
const JSON_CT = { "content-type": "application/json" };
const post = (body: unknown, headers: Record<string, string> = JSON_CT, service = "svc") =>
  call(srv.url, "POST", `${S}/${service}`, body, headers);

/** A clean GMS 4xx error: exactly the four keys (availability/properties only where defined), no stack trace. */
function expectGmsError(r: Answer, status: number, code: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Object.keys(r.json).sort()).toEqual(["code", "exception", "message", "phrase"]);
  expect(r.json.code).toBe(code);
  expect(typeof r.json.message).toBe("string");
  expect(r.json.exception).toMatch(/^com\.genesyslab\.gsg\.services\.callback\./);
  expect(r.text).not.toMatch(/\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules/);
}

describe("bad input to Start-Callback", () => {
  it("answers malformed JSON with 400 40010 and a clear message, stores nothing and reports the rejection", async () => {
    for (const body of ['{"_customer_number": "+16175551000",', "{'a': 1}", "nul", '{"a":1}}']) {
      const r = await post(body);
      expectGmsError(r, 400, 40010);
      expect(r.json.message).toMatch(/^Malformed JSON body/);
    }
    expect(await rowCount(env)).toBe(0);
    expect(await eventsOfType(env, "rejected")).toHaveLength(4);
  });

  it("answers a JSON body that is not an object with 400 40010", async () => {
    for (const body of ["[1,2]", '"text"', "42", "null", "true"]) {
      const r = await post(body);
      expectGmsError(r, 400, 40010);
      expect(r.json.message).toBe("JSON body must be an object");
    }
    expect(await rowCount(env)).toBe(0);
  });

  it("answers wrong value types with 400 40010", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ _customer_number: {} }, /_customer_number/],
      [{ _customer_number: [num(1)] }, /_customer_number/],
      [{ _customer_number: true }, /_customer_number/],
      [{ _customer_number: null }, /_customer_number/],
      [{ _customer_number: num(1), _desired_time: 12.5e99 }, /_desired_time/],
      [{ _customer_number: num(1), _desired_time: {} }, /_desired_time/],
      [{ _customer_number: num(1), _desired_time: ["2026-06-01T14:00:00Z"] }, /_desired_time/],
      [{ _customer_number: num(1), _desired_time: -1 }, /_desired_time/],
      [{ _customer_number: num(1), _callback_state: 5 }, /_callback_state/],
      [{ _customer_number: num(1), _callback_state: { s: "QUEUED" } }, /_callback_state/],
    ];
    for (const [body, msg] of cases) {
      const r = await post(body);
      expectGmsError(r, 400, 40010);
      expect(r.json.message).toMatch(msg);
    }
    expect(await rowCount(env)).toBe(0);
  });

  it("answers invalid dates with 400 40010", async () => {
    for (const t of [
      "2026-02-30T10:00:00Z",
      "2026-06-01T25:00:00Z",
      "2026-06-01T10:61:00Z",
      "0000-01-01T00:00:00Z",
      "+275760-09-13T00:00:00Z",
      "2026-06-01T10:00:00+25:00",
      "  ",
      "1e3",
      "12:00",
    ]) {
      const r = await post({ _customer_number: num(1), _desired_time: t });
      expectGmsError(r, 400, 40010);
    }
    expect(await rowCount(env)).toBe(0);
  });

  it("refuses U+0000 in the path or the query string with 400 40010 and stores nothing, on either store", async () => {
    const answers = [
      await post({ _customer_number: num(1) }, JSON_CT, "%00"),
      await post({ _customer_number: num(1) }, JSON_CT, "svc%00"),
      await call(srv.url, "GET", `${S}/svc?_customer_number=${encodeURIComponent(num(1))}&note=%00`),
      await call(srv.url, "GET", `${S}/svc?a%00=1`),
      await call(srv.url, "DELETE", `${S}/svc/${encodeURIComponent("id\u0000")}`),
    ];
    for (const r of answers) {
      expectGmsError(r, 400, 40010);
      expect(r.json.message).toBe("Text must not contain the NUL character (U+0000)");
    }
    expect(await rowCount(env)).toBe(0);
  });

  it("answers an unknown service, however spelled, with 404 40030 and stores nothing", async () => {
    for (const name of ["nope", encodeURIComponent("📞"), encodeURIComponent("a\u202eb"), encodeURIComponent("x".repeat(300))]) {
      const r = await post({ _customer_number: num(1) }, JSON_CT, name);
      expectGmsError(r, 404, 40030);
    }
    const malformed = await call(srv.url, "POST", `${S}/%E0%A4%A`, { _customer_number: num(1) });
    expect(malformed.status).toBe(400);
    expect(malformed.json.code).toBe(40010);
    expect(await rowCount(env)).toBe(0);
  });

  it("refuses a 2 MB body (JSON, form or multipart) with 400 40010 and stores nothing", async () => {
    const filler = "x".repeat(2 * 1024 * 1024);
    const json = await post(JSON.stringify({ _customer_number: num(1), filler }));
    expectGmsError(json, 400, 40010);
    expect(json.json.message).toMatch(/too large/);
    const form = await post(`_customer_number=1&filler=${filler}`, { "content-type": "application/x-www-form-urlencoded" });
    expectGmsError(form, 400, 40010);
    const fd = new FormData();
    fd.set("_customer_number", num(1));
    fd.set("filler", filler);
    const mp = await fetch(`${srv.url}${S}/svc`, { method: "POST", body: fd });
    expect(mp.status).toBe(400);
    expect((await mp.json()).code).toBe(40010);
    expect(await rowCount(env)).toBe(0);
  });

  it("refuses bytes that are not text in the declared charset, and unknown charsets, with 400 40010", async () => {
    const bytes = Buffer.concat([Buffer.from('{"_customer_number":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const r = await fetch(`${srv.url}${S}/svc`, { method: "POST", body: bytes, headers: JSON_CT });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 40010, message: "Request body is not valid text in its declared charset" });
    const cs = await post(JSON.stringify({ _customer_number: num(1) }), { "content-type": "application/json; charset=klingon" });
    expectGmsError(cs, 400, 40010);
    expect(await rowCount(env)).toBe(0);
  });

  it("refuses numbers with odd unicode (lone surrogates, RTL marks, emoji, NUL) with 400 40010", async () => {
    for (const n of [
      "\ud800",
      "+1617555\ud8001000",
      "\u200f+16175551000",
      "+1617\u202e5551000",
      "📞+16175551000",
      "+16175551000😀",
      "+1617555\u00001000",
      "\u0000",
    ]) {
      const r = await post({ _customer_number: n });
      expectGmsError(r, 400, 40010);
    }
    // lone surrogates written as JSON escapes are the same thing
    expectGmsError(await post('{"_customer_number":"\\udc00\\ud800"}'), 400, 40010);
    expect(await rowCount(env)).toBe(0);
  });

  it("keeps odd unicode in user properties exactly as sent (they are data, not rules)", async () => {
    const values = { usr_emoji: "📞 call me 😀", usr_rtl: "\u200fמספר\u202c", usr_nul: "a\u0000b", usr_cjk: "折り返し電話" };
    const r = await post({ _customer_number: num(1), ...values });
    expect(r.status).toBe(200);
    const rec = (await call(srv.url, "GET", `${S}/svc/${r.json._id}`)).json[0];
    expect(rec).toMatchObject(values);
  });
});

describe("bad input to the other public verbs", () => {
  it("answers malformed or mistyped PUT bodies with 400 and leaves the callback unchanged", async () => {
    const id = (await post({ _customer_number: num(1), _desired_time: "2026-06-01T14:00:00.000Z" })).json._id;
    const before = await env.store.getCallback(id);
    expectGmsError(await call(srv.url, "PUT", `${S}/svc/${id}`, '{"_new_desired_time":', JSON_CT), 400, 40010);
    expectGmsError(await call(srv.url, "PUT", `${S}/svc/${id}`, "[]", JSON_CT), 400, 40010);
    expectGmsError(await call(srv.url, "PUT", `${S}/svc/${id}`, { _new_desired_time: {} }), 400, 40010);
    expectGmsError(await call(srv.url, "PUT", `${S}/svc/${id}`, { _new_desired_time: 12.5e99 }), 400, 40010);
    expectGmsError(await call(srv.url, "PUT", `${S}/svc/${id}`, { _callback_state: [] }), 400, 40010);
    expectGmsError(await call(srv.url, "PUT", `${S}/svc/${id}`, JSON.stringify({ x: "y".repeat(2 * 1024 * 1024) }), JSON_CT), 400, 40010);
    expect(await env.store.getCallback(id)).toEqual(before);
  });

  it("answers bad query and availability parameters with 4xx GMS errors", async () => {
    expectGmsError(await call(srv.url, "GET", `${S}/svc?_customer_number=1&operand=XOR`), 400, 40010);
    expectGmsError(await call(srv.url, "GET", `${S}/svc`), 400, 40010);
    expectGmsError(await call(srv.url, "GET", `${S}/svc?${encodeURIComponent("📞")}=1`), 400, 40020);
    expect((await call(srv.url, "GET", `${S}/svc?_customer_number=${encodeURIComponent("\u200f📞")}`)).json).toEqual([]);
    expectGmsError(await call(srv.url, "GET", `${S}/svc/availability?start=${encodeURIComponent("2026-02-30T00:00:00Z")}`), 400, 40010);
    expectGmsError(await call(srv.url, "GET", `${S2}/svc/availability?start-ms=soon`), 400, 40010);
    expectGmsError(await call(srv.url, "GET", `${S2}/svc/availability?end-ms=99999999999999999999`), 400, 40010);
    expectGmsError(await call(srv.url, "GET", `${S}/svc/availability?max-time-slots=1e9`), 400, 40010);
    expectGmsError(await call(srv.url, "DELETE", `${S}/svc/%ED%A0%BD`), 400, 40010); // a UTF-8-encoded lone surrogate
    expectGmsError(await call(srv.url, "DELETE", `${S}/svc/${encodeURIComponent("📞\u0001")}`), 400, 40030);
    expect(await rowCount(env)).toBe(0);
  });
});
