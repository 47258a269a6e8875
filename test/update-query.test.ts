// Cancel, reschedule / update / progress, query by ID and by lookup
// properties — over real HTTP, real SQLite, pinned clock (Monday 2026-06-01T12:00:00.000Z).
import { describe, it, expect, beforeEach } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import {
  S,
  EXC,
  num,
  cbService,
  ohService,
  patterns,
  settings,
  rowCount,
  eventsOfType,
  row,
  props,
  recordingEngine,
  type Env,
} from "./public-fixtures";
import { setEngineOverride } from "../lib/execution/engine";
import { simulator } from "../lib/execution/simulator";
import { startCallback } from "../lib/callback/start";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));
beforeEach(async () => {
  await cbService(env, "svc", { _enable_in_queue_checking: false });
});

const post = (body: unknown, service = "svc") => call(srv.url, "POST", `${S}/${service}`, body);
const put = (id: string, body: unknown, service = "svc") => call(srv.url, "PUT", `${S}/${service}/${id}`, body);
const del = (id: string, q = "", service = "svc") => call(srv.url, "DELETE", `${S}/${service}/${id}${q}`);
const get = (id: string, service = "svc") => call(srv.url, "GET", `${S}/${service}/${id}`);
const query = (q: string, service: string | null = "svc") => call(srv.url, "GET", `${S}${service ? `/${service}` : ""}?${q}`);
const scheduled = async (desired = "2026-06-01T14:00:00.000Z", extra: Record<string, unknown> = {}, service = "svc") =>
  (await post({ _customer_number: num(1), _desired_time: desired, ...extra }, service)).json._id as string;
const immediate = async (extra: Record<string, unknown> = {}, service = "svc") =>
  (await post({ _customer_number: num(1), ...extra }, service)).json._id as string;

describe("Cancel-Callback", () => {
  it("cancels a SCHEDULED callback: 200 without body, COMPLETED/CANCELLED, its bucket freed, a cancelled event", async () => {
    await cbService(env, "svc", { _max_request_by_time_bucket: 1, _enable_in_queue_checking: false });
    const id = await scheduled();
    const r = await del(id);
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
    expect((await get(id)).json[0]).toMatchObject({ _callback_state: "COMPLETED", _callback_reason: "CANCELLED" });
    expect((await row(env, id)).bucket).toBeNull();
    expect((await post({ _customer_number: num(2), _desired_time: "2026-06-01T14:00:00.000Z" })).status).toBe(200);
    expect(await eventsOfType(env, "cancelled")).toMatchObject([{ callback_id: id, state: "COMPLETED", reason: "CANCELLED" }]);
  });

  it("cancels a QUEUED callback in execution first (the simulator drops it)", async () => {
    const id = await immediate();
    expect(simulator().has(id)).toBe(true);
    expect((await del(id)).status).toBe(200);
    expect(simulator().has(id)).toBe(false);
    expect(await row(env, id)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED" });
  });

  it("answers an unknown id with 400 40030 'No such request to cancel : [<id>]'", async () => {
    const r = await del("a550a12e-ca77-4146-98d0-58960e0939f7");
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40030,
      phrase: "NOT_FOUND",
      exception: EXC.base,
      message: "No such request to cancel : [a550a12e-ca77-4146-98d0-58960e0939f7]",
    });
  });

  it("answers an already COMPLETED callback with 400 40020 'Request already cancelled or completed : [<id>]'", async () => {
    const id = await scheduled();
    await del(id);
    const r = await del(id);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40020,
      phrase: "INVALID_OPERATION",
      exception: EXC.invalidOperation,
      message: `Request already cancelled or completed : [${id}]`,
    });
    expect(await eventsOfType(env, "cancelled")).toHaveLength(1);
  });

  it("answers a failing cancel in execution with 500 50030 and keeps the callback, unless discard_ors_failure=true", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    const id = await immediate();
    eng.state.failCancel = true;
    const r = await del(id);
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ code: 50030, phrase: "EXECUTION_ERROR" });
    expect((await row(env, id)).state).toBe("QUEUED");
    expect((await del(id, "?discard_ors_failure=true")).status).toBe(200);
    expect(await row(env, id)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED" });
  });

  it("does not forward the cancel of a SCHEDULED callback to execution", async () => {
    const eng = recordingEngine();
    setEngineOverride(eng.engine);
    eng.state.failCancel = true;
    const id = await scheduled();
    expect((await del(id)).status).toBe(200);
    expect(eng.cancels).toEqual([]);
  });
});

describe("Reschedule / update", () => {
  it("moves a SCHEDULED callback to _new_desired_time: 200 {}, new desired and expiration times, the old bucket freed", async () => {
    await cbService(env, "svc", { _max_request_by_time_bucket: 1, _ttl: 3600, _enable_in_queue_checking: false });
    const id = await scheduled("2026-06-01T14:00:00.000Z");
    const r = await put(id, { _new_desired_time: "2026-06-01T15:05:00.000Z" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    expect((await get(id)).json[0]).toMatchObject({
      _desired_time: "2026-06-01T15:05:00.000Z",
      _expiration_time: "2026-06-01T16:05:00.000Z",
      _callback_state: "SCHEDULED",
    });
    expect((await row(env, id)).bucket).toBe(Date.parse("2026-06-01T15:05:00.000Z"));
    expect((await post({ _customer_number: num(2), _desired_time: "2026-06-01T14:00:00.000Z" })).status).toBe(200);
    expect((await post({ _customer_number: num(3), _desired_time: "2026-06-01T15:06:00.000Z" })).json.code).toBe(40051);
    expect(await eventsOfType(env, "rescheduled")).toMatchObject([{ callback_id: id, state: "SCHEDULED" }]);
  });

  it("refuses to reschedule a callback that is no longer SCHEDULED: 400 40020 with its state", async () => {
    const q = await immediate();
    const r = await put(q, { _new_desired_time: "2026-06-01T15:00:00.000Z" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40020,
      phrase: "INVALID_OPERATION",
      exception: EXC.invalidOperation,
      message: `Callback '${q}' is no longer scheduled. State=QUEUED`,
    });
    const c = await scheduled();
    await del(c);
    expect((await put(c, { _new_desired_time: "2026-06-01T15:00:00.000Z" })).json.message).toBe(
      `Callback '${c}' is no longer scheduled. State=COMPLETED`,
    );
  });

  it("validates the new time like a start: office hours (40050), capacity (40051 with proposals), window (40040), format (40010)", async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "svc", {
      _business_hours_service: "oh",
      _max_request_by_time_bucket: 1,
      _request_time_bucket: 15,
      _enable_in_queue_checking: false,
    });
    const id = await scheduled("2026-06-01T14:00:00.000Z");
    await post({ _customer_number: num(2), _desired_time: "2026-06-01T16:30:00.000Z" });
    const closed = await put(id, { _new_desired_time: "2026-06-06T10:00:00.000Z" });
    expect(closed.status).toBe(400);
    expect(closed.json).toMatchObject({
      code: 40050,
      exception: EXC.service,
      message: '{"status":"closed","reason":"closed_day_of_week"}',
    });
    expect(Object.keys(closed.json.availability)).toHaveLength(6);
    const full = await put(id, { _new_desired_time: "2026-06-01T16:40:00.000Z" });
    expect(full.status).toBe(400);
    expect(full.json).toMatchObject({
      code: 40051,
      exception: EXC.availability,
      message: "Too many requests at desired time [2026-06-01T16:30:00.000Z, 2026-06-01T16:45:00.000Z]. Proposing time slots.",
    });
    // closest first; 14:00 is the callback's own bucket, and nothing after 17:00 on Monday is open
    expect(Object.keys(full.json.availability)).toEqual([
      "2026-06-01T16:45:00.000Z",
      "2026-06-01T16:15:00.000Z",
      "2026-06-01T16:00:00.000Z",
      "2026-06-01T15:45:00.000Z",
      "2026-06-01T15:30:00.000Z",
      "2026-06-01T15:15:00.000Z",
    ]);
    expect((await put(id, { _new_desired_time: "2026-06-01T11:00:00.000Z" })).json.code).toBe(40040);
    expect((await put(id, { _new_desired_time: "2026-09-01T10:00:00.000Z" })).json.code).toBe(40040);
    expect((await put(id, { _new_desired_time: "soon" })).json.code).toBe(40010);
    expect((await get(id)).json[0]._desired_time).toBe("2026-06-01T14:00:00.000Z");
    // moving within its own (full) bucket is fine
    expect((await put(id, { _new_desired_time: "2026-06-01T14:10:00.000Z" })).status).toBe(200);
  });

  it("turns the callback immediate when the new time is within the execution buffer (QUEUED, bucket released, handed over at once)", async () => {
    const id = await scheduled("2026-06-01T14:00:00.000Z");
    const r = await put(id, { _new_desired_time: "2026-06-01T12:01:00.000Z" });
    expect(r.status).toBe(200);
    expect(await row(env, id)).toMatchObject({
      state: "QUEUED",
      bucket: null,
      desired_time: Date.parse("2026-06-01T12:01:00.000Z"),
      handed_off: 1,
    });
  });

  it('updates other properties, removes a property set to "", and ignores the record keys GMS clients echo', async () => {
    const id = await scheduled("2026-06-01T14:00:00.000Z", { usr_name: "Bob", usr_reason: "billing" });
    const rec = (await get(id)).json[0];
    const echoed = {
      ...rec,
      _desired_time: "2026-06-01T16:00:00.000Z",
      desired_time: "2026-06-01T16:00:00.000Z",
      _id: "other",
      _service_name: "x",
      _url: "/x",
      url: "/x",
      _time_scheduled: "2020-01-01T00:00:00.000Z",
      _expiration_time: "2020-01-01T00:00:00.000Z",
      usr_name: "Robert",
      usr_reason: "",
      usr_new: 7,
    };
    const r = await put(id, echoed);
    expect(r.status).toBe(200);
    const after = (await get(id)).json[0];
    expect(after).toMatchObject({
      _id: id,
      _service_name: "svc",
      _desired_time: rec._desired_time,
      _time_scheduled: rec._time_scheduled,
      _expiration_time: rec._expiration_time,
      usr_name: "Robert",
      usr_new: "7",
    });
    expect("usr_reason" in after).toBe(false);
    expect(await props(env, id)).toEqual({ usr_name: "Robert", usr_new: "7" });
    expect(await eventsOfType(env, "updated")).toHaveLength(1);
  });

  it("validates a changed _customer_number like on start (fixing, impossible, premium, exception patterns)", async () => {
    await patterns(env, "blocked", { uk: "^\\+44" });
    await cbService(env, "svc", { _exceptions: "blocked", _enable_in_queue_checking: false });
    const id = await scheduled();
    expect((await put(id, { _customer_number: "123" })).json).toMatchObject({
      code: 40010,
      exception: EXC.number,
      message: "Customer Number [123] is disallowed, because it is invalid. Check option _disallow_impossible_phone_numbers",
    });
    expect((await put(id, { _customer_number: "+19005551234" })).json.message).toContain("premium");
    const uk = await put(id, { _customer_number: "447911123456" });
    expect(uk.status).toBe(400);
    expect(uk.json).toMatchObject({
      code: 40010,
      exception: EXC.service,
      message: "Customer Number [447911123456] is not allowed. Check option 'exceptions' : details={blocked=uk}",
    });
    expect((await put(id, { _customer_number: {} })).json.code).toBe(40010);
    expect((await put(id, { _customer_number: "" })).json).toMatchObject({
      code: 40010,
      message: "Missing mandatory parameter: _customer_number",
    });
    expect((await row(env, id)).customer_number).toBe(num(1));
    expect((await put(id, { _customer_number: "16175559999" })).status).toBe(200);
    expect((await row(env, id)).customer_number).toBe("+16175559999");
  });

  it("applies _callback_state progress along legal transitions only, else 400 40020, with reason and session id", async () => {
    const id = await immediate({ _callback_state: "QUEUED" }); // driven by an external engine
    expect((await put(id, { _callback_state: "ROUTING", _ors_session_id: "ors-1" })).status).toBe(200);
    const r = await put(id, { _callback_state: "PROCESSING", _reason: "" }); // the seed's ORS sample
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    const bad = await put(id, { _callback_state: "QUEUED" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 40020, phrase: "INVALID_OPERATION", exception: EXC.invalidOperation });
    expect((await put(id, { _callback_state: "COMPLETED", _callback_reason: "AGENT_CONNECTED" })).status).toBe(200);
    expect((await get(id)).json[0]).toMatchObject({
      _callback_state: "COMPLETED",
      _callback_reason: "AGENT_CONNECTED",
      _ors_session_id: "ors-1",
    });
    expect((await put(id, { _callback_state: "PROCESSING" })).json.code).toBe(40020);
    const s = await scheduled();
    expect((await put(s, { _callback_state: "PROCESSING" })).json.code).toBe(40020); // SCHEDULED → PROCESSING is not legal
    expect((await put(s, { _callback_state: "ROUTED" })).json.code).toBe(40010);
    expect((await eventsOfType(env, "state")).map((e) => e.state)).toEqual(["ROUTING", "PROCESSING", "COMPLETED"]);
  });

  it("lets _new_desired_time win over _callback_state in the same request", async () => {
    const id = await scheduled();
    expect((await put(id, { _new_desired_time: "2026-06-01T15:00:00.000Z", _callback_state: "COMPLETED" })).status).toBe(200);
    expect(await row(env, id)).toMatchObject({ state: "SCHEDULED", desired_time: Date.parse("2026-06-01T15:00:00.000Z") });
  });

  it("answers an unknown id with 400 40030", async () => {
    const r = await put("nope", { usr_x: "1" });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe(40030);
  });
});

describe("Query by ID", () => {
  it("returns an array holding the one full record in both URL forms", async () => {
    const id = await scheduled("2026-06-01T14:00:00.000Z", { usr_name: "Bob" });
    const a = await get(id);
    const b = await query(`_id=${id}`, null);
    expect(a.status).toBe(200);
    expect(b.json).toEqual(a.json);
    expect(a.json).toEqual([
      {
        _id: id,
        _service_name: "svc",
        _customer_number: num(1),
        _desired_time: "2026-06-01T14:00:00.000Z",
        _callback_state: "SCHEDULED",
        _time_scheduled: "2026-06-01T12:00:00.000Z",
        _expiration_time: "2026-06-02T14:00:00.000Z",
        _url: `/genesys/1/service/callback/svc/${id}`,
        url: `/1/service/callback/svc/${id}`,
        desired_time: "2026-06-01T14:00:00.000Z",
        usr_name: "Bob",
      },
    ]);
  });

  it("answers an unknown id with 400 40030 in both forms", async () => {
    for (const r of [await get("nope"), await query("_id=nope", null)]) {
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 40030, phrase: "NOT_FOUND" });
    }
  });
});

describe("Query by lookup properties", () => {
  it("finds callbacks by _customer_number (or the customer_number alias), with and without the service, after + fixing", async () => {
    await cbService(env, "other", { _enable_in_queue_checking: false });
    const a = await scheduled("2026-06-01T14:00:00.000Z");
    const b = await immediate();
    const c = await immediate({}, "other");
    await post({ _customer_number: num(2) });
    const ids = (r: { json: Array<{ _id: string }> }) => r.json.map((x) => x._id).sort();
    expect(ids(await query(`_customer_number=${encodeURIComponent(num(1))}`))).toEqual([a, b].sort());
    expect(ids(await query("customer_number=16175551001"))).toEqual([a, b].sort());
    expect(ids(await query("_customer_number=16175551001", null))).toEqual([a, b, c].sort());
    expect((await query("_customer_number=16175550000")).json).toEqual([]);
  });

  it("combines several lookup keys with operand AND (default) or OR", async () => {
    await cbService(env, "svc", { _customer_lookup_keys: "_customer_number,email", _enable_in_queue_checking: false });
    const a = await immediate({ email: "a@x.org" });
    const b = await post({ _customer_number: num(2), email: "a@x.org" });
    const c = await immediate({ email: "c@x.org" });
    const q = `_customer_number=${encodeURIComponent(num(1))}&email=a%40x.org`;
    expect((await query(q)).json.map((r: { _id: string }) => r._id)).toEqual([a]);
    expect((await query(q + "&operand=AND")).json.map((r: { _id: string }) => r._id)).toEqual([a]);
    expect((await query(q + "&operand=OR")).json.map((r: { _id: string }) => r._id).sort()).toEqual([a, b.json._id, c].sort());
    expect((await query("email=c%40x.org")).json[0]).toMatchObject({ _id: c, email: "c@x.org" });
  });

  it("filters by _callback_state=<STATE> and !<STATE>", async () => {
    const s = await scheduled();
    const q = await immediate();
    const ids = async (f: string) =>
      (await query(`_customer_number=${encodeURIComponent(num(1))}&_callback_state=${encodeURIComponent(f)}`)).json.map(
        (r: { _id: string }) => r._id,
      );
    expect(await ids("SCHEDULED")).toEqual([s]);
    expect(await ids("!SCHEDULED")).toEqual([q]);
    expect(await ids("COMPLETED")).toEqual([]);
    const bad = await query(`_customer_number=1&_callback_state=NOPE`);
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe(40020);
  });

  it("answers an unknown filter key with 400 40020 'Cannot process 'filter' parameter correctly : {filter}'", async () => {
    const r = await query("usr_name=Bob");
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40020,
      phrase: "INVALID_OPERATION",
      exception: EXC.invalidOperation,
      message: "Cannot process 'filter' parameter correctly : usr_name",
    });
  });

  it("returns the always-returned keys (+ legacy url/desired_time) and the lookup keys, plus the keys of returned-keys", async () => {
    const id = await scheduled("2026-06-01T14:00:00.000Z", { usr_name: "Bob", usr_other: "x" });
    const q = `_customer_number=${encodeURIComponent(num(1))}`;
    expect((await query(q)).json).toEqual([
      {
        _id: id,
        _desired_time: "2026-06-01T14:00:00.000Z",
        _service_name: "svc",
        _callback_state: "SCHEDULED",
        _expiration_time: "2026-06-02T14:00:00.000Z",
        _customer_number: num(1),
        _url: `/genesys/1/service/callback/svc/${id}`,
        url: `/1/service/callback/svc/${id}`,
        desired_time: "2026-06-01T14:00:00.000Z",
      },
    ]);
    await settings(env, { "returned-keys": "usr_name,_time_scheduled" });
    const [rec] = (await query(q)).json;
    expect(rec).toMatchObject({ usr_name: "Bob", _time_scheduled: "2026-06-01T12:00:00.000Z" });
    expect(rec.usr_other).toBeUndefined();
    await del(id);
    expect((await query(q)).json[0]).toMatchObject({ _callback_state: "COMPLETED", _callback_reason: "CANCELLED" });
  });

  it("filters on the desired time with scheduled_after / scheduled_before", async () => {
    const a = await scheduled("2026-06-01T14:00:00.000Z");
    const b = await scheduled("2026-06-01T16:00:00.000Z");
    const q = `_customer_number=${encodeURIComponent(num(1))}`;
    expect((await query(`${q}&scheduled_after=2026-06-01T15:00:00Z`)).json.map((r: { _id: string }) => r._id)).toEqual([b]);
    expect((await query(`${q}&scheduled_before=2026-06-01T15:00:00Z`)).json.map((r: { _id: string }) => r._id)).toEqual([a]);
    expect((await query(`${q}&scheduled_before=whenever`)).json.code).toBe(40010);
  });

  it("stores nothing while querying", async () => {
    await immediate();
    await query("customer_number=1");
    await query("bogus=1");
    expect(await rowCount(env)).toBe(1);
  });
});

describe("reschedule into the queue", () => {
  it("answers 429 40002 when the service's queued limit is reached, leaving the callback SCHEDULED", async () => {
    await cbService(env, "lim", { _max_queued_callbacks_per_service: 1, _enable_in_queue_checking: "false" });
    await startCallback(env.ctx, "lim", { _customer_number: num(1) }); // QUEUED: the limit is reached
    const s = await startCallback(env.ctx, "lim", { _customer_number: num(2), _desired_time: "2026-06-01T14:00:00.000Z" });
    const r = await call(srv.url, "PUT", `${S}/lim/${s.id}`, { _new_desired_time: "2026-06-01T12:01:00.000Z" });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ code: 40002, message: "Limit of queued callbacks for lim is reached." });
    expect((await env.store.getCallback(s.id))!.state).toBe("SCHEDULED");
  });
});
