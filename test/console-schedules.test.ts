import { describe, it, expect, beforeEach, vi } from "vitest";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { parseOfficeHours } from "../lib/callback/office-hours-grammar";
import { calendarDays } from "../lib/callback/office-hours";
import { parseCapacityPlan } from "../lib/callback/capacity-grammar";
import { capacityPeriods } from "../lib/callback/capacity";
import { officeHoursErrors, officeHoursModel, officeHoursOptions, paintWeekly, weeklyRanges } from "../lib/console/office-hours-model";
import { capacityErrors, capacityModel, capacityOptions } from "../lib/console/capacity-model";
import { capacityWeek, officeHoursWeek } from "../lib/console/schedules";
import * as ohSave from "../app/api/console/office-hours/[service]/route";
import * as ohPreview from "../app/api/console/office-hours/preview/route";
import * as capSave from "../app/api/console/capacity/[service]/route";
import * as capPreview from "../app/api/console/capacity/preview/route";

// The session is the only stand-in: next-auth's cookie lookup needs a Next.js request scope. Routes, engine
// verbs and SQLite are real.
const session = vi.hoisted(() => ({ user: null as null | { username: string; role: "monitor" | "supervisor" | "admin" } }));
vi.mock("../lib/auth/session", () => ({ currentUser: async () => session.user }));

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const BASE = "http://localhost:3000";
const SAME = { "sec-fetch-site": "same-origin", "content-type": "application/json" };
const req = (method: string, path: string, body: unknown) =>
  new Request(BASE + path, { method, headers: SAME, body: JSON.stringify(body) });
const params = <T>(p: T) => ({ params: Promise.resolve(p) });

/** The engine's calendar over two years (every yearly rule and both DST changes), as comparable data. */
const calendarOf = (options: Record<string, unknown>) => {
  const cal = parseOfficeHours(options);
  return calendarDays(cal, Date.parse("2026-01-01T00:00:00Z"), Date.parse("2028-01-01T00:00:00Z"));
};
const roundTripOH = (options: Record<string, unknown>) => officeHoursOptions(officeHoursModel(options));

describe("office-hours editor model: options → model → options", () => {
  it("writes canonical option strings back exactly as they were", () => {
    const options = {
      _service: "office-hours",
      _timezone: "America/New_York",
      _bh_regular1: "Mon-Fri 09:00-17:00",
      _bh_regular2: "Sat 10:00-14:00",
      _bh_add1: "2026-12-24 08:00-12:00",
      _holiday1: "12-25",
      _holiday2: "2026-07-03 12:00-24:00",
      _effective_dates1: "2026-01-01 to 2027-12-31",
    };
    expect(roundTripOH(options)).toEqual(options);
  });

  it.each<[string, Record<string, string>]>([
    ["week wrap and midnight wrap (Sat-Mon 19:00-7:00)", { _bh_regular1: "Sat-Mon 19:00-7:00" }],
    [
      "all day and spaced, abbreviated and full day names",
      { _bh_regular1: "mon - WED 0:00-24:00", _bh_regular7: "Thursday,Sat 8:30-9:45" },
    ],
    ["several ranges and overlapping rules", { _bh_regular1: "Mon-Fri 9:00-12:00,13:00-17:00", _bh_regular2: "Wed 11:00-14:00" }],
    ["a wrapped special opening and a yearly one", { _bh_add1: "2026-12-31 20:00-2:00", _bh_add2: "1-1 10:00-11:00" }],
    [
      "drops, partial holidays and leap-day yearly holiday",
      { _bh_drop1: "2026-05-04", _holiday3: "02-29", _holiday10: "07-04 9:00-12:00" },
    ],
    [
      "several effective date ranges",
      { _bh_regular1: "Mon-Sun 8:00-20:00", _effective_dates1: "2026-03-01 to 2026-03-31", _effective_dates2: "2027-06-01 to 2027-06-30" },
    ],
    ["a range ending at midnight written 0:00", { _bh_regular1: "Fri 18:00-0:00" }],
  ])("keeps the engine's calendar identical: %s", (_name, rules) => {
    for (const zone of ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      const options = { _service: "office-hours", _timezone: zone, ...rules };
      const back = roundTripOH(options);
      expect(calendarOf(back)).toEqual(calendarOf(options));
      expect(roundTripOH(back)).toEqual(back); // and saving twice changes nothing more
    }
  });

  it("keeps options the editor does not own and names every bad field with the engine's message", () => {
    const model = officeHoursModel({ _timezone: "UTC", _bh_regular1: "Mon 9:00-17:00", note: "front desk" });
    expect(officeHoursOptions(model).note).toBe("front desk");
    model.weekly[1] = "18:00-18:00";
    model.zone = "Mars/Olympus";
    model.holidays.push({ date: "2026-02-30", ranges: "", option: "_holiday" });
    const errors = officeHoursErrors(model);
    expect(Object.keys(errors).sort()).toEqual(["holidays.0", "weekly.1", "zone"]);
    expect(errors.zone).toContain('unknown time zone "Mars/Olympus"');
    expect(errors["weekly.1"]).toContain("start equals end");
  });

  it("paints cells open and closed in canonical per-day ranges (a wrap spills into the next day)", () => {
    expect(weeklyRanges(["19:00-07:00", "", "", "", "", "", ""]).slice(0, 2)).toEqual([[[1140, 1440]], [[0, 420]]]);
    const painted = paintWeekly(
      ["09:00-17:00", "", "", "", "", "", ""],
      [
        { day: 0, from: 12 * 60, to: 13 * 60 },
        { day: 2, from: 600, to: 660 },
      ],
      false,
    );
    expect(painted[0]).toBe("09:00-12:00,13:00-17:00");
    expect(paintWeekly(painted, [{ day: 2, from: 600, to: 660 }], true)[2]).toBe("10:00-11:00");
  });
});

const periodsOf = (options: Record<string, unknown>) =>
  capacityPeriods(parseCapacityPlan(options), Date.parse("2026-10-26T00:00:00Z"), Date.parse("2026-11-09T00:00:00Z"));

describe("capacity editor model: options → model → options", () => {
  it("writes canonical JSON text back exactly as it was", () => {
    const options = {
      _service: "capacity",
      _timezone: "Europe/Paris",
      _capacity_1: '{"1":{"0800":5,"1200":2,"1300":5,"1700":0}}',
      _capacity_add: '{"2026-11-02":{"1000":1,"1100":0}}',
      _max_capacity: "8",
    };
    expect(capacityOptions(capacityModel(options))).toEqual(options);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      "objects, a leading 0000 key and values above the cap",
      { _capacity_2: { "2": { "0000": 0, "0900": 2000 } }, _capacity_add: { "2026-11-01": {} } },
    ],
    [
      "half-hour and quarter-hour keys (finer cells)",
      { _capacity_3: '{"3": {"0930": 4, "1015": 6, "1800": 0}}', _capacity_7: '{"7": {"0000": 1}}' },
    ],
    ["an empty day and a closed exception", { _capacity_1: '{"1":{}}', _capacity_add: '{"2026-10-28":{}}', _max_capacity: 3 }],
  ])("keeps the engine's plan identical across a DST week: %s", (_name, rules) => {
    for (const zone of ["America/New_York", "Asia/Kolkata"]) {
      const options = { _service: "capacity", _timezone: zone, ...rules };
      const model = capacityModel(options);
      const back = capacityOptions(model);
      expect(periodsOf(back)).toEqual(periodsOf(options));
      expect(capacityOptions(capacityModel(back))).toEqual(back);
    }
  });

  it("uses the finest step the keys need and keeps the stored style", () => {
    const m = capacityModel({ _timezone: "UTC", _capacity_1: { "1": { "0915": 3 } } });
    expect(m.step).toBe(15);
    expect(m.weekly[0]![37]).toBe(3);
    expect(m.asText).toBe(false);
    expect(capacityOptions(m)._capacity_1).toEqual({ "1": { "0915": 3 } });
  });

  it("names bad fields: unknown zone, bad max, bad or repeated exception date", () => {
    const m = capacityModel({ _timezone: "UTC" });
    m.zone = "Nowhere/City";
    m.maxCapacity = "-1";
    m.exceptions = [
      { date: "2026-13-01", values: [] },
      { date: "2026-01-01", values: [] },
      { date: "2026-01-01", values: [] },
    ];
    expect(Object.keys(capacityErrors(m)).sort()).toEqual(["exceptions.0", "exceptions.2", "maxCapacity", "zone"]);
  });
});

describe("week previews: the engine's evaluation of unsaved options", () => {
  it("office hours in the DST week of America/New_York (2026-11-01 has 25 hours; 09:00 stays 09:00)", () => {
    const w = officeHoursWeek(
      { _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00", _bh_regular2: "Sun 0:00-24:00" },
      "2026-11-01",
    );
    expect(w.days.map((d) => d.date)).toEqual([
      "2026-10-26",
      "2026-10-27",
      "2026-10-28",
      "2026-10-29",
      "2026-10-30",
      "2026-10-31",
      "2026-11-01",
    ]);
    const fri = w.days[4]!;
    expect(fri.open).toEqual([
      { start: "2026-10-30T13:00:00.000Z", end: "2026-10-30T21:00:00.000Z", fromMin: 540, toMin: 1020, from: "09:00 EDT", to: "17:00 EDT" },
    ]);
    const sun = w.days[6]!;
    expect(sun).toMatchObject({ hours: 25, abbrs: ["EDT", "EST"], closedReason: null });
    expect(sun.open).toEqual([
      { start: "2026-11-01T04:00:00.000Z", end: "2026-11-02T05:00:00.000Z", fromMin: 0, toMin: 1440, from: "00:00 EDT", to: "00:00 EST" },
    ]);
    expect(w.days[5]!.closedReason).toBe("closed_day_of_week");
    const mon = officeHoursWeek({ _timezone: "America/New_York", _bh_regular1: "Mon-Fri 9:00-17:00" }, "2026-11-02").days[0]!;
    expect(mon.open[0]).toMatchObject({ start: "2026-11-02T14:00:00.000Z", from: "09:00 EST" });
  });

  it("capacity in the spring-forward week marks the skipped hour and keeps wall-clock values", () => {
    const w = capacityWeek({ _timezone: "America/New_York", _capacity_7: '{"7":{"0000":2,"0300":4}}' }, "2026-03-08");
    const sun = w.days[6]!;
    expect(sun).toMatchObject({ date: "2026-03-08", hours: 23 });
    expect(sun.cells.slice(0, 4)).toEqual([2, 2, null, 4]);
  });
});

describe("console routes of the editors", () => {
  let env: Awaited<ReturnType<typeof freshEngine>>;
  beforeEach(async () => {
    env = freshEngine(NOW);
    await putService(env.ctx, "oh", { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Fri 9:00-17:00" });
    await putService(env.ctx, "cap", { _service: "capacity", _timezone: "UTC", _capacity_1: '{"1":{"0900":2}}' });
    session.user = { username: "ada", role: "admin" };
  });

  it("an admin saves through putService; the stored map is the editor's", async () => {
    const options = { _timezone: "Europe/Paris", _bh_regular1: "Mon-Fri 08:00-18:00", _holiday1: "12-25" };
    const r = await ohSave.PUT(req("PUT", "/api/console/office-hours/oh", { options }), params({ service: "oh" }));
    expect(r.status).toBe(200);
    expect((await env.store.getService("oh"))!.options).toEqual({ ...options, _service: "office-hours" });
    const c = await capSave.PUT(
      req("PUT", "/api/console/capacity/cap", { options: { _timezone: "UTC", _capacity_2: '{"2":{"1000":3}}' } }),
      params({ service: "cap" }),
    );
    expect(c.status).toBe(200);
    expect((await env.store.getService("cap"))!.options._capacity_2).toBe('{"2":{"1000":3}}');
  });

  it("a bad option is refused with 400 naming it in properties.issues, and nothing is stored", async () => {
    const before = (await env.store.getService("oh"))!.options;
    const r = await ohSave.PUT(
      req("PUT", "/x", { options: { _timezone: "Mars/Base", _bh_regular1: "Mon 9:00-9:00" } }),
      params({ service: "oh" }),
    );
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.code).toBe(40010);
    expect(body.properties.issues.map((i: { option: string }) => i.option).sort()).toEqual(["_bh_regular1", "_timezone"]);
    expect((await env.store.getService("oh"))!.options).toEqual(before);
  });

  it("refuses to save a service of another kind or an unknown one (404)", async () => {
    const r = await ohSave.PUT(req("PUT", "/x", { options: { _timezone: "UTC" } }), params({ service: "cap" }));
    expect(r.status).toBe(404);
    expect((await env.store.getService("cap"))!.kind).toBe("capacity");
  });

  it("a monitor and a supervisor get 403 on save but may preview; the preview stores nothing", async () => {
    for (const role of ["monitor", "supervisor"] as const) {
      session.user = { username: "mo", role };
      const r = await capSave.PUT(req("PUT", "/x", { options: { _timezone: "UTC" } }), params({ service: "cap" }));
      expect(r.status).toBe(403);
      const o = await ohSave.PUT(req("PUT", "/x", { options: { _timezone: "UTC" } }), params({ service: "oh" }));
      expect(o.status).toBe(403);
    }
    const p = await ohPreview.POST(req("POST", "/x", { options: { _timezone: "UTC", _bh_regular1: "Sun 1:00-2:00" }, week: "2026-06-01" }));
    expect(p.status).toBe(200);
    expect((await p.json()).days[6].open[0].from).toBe("01:00 UTC");
    const c = await capPreview.POST(
      req("POST", "/x", { options: { _timezone: "UTC", _capacity_1: '{"1":{"0100":7}}' }, week: "2026-06-01" }),
    );
    expect((await c.json()).days[0].cells.slice(0, 2)).toEqual([0, 7]);
    expect((await env.store.getService("oh"))!.options._bh_regular1).toBe("Mon-Fri 9:00-17:00");
  });

  it("a preview of options the engine cannot parse answers 400 with the engine's message", async () => {
    const p = await ohPreview.POST(
      req("POST", "/x", { options: { _timezone: "UTC", _bh_regular1: "Funday 1:00-2:00" }, week: "2026-06-01" }),
    );
    expect(p.status).toBe(400);
    expect((await p.json()).message).toContain('unknown day name "Funday"');
  });
});
