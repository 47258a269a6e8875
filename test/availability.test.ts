// Availability v1 and v2, the builtin helper services and the queue position,
// over real HTTP against real SQLite with the clock pinned (Monday 2026-06-01T12:00:00.000Z).
import { describe, it, expect, beforeEach } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, S2, EXC, num, cbService, ohService, capService, rowCount, type Env } from "./public-fixtures";
import { transition } from "../lib/callback/state";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));

let n = 0;
const book = (desired: string, service = "svc", count = 1) =>
  Promise.all(
    Array.from({ length: count }, () => call(srv.url, "POST", `${S}/${service}`, { _customer_number: num(n++), _desired_time: desired })),
  );
const v1 = (q: string, service = "svc") => call(srv.url, "GET", `${S}/${service}/availability${q ? `?${q}` : ""}`);
const v2 = (q: string, service = "svc") => call(srv.url, "GET", `${S2}/${service}/availability${q ? `?${q}` : ""}`);
const slotsOf = (start: string, stepMin: number, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(start) + i * stepMin * 60_000).toISOString());

describe("Availability v1", () => {
  beforeEach(async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "svc", {
      _business_hours_service: "oh",
      _request_time_bucket: 15,
      _max_request_by_time_bucket: 3,
      _enable_in_queue_checking: false,
    });
  });

  it("maps each open bucket start to its remaining capacity, ascending, from start to the end of that office day", async () => {
    await book("2026-06-02T09:20:00.000Z");
    await book("2026-06-02T09:31:00.000Z", "svc", 3); // full: omitted
    const r = await v1("start=2026-06-02T09:00:00.000Z");
    expect(r.status).toBe(200);
    const expected = slotsOf("2026-06-02T09:00:00.000Z", 15, 32).filter((k) => k !== "2026-06-02T09:30:00.000Z");
    expect(Object.keys(r.json)).toEqual(expected);
    expect(r.json["2026-06-02T09:00:00.000Z"]).toBe(3);
    expect(r.json["2026-06-02T09:15:00.000Z"]).toBe(2);
    expect(r.json["2026-06-02T16:45:00.000Z"]).toBe(3);
  });

  it("accepts timestamp as an alias of start, and defaults start to now", async () => {
    expect((await v1("timestamp=2026-06-02T16:00:00.000Z")).json).toEqual(
      Object.fromEntries(slotsOf("2026-06-02T16:00:00.000Z", 15, 4).map((k) => [k, 3])),
    );
    const now = await v1("");
    expect(Object.keys(now.json)).toEqual(slotsOf("2026-06-01T12:00:00.000Z", 15, 20));
  });

  it("treats end as exclusive, takes number-of-days instead, and stops at max-time-slots", async () => {
    expect(Object.keys((await v1("start=2026-06-02T10:00:00.000Z&end=2026-06-02T11:00:00.000Z")).json)).toEqual(
      slotsOf("2026-06-02T10:00:00.000Z", 15, 4),
    );
    const days = await v1("start=2026-06-05T00:00:00.000Z&number-of-days=4"); // Fri + weekend + Mon
    expect(Object.keys(days.json)).toHaveLength(64);
    expect(Object.keys(days.json)[32]).toBe("2026-06-08T09:00:00.000Z");
    expect(Object.keys((await v1("start=2026-06-02T00:00:00.000Z&number-of-days=3&max-time-slots=5")).json)).toEqual(
      slotsOf("2026-06-02T09:00:00.000Z", 15, 5),
    );
  });

  it("answers a range without any open slot with 400 40050 'Office is closed at <start>. No time slots proposed.' and availability {}", async () => {
    const r = await v1("start=2026-06-06T10:00:00.000Z");
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40050,
      phrase: "OFFICE_CLOSED",
      exception: EXC.availability,
      message: "Office is closed at 2026-06-06T10:00:00.000Z. No time slots proposed.",
      availability: {},
    });
    // open but every bucket full counts the same
    await book("2026-06-02T16:45:00.000Z", "svc", 3);
    expect((await v1("start=2026-06-02T16:45:00.000Z")).json.code).toBe(40050);
  });

  it("answers bad parameters with 400 40010 and an unknown service with 404 40030", async () => {
    for (const q of [
      "start=yesterday",
      "start=2026-06-02T10:00:00Z&end=2026-06-02T09:00:00Z",
      "number-of-days=0",
      "number-of-days=x",
      "max-time-slots=-1",
      "start=2026-06-02T00:00:00Z&number-of-days=100",
    ]) {
      const r = await v1(q);
      expect(r.status).toBe(400);
      expect(r.json.code).toBe(40010);
    }
    const r = await v1("", "nope");
    expect(r.status).toBe(404);
    expect(r.json.code).toBe(40030);
  });

  it("uses the capacity plan for totals and omits buckets of capacity 0", async () => {
    await capService(env, "cap", { _capacity_2: { 2: { "0900": 2, "1000": 0, "1100": 5 } } });
    await cbService(env, "planned", { _capacity_service: "cap", _enable_in_queue_checking: false });
    await book("2026-06-02T09:05:00.000Z", "planned");
    const r = await v1("start=2026-06-02T08:00:00.000Z&end=2026-06-02T11:10:00.000Z", "planned");
    expect(r.json).toEqual({
      ...Object.fromEntries(slotsOf("2026-06-02T09:00:00.000Z", 5, 12).map((k) => [k, 2])),
      "2026-06-02T09:05:00.000Z": 1,
      "2026-06-02T11:00:00.000Z": 5,
      "2026-06-02T11:05:00.000Z": 5,
    });
  });
});

describe("Availability v2", () => {
  beforeEach(async () => {
    await ohService(env, "oh", { _timezone: "America/Toronto", _bh_regular1: "Mon-Fri 9:00-17:00" });
    await cbService(env, "svc", { _business_hours_service: "oh", _max_request_by_time_bucket: 3, _enable_in_queue_checking: false });
  });

  it("answers {slots:[{utcTime, localTime, capacity, total}], durationMin, timezone} in ascending order, in the office zone by default", async () => {
    await book("2026-06-02T13:05:00.000Z");
    const r = await v2("start=2026-06-02T13:00:00.000Z&end=2026-06-02T13:15:00.000Z");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      slots: [
        { utcTime: "2026-06-02T13:00:00.000Z", localTime: "2026-06-02T09:00:00.000", capacity: 3, total: 3 },
        { utcTime: "2026-06-02T13:05:00.000Z", localTime: "2026-06-02T09:05:00.000", capacity: 2, total: 3 },
        { utcTime: "2026-06-02T13:10:00.000Z", localTime: "2026-06-02T09:10:00.000", capacity: 3, total: 3 },
      ],
      durationMin: 5,
      timezone: "America/Toronto",
    });
  });

  it("reads zone-less start/end in the timezone parameter and formats localTime in it", async () => {
    const r = await v2("start=2026-06-02T09:00:00.000&end=2026-06-02T09:10:00.000&timezone=America/Toronto");
    expect(r.json.slots.map((s: { utcTime: string }) => s.utcTime)).toEqual(["2026-06-02T13:00:00.000Z", "2026-06-02T13:05:00.000Z"]);
    const paris = await v2("start=2026-06-02T15:00:00.000&end=2026-06-02T15:10:00.000&timezone=Europe/Paris");
    expect(paris.json.timezone).toBe("Europe/Paris");
    expect(paris.json.slots).toEqual([
      { utcTime: "2026-06-02T13:00:00.000Z", localTime: "2026-06-02T15:00:00.000", capacity: 3, total: 3 },
      { utcTime: "2026-06-02T13:05:00.000Z", localTime: "2026-06-02T15:05:00.000", capacity: 3, total: 3 },
    ]);
    const bad = await v2("timezone=Mars/Olympus");
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe(40010);
  });

  it("accepts start-ms / end-ms, number-of-days and max-time-slots", async () => {
    const ms = await v2(`start-ms=${Date.parse("2026-06-02T13:00:00.000Z")}&end-ms=${Date.parse("2026-06-02T13:10:00.000Z")}`);
    expect(ms.json.slots.map((s: { utcTime: string }) => s.utcTime)).toEqual(["2026-06-02T13:00:00.000Z", "2026-06-02T13:05:00.000Z"]);
    const days = await v2("start=2026-06-02T00:00:00.000Z&number-of-days=2");
    expect(days.json.slots).toHaveLength(2 * 96);
    const max = await v2("start=2026-06-02T00:00:00.000Z&number-of-days=2&max-time-slots=7");
    expect(max.json.slots).toHaveLength(7);
    expect(max.json.slots[6].utcTime).toBe("2026-06-02T13:30:00.000Z");
  });

  it("omits full buckets unless report-busy=true, which keeps them with capacity 0; closed buckets are always omitted", async () => {
    await book("2026-06-02T13:05:00.000Z", "svc", 3);
    const q = "start=2026-06-02T12:50:00.000Z&end=2026-06-02T13:15:00.000Z";
    expect((await v2(q)).json.slots.map((s: { utcTime: string }) => s.utcTime)).toEqual([
      "2026-06-02T13:00:00.000Z",
      "2026-06-02T13:10:00.000Z",
    ]);
    const busy = await v2(q + "&report-busy=true");
    expect(busy.json.slots).toEqual([
      { utcTime: "2026-06-02T13:00:00.000Z", localTime: "2026-06-02T09:00:00.000", capacity: 3, total: 3 },
      { utcTime: "2026-06-02T13:05:00.000Z", localTime: "2026-06-02T09:05:00.000", capacity: 0, total: 3 },
      { utcTime: "2026-06-02T13:10:00.000Z", localTime: "2026-06-02T09:10:00.000", capacity: 3, total: 3 },
    ]);
  });
});

describe("Builtin helper services", () => {
  it("serves an office-hours calendar: the open ranges of each day, closed days with their reason", async () => {
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00", _holiday1: "2026-06-03" });
    const r = await call(srv.url, "GET", "/genesys/1/service/oh?start=2026-06-02T00:00:00.000Z&number-of-days=5");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      service: "oh",
      timezone: "UTC",
      days: [
        { date: "2026-06-02", open: [{ start: "2026-06-02T09:00:00.000Z", end: "2026-06-02T17:00:00.000Z" }] },
        { date: "2026-06-03", open: [], closedReason: "closed_holiday" },
        { date: "2026-06-04", open: [{ start: "2026-06-04T09:00:00.000Z", end: "2026-06-04T17:00:00.000Z" }] },
        { date: "2026-06-05", open: [{ start: "2026-06-05T09:00:00.000Z", end: "2026-06-05T17:00:00.000Z" }] },
        { date: "2026-06-06", open: [], closedReason: "closed_day_of_week" },
      ],
    });
    const end = await call(srv.url, "GET", "/genesys/1/service/oh?start=2026-06-02T00:00:00.000Z&end=2026-06-03T00:00:00.000Z");
    expect(end.json.days).toHaveLength(1);
  });

  it("serves a capacity plan: the capacity per period, with local starts in the requested timezone", async () => {
    await capService(env, "cap", { _capacity_1: { 1: { "0900": 2, "1200": 0 } } });
    const r = await call(
      srv.url,
      "GET",
      "/genesys/1/service/cap?start=2026-06-01T00:00:00.000Z&end=2026-06-02T00:00:00.000Z&timezone=Europe/Paris",
    );
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      service: "cap",
      timezone: "Europe/Paris",
      periods: [
        { start: "2026-06-01T00:00:00.000Z", end: "2026-06-01T09:00:00.000Z", localStart: "2026-06-01T02:00:00.000", capacity: 0 },
        { start: "2026-06-01T09:00:00.000Z", end: "2026-06-01T12:00:00.000Z", localStart: "2026-06-01T11:00:00.000", capacity: 2 },
        { start: "2026-06-01T12:00:00.000Z", end: "2026-06-02T00:00:00.000Z", localStart: "2026-06-01T14:00:00.000", capacity: 0 },
      ],
    });
  });

  it("answers a helper request for an unknown or callback service with 404 40030, and bad ranges with 400 40010", async () => {
    await cbService(env, "svc");
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00" });
    for (const name of ["nope", "svc"])
      expect((await call(srv.url, "GET", `/genesys/1/service/${name}`)).json).toMatchObject({ code: 40030 });
    expect((await call(srv.url, "GET", "/genesys/1/service/oh?start=garbage")).json.code).toBe(40010);
    expect((await call(srv.url, "GET", "/genesys/1/service/oh?number-of-days=1000")).json.code).toBe(40010);
  });

  it("parses and describes a phone number with libphonenumber", async () => {
    const r = await call(srv.url, "GET", "/genesys/1/phonenumber?number=%2B16175551212&country=US");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      number: "+16175551212",
      country: "US",
      e164: "+16175551212",
      national: "(617) 555-1212",
      international: "+1 617 555 1212",
      type: "FIXED_LINE_OR_MOBILE",
      "is-valid": true,
      "is-possible": true,
      "is-premium": false,
      region: "US",
    });
    const uk = await call(srv.url, "GET", "/genesys/1/phonenumber?number=07911123456&country=gb");
    expect(uk.json).toMatchObject({ e164: "+447911123456", country: "GB", type: "MOBILE", "is-valid": true });
    expect((await call(srv.url, "GET", "/genesys/1/phonenumber?number=19005551234")).json).toMatchObject({
      "is-premium": true,
      type: "PREMIUM_RATE",
    });
  });

  it("answers an unparseable number with 400 40010 'Invalid Phone Number <n> for Country <cc> (parsing impossible)'", async () => {
    const r = await call(srv.url, "GET", "/genesys/1/phonenumber?number=abc&country=FR");
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 40010,
      phrase: "BAD_PARAMETER",
      exception: EXC.number,
      message: "Invalid Phone Number abc for Country FR (parsing impossible)",
    });
    expect((await call(srv.url, "GET", "/genesys/1/phonenumber?number=x")).json.message).toBe(
      "Invalid Phone Number x for Country US (parsing impossible)",
    );
    expect((await call(srv.url, "GET", "/genesys/1/phonenumber")).json.code).toBe(40010);
  });
});

describe("Check queue position", () => {
  beforeEach(async () => await cbService(env, "svc", { _enable_in_queue_checking: false, _request_execution_time_buffer: 120 }));
  const position = (id: string, method = "POST") =>
    call(
      srv.url,
      method,
      `/genesys/1/service/${id}/check-queue-position`,
      method === "POST" ? "" : undefined,
      method === "POST" ? { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" } : {},
    );
  const immediate = async () => (await call(srv.url, "POST", `${S}/svc`, { _customer_number: num(n++) })).json._id as string;

  it("answers the position among QUEUED callbacks by enqueue time, the total waiting, EWT and ETA (POST and GET)", async () => {
    const a = await immediate();
    env.setNow("2026-06-01T12:00:01.000Z");
    const b = await immediate();
    env.setNow("2026-06-01T12:00:02.000Z");
    const c = await immediate();
    const r = await position(b);
    expect(r.status).toBe(200);
    // no observed handling yet: 60 s per callback ahead and including this one
    expect(r.json).toEqual({
      _position: 2,
      _total_waiting: 3,
      _eta: "2026-06-01T12:02:02.000Z",
      ewt: 120,
      _agent_ready_threshold_passed: true,
    });
    expect((await position(a, "GET")).json).toMatchObject({ _position: 1, ewt: 60 });
    expect((await position(c)).json).toMatchObject({ _position: 3, ewt: 180, _agent_ready_threshold_passed: false });
    // the one ahead is cancelled: everybody moves up
    await call(srv.url, "DELETE", `${S}/svc/${a}`);
    expect((await position(c)).json).toMatchObject({ _position: 2, _total_waiting: 2 });
  });

  it("never lets a rescheduled callback jump the queue: a callback made immediate later queues behind", async () => {
    const s = (await call(srv.url, "POST", `${S}/svc`, { _customer_number: num(n++), _desired_time: "2026-06-01T14:00:00.000Z" })).json._id;
    env.setNow("2026-06-01T12:01:00.000Z");
    const q = await immediate();
    env.setNow("2026-06-01T12:02:00.000Z");
    await call(srv.url, "PUT", `${S}/svc/${s}`, { _new_desired_time: "2026-06-01T12:02:00.000Z" });
    expect((await position(q)).json._position).toBe(1);
    expect((await position(s)).json._position).toBe(2);
  });

  it("derives EWT from the observed handling rate of the service", async () => {
    const ids = [await immediate(), await immediate(), await immediate(), await immediate()];
    await env.store.tx(async () => {
      for (const id of ids.slice(0, 3)) await transition(env.ctx, (await env.store.getCallback(id))!, "ROUTING"); // 3 dequeued in 30 min
    });
    // 1800 s / 3 = 600 s per callback
    expect((await position(ids[3])).json).toMatchObject({ _position: 1, _total_waiting: 1, ewt: 600, _eta: "2026-06-01T12:10:00.000Z" });
  });

  it("answers a callback that is not QUEUED with 400 40020 and an unknown id with 400 40030", async () => {
    const s = (await call(srv.url, "POST", `${S}/svc`, { _customer_number: num(n++), _desired_time: "2026-06-01T14:00:00.000Z" })).json._id;
    expect((await position(s)).json).toMatchObject({ code: 40020, message: `Callback ${s} is not queued. State=SCHEDULED` });
    expect((await position("nope")).json).toMatchObject({ code: 40030 });
    expect(await rowCount(env)).toBe(1);
  });
});
