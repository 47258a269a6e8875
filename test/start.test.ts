// Start-Callback: every validation rule in order, over real HTTP against a real SQLite database,
// with the clock pinned (freshEngine: Monday 2026-06-01T12:00:00.000Z).
import { describe, it, expect, beforeEach } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import {
  S,
  EXC,
  num,
  cbService,
  ohService,
  capService,
  patterns,
  settings,
  rowCount,
  requestEvents,
  eventsOfType,
  row,
  props,
  recordingEngine,
  type Env,
} from "./public-fixtures";
import { setEngineOverride } from "../lib/execution/engine";
import { simulator } from "../lib/execution/simulator";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));

const NOW = "2026-06-01T12:00:00.000Z";
const at = (iso: string) => Date.parse(iso);
const isoPlus = (ms: number) => new Date(at(NOW) + ms).toISOString();
const post = (service: string, body: unknown, headers?: Record<string, string>) => call(srv.url, "POST", `${S}/${service}`, body, headers);
const get = (service: string, id: string) => call(srv.url, "GET", `${S}/${service}/${id}`);
const IMMEDIATE_KEYS = {
  _dialog_id: "0",
  _action: "ConfirmationDialog",
  _text: "You will receive the call shortly",
  _ok_title: "Ok",
  ID: "0",
  Action: "ConfirmationDialog",
  Text: "You will receive the call shortly",
  OkTitle: "Ok",
};
const tooMany = (from: string, to: string) => `Too many requests at desired time [${from}, ${to}]. Proposing time slots.`;

describe("Start-Callback step 1: the service", () => {
  it("answers an unknown service with 404 40030 in the GMS error body, stores nothing and reports a rejected event", async () => {
    const r = await post("nope", { _customer_number: num(1) });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ code: 40030, phrase: "NOT_FOUND", message: "Service nope cannot be found", exception: EXC.base });
    expect(await rowCount(env)).toBe(0);
    const ev = await requestEvents(env);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ type: "rejected", service_name: "nope", callback_id: null });
    expect(JSON.parse(ev[0].details!)).toMatchObject({ code: 40030 });
  });

  it("answers a service that exists but is not a callback service (office-hours, capacity) with 404 40030", async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await capService(env, "cap", { _capacity_1: { 1: { "0900": 3 } } });
    for (const name of ["oh", "cap"]) {
      const r = await post(name, { _customer_number: num(1) });
      expect(r.status).toBe(404);
      expect(r.json.code).toBe(40030);
    }
    expect(await rowCount(env)).toBe(0);
  });
});

describe("Start-Callback step 2: mandatory lookup keys", () => {
  it("requires _customer_number by default: absent or empty → 400 40010 BAD_PARAMETER", async () => {
    await cbService(env, "svc");
    for (const body of [{}, { _customer_number: "" }, { usr_name: "Bob" }]) {
      const r = await post("svc", body);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        code: 40010,
        phrase: "BAD_PARAMETER",
        message: "Missing mandatory parameter: _customer_number",
        exception: EXC.base,
      });
    }
    expect(await rowCount(env)).toBe(0);
    expect(await eventsOfType(env, "rejected")).toHaveLength(3);
  });

  it("requires exactly the keys of _mandatory_customer_lookup_keys when set (then a number is optional)", async () => {
    await cbService(env, "svc", { _mandatory_customer_lookup_keys: "email,account" });
    const missing = await post("svc", { email: "a@b.c" });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: 40010, message: "Missing mandatory parameter: account" });
    const ok = await post("svc", { email: "a@b.c", account: "A-1" });
    expect(ok.status).toBe(200);
    const rec = (await get("svc", ok.json._id)).json[0];
    expect(rec).toMatchObject({ email: "a@b.c", account: "A-1", _callback_state: "QUEUED" });
    expect(rec._customer_number).toBeUndefined();
  });
});

describe("Start-Callback step 3: overwritable options, $token$s and _redirect", () => {
  it("applies only the options listed in _overwritable_options; other option keys are stored as properties, never applied", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    await cbService(env, "svc", { _ors: "http://ors-default:8080/x", _target: "Default@Stat.GA", _overwritable_options: "_ors" });
    const r = await post("svc", { _customer_number: num(1), _ors: "http://myors:4421", _target: "Other@Stat.GA" });
    expect(r.status).toBe(200);
    expect(eng.submits).toHaveLength(1);
    expect(eng.submits[0].options._ors).toBe("http://myors:4421"); // overwritten for this request
    expect(eng.submits[0].options._target).toBe("Default@Stat.GA"); // not overwritable: ignored
    expect((await props(env, r.json._id))._target).toBe("Other@Stat.GA"); // ...but kept as a property
    // the service itself is unchanged
    const again = await post("svc", { _customer_number: num(2) });
    expect(again.status).toBe(200);
    expect(eng.submits[1].options._ors).toBe("http://ors-default:8080/x");
  });

  it("replaces $token$ placeholders in the service options by the same-named request params (form-urlencoded, as in the seed)", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    await cbService(env, "CLBCK-terminated-preview", { _target: "Billing@$my_token$.GA", my_token_name: "$my_token$" });
    const r = await post("CLBCK-terminated-preview", `_customer_number=${encodeURIComponent(num(1))}&my_token=Stat_Server1`, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(r.status).toBe(200);
    expect(eng.submits[0].options._target).toBe("Billing@Stat_Server1.GA");
    expect(eng.submits[0].options.my_token_name).toBe("Stat_Server1");
    // without the param the placeholder stays as configured
    await post("CLBCK-terminated-preview", { _customer_number: num(2) });
    expect(eng.submits[1].options._target).toBe("Billing@$my_token$.GA");
  });

  it("executes a request with the _redirect service, validated by that service's rules", async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "foo_b", { _business_hours_service: "oh" });
    await cbService(env, "foo", { _redirect: "foo_b" });
    const r = await post("foo", { _customer_number: num(1) });
    expect(r.status).toBe(200);
    expect((await row(env, r.json._id)).service_name).toBe("foo_b");
    expect((await get("foo_b", r.json._id)).json[0]._url).toBe(`/genesys/1/service/callback/foo_b/${r.json._id}`);
    const closed = await post("foo", { _customer_number: num(2), _desired_time: "2026-06-06T10:00:00.000Z" }); // Saturday
    expect(closed.status).toBe(400);
    expect(closed.json.code).toBe(40050);
  });

  it('lets a request disable the redirection with _redirect="" only when _redirect is overwritable (body or URL, as in the seed)', async () => {
    await cbService(env, "foo_b");
    await cbService(env, "foo", { _redirect: "foo_b", _overwritable_options: "_redirect" });
    await cbService(env, "bar", { _redirect: "foo_b" });
    const viaBody = await post("foo", { _customer_number: num(1), _redirect: "" });
    expect((await row(env, viaBody.json._id)).service_name).toBe("foo");
    const viaUrl = await call(srv.url, "POST", `${S}/foo?_redirect=""`, { _customer_number: num(2) });
    expect(viaUrl.status).toBe(200);
    expect((await row(env, viaUrl.json._id)).service_name).toBe("foo");
    const notOverwritable = await post("bar", { _customer_number: num(3), _redirect: "" });
    expect((await row(env, notOverwritable.json._id)).service_name).toBe("foo_b");
    const kept = await post("foo", { _customer_number: num(4) });
    expect((await row(env, kept.json._id)).service_name).toBe("foo_b");
  });

  it("answers a redirection to an unknown service (a request override) with 400 40010: bad input, not a server error", async () => {
    await cbService(env, "foo_b");
    await cbService(env, "foo", { _redirect: "foo_b", _overwritable_options: "_redirect" });
    const r = await post("foo", { _customer_number: num(1), _redirect: "missing" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 40010,
      phrase: "BAD_PARAMETER",
      message: "Invalid _redirect: callback service missing cannot be found",
    });
    expect(await rowCount(env)).toBe(0);
  });

  it("resolves a $token$ in _business_hours_service from the request, and answers 400 40010 when the request lacks it", async () => {
    await ohService(env, "closed-cal", { _bh_regular1: "Sat 9:00-10:00" });
    await cbService(env, "tok", { _business_hours_service: "$calendar$" });
    const missing = await post("tok", { _customer_number: num(1) });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: 40010, message: "Missing parameter 'calendar' (used by option _business_hours_service)" });
    const closed = await post("tok", { _customer_number: num(1), calendar: "closed-cal" });
    expect(closed.json.code).toBe(40050); // Monday noon: that calendar is closed
    expect(await rowCount(env)).toBe(0);
  });

  it("answers a redirected service that fails on the server side with 500 50040", async () => {
    await cbService(env, "foo_b", { _business_hours_service: "$calendar$" }); // resolved per request: unknown calendar → 50005
    await cbService(env, "foo", { _redirect: "foo_b" });
    const r = await post("foo", { _customer_number: num(1), calendar: "nowhere" });
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 50040, phrase: "REDIRECT_ERROR", message: "Office-hours service nowhere cannot be found" });
    expect(await rowCount(env)).toBe(0);
  });
});

describe("Start-Callback step 4: the customer number", () => {
  it("adds the missing + to an international number (_fix_plus_on_int_phone_numbers, default true)", async () => {
    await cbService(env, "svc");
    await cbService(env, "nofix", { _fix_plus_on_int_phone_numbers: false, _disallow_impossible_phone_numbers: false });
    const fixed = await post("svc", { _customer_number: "33612345678" });
    expect((await get("svc", fixed.json._id)).json[0]._customer_number).toBe("+33612345678");
    // not fixed: read as a (too long) US national number, kept in its canonical digits form
    const kept = await post("nofix", { _customer_number: "33612345678" });
    expect((await get("nofix", kept.json._id)).json[0]._customer_number).toBe("33612345678");
  });

  it("rejects an impossible number with 400 40010, the exact GMS message and the CallbackExceptionNumber class", async () => {
    await cbService(env, "svc");
    for (const n of ["123", "not a number", "+1617555123456789"]) {
      const r = await post("svc", { _customer_number: n });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        code: 40010,
        phrase: "BAD_PARAMETER",
        exception: EXC.number,
        message: `Customer Number [${n}] is disallowed, because it is invalid. Check option _disallow_impossible_phone_numbers`,
      });
    }
    await cbService(env, "lax", { _disallow_impossible_phone_numbers: false });
    const ok = await post("lax", { _customer_number: "5115" });
    expect(ok.status).toBe(200);
    expect((await row(env, ok.json._id)).customer_number).toBe("5115");
  });

  it("rejects a premium number with 400 40010 and the exact GMS message, unless _disallow_premium_phone_numbers=false", async () => {
    await cbService(env, "svc");
    const r = await post("svc", { _customer_number: "+19005551234" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40010,
      phrase: "BAD_PARAMETER",
      exception: EXC.number,
      message: "Customer Number [+19005551234] is disallowed, because it's a premium number. Check option _disallow_premium_phone_numbers",
    });
    await cbService(env, "lax", { _disallow_premium_phone_numbers: "false" });
    expect((await post("lax", { _customer_number: "+19005551234" })).status).toBe(200);
  });

  it("judges national numbers against _default_country", async () => {
    await cbService(env, "us");
    await cbService(env, "gb", { _default_country: "GB" });
    expect((await post("us", { _customer_number: "07911123456" })).json.code).toBe(40010);
    const gb = await post("gb", { _customer_number: "07911123456" });
    expect(gb.status).toBe(200);
    expect((await row(env, gb.json._id)).customer_number).toBe("+447911123456"); // stored in E.164
  });

  it("rejects a number matching an exception pattern with 400 40010, naming group and pattern, class CallbackServiceException", async () => {
    await patterns(env, "Callback_exceptions", { exception1: "^\\+44", exception2: "^12345$" });
    await cbService(env, "svc", { _exceptions: "Callback_exceptions", _disallow_impossible_phone_numbers: false });
    const r = await post("svc", { _customer_number: "12345" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40010,
      phrase: "BAD_PARAMETER",
      exception: EXC.service,
      message: "Customer Number [12345] is not allowed. Check option 'exceptions' : details={Callback_exceptions=exception2}",
    });
    const uk = await post("svc", { _customer_number: "447911123456" }); // fixed to +44…, which matches
    expect(uk.json.message).toBe(
      "Customer Number [447911123456] is not allowed. Check option 'exceptions' : details={Callback_exceptions=exception1}",
    );
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
    expect(await rowCount(env)).toBe(1);
  });

  it("checks the number rules in order: impossible before premium before exception patterns", async () => {
    await patterns(env, "all", { any: ".*" });
    await cbService(env, "svc", { _exceptions: "all" });
    expect((await post("svc", { _customer_number: "123" })).json.message).toContain("because it is invalid");
    expect((await post("svc", { _customer_number: "+19005551234" })).json.message).toContain("premium");
    expect((await post("svc", { _customer_number: num(1) })).json.message).toContain("details={all=any}");
  });
});

describe("Start-Callback step 5: the desired time", () => {
  beforeEach(async () => await cbService(env, "svc", { _enable_in_queue_checking: false }));

  it("takes a desired time up to _reject_past_desired_time (300 s) in the past as now; one ms older → 400 40040", async () => {
    const edge = await post("svc", { _customer_number: num(1), _desired_time: isoPlus(-300_000) });
    expect(edge.status).toBe(200);
    expect(edge.json).toMatchObject(IMMEDIATE_KEYS);
    expect((await get("svc", edge.json._id)).json[0]._desired_time).toBe(NOW);
    const older = await post("svc", { _customer_number: num(2), _desired_time: isoPlus(-300_001) });
    expect(older.status).toBe(400);
    expect(older.json).toMatchObject({ code: 40040, phrase: "INVALID_DESIRED_TIME", exception: EXC.base });
    await cbService(env, "strict", { _reject_past_desired_time: 10 });
    expect((await post("strict", { _customer_number: num(3), _desired_time: isoPlus(-10_000) })).status).toBe(200);
    expect((await post("strict", { _customer_number: num(4), _desired_time: isoPlus(-10_001) })).json.code).toBe(40040);
  });

  it("accepts a desired time up to now + _reject_future_desired_time (default 1 calendar month); later → 400 40040", async () => {
    const edge = await post("svc", { _customer_number: num(1), _desired_time: "2026-07-01T12:00:00.000Z" });
    expect(edge.status).toBe(200);
    const later = await post("svc", { _customer_number: num(2), _desired_time: "2026-07-01T12:00:00.001Z" });
    expect(later.status).toBe(400);
    expect(later.json.code).toBe(40040);
    await cbService(env, "short", { _reject_future_desired_time: "2d" });
    expect((await post("short", { _customer_number: num(3), _desired_time: "2026-06-03T12:00:00.000Z" })).status).toBe(200);
    expect((await post("short", { _customer_number: num(4), _desired_time: "2026-06-03T12:00:01.000Z" })).json.code).toBe(40040);
    expect(await rowCount(env)).toBe(2);
  });

  it("rejects an unparseable desired time with 400 40010", async () => {
    for (const t of ["tomorrow", "2026-13-01T10:00:00Z", "2026-06-31T10:00:00Z", "10:00", 12.5e99, true]) {
      const r = await post("svc", { _customer_number: num(1), _desired_time: t });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 40010, phrase: "BAD_PARAMETER" });
      expect(r.json.message).toMatch(/_desired_time/);
    }
    expect(await rowCount(env)).toBe(0);
  });

  it("accepts any ISO 8601 offset, including the basic form -0500, and answers times in UTC", async () => {
    const cases: Array<[string, string]> = [
      ["2026-06-02T10:00:00.000-0500", "2026-06-02T15:00:00.000Z"],
      ["2026-06-02T10:00:00+05:30", "2026-06-02T04:30:00.000Z"],
      ["2026-06-02T10:00:00+0530", "2026-06-02T04:30:00.000Z"],
      ["2026-06-02T15:00:00Z", "2026-06-02T15:00:00.000Z"],
    ];
    for (const [i, [input, expected]] of cases.entries()) {
      const r = await post("svc", { _customer_number: num(i), _desired_time: input });
      expect(r.status).toBe(200);
      expect((await get("svc", r.json._id)).json[0]._desired_time).toBe(expected);
    }
  });
});

describe("Start-Callback step 6: office hours", () => {
  beforeEach(async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00", _holiday1: "2026-06-03" });
    await cbService(env, "svc", { _business_hours_service: "oh", _enable_in_queue_checking: false });
  });

  const closed = (reason: string) => ({
    code: 40050,
    phrase: "OFFICE_CLOSED",
    exception: EXC.service,
    message: JSON.stringify({ status: "closed", reason }),
  });

  it("answers a closed weekday with 400 40050 closed_day_of_week and up to 6 open proposals closest to the desired time", async () => {
    const r = await post("svc", { _customer_number: num(1), _desired_time: "2026-06-06T10:00:00.000Z" }); // Saturday
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject(closed("closed_day_of_week"));
    expect(r.json.message).toBe('{"status":"closed","reason":"closed_day_of_week"}');
    // Friday's last buckets are closer to Saturday 10:00 than Monday 9:00
    expect(r.json.availability).toEqual({
      "2026-06-05T16:55:00.000Z": 100,
      "2026-06-05T16:50:00.000Z": 100,
      "2026-06-05T16:45:00.000Z": 100,
      "2026-06-05T16:40:00.000Z": 100,
      "2026-06-05T16:35:00.000Z": 100,
      "2026-06-05T16:30:00.000Z": 100,
    });
    expect(await rowCount(env)).toBe(0);
  });

  it("answers an open day outside its hours with closed_no_match, and a holiday with closed_holiday", async () => {
    const late = await post("svc", { _customer_number: num(1), _desired_time: "2026-06-01T18:00:00.000Z" });
    expect(late.json).toMatchObject(closed("closed_no_match"));
    expect(Object.keys(late.json.availability)).toEqual([
      "2026-06-01T16:55:00.000Z",
      "2026-06-01T16:50:00.000Z",
      "2026-06-01T16:45:00.000Z",
      "2026-06-01T16:40:00.000Z",
      "2026-06-01T16:35:00.000Z",
      "2026-06-01T16:30:00.000Z",
    ]);
    const holiday = await post("svc", { _customer_number: num(2), _desired_time: "2026-06-03T10:00:00.000Z" });
    expect(holiday.json).toMatchObject(closed("closed_holiday"));
    for (const k of Object.keys(holiday.json.availability)) expect(k.startsWith("2026-06-03")).toBe(false);
  });

  it("checks the office at now for an immediate request", async () => {
    env.setNow("2026-06-06T10:00:00.000Z"); // Saturday
    const r = await post("svc", { _customer_number: num(1) });
    expect(r.json).toMatchObject(closed("closed_day_of_week"));
    // proposals are never in the past: Monday, closest first
    expect(Object.keys(r.json.availability)).toEqual([
      "2026-06-08T09:00:00.000Z",
      "2026-06-08T09:05:00.000Z",
      "2026-06-08T09:10:00.000Z",
      "2026-06-08T09:15:00.000Z",
      "2026-06-08T09:20:00.000Z",
      "2026-06-08T09:25:00.000Z",
    ]);
    env.setNow("2026-06-08T09:00:00.000Z");
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
  });
});

describe("Start-Callback step 7: bucket capacity", () => {
  it("answers a full bucket with 400 40051, the bucket bounds, and 6 open proposals closest first, never the full bucket", async () => {
    await cbService(env, "svc", { _request_time_bucket: 15, _max_request_by_time_bucket: 2, _enable_in_queue_checking: false });
    for (const i of [1, 2])
      expect((await post("svc", { _customer_number: num(i), _desired_time: "2026-06-01T14:05:00.000Z" })).status).toBe(200);
    expect((await post("svc", { _customer_number: num(3), _desired_time: "2026-06-01T14:20:00.000Z" })).status).toBe(200); // 14:15 has 1 left
    const r = await post("svc", { _customer_number: num(4), _desired_time: "2026-06-01T14:10:00.000Z" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 40051, phrase: "NO_AVAILABILITY", exception: EXC.availability });
    expect(r.json.message).toBe(tooMany("2026-06-01T14:00:00.000Z", "2026-06-01T14:15:00.000Z"));
    // closest to 14:10 first: 14:15 (5 min), 14:30 (20), 13:45 (25), 14:45 (35), 13:30 (40), 15:00 (50)
    expect(Object.entries(r.json.availability)).toEqual([
      ["2026-06-01T14:15:00.000Z", 1],
      ["2026-06-01T14:30:00.000Z", 2],
      ["2026-06-01T13:45:00.000Z", 2],
      ["2026-06-01T14:45:00.000Z", 2],
      ["2026-06-01T13:30:00.000Z", 2],
      ["2026-06-01T15:00:00.000Z", 2],
    ]);
    expect(await rowCount(env)).toBe(3);
  });

  it("never proposes a slot in the past nor another full bucket", async () => {
    env.setNow("2026-06-01T12:07:00.000Z");
    await cbService(env, "svc", { _request_time_bucket: 15, _max_request_by_time_bucket: 1, _enable_in_queue_checking: false });
    expect((await post("svc", { _customer_number: num(1), _desired_time: "2026-06-01T12:20:00.000Z" })).status).toBe(200);
    expect((await post("svc", { _customer_number: num(2), _desired_time: "2026-06-01T12:30:00.000Z" })).status).toBe(200);
    const r = await post("svc", { _customer_number: num(3), _desired_time: "2026-06-01T12:16:00.000Z" });
    expect(r.json.code).toBe(40051);
    const keys = Object.keys(r.json.availability);
    expect(keys).toHaveLength(6);
    expect(keys).not.toContain("2026-06-01T12:00:00.000Z"); // started before now
    expect(keys).not.toContain("2026-06-01T12:15:00.000Z"); // the full bucket
    expect(keys).not.toContain("2026-06-01T12:30:00.000Z"); // another full bucket
    for (const k of keys) expect(at(k)).toBeGreaterThanOrEqual(at("2026-06-01T12:07:00.000Z"));
    expect(keys[0]).toBe("2026-06-01T12:45:00.000Z");
  });

  it("never proposes a slot later than _reject_future_desired_time allows", async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "svc", { _business_hours_service: "oh", _reject_future_desired_time: "2h", _max_request_by_time_bucket: 1 });
    await post("svc", { _customer_number: num(1), _desired_time: "2026-06-01T13:55:00.000Z" });
    const r = await post("svc", { _customer_number: num(2), _desired_time: "2026-06-01T13:57:00.000Z" });
    expect(r.json.code).toBe(40051);
    const keys = Object.keys(r.json.availability);
    expect(keys).toEqual([
      "2026-06-01T14:00:00.000Z",
      "2026-06-01T13:50:00.000Z",
      "2026-06-01T13:45:00.000Z",
      "2026-06-01T13:40:00.000Z",
      "2026-06-01T13:35:00.000Z",
      "2026-06-01T13:30:00.000Z",
    ]);
    // every proposal can be booked
    for (const [i, k] of keys.entries()) expect((await post("svc", { _customer_number: num(10 + i), _desired_time: k })).status).toBe(200);
  });

  it("frees the slot of a cancelled callback", async () => {
    await cbService(env, "svc", { _max_request_by_time_bucket: 1 });
    const a = await post("svc", { _customer_number: num(1), _desired_time: "2026-06-01T14:00:00.000Z" });
    expect((await post("svc", { _customer_number: num(2), _desired_time: "2026-06-01T14:01:00.000Z" })).json.code).toBe(40051);
    expect((await call(srv.url, "DELETE", `${S}/svc/${a.json._id}`)).status).toBe(200);
    expect((await post("svc", { _customer_number: num(2), _desired_time: "2026-06-01T14:01:00.000Z" })).status).toBe(200);
  });

  it("takes bucket capacity from the capacity plan (_capacity_N per weekday, _capacity_add per date, 0 before the first key)", async () => {
    await capService(env, "cap", {
      _capacity_1: { 1: { "0900": 2, "1300": 1, "1500": 0 } }, // Monday
      _capacity_add: JSON.stringify({ "2026-06-02": { "1000": 3 } }), // a Tuesday (no _capacity_2: 0 otherwise)
    });
    await cbService(env, "svc", { _capacity_service: "cap", _max_request_by_time_bucket: 100, _enable_in_queue_checking: false });
    let i = 0;
    const book = (t: string) => post("svc", { _customer_number: num(i++), _desired_time: t });
    // Monday 13:00-15:00: 1 per bucket
    expect((await book("2026-06-01T13:02:00.000Z")).status).toBe(200);
    expect((await book("2026-06-01T13:03:00.000Z")).json.message).toBe(tooMany("2026-06-01T13:00:00.000Z", "2026-06-01T13:05:00.000Z"));
    // Monday 15:00 onwards: capacity 0
    expect((await book("2026-06-01T15:30:00.000Z")).json.code).toBe(40051);
    // next Monday 09:00-13:00: 2 per bucket
    expect((await book("2026-06-08T09:00:00.000Z")).status).toBe(200);
    expect((await book("2026-06-08T09:01:00.000Z")).status).toBe(200);
    expect((await book("2026-06-08T09:02:00.000Z")).json.code).toBe(40051);
    // Monday before the first key (08:00): capacity 0
    expect((await book("2026-06-08T08:00:00.000Z")).json.code).toBe(40051);
    // the dated exception: 3 on Tuesday 2026-06-02 from 10:00
    for (let k = 0; k < 3; k++) expect((await book("2026-06-02T10:00:00.000Z")).status).toBe(200);
    const full = await book("2026-06-02T10:04:59.000Z");
    expect(full.json.code).toBe(40051);
    expect(Object.values(full.json.availability).every((v) => v === 3)).toBe(true);
    // an ordinary Tuesday has no plan: 0
    expect((await book("2026-06-09T10:00:00.000Z")).json.code).toBe(40051);
    expect(await rowCount(env)).toBe(6);
  });

  for (const size of [5, 10, 15, 20, 30, 60, 120]) {
    it(`cuts time into ${size}-minute buckets aligned to the hour in UTC`, async () => {
      await cbService(env, "svc", { _request_time_bucket: size, _max_request_by_time_bucket: 1, _enable_in_queue_checking: false });
      const start = Math.floor(at("2026-06-02T10:07:00.000Z") / (size * 60_000)) * size * 60_000;
      const end = start + size * 60_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      expect((await post("svc", { _customer_number: num(1), _desired_time: "2026-06-02T10:07:00.000Z" })).status).toBe(200);
      for (const t of [start, end - 1]) {
        const r = await post("svc", { _customer_number: num(2), _desired_time: iso(t) });
        expect(r.status).toBe(400);
        expect(r.json.message).toBe(tooMany(iso(start), iso(end)));
        expect(r.json.availability[iso(start)]).toBeUndefined();
        expect(r.json.availability[iso(end)]).toBe(1);
      }
      expect((await post("svc", { _customer_number: num(2), _desired_time: iso(end) })).status).toBe(200);
      expect((await row(env, (await post("svc", { _customer_number: num(3), _desired_time: iso(start - 1) })).json._id)).bucket).toBe(
        start - size * 60_000,
      );
    });
  }
});

describe("Start-Callback step 8: in-queue checking", () => {
  const dup = (max: number) => ({
    code: 40001,
    phrase: "TOO_MANY_REQUESTS_FOR_NUMBER",
    exception: EXC.unavailable,
    properties: { max_queued: max },
    message: `There is already ${max} or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking for detail.`,
  });

  it("true (default): a third open callback for a number is refused with 429 40001 and properties.max_queued=2", async () => {
    await cbService(env, "svc");
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
    expect((await post("svc", { _customer_number: num(1), _desired_time: "2026-06-01T15:00:00.000Z" })).status).toBe(200); // scheduled ones count
    const r = await post("svc", { _customer_number: num(1) });
    expect(r.status).toBe(429);
    expect(r.json).toEqual(dup(2));
    // the same number written without + is the same number
    expect((await post("svc", { _customer_number: "16175551001" })).json).toEqual(dup(2));
    // other numbers and other services are independent
    expect((await post("svc", { _customer_number: num(2) })).status).toBe(200);
    await cbService(env, "other");
    expect((await post("other", { _customer_number: num(1) })).status).toBe(200);
  });

  it("strict: a second open callback is refused with max_queued=1; COMPLETED callbacks do not count", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: "strict" });
    const first = await post("svc", { _customer_number: num(1) });
    const r = await post("svc", { _customer_number: num(1) });
    expect(r.status).toBe(429);
    expect(r.json).toEqual(dup(1));
    await call(srv.url, "DELETE", `${S}/svc/${first.json._id}`);
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
  });

  it("false: no check at all", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: "false" });
    for (let k = 0; k < 5; k++) expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
  });

  it("takes the global callback setting when the service does not set it", async () => {
    await settings(env, { _enable_in_queue_checking: "strict" });
    await cbService(env, "svc");
    await post("svc", { _customer_number: num(1) });
    expect((await post("svc", { _customer_number: num(1) })).json.properties).toEqual({ max_queued: 1 });
  });
});

describe("Start-Callback step 9: limits", () => {
  it("caps QUEUED callbacks per service at _max_queued_callbacks_per_service: N accepted, N+1 → 429 40002", async () => {
    await cbService(env, "svc", { _max_queued_callbacks_per_service: 3, _enable_in_queue_checking: false });
    for (let k = 0; k < 3; k++) expect((await post("svc", { _customer_number: num(k) })).status).toBe(200);
    const r = await post("svc", { _customer_number: num(9) });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({
      code: 40002,
      phrase: "SERVICE_QUEUE_LIMIT",
      exception: EXC.unavailable,
      message: "Limit of queued callbacks for svc is reached.",
    });
    // scheduled requests are not queued: still accepted
    expect((await post("svc", { _customer_number: num(9), _desired_time: "2026-06-01T15:00:00.000Z" })).status).toBe(200);
    expect(await rowCount(env)).toBe(4);
  });

  it("falls back to the global max_queued_callbacks_per_service", async () => {
    await settings(env, { max_queued_callbacks_per_service: 1 });
    await cbService(env, "svc", { _enable_in_queue_checking: false });
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
    expect((await post("svc", { _customer_number: num(2) })).json.code).toBe(40002);
  });

  it("throttles creations per _throttle_ttl_1 window: N accepted, N+1 → 429 40003 naming the interval; accepted again after it", async () => {
    await cbService(env, "svc", { _throttle_callbacks_per_service_1: 3, _throttle_ttl_1: 60, _enable_in_queue_checking: false });
    await post("svc", { _customer_number: num(0), _desired_time: "2026-06-01T15:00:00.000Z" }); // scheduled ones are creations too
    for (let k = 1; k < 3; k++) expect((await post("svc", { _customer_number: num(k) })).status).toBe(200);
    const r = await post("svc", { _customer_number: num(3) });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({
      code: 40003,
      phrase: "SERVICE_RATE_LIMIT",
      exception: EXC.unavailable,
      message: "Limit of queued callbacks for svc is reached for interval 60s.",
    });
    env.setNow(at(NOW) + 60_001);
    expect((await post("svc", { _customer_number: num(3) })).status).toBe(200);
  });

  it("throttles creations per _throttle_ttl_2 window too", async () => {
    await cbService(env, "svc", { _throttle_callbacks_per_service_2: 4, _throttle_ttl_2: 600, _enable_in_queue_checking: false });
    for (let k = 0; k < 4; k++) {
      env.setNow(at(NOW) + k * 100_000);
      expect((await post("svc", { _customer_number: num(k) })).status).toBe(200);
    }
    env.setNow(at(NOW) + 400_000);
    const r = await post("svc", { _customer_number: num(5) });
    expect(r.status).toBe(429);
    expect(r.json.message).toBe("Limit of queued callbacks for svc is reached for interval 600s.");
    env.setNow(at(NOW) + 600_001); // the first creation left the window
    expect((await post("svc", { _customer_number: num(5) })).status).toBe(200);
  });

  it("limits immediate creations per parameter value per UTC day: N accepted, N+1 → 429 40004; scheduled ones do not count", async () => {
    await cbService(env, "svc", { _throttle_request_parameters_limit: 3, _enable_in_queue_checking: false });
    env.setNow("2026-06-01T23:00:00.000Z");
    for (let k = 0; k < 2; k++)
      expect((await post("svc", { _customer_number: num(1), _desired_time: "2026-06-02T10:00:00.000Z" })).status).toBe(200);
    for (let k = 0; k < 3; k++) expect((await post("svc", { _customer_number: "16175551001" })).status).toBe(200);
    const r = await post("svc", { _customer_number: num(1) });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({
      code: 40004,
      phrase: "PARAMETER_DAILY_LIMIT",
      exception: EXC.unavailable,
      message:
        "Callback for _customer_number=+16175551001 rejected because previous callbacks for this parameter were requested for more than 3 times today.",
    });
    expect((await post("svc", { _customer_number: num(1), _desired_time: "2026-06-02T11:00:00.000Z" })).status).toBe(200); // scheduled: not limited
    expect((await post("svc", { _customer_number: num(2) })).status).toBe(200);
    env.setNow("2026-06-01T23:59:59.999Z");
    expect((await post("svc", { _customer_number: num(1) })).json.code).toBe(40004);
    env.setNow("2026-06-02T00:00:00.000Z"); // a new UTC day
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200);
  });

  it("counts any parameter named in _throttle_request_parameters", async () => {
    await cbService(env, "svc", {
      _throttle_request_parameters: "account",
      _throttle_request_parameters_limit: 2,
      _enable_in_queue_checking: false,
    });
    for (let k = 0; k < 2; k++) expect((await post("svc", { _customer_number: num(k), account: "A-1" })).status).toBe(200);
    const r = await post("svc", { _customer_number: num(5), account: "A-1" });
    expect(r.json.message).toBe(
      "Callback for account=A-1 rejected because previous callbacks for this parameter were requested for more than 2 times today.",
    );
    expect((await post("svc", { _customer_number: num(5), account: "A-2" })).status).toBe(200);
    expect((await post("svc", { _customer_number: num(1) })).status).toBe(200); // the number itself is not counted
  });
});

describe("Start-Callback: redial, forced state, bodies, immediate vs scheduled, events", () => {
  it("redials a COMPLETED callback: copies properties and number, merges the new body over them, drops state/reason/session/desired time", async () => {
    await cbService(env, "svc");
    const first = await post("svc", {
      _customer_number: num(1),
      usr_name: "Bob",
      usr_reason: "billing",
      _desired_time: "2026-06-01T15:00:00.000Z",
    });
    await call(srv.url, "DELETE", `${S}/svc/${first.json._id}`);
    const r = await post("svc", { _id: first.json._id, usr_reason: "again" });
    expect(r.status).toBe(200);
    expect(r.json._id).not.toBe(first.json._id);
    expect(r.json).toMatchObject(IMMEDIATE_KEYS); // the desired time was not copied
    const rec = (await get("svc", r.json._id)).json[0];
    expect(rec).toMatchObject({
      _customer_number: num(1),
      usr_name: "Bob",
      usr_reason: "again",
      _callback_state: "QUEUED",
      _desired_time: NOW,
    });
    expect(rec._callback_reason).toBeUndefined();
    expect(rec._ors_session_id).toBe(`sim-${r.json._id}`);
  });

  it("validates a redial like any start (the copied number is checked against the current rules)", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: "strict" });
    const a = await post("svc", { _customer_number: num(1) });
    await call(srv.url, "DELETE", `${S}/svc/${a.json._id}`);
    await post("svc", { _customer_number: num(1) });
    const r = await post("svc", { _id: a.json._id });
    expect(r.status).toBe(429);
    expect(r.json.code).toBe(40001);
  });

  it("refuses to redial an unknown or not COMPLETED callback with 400 40030", async () => {
    await cbService(env, "svc");
    const open = await post("svc", { _customer_number: num(1) });
    for (const id of ["no-such-id", open.json._id]) {
      const r = await post("svc", { _id: id });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        code: 40030,
        phrase: "NOT_FOUND",
        exception: EXC.base,
        message: `Callback ${id} to copy from cannot be found`,
      });
    }
    expect(await rowCount(env)).toBe(1);
  });

  it("creates a callback in a forced _callback_state without handing it to execution", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: false });
    const q = await post("svc", { _customer_number: num(1), _callback_state: "QUEUED" });
    expect(q.status).toBe(200);
    expect(await row(env, q.json._id)).toMatchObject({ state: "QUEUED", external: 1, handed_off: 0, ors_session_id: null });
    expect(simulator().has(q.json._id)).toBe(false);
    const p = await post("svc", { _customer_number: num(1), _callback_state: "processing" });
    expect(p.json).toEqual({ _id: p.json._id });
    expect((await row(env, p.json._id)).state).toBe("PROCESSING");
    const c = await post("svc", { _customer_number: num(1), _callback_state: "COMPLETED", _callback_reason: "AGENT_CONNECTED" });
    expect((await get("svc", c.json._id)).json[0]).toMatchObject({ _callback_state: "COMPLETED", _callback_reason: "AGENT_CONNECTED" });
    const bad = await post("svc", { _customer_number: num(1), _callback_state: "DONE" });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe(40010);
  });

  it("accepts JSON, form-urlencoded (declared charset) and multipart bodies alike", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: false });
    const json = await post("svc", { _customer_number: num(1), usr_name: "José", _desired_time: "2026-06-01T15:00:00.000Z" });
    const form = await post(
      "svc",
      `_customer_number=${encodeURIComponent(num(1))}&usr_name=Jos%E9&_desired_time=2026-06-01T15%3A00%3A00.000Z`,
      { "content-type": "application/x-www-form-urlencoded; charset=ISO-8859-1" },
    );
    const fd = new FormData();
    fd.set("_customer_number", num(1));
    fd.set("usr_name", "José");
    fd.set("_desired_time", "2026-06-01T15:00:00.000Z");
    const mp = await fetch(`${srv.url}${S}/svc`, { method: "POST", body: fd });
    const multipart = { status: mp.status, json: await mp.json() };
    for (const r of [json, form, multipart]) {
      expect(r.status).toBe(200);
      expect(Object.keys(r.json)).toEqual(["_id"]);
      expect((await get("svc", r.json._id)).json[0]).toMatchObject({
        _customer_number: num(1),
        usr_name: "José",
        _desired_time: "2026-06-01T15:00:00.000Z",
        _callback_state: "SCHEDULED",
      });
    }
  });

  it("stores property values as strings (numbers, booleans, nested objects as JSON text) and omits empty ones", async () => {
    await cbService(env, "svc");
    const r = await post("svc", { _customer_number: 16175551000, n: 42, b: true, o: { a: [1, "x"] }, empty: "" });
    const rec = (await get("svc", r.json._id)).json[0];
    expect(rec).toMatchObject({ _customer_number: "+16175551000", n: "42", b: "true", o: '{"a":[1,"x"]}' });
    expect("empty" in rec).toBe(false);
    for (const v of Object.values(rec)) expect(typeof v).toBe("string");
  });

  it("is immediate below now + _request_execution_time_buffer (QUEUED, handed over, both answer key sets) and scheduled from it on", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: false });
    const none = await post("svc", { _customer_number: num(1) });
    expect(none.json).toEqual({ _id: none.json._id, ...IMMEDIATE_KEYS });
    expect(await row(env, none.json._id)).toMatchObject({
      state: "QUEUED",
      handed_off: 1,
      bucket: null,
      ors_session_id: `sim-${none.json._id}`,
    });
    expect(simulator().has(none.json._id)).toBe(true);
    const justBefore = await post("svc", { _customer_number: num(1), _desired_time: isoPlus(119_999) });
    expect(justBefore.json).toMatchObject(IMMEDIATE_KEYS);
    const atBuffer = await post("svc", { _customer_number: num(1), _desired_time: isoPlus(120_000) });
    expect(atBuffer.json).toEqual({ _id: atBuffer.json._id });
    expect(await row(env, atBuffer.json._id)).toMatchObject({ state: "SCHEDULED", handed_off: 0, bucket: at("2026-06-01T12:00:00.000Z") });
    await cbService(env, "long", { _request_execution_time_buffer: 600, _enable_in_queue_checking: false });
    expect((await post("long", { _customer_number: num(2), _desired_time: isoPlus(599_999) })).json).toMatchObject(IMMEDIATE_KEYS);
    expect(Object.keys((await post("long", { _customer_number: num(2), _desired_time: isoPlus(600_000) })).json)).toEqual(["_id"]);
  });

  it("adds the service's EWT to the immediate window when _request_queue_time_stat is set", async () => {
    await cbService(env, "svc", { _request_queue_time_stat: "EWT", _enable_in_queue_checking: false });
    // nobody queued: EWT = 60 s for position 1 (no observed handling rate yet)
    expect((await post("svc", { _customer_number: num(1), _desired_time: isoPlus(179_999) })).json).toMatchObject(IMMEDIATE_KEYS);
    // one queued now: position 2 → 120 s
    expect((await post("svc", { _customer_number: num(2), _desired_time: isoPlus(239_999) })).json).toMatchObject(IMMEDIATE_KEYS);
    expect(Object.keys((await post("svc", { _customer_number: num(3), _desired_time: isoPlus(300_000) })).json)).toEqual(["_id"]);
  });

  it("answers 500 50006 when an immediate hand-off fails _max_ors_submit_attempts times, leaving it COMPLETED/SUBMIT_FAILED", async () => {
    const eng = recordingEngine();
    eng.state.failSubmit = true;
    setEngineOverride(eng.engine);
    await cbService(env, "svc", { _max_ors_submit_attempts: 1 });
    const r = await post("svc", { _customer_number: num(1) });
    expect(r.status).toBe(500);
    const id = r.json.properties.id;
    expect(r.json).toEqual({
      code: 50006,
      phrase: "MAX_SUBMIT_ATTEMPTS",
      exception: EXC.base,
      properties: { id, "max-attempts": 1 },
      message: `Callback ${id} reached maximum attempts to submit to ORS reached (1)`,
    });
    expect(await row(env, id)).toMatchObject({ state: "COMPLETED", reason: "SUBMIT_FAILED" });
  });

  it("writes exactly one event row per accepted and per rejected request", async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "svc", { _business_hours_service: "oh", _max_request_by_time_bucket: 1, _enable_in_queue_checking: "strict" });
    const ok1 = await post("svc", { _customer_number: num(1), _desired_time: "2026-06-01T14:00:00.000Z" });
    const ok2 = await post("svc", { _customer_number: num(2) });
    const rejected = [
      await post("nope", { _customer_number: num(3) }), // 40030
      await post("svc", {}), // 40010 mandatory
      await post("svc", { _customer_number: "123" }), // 40010 number
      await post("svc", { _customer_number: num(3), _desired_time: "2020-01-01T00:00:00Z" }), // 40040
      await post("svc", { _customer_number: num(3), _desired_time: "2026-06-06T10:00:00Z" }), // 40050
      await post("svc", { _customer_number: num(3), _desired_time: "2026-06-01T14:01:00Z" }), // 40051
      await post("svc", { _customer_number: num(1) }), // 40001
      await call(srv.url, "POST", `${S}/svc`, "{not json", { "content-type": "application/json" }), // 40010 body
    ];
    const ev = await requestEvents(env);
    expect(ev.map((e) => e.type)).toEqual(["accepted", "accepted", ...rejected.map(() => "rejected")]);
    expect(ev[0]).toMatchObject({ callback_id: ok1.json._id, service_name: "svc", state: "SCHEDULED" });
    expect(ev[1]).toMatchObject({ callback_id: ok2.json._id, service_name: "svc", state: "QUEUED" });
    expect(ev.slice(2).map((e) => JSON.parse(e.details!).code)).toEqual(rejected.map((r) => r.json.code));
    expect(ev.slice(2).map((e) => e.callback_id)).toEqual(rejected.map(() => null));
    expect(await rowCount(env)).toBe(2);
  });
});
