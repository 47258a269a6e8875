// Office hours as the engine applies them: DST, +5:30 zones, week and
// midnight wraps, yearly dates, holidays and effective dates — exercised through Start-Callback and the
// availability APIs over real HTTP (the calendar module itself has unit tests in office-hours.test.ts).
import { describe, it, expect, beforeEach } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, S2, num, cbService, ohService, rowCount, type Env } from "./public-fixtures";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));

let n = 0;
const start = (desired: string, service = "svc") =>
  call(srv.url, "POST", `${S}/${service}`, { _customer_number: num(n++), _desired_time: desired });
const v1 = (q: string, service = "svc") => call(srv.url, "GET", `${S}/${service}/availability?${q}`);
const v2 = (q: string, service = "svc") => call(srv.url, "GET", `${S2}/${service}/availability?${q}`);
const reasonAt = async (desired: string, service = "svc"): Promise<string> => {
  const r = await start(desired, service);
  if (r.status === 200) return "open";
  expect(r.json.code).toBe(40050);
  return JSON.parse(r.json.message).reason;
};
const setup = async (oh: Record<string, unknown>, cb: Record<string, unknown> = {}) => {
  await ohService(env, "oh", oh);
  await cbService(env, "svc", {
    _business_hours_service: "oh",
    _enable_in_queue_checking: false,
    _reject_future_desired_time: "13M",
    ...cb,
  });
};

describe("office hours through the engine: America/New_York DST", () => {
  it("keeps 9:00-17:00 local on both sides of the spring-forward change (14:00Z in EST, 13:00Z in EDT)", async () => {
    env.setNow("2026-03-06T12:00:00.000Z"); // Friday, EST; DST starts Sunday 2026-03-08
    await setup({ _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00" });
    expect(await reasonAt("2026-03-06T13:59:59.999Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-03-06T14:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-03-06T21:59:59.000Z")).toBe("open");
    expect(await reasonAt("2026-03-06T22:00:00.000Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-03-08T15:00:00.000Z")).toBe("closed_day_of_week");
    expect(await reasonAt("2026-03-09T12:59:59.999Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-03-09T13:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-03-09T20:59:59.000Z")).toBe("open");
    expect(await reasonAt("2026-03-09T21:00:00.000Z")).toBe("closed_no_match");
  });

  it("proposes Monday 9:00 EDT (13:00Z) for a Sunday request over the change", async () => {
    env.setNow("2026-03-06T12:00:00.000Z");
    await setup({ _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00" });
    const r = await start("2026-03-08T20:00:00.000Z");
    expect(Object.keys(r.json.availability)).toEqual([
      "2026-03-09T13:00:00.000Z",
      "2026-03-09T13:05:00.000Z",
      "2026-03-09T13:10:00.000Z",
      "2026-03-09T13:15:00.000Z",
      "2026-03-09T13:20:00.000Z",
      "2026-03-09T13:25:00.000Z",
    ]);
  });

  it("lists Monday's slots from 13:00Z to 20:55Z in v1 and 9:00 local in v2 after the change", async () => {
    env.setNow("2026-03-06T12:00:00.000Z");
    await setup({ _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00" });
    const a = await v1("start=2026-03-09T04:00:00.000Z"); // local midnight (EDT) to the end of that local day
    const keys = Object.keys(a.json);
    expect(keys).toHaveLength(96);
    expect(keys[0]).toBe("2026-03-09T13:00:00.000Z");
    expect(keys[95]).toBe("2026-03-09T20:55:00.000Z");
    const b = await v2("start=2026-03-09"); // a zone-less date is read in the office zone
    expect(b.json.timezone).toBe("America/New_York");
    expect(b.json.slots[0]).toEqual({
      utcTime: "2026-03-09T13:00:00.000Z",
      localTime: "2026-03-09T09:00:00.000",
      capacity: 100,
      total: 100,
    });
    const fri = await v2("start=2026-03-06");
    expect(fri.json.slots[0]).toMatchObject({ utcTime: "2026-03-06T14:00:00.000Z", localTime: "2026-03-06T09:00:00.000" });
  });

  it("has 23 open hours on the spring-forward Sunday and 25 on the fall-back Sunday of an all-day calendar", async () => {
    env.setNow("2026-03-01T00:00:00.000Z");
    await setup({ _timezone: "America/New_York", _bh_regular1: "Sun 00:00-24:00" });
    const spring = await v2("start=2026-03-08&timezone=America/New_York");
    expect(spring.json.slots).toHaveLength(23 * 12);
    const local = spring.json.slots.map((s: { localTime: string }) => s.localTime);
    expect(local).toContain("2026-03-08T01:55:00.000");
    expect(local).not.toContain("2026-03-08T02:00:00.000"); // the skipped hour
    expect(local[local.indexOf("2026-03-08T01:55:00.000") + 1]).toBe("2026-03-08T03:00:00.000");
    env.setNow("2026-10-30T00:00:00.000Z");
    const fall = await v2("start=2026-11-01&timezone=America/New_York");
    expect(fall.json.slots).toHaveLength(25 * 12);
    const twice = fall.json.slots.filter((s: { localTime: string }) => s.localTime === "2026-11-01T01:00:00.000");
    expect(twice.map((s: { utcTime: string }) => s.utcTime)).toEqual(["2026-11-01T05:00:00.000Z", "2026-11-01T06:00:00.000Z"]);
  });

  it("keeps 9:00-17:00 local across the fall-back change (13:00Z in EDT, 14:00Z in EST)", async () => {
    env.setNow("2026-10-30T12:00:00.000Z"); // Friday, EDT; DST ends Sunday 2026-11-01
    await setup({ _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00" });
    expect(await reasonAt("2026-10-30T13:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-10-30T12:59:59.000Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-11-02T13:59:59.999Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-11-02T14:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-11-02T21:59:00.000Z")).toBe("open");
    expect(await reasonAt("2026-11-02T22:00:00.000Z")).toBe("closed_no_match");
  });
});

describe("office hours through the engine: Asia/Kolkata (+5:30)", () => {
  beforeEach(async () => await setup({ _timezone: "Asia/Kolkata", _bh_regular1: "Mon-Fri 9:00-17:00" }));

  it("opens at 03:30Z and closes at 11:30Z", async () => {
    expect(await reasonAt("2026-06-02T03:29:59.999Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-06-02T03:30:00.000Z")).toBe("open");
    expect(await reasonAt("2026-06-02T11:29:59.999Z")).toBe("open");
    expect(await reasonAt("2026-06-02T11:30:00.000Z")).toBe("closed_no_match");
    // Saturday 2026-06-06 02:00 IST is still Friday evening in UTC: the office's local day decides
    expect(await reasonAt("2026-06-05T20:30:00.000Z")).toBe("closed_day_of_week");
  });

  it("lists half-hour-offset openings in 5-minute buckets and only whole buckets with 60-minute buckets", async () => {
    const a = await v1("start=2026-06-02T00:00:00.000Z");
    const keys = Object.keys(a.json);
    expect(keys[0]).toBe("2026-06-02T03:30:00.000Z");
    expect(keys[keys.length - 1]).toBe("2026-06-02T11:25:00.000Z");
    expect(keys).toHaveLength(96);
    await cbService(env, "hourly", { _business_hours_service: "oh", _request_time_bucket: 60 });
    const b = await v2("start=2026-06-02T00:00:00.000Z", "hourly");
    expect(b.json.durationMin).toBe(60);
    expect(b.json.slots.map((s: { utcTime: string }) => s.utcTime.slice(11, 16))).toEqual([
      "04:00",
      "05:00",
      "06:00",
      "07:00",
      "08:00",
      "09:00",
      "10:00",
      "11:00",
    ]);
    expect(b.json.slots[0].localTime).toBe("2026-06-02T09:30:00.000");
  });
});

describe("office hours through the engine: wraps", () => {
  it("opens a Sat-Mon range on Saturday, Sunday and Monday only (week wrap)", async () => {
    await setup({ _bh_regular1: "Sat-Mon 10:00-14:00" });
    expect(await reasonAt("2026-06-06T11:00:00.000Z")).toBe("open"); // Sat
    expect(await reasonAt("2026-06-07T11:00:00.000Z")).toBe("open"); // Sun
    expect(await reasonAt("2026-06-08T11:00:00.000Z")).toBe("open"); // Mon
    expect(await reasonAt("2026-06-02T11:00:00.000Z")).toBe("closed_day_of_week"); // Tue
    expect(await reasonAt("2026-06-05T11:00:00.000Z")).toBe("closed_day_of_week"); // Fri
    const a = await v1("start=2026-06-02T00:00:00.000Z&number-of-days=7");
    expect([...new Set(Object.keys(a.json).map((k) => k.slice(0, 10)))]).toEqual(["2026-06-06", "2026-06-07", "2026-06-08"]);
  });

  it("keeps a 19:00-7:00 range open over midnight into the next day (midnight wrap)", async () => {
    await setup({ _bh_regular1: "Mon-Fri 19:00-7:00" });
    expect(await reasonAt("2026-06-01T20:00:00.000Z")).toBe("open"); // Mon evening
    expect(await reasonAt("2026-06-02T03:00:00.000Z")).toBe("open"); // Tue early morning, from Monday
    expect(await reasonAt("2026-06-02T07:00:00.000Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-06-02T12:00:00.000Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-06-06T06:59:00.000Z")).toBe("open"); // Sat morning, from Friday
    expect(await reasonAt("2026-06-07T03:00:00.000Z")).toBe("closed_day_of_week"); // Sun: nothing from Saturday
    const a = await v1("start=2026-06-01T18:00:00.000Z&number-of-days=1");
    const keys = Object.keys(a.json);
    expect(keys[0]).toBe("2026-06-01T19:00:00.000Z");
    expect(keys[keys.length - 1]).toBe("2026-06-02T06:55:00.000Z");
    expect(keys).toHaveLength(12 * 12);
  });
});

describe("office hours through the engine: special dates", () => {
  it("applies yearly MM-DD openings and holidays every year", async () => {
    await setup({ _bh_regular1: "Mon-Fri 9:00-17:00", _bh_add1: "06-06 10:00-12:00", _holiday1: "06-03" });
    expect(await reasonAt("2026-06-06T10:30:00.000Z")).toBe("open"); // a Saturday, specially open
    expect(await reasonAt("2026-06-06T12:00:00.000Z")).toBe("closed_no_match");
    expect(await reasonAt("2027-06-06T10:30:00.000Z")).toBe("open"); // a Sunday next year
    expect(await reasonAt("2026-06-03T10:00:00.000Z")).toBe("closed_holiday"); // Wednesday
    expect(await reasonAt("2027-06-03T10:00:00.000Z")).toBe("closed_holiday"); // Thursday next year
    expect(await reasonAt("2027-06-04T10:00:00.000Z")).toBe("open");
    const a = await v1("start=2026-06-06T00:00:00.000Z");
    expect(Object.keys(a.json)).toHaveLength(24);
  });

  it("closes dated holidays and drops (whole or part of a day), over special openings too", async () => {
    await setup({
      _bh_regular1: "Mon-Fri 9:00-17:00",
      _holiday1: "2026-06-03",
      _holiday2: "2026-06-04 12:00-13:00",
      _bh_drop1: "2026-06-05 9:00-12:00",
      _bh_add1: "2026-06-03 10:00-11:00",
    });
    expect(await reasonAt("2026-06-03T10:30:00.000Z")).toBe("closed_holiday"); // drop/holiday > add
    expect(await reasonAt("2026-06-04T11:59:00.000Z")).toBe("open");
    expect(await reasonAt("2026-06-04T12:30:00.000Z")).toBe("closed_holiday");
    expect(await reasonAt("2026-06-04T13:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-06-05T10:00:00.000Z")).toBe("closed_holiday");
    expect(await reasonAt("2026-06-05T12:00:00.000Z")).toBe("open");
    const thu = await v1("start=2026-06-04T00:00:00.000Z");
    expect(Object.keys(thu.json)).toHaveLength(96 - 12);
    expect(Object.keys(thu.json).some((k) => k.startsWith("2026-06-04T12:"))).toBe(false);
    const wed = await v1("start=2026-06-03T00:00:00.000Z");
    expect(wed.status).toBe(400);
    expect(wed.json).toMatchObject({
      code: 40050,
      message: "Office is closed at 2026-06-03T00:00:00.000Z. No time slots proposed.",
      availability: {},
    });
  });

  it("is closed outside every _effective_dates range", async () => {
    await setup({
      _bh_regular1: "Mon-Fri 9:00-17:00",
      _effective_dates1: "2026-06-01 to 2026-06-05",
      _effective_dates2: "2026-06-15 to 2026-06-19",
    });
    expect(await reasonAt("2026-06-05T10:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-06-08T10:00:00.000Z")).toBe("closed_no_match");
    expect(await reasonAt("2026-06-15T10:00:00.000Z")).toBe("open");
    expect(await reasonAt("2026-06-22T10:00:00.000Z")).toBe("closed_no_match");
    const a = await v1("start=2026-06-01T00:00:00.000Z&number-of-days=21");
    expect([...new Set(Object.keys(a.json).map((k) => k.slice(0, 10)))]).toEqual([
      "2026-06-01",
      "2026-06-02",
      "2026-06-03",
      "2026-06-04",
      "2026-06-05",
      "2026-06-15",
      "2026-06-16",
      "2026-06-17",
      "2026-06-18",
      "2026-06-19",
    ]);
  });

  it("takes a calendar change into account immediately", async () => {
    await setup({ _bh_regular1: "Mon-Fri 9:00-17:00" });
    expect(await reasonAt("2026-06-02T10:00:00.000Z")).toBe("open");
    await ohService(env, "oh", { _bh_regular1: "Mon-Fri 9:00-17:00", _holiday1: "2026-06-02" }); // same millisecond
    expect(await reasonAt("2026-06-02T10:05:00.000Z")).toBe("closed_holiday");
    expect(await rowCount(env)).toBe(1);
  });
});
