// The public Callback API examples of seeds 000 (older API reference) and 001 (newer API reference), reproduced
// over HTTP with the seeds' services, bodies and — where the clock allows — their very times. Ids differ, and
// where our documented behaviour differs from a seed (docs/design-choices.md) the test says so.
import { describe, it, expect } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, S2, EXC, cbService, ohService, patterns, recordingEngine, row, type Env } from "./public-fixtures";
import { setEngineOverride } from "../lib/execution/engine";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)), { start: Date.parse("2013-05-27T12:00:00.000Z") });

const post = (service: string, body: unknown, headers?: Record<string, string>) => call(srv.url, "POST", `${S}/${service}`, body, headers);
const IMMEDIATE = { ID: "0", Action: "ConfirmationDialog", Text: "You will receive the call shortly", OkTitle: "Ok" };
/** seed 000/001 "BasicCallback": 5-minute buckets of 5, office Mon-Fri 9:00-17:00 UTC, extension-like numbers allowed. */
const basicCallback = async (name = "BasicCallback", extra: Record<string, unknown> = {}) => {
  await ohService(env, "office", { _bh_regular1: "Mon-Fri 9:00-17:00" });
  await cbService(env, name, {
    _business_hours_service: "office",
    _max_request_by_time_bucket: 5,
    _disallow_impossible_phone_numbers: false,
    _enable_in_queue_checking: false,
    ...extra,
  });
};
const book = async (service: string, desired: string, count: number, number = "6175550000") => {
  for (let i = 0; i < count; i++) expect((await post(service, { _customer_number: number, _desired_time: desired })).status).toBe(200);
};

describe("seed 000 — Callback Services API (older reference)", () => {
  it('Start-Callback, scheduled: POST request-callback with the seed body → 200 {"_id"}', async () => {
    env.setNow("2013-06-14T12:00:00.000Z");
    await cbService(env, "request-callback", { _disallow_impossible_phone_numbers: false });
    const r = await post("request-callback", {
      _customer_number: "5115",
      _usr_customer_name: "Bob Markel",
      _usr_reason: "billing question",
      _device_notification_id: "b16416334828b1d26ef14f329628b55b5a8c631d8928a371a5584722dd7fb673",
      _device_os: "comet",
      _desired_time: "2013-06-17T10:25:00.000Z",
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(["_id"]);
    expect(r.json._id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(await row(env, r.json._id)).toMatchObject({
      state: "SCHEDULED",
      customer_number: "5115",
      desired_time: Date.parse("2013-06-17T10:25:00.000Z"),
    });
  });

  it("Start-Callback, immediate: the answer carries ID, Action, Text, OkTitle and _id", async () => {
    await cbService(env, "request-callback", { _disallow_impossible_phone_numbers: false });
    const r = await post("request-callback", { _customer_number: "5115" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ...IMMEDIATE, _id: expect.any(String) });
  });

  it("Cancel-Callback: 200 OK; an unknown id → 400 'No such request to cancel : [<id>]' with CallbackException", async () => {
    await basicCallback();
    const id = (await post("BasicCallback", { _customer_number: "5115", _desired_time: "2013-05-27T15:05:00.000Z" })).json._id;
    const ok = await call(srv.url, "DELETE", `${S}/BasicCallback/${id}`);
    expect(ok.status).toBe(200);
    const r = await call(srv.url, "DELETE", `${S}/BasicCallback/a550a12e-ca77-4146-98d0-58960e0939f7`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      message: "No such request to cancel : [a550a12e-ca77-4146-98d0-58960e0939f7]",
      exception: "com.genesyslab.gsg.services.callback.CallbackException",
    });
  });

  it("Reschedule-Callback: 200 OK, then 'No Availability' with the seed's message and proposals around 16:45", async () => {
    await basicCallback();
    const id = (await post("BasicCallback", { _customer_number: "5115", _desired_time: "2013-05-27T14:00:00.000Z" })).json._id;
    const ok = await call(srv.url, "PUT", `${S}/BasicCallback/${id}`, { _new_desired_time: "2013-05-27T15:05:00.000Z" });
    expect(ok.status).toBe(200);
    expect((await row(env, id)).desired_time).toBe(Date.parse("2013-05-27T15:05:00.000Z"));
    await book("BasicCallback", "2013-05-27T16:45:00.000Z", 5);
    await book("BasicCallback", "2013-05-27T16:55:00.000Z", 2);
    const r = await call(srv.url, "PUT", `${S}/BasicCallback/${id}`, { _new_desired_time: "2013-05-27T16:45:00.000Z" });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe(
      "Too many requests at desired time [2013-05-27T16:45:00.000Z, 2013-05-27T16:50:00.000Z]. Proposing time slots.",
    );
    expect(r.json.exception).toBe(EXC.availability);
    const seed = {
      "2013-05-27T16:50:00.000Z": 5,
      "2013-05-27T16:35:00.000Z": 5,
      "2013-05-27T16:40:00.000Z": 5,
      "2013-05-27T16:55:00.000Z": 3,
      "2013-05-27T16:25:00.000Z": 5,
      "2013-05-27T16:30:00.000Z": 5,
    };
    expect(r.json.availability).toEqual(seed); // same slots and counts (ours are ordered closest first)
    expect(Object.keys(r.json.availability)[0]).toBe("2013-05-27T16:40:00.000Z");
  });

  it("Query-Callback: GET BasicCallback?customer_number=555-5461206 → the outstanding callbacks with _id, desired_time, url", async () => {
    await basicCallback();
    const a = (await post("BasicCallback", { _customer_number: "555-5461206", _desired_time: "2013-05-27T15:05:00.000Z" })).json._id;
    const b = (await post("BasicCallback", { _customer_number: "555-5461206", _desired_time: "2013-05-27T15:10:00.000Z" })).json._id;
    const r = await call(srv.url, "GET", `${S}/BasicCallback?customer_number=555-5461206`);
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(2);
    expect(r.json[0]).toMatchObject({ _id: a, desired_time: "2013-05-27T15:05:00.000Z", url: `/1/service/callback/BasicCallback/${a}` });
    expect(r.json[1]).toMatchObject({ _id: b, desired_time: "2013-05-27T15:10:00.000Z", url: `/1/service/callback/BasicCallback/${b}` });
  });

  it("Query-Availability: timestamp=2013-06-15T09:00 → slots with remaining counts; 12:00 → 400 'Office is closed at …' with availability {}", async () => {
    env.setNow("2013-06-14T12:00:00.000Z");
    await ohService(env, "office", { _bh_regular1: "Sat 8:00-10:00" });
    await cbService(env, "BasicCallback", {
      _business_hours_service: "office",
      _request_time_bucket: 15,
      _max_request_by_time_bucket: 5,
      _disallow_impossible_phone_numbers: false,
      _enable_in_queue_checking: false,
    });
    await book("BasicCallback", "2013-06-15T09:00:00.000Z", 1);
    await book("BasicCallback", "2013-06-15T09:15:00.000Z", 1);
    const r = await call(srv.url, "GET", `${S}/BasicCallback/availability?timestamp=2013-06-15T09:00:00.000Z`);
    expect(r.status).toBe(200);
    // ours: the range is [start, end of that office day); the seed also listed the day's earlier slots (08:00-08:45)
    const seedFromStart = {
      "2013-06-15T09:00:00.000Z": 4,
      "2013-06-15T09:15:00.000Z": 4,
      "2013-06-15T09:30:00.000Z": 5,
      "2013-06-15T09:45:00.000Z": 5,
    };
    expect(r.json).toEqual(seedFromStart);
    expect(Object.keys(r.json)).toEqual(Object.keys(seedFromStart).sort());
    const closed = await call(srv.url, "GET", `${S}/BasicCallback/availability?timestamp=2013-06-15T12:00:00.000Z`);
    expect(closed.status).toBe(400);
    expect(closed.json).toMatchObject({
      message: "Office is closed at 2013-06-15T12:00:00.000Z. No time slots proposed.",
      exception: EXC.availability,
      availability: {},
    });
  });

  it("Sample Errors: number exceptions, business hours exceptions and queue full exceptions", async () => {
    await patterns(env, "Callback_exceptions", { exception1: "^999", exception2: "^12345$" });
    await ohService(env, "office", { _bh_regular1: "Mon-Fri 15:00-17:00" });
    await cbService(env, "svc", {
      _exceptions: "Callback_exceptions",
      _business_hours_service: "office",
      _request_time_bucket: 15,
      _max_request_by_time_bucket: 5,
      _disallow_impossible_phone_numbers: false,
      _enable_in_queue_checking: false,
    });
    const number = await post("svc", { _customer_number: "12345" });
    expect(number.json).toMatchObject({
      message: "Customer Number [12345] is not allowed. Check option 'exceptions' : details={Callback_exceptions=exception2}",
      exception: EXC.service,
    });
    const dow = await post("svc", { _customer_number: "5115", _desired_time: "2013-06-01T16:00:00.000Z" }); // Saturday
    expect(dow.json).toMatchObject({ message: '{"status":"closed","reason":"closed_day_of_week"}', exception: EXC.service });
    const nomatch = await post("svc", { _customer_number: "5115", _desired_time: "2013-05-28T10:00:00.000Z" });
    expect(nomatch.json).toMatchObject({ message: '{"status":"closed","reason":"closed_no_match"}', exception: EXC.service });
    await book("svc", "2013-05-28T15:30:00.000Z", 5);
    await book("svc", "2013-05-28T16:00:00.000Z", 1);
    const full = await post("svc", { _customer_number: "5115", _desired_time: "2013-05-28T15:30:00.000Z" });
    expect(full.json.message).toBe(
      "Too many requests at desired time [2013-05-28T15:30:00.000Z, 2013-05-28T15:45:00.000Z]. Proposing time slots.",
    );
    // ours: the class is CallbackExceptionAvailability (the seed's sample spells it CallbackAvailabilityException) and at most 6 slots
    expect(full.json.exception).toBe(EXC.availability);
    const seed: Record<string, number> = {
      "2013-05-28T16:00:00.000Z": 4,
      "2013-05-28T16:45:00.000Z": 5,
      "2013-05-28T15:00:00.000Z": 5,
      "2013-05-28T15:45:00.000Z": 5,
      "2013-05-28T15:15:00.000Z": 5,
      "2013-05-28T16:30:00.000Z": 5,
      "2013-05-28T16:15:00.000Z": 5,
    };
    const ours = Object.entries(full.json.availability);
    expect(ours).toHaveLength(6);
    for (const [k, v] of ours) expect(seed[k]).toBe(v);
  });
});

describe("seed 001 — Callback Services API (newer reference)", () => {
  it("Start or Schedule Callback: POST request-callback (usr_ user data) → 200 with _id and, immediate, the dialog keys", async () => {
    await cbService(env, "request-callback", { _disallow_impossible_phone_numbers: false });
    const r = await post("request-callback", {
      _customer_number: "5115",
      usr_customer_name: "Bob Markel",
      usr_reason: "billing question",
      _device_notification_id: "b16416334828b1d26ef14f329628b55b5a8c631d8928a371a5584722dd7fb673",
      _device_os: "comet",
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      _id: expect.any(String),
      ...IMMEDIATE,
      _dialog_id: "0",
      _action: "ConfirmationDialog",
      _text: "You will receive the call shortly",
      _ok_title: "Ok",
    });
    const rec = (await call(srv.url, "GET", `${S}/request-callback/${r.json._id}`)).json[0];
    expect(rec).toMatchObject({ usr_customer_name: "Bob Markel", usr_reason: "billing question", _device_os: "comet" });
  });

  it("redials a COMPLETED callback by its _id; an unknown one → 400 40030 'Callback {id} to copy from cannot be found'", async () => {
    await cbService(env, "request-callback", { _disallow_impossible_phone_numbers: false });
    const first = (await post("request-callback", { _customer_number: "5115", usr_reason: "billing question" })).json._id;
    await call(srv.url, "DELETE", `${S}/request-callback/${first}`);
    const again = await post("request-callback", { _id: first, usr_reason: "second try" });
    expect(again.status).toBe(200);
    expect((await call(srv.url, "GET", `${S}/request-callback/${again.json._id}`)).json[0]).toMatchObject({
      _customer_number: "5115",
      usr_reason: "second try",
      _callback_state: "QUEUED",
    });
    const r = await post("request-callback", { _id: "361-58ce803e-362c-477f-8ac8-5bbc93f9acc7" });
    expect(r.json).toMatchObject({
      code: 40030,
      message: "Callback 361-58ce803e-362c-477f-8ac8-5bbc93f9acc7 to copy from cannot be found",
    });
  });

  it("40001: 'There is already {max_queued} or more Callbacks QUEUED for this number…' with properties.max_queued", async () => {
    await cbService(env, "request-callback", { _disallow_impossible_phone_numbers: false, _enable_in_queue_checking: "strict" });
    await post("request-callback", { _customer_number: "5115" });
    const r = await post("request-callback", { _customer_number: "5115" });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({
      code: 40001,
      properties: { max_queued: 1 },
      message: "There is already 1 or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking for detail.",
    });
  });

  it("Overwriting configuration in queries: _overwritable_options=_ors,_target lets the body set _ors and _target", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    await cbService(env, "callback-for-mobile", {
      _ors: "http://ors:7210",
      _target: "Sales@Stat_Server1.GA",
      _overwritable_options: "_ors,_target",
    });
    const r = await post("callback-for-mobile", {
      _customer_number: "+16175551000",
      _ors: "http://myors:4421",
      _target: "Billing@Stat_Server1.GA",
    });
    expect(r.status).toBe(200);
    expect(eng.submits[0].options).toMatchObject({ _ors: "http://myors:4421", _target: "Billing@Stat_Server1.GA" });
  });

  it('Overwriting configuration in queries: _redirect=foo_b with _overwritable_options=_redirect, disabled by POST foo?_redirect=""', async () => {
    await cbService(env, "foo_b");
    await cbService(env, "foo", { _redirect: "foo_b", _overwritable_options: "_redirect" });
    const redirected = await post("foo", { _customer_number: "+16175551000" });
    expect((await row(env, redirected.json._id)).service_name).toBe("foo_b");
    const direct = await call(srv.url, "POST", `${S}/foo?_redirect=""`, { _customer_number: "+16175551001" });
    expect(direct.status).toBe(200);
    expect((await row(env, direct.json._id)).service_name).toBe("foo");
  });

  it("Passing configuration tokens in queries: my_token=Stat_Server1 (form-urlencoded) turns Billing@$my_token$.GA into Billing@Stat_Server1.GA", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    await cbService(env, "CLBCK-terminated-preview", { _target: "Billing@$my_token$.GA", my_token_name: "$my_token$" });
    const r = await post("CLBCK-terminated-preview", "_customer_number=%2B16175551000&my_token=Stat_Server1", {
      "content-type": "application/x-www-form-urlencoded",
      "cache-control": "no-cache",
    });
    expect(r.status).toBe(200);
    expect(eng.submits[0].options._target).toBe("Billing@Stat_Server1.GA");
  });

  it("Cancel-Callback: 200; unknown → 'No such request to cancel'; completed → 'Request already cancelled or completed'", async () => {
    await basicCallback("callback-test");
    const id = (await post("callback-test", { _customer_number: "5115", _desired_time: "2013-05-27T15:05:00.000Z" })).json._id;
    expect((await call(srv.url, "DELETE", `${S}/callback-test/${id}`)).status).toBe(200);
    const unknown = await call(srv.url, "DELETE", `${S}/callback-test/a550a12e-ca77-4146-98d0-58960e0939f7`);
    expect(unknown.json).toMatchObject({ code: 40030, message: "No such request to cancel : [a550a12e-ca77-4146-98d0-58960e0939f7]" });
    const done = await call(srv.url, "DELETE", `${S}/callback-test/${id}`);
    expect(done.status).toBe(400);
    expect(done.json).toMatchObject({ code: 40020, message: `Request already cancelled or completed : [${id}]` });
  });

  it("Cancel-Callback with discard_ors_failure=true: a cancel execution refuses still completes the callback with 200", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    await basicCallback("callback-test");
    const id = (await post("callback-test", { _customer_number: "5115" })).json._id;
    eng.state.failCancel = true; // the session already exited in execution
    expect((await call(srv.url, "DELETE", `${S}/callback-test/${id}`)).json.code).toBe(50030);
    expect((await call(srv.url, "DELETE", `${S}/callback-test/${id}?discard_ors_failure=true`)).status).toBe(200);
    expect(await row(env, id)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED" });
  });

  it("Reschedule-Callback: success; the ORS sample {_callback_state: PROCESSING, _reason: \"\"} → 200 {}; then 'no longer scheduled. State=PROCESSING'", async () => {
    await basicCallback("callback-test");
    const s = (await post("callback-test", { _customer_number: "5115", _desired_time: "2013-05-27T14:00:00.000Z" })).json._id;
    expect((await call(srv.url, "PUT", `${S}/callback-test/${s}`, { _new_desired_time: "2013-05-27T15:05:00.000Z" })).status).toBe(200);
    const id = (await post("callback-test", { _customer_number: "5115", _callback_state: "QUEUED" })).json._id; // driven by ORS
    expect((await call(srv.url, "PUT", `${S}/callback-test/${id}`, { _callback_state: "ROUTING" })).status).toBe(200);
    const ors = await call(srv.url, "PUT", `${S}/callback-test/${id}`, { _callback_state: "PROCESSING", _reason: "" });
    expect(ors.status).toBe(200);
    expect(ors.json).toEqual({});
    const r = await call(srv.url, "PUT", `${S}/callback-test/${id}`, { _new_desired_time: "2013-05-27T15:00:00.000Z" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ message: `Callback '${id}' is no longer scheduled. State=PROCESSING`, exception: EXC.invalidOperation });
  });

  it("Query Callback By ID: GET BasicCallback/<id> → [ { the seed's eight keys, with the seed's times } ]", async () => {
    env.setNow("2020-04-16T12:52:31.521Z");
    await cbService(env, "BasicCallback", { _disallow_impossible_phone_numbers: false, _ttl: 1209599 });
    const id = (await post("BasicCallback", { _customer_number: "12345", _desired_time: "2020-04-27T12:00:00.000Z" })).json._id;
    const r = await call(srv.url, "GET", `${S}/BasicCallback/${id}`);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json[0]).toMatchObject({
      _callback_state: "SCHEDULED",
      _expiration_time: "2020-05-11T11:59:59.000Z",
      _service_name: "BasicCallback",
      _id: id,
      _customer_number: "12345",
      _url: `/genesys/1/service/callback/BasicCallback/${id}`,
      _time_scheduled: "2020-04-16T12:52:31.521Z",
      _desired_time: "2020-04-27T12:00:00.000Z",
    });
    expect((await call(srv.url, "GET", `${S}?_id=${id}`)).json).toEqual(r.json);
  });

  it("Query-Callback by Lookup Properties: GET BasicCallback?_customer_number=555-5461206 → records with the seed's keys", async () => {
    await basicCallback();
    const q = (
      await post("BasicCallback", { _customer_number: "555-5461206", _desired_time: "2013-05-27T15:05:00.000Z", _callback_state: "QUEUED" })
    ).json._id;
    const s = (await post("BasicCallback", { _customer_number: "555-5461206", _desired_time: "2013-05-27T15:10:00.000Z" })).json._id;
    const r = await call(srv.url, "GET", `${S}/BasicCallback?_customer_number=555-5461206`);
    // the number comes back in E.164, the one identity it is stored and matched under (docs/design-choices.md)
    expect(r.json).toEqual([
      expect.objectContaining({
        _id: q,
        desired_time: "2013-05-27T15:05:00.000Z",
        _callback_state: "QUEUED",
        _expiration_time: expect.any(String),
        _customer_number: "+15555461206",
        url: `/1/service/callback/BasicCallback/${q}`,
      }),
      expect.objectContaining({
        _id: s,
        desired_time: "2013-05-27T15:10:00.000Z",
        _callback_state: "SCHEDULED",
        _expiration_time: expect.any(String),
        _customer_number: "+15555461206",
        url: `/1/service/callback/BasicCallback/${s}`,
      }),
    ]);
  });

  it("Query-Availability v1: start=2014-12-03T15:00 → ascending map; a slot without capacity is not reported", async () => {
    env.setNow("2014-12-03T12:00:00.000Z");
    await basicCallback("Callback_VQ", { _max_request_by_time_bucket: 2 });
    await book("Callback_VQ", "2014-12-03T15:20:00.000Z", 2);
    const r = await call(srv.url, "GET", `${S}/Callback_VQ/availability?start=2014-12-03T15:00:00.000Z`);
    expect(r.status).toBe(200);
    const keys = Object.keys(r.json);
    expect(keys).toEqual([...keys].sort());
    expect(keys.slice(0, 5)).toEqual([
      "2014-12-03T15:00:00.000Z",
      "2014-12-03T15:05:00.000Z",
      "2014-12-03T15:10:00.000Z",
      "2014-12-03T15:15:00.000Z",
      "2014-12-03T15:25:00.000Z",
    ]);
    expect(keys[keys.length - 1]).toBe("2014-12-03T16:55:00.000Z");
  });

  it("Query-Availability v2: callback-PST, start/end zone-less in America/Toronto → slots 42/67/91 of 100, durationMin 5", async () => {
    env.setNow("2016-04-13T12:00:00.000Z");
    await ohService(env, "office", { _timezone: "America/Toronto", _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "callback-PST", { _business_hours_service: "office", _enable_in_queue_checking: false });
    await book("callback-PST", "2016-04-13T13:00:00.000Z", 58);
    await book("callback-PST", "2016-04-13T13:05:00.000Z", 33);
    await book("callback-PST", "2016-04-13T13:10:00.000Z", 9);
    const r = await call(
      srv.url,
      "GET",
      `${S2}/callback-PST/availability?start=2016-04-13T09:00:00.000&end=2016-04-13T16:00:00.000&timezone=America/Toronto`,
    );
    expect(r.status).toBe(200);
    expect(r.json.slots.slice(0, 3)).toEqual([
      { utcTime: "2016-04-13T13:00:00.000Z", localTime: "2016-04-13T09:00:00.000", capacity: 42, total: 100 },
      { utcTime: "2016-04-13T13:05:00.000Z", localTime: "2016-04-13T09:05:00.000", capacity: 67, total: 100 },
      { utcTime: "2016-04-13T13:10:00.000Z", localTime: "2016-04-13T09:10:00.000", capacity: 91, total: 100 },
    ]);
    expect(r.json.slots).toHaveLength(7 * 12);
    expect(r.json.durationMin).toBe(5);
    expect(r.json.timezone).toBe("America/Toronto"); // ours: the IANA name (the seed shows a display name)
  });

  it("Check in Queue Position: POST …/<id>/check-queue-position with an empty form body → 200 JSON", async () => {
    await cbService(env, "callback-test", { _disallow_impossible_phone_numbers: false });
    const id = (await post("callback-test", { _customer_number: "5115" })).json._id;
    const r = await call(srv.url, "POST", `/genesys/1/service/${id}/check-queue-position`, "", {
      connection: "close",
      "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      _position: 1,
      _total_waiting: 1,
      _eta: expect.any(String),
      ewt: expect.any(Number),
      _agent_ready_threshold_passed: expect.any(Boolean),
    });
  });
});
