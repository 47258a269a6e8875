import { describe, it, expect } from "vitest";
import { DateTime } from "luxon";
import { capacityLookup, capacityPeriods } from "../lib/callback/capacity";
import { parseCapacityPlan, validateCapacityOption, type CapacityPlan, type DaySchedule } from "../lib/callback/capacity-grammar";

const MIN = 60_000;
const utc = (iso: string) => Date.parse(iso);
const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();

/** Reference: luxon per call, capacity = schedule value at the local wall-clock minute. */
function reference(plan: CapacityPlan, t: number): number {
  const dt = DateTime.fromMillis(t, { zone: plan.zone });
  const schedule: DaySchedule = plan.exceptions.get(dt.toISODate()!) ?? plan.weekly[dt.weekday] ?? [];
  const minute = dt.hour * 60 + dt.minute;
  let c = 0;
  for (const p of schedule) if (p.minute <= minute) c = p.capacity;
  return c;
}

const weekdayPlan = {
  _service: "capacity",
  _timezone: "America/New_York",
  _capacity_1: '{"1": {"0800": 10, "1200": 5, "1300": 10, "1700": 0}}',
  _capacity_3: { "3": { "0900": 7 } },
  _capacity_2: "",
  _capacity_add: "",
  _max_capacity: "",
};

describe("parseCapacityPlan / capacityLookup", () => {
  it("applies the weekday schedule (JSON text or object), 0 before the first key and on days without a schedule", () => {
    const plan = parseCapacityPlan(weekdayPlan);
    expect(plan.zone).toBe("America/New_York");
    expect(plan.maxCapacity).toBe(1000);
    const cap = capacityLookup(plan);
    const z = "America/New_York";
    // 2024-01-08 is a Monday
    expect(cap(local("2024-01-08T00:00", z))).toBe(0);
    expect(cap(local("2024-01-08T07:55", z))).toBe(0);
    expect(cap(local("2024-01-08T08:00", z))).toBe(10);
    expect(cap(local("2024-01-08T11:55", z))).toBe(10);
    expect(cap(local("2024-01-08T12:00", z))).toBe(5);
    expect(cap(local("2024-01-08T12:55", z))).toBe(5);
    expect(cap(local("2024-01-08T13:00", z))).toBe(10);
    expect(cap(local("2024-01-08T16:55", z))).toBe(10);
    expect(cap(local("2024-01-08T17:00", z))).toBe(0);
    expect(cap(local("2024-01-08T23:55", z))).toBe(0);
    // Tuesday: "" = not set → 0 all day; Wednesday from an object value
    expect(cap(local("2024-01-09T10:00", z))).toBe(0);
    expect(cap(local("2024-01-10T08:55", z))).toBe(0);
    expect(cap(local("2024-01-10T09:00", z))).toBe(7);
    expect(cap(local("2024-01-10T23:55", z))).toBe(7);
    // Sunday without schedule
    expect(cap(local("2024-01-14T12:00", z))).toBe(0);
    // next Monday again (out of order: going back in time)
    expect(cap(local("2024-01-15T12:30", z))).toBe(5);
    expect(cap(local("2024-01-08T12:30", z))).toBe(5);
  });

  it("the bucket capacity is the value at its start instant", () => {
    const plan = parseCapacityPlan({ _timezone: "UTC", _capacity_1: { "1": { "0815": 4 } } });
    const cap = capacityLookup(plan);
    expect(cap(utc("2024-01-08T08:00:00Z"))).toBe(0); // a 30-min bucket 08:00-08:30 starts before 08:15
    expect(cap(utc("2024-01-08T08:15:00Z"))).toBe(4);
    expect(cap(utc("2024-01-08T08:30:00Z"))).toBe(4);
  });

  it("defaults the zone to UTC and accepts numeric strings", () => {
    const plan = parseCapacityPlan({ _capacity_1: '{"1": {"0000": "12"}}', _max_capacity: "20" });
    expect(plan.zone).toBe("UTC");
    expect(plan.maxCapacity).toBe(20);
    expect(capacityLookup(plan)(utc("2024-01-08T00:00:00Z"))).toBe(12);
    expect(capacityLookup(plan)(utc("2024-01-07T23:55:00Z"))).toBe(0);
  });

  it("_capacity_add replaces the schedule of that date", () => {
    const plan = parseCapacityPlan({
      ...weekdayPlan,
      _capacity_add: '{"2024-01-08": {"1000": 3, "1400": 0}, "2024-01-09": {"0000": 2}, "2024-01-10": {}}',
    });
    const cap = capacityLookup(plan);
    const z = "America/New_York";
    expect(cap(local("2024-01-08T08:00", z))).toBe(0); // weekly 0800 no longer applies
    expect(cap(local("2024-01-08T10:00", z))).toBe(3);
    expect(cap(local("2024-01-08T13:55", z))).toBe(3);
    expect(cap(local("2024-01-08T14:00", z))).toBe(0);
    expect(cap(local("2024-01-09T00:00", z))).toBe(2); // a Tuesday without weekly schedule
    expect(cap(local("2024-01-10T12:00", z))).toBe(0); // {} = closed all day
    expect(cap(local("2024-01-15T08:00", z))).toBe(10); // the next Monday is back to weekly
  });

  it("_max_capacity caps every value (default 1000)", () => {
    const opts = { _timezone: "UTC", _capacity_1: { "1": { "0000": 5000, "1200": 30 } }, _capacity_add: { "2024-01-09": { "0000": 99 } } };
    const dflt = capacityLookup(parseCapacityPlan(opts));
    expect(dflt(utc("2024-01-08T01:00:00Z"))).toBe(1000);
    expect(dflt(utc("2024-01-08T13:00:00Z"))).toBe(30);
    const capped = capacityLookup(parseCapacityPlan({ ...opts, _max_capacity: 25 }));
    expect(capped(utc("2024-01-08T01:00:00Z"))).toBe(25);
    expect(capped(utc("2024-01-08T13:00:00Z"))).toBe(25);
    expect(capped(utc("2024-01-09T13:00:00Z"))).toBe(25);
    expect(capacityLookup(parseCapacityPlan({ ...opts, _max_capacity: 0 }))(utc("2024-01-08T13:00:00Z"))).toBe(0);
  });

  it("is DST-correct in America/New_York (spring-forward gap and fall-back fold)", () => {
    // 2024-03-10 and 2024-11-03 are Sundays
    const plan = parseCapacityPlan({
      _timezone: "America/New_York",
      _capacity_7: { "7": { "0000": 1, "0130": 2, "0230": 5, "0400": 3, "1200": 4 } },
    });
    const cap = capacityLookup(plan);
    // spring forward: 02:00 EST (07:00Z) → 03:00 EDT; 02:30 does not exist, it takes effect at 03:00 EDT
    expect(cap(utc("2024-03-10T05:00:00Z"))).toBe(1); // 00:00 EST
    expect(cap(utc("2024-03-10T06:30:00Z"))).toBe(2); // 01:30 EST
    expect(cap(utc("2024-03-10T06:55:00Z"))).toBe(2); // 01:55 EST
    expect(cap(utc("2024-03-10T07:00:00Z"))).toBe(5); // 03:00 EDT
    expect(cap(utc("2024-03-10T07:55:00Z"))).toBe(5); // 03:55 EDT
    expect(cap(utc("2024-03-10T08:00:00Z"))).toBe(3); // 04:00 EDT
    expect(cap(utc("2024-03-10T16:00:00Z"))).toBe(4); // 12:00 EDT
    expect(cap(utc("2024-03-11T03:55:00Z"))).toBe(4); // 23:55 EDT
    expect(cap(utc("2024-03-11T04:00:00Z"))).toBe(0); // Monday 00:00 EDT
    // fall back: 02:00 EDT (06:00Z) → 01:00 EST; the repeated wall-clock hour repeats the schedule
    expect(cap(utc("2024-11-03T04:00:00Z"))).toBe(1); // 00:00 EDT
    expect(cap(utc("2024-11-03T05:00:00Z"))).toBe(1); // 01:00 EDT
    expect(cap(utc("2024-11-03T05:30:00Z"))).toBe(2); // 01:30 EDT
    expect(cap(utc("2024-11-03T06:00:00Z"))).toBe(1); // 01:00 EST (again)
    expect(cap(utc("2024-11-03T06:30:00Z"))).toBe(2); // 01:30 EST (again)
    expect(cap(utc("2024-11-03T07:30:00Z"))).toBe(5); // 02:30 EST
    expect(cap(utc("2024-11-03T09:00:00Z"))).toBe(3); // 04:00 EST
    expect(cap(utc("2024-11-04T04:55:00Z"))).toBe(4); // 23:55 EST
    expect(cap(utc("2024-11-04T05:00:00Z"))).toBe(0); // Monday 00:00 EST
  });

  it("works in Asia/Kolkata (UTC+05:30, keys fall on half-hours in UTC)", () => {
    const plan = parseCapacityPlan({ _timezone: "Asia/Kolkata", _capacity_1: '{"1":{"0930":8,"1800":0}}' });
    const cap = capacityLookup(plan);
    expect(cap(utc("2024-01-08T03:30:00Z"))).toBe(0); // 09:00 IST
    expect(cap(utc("2024-01-08T04:00:00Z"))).toBe(8); // 09:30 IST
    expect(cap(utc("2024-01-08T12:25:00Z"))).toBe(8); // 17:55 IST
    expect(cap(utc("2024-01-08T12:30:00Z"))).toBe(0); // 18:00 IST
    // Monday IST starts at Sunday 18:30Z
    const allDay = capacityLookup(parseCapacityPlan({ _timezone: "Asia/Kolkata", _capacity_1: { "1": { "0000": 2 } } }));
    expect(allDay(utc("2024-01-07T18:25:00Z"))).toBe(0);
    expect(allDay(utc("2024-01-07T18:30:00Z"))).toBe(2);
    expect(allDay(utc("2024-01-08T18:25:00Z"))).toBe(2);
    expect(allDay(utc("2024-01-08T18:30:00Z"))).toBe(0);
  });

  it("handles zones whose DST changes at midnight (America/Santiago)", () => {
    // 2024-09-08 (Sunday): 00:00 -04 → 01:00 -03, the day starts at 01:00 local
    const plan = parseCapacityPlan({ _timezone: "America/Santiago", _capacity_7: { "7": { "0000": 6, "0200": 9 } } });
    const cap = capacityLookup(plan);
    expect(cap(utc("2024-09-08T03:55:00Z"))).toBe(0); // Saturday 23:55 -04
    expect(cap(utc("2024-09-08T04:00:00Z"))).toBe(6); // Sunday 01:00 -03
    expect(cap(utc("2024-09-08T05:00:00Z"))).toBe(9); // 02:00 -03
    expect(cap(utc("2024-09-09T02:55:00Z"))).toBe(9); // 23:55 -03
    expect(cap(utc("2024-09-09T03:00:00Z"))).toBe(0); // Monday
  });
});

describe("validateCapacityOption", () => {
  it("accepts good values and ignores other names", () => {
    expect(validateCapacityOption("_timezone", "Europe/Paris")).toBeNull();
    expect(validateCapacityOption("_timezone", "")).toBeNull();
    expect(validateCapacityOption("_capacity_1", '{"1":{"0800":10,"1700":0}}')).toBeNull();
    expect(validateCapacityOption("_capacity_7", { "7": {} })).toBeNull();
    expect(validateCapacityOption("_capacity_3", "")).toBeNull();
    expect(validateCapacityOption("_capacity_add", { "2024-02-29": { "0000": 1 } })).toBeNull();
    expect(validateCapacityOption("_max_capacity", 50)).toBeNull();
    expect(validateCapacityOption("_max_capacity", "50")).toBeNull();
    expect(validateCapacityOption("_service", "capacity")).toBeNull();
    expect(validateCapacityOption("_capacity_8", "garbage")).toBeNull();
  });

  it("rejects malformed values with clear messages", () => {
    expect(validateCapacityOption("_capacity_1", '{"1": {"0800": 10')).toMatch(/^Invalid _capacity_1: not valid JSON/);
    expect(validateCapacityOption("_capacity_1", '{"2": {"0800": 10}}')).toMatch(/^Invalid _capacity_1: expected \{"1": .*found "2"/);
    expect(validateCapacityOption("_capacity_1", { "1": { "0800": 1 }, "2": {} })).toMatch(/single day key "1"/);
    expect(validateCapacityOption("_capacity_1", "[1,2]")).toMatch(/expected a JSON object/);
    expect(validateCapacityOption("_capacity_2", '{"2": {"930": 10}}')).toBe(
      'Invalid _capacity_2: "930" in day "2" is not a time HHMM (0000-2359)',
    );
    expect(validateCapacityOption("_capacity_2", '{"2": {"2400": 10}}')).toMatch(/is not a time HHMM/);
    expect(validateCapacityOption("_capacity_2", '{"2": {"0960": 10}}')).toMatch(/is not a time HHMM/);
    expect(validateCapacityOption("_capacity_2", '{"2": {"0900": -1}}')).toBe(
      'Invalid _capacity_2: capacity at "0900" in day "2" must be a non-negative integer, got -1',
    );
    expect(validateCapacityOption("_capacity_2", '{"2": {"0900": 2.5}}')).toMatch(/non-negative integer/);
    expect(validateCapacityOption("_capacity_2", '{"2": {"0900": "x"}}')).toMatch(/non-negative integer/);
    expect(validateCapacityOption("_capacity_2", '{"2": 5}')).toMatch(/must be an object/);
    expect(validateCapacityOption("_capacity_add", '{"2024-02-30": {"0900": 1}}')).toMatch(/"2024-02-30" is not a date/);
    expect(validateCapacityOption("_capacity_add", '{"2023-02-29": {}}')).toMatch(/is not a date/);
    expect(validateCapacityOption("_capacity_add", '{"12-25": {}}')).toMatch(/is not a date/);
    expect(validateCapacityOption("_capacity_add", '{"2024-12-25": {"noon": 1}}')).toMatch(/is not a time HHMM/);
    expect(validateCapacityOption("_timezone", "Mars/Olympus")).toMatch(/^Invalid _timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(validateCapacityOption("_max_capacity", -5)).toMatch(/^Invalid _max_capacity: .*non-negative integer/);
    expect(validateCapacityOption("_max_capacity", "lots")).toMatch(/non-negative integer/);
  });

  it("parseCapacityPlan throws the first error", () => {
    expect(() => parseCapacityPlan({ _timezone: "UTC", _capacity_4: '{"4": {"0800": -3}}' })).toThrow(
      /Invalid _capacity_4: capacity at "0800"/,
    );
    expect(() => parseCapacityPlan({ _timezone: "Nowhere/City" })).toThrow(/Invalid _timezone/);
  });
});

describe("ascending scans and random order agree", () => {
  const zones = ["America/New_York", "Asia/Kolkata", "Europe/London", "America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu"];
  const options = (zone: string) => ({
    _timezone: zone,
    _capacity_1: { "1": { "0000": 1, "0130": 2, "0215": 3, "0800": 10, "1245": 4, "1700": 0 } },
    _capacity_2: { "2": { "0100": 5, "0230": 6 } },
    _capacity_3: { "3": {} },
    _capacity_4: { "4": { "0000": 9 } },
    _capacity_5: { "5": { "2330": 11 } },
    _capacity_6: { "6": { "0159": 12, "0200": 13, "0300": 14 } },
    _capacity_7: { "7": { "0000": 15, "0100": 16, "0130": 17, "0200": 18, "0230": 19, "0300": 20 } },
    _capacity_add: { "2024-03-31": { "0100": 21, "0300": 22 }, "2024-10-27": { "0130": 23 } },
  });

  for (const zone of zones) {
    it(`matches a per-slot luxon reference in ${zone} over DST changes`, () => {
      const plan = parseCapacityPlan(options(zone));
      // 5-minute buckets over two windows that contain the 2024 DST changes of the northern/southern zones
      const windows: Array<[string, string]> = [
        ["2024-03-08T00:00:00Z", "2024-04-10T00:00:00Z"],
        ["2024-09-01T00:00:00Z", "2024-11-06T00:00:00Z"],
      ];
      const slots: number[] = [];
      for (const [a, b] of windows) for (let t = utc(a); t < utc(b); t += 5 * MIN) slots.push(t);
      const scan = capacityLookup(plan);
      const ascending = slots.map((t) => scan(t));
      expect(ascending).toEqual(slots.map((t) => reference(plan, t)));

      // pseudo-random order with a fresh lookup, and again with the already-used one
      let seed = 12345;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const order = slots.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const fresh = capacityLookup(plan);
      for (const i of order.slice(0, 4000)) {
        expect(fresh(slots[i]!)).toBe(ascending[i]);
        expect(scan(slots[i]!)).toBe(ascending[i]);
      }
      // descending as well
      const desc = capacityLookup(plan);
      for (let i = slots.length - 1; i >= 0; i -= 7) expect(desc(slots[i]!)).toBe(ascending[i]);
    });
  }

  it("returns 0 for non-finite input", () => {
    const cap = capacityLookup(parseCapacityPlan(options("UTC")));
    expect(cap(Number.NaN)).toBe(0);
  });
});

describe("capacityPeriods", () => {
  it("lists constant-capacity periods with ISO UTC bounds and local starts", () => {
    const plan = parseCapacityPlan(weekdayPlan);
    const periods = capacityPeriods(plan, utc("2024-01-08T05:00:00Z"), utc("2024-01-10T05:00:00Z"));
    expect(periods).toEqual([
      { start: "2024-01-08T05:00:00.000Z", end: "2024-01-08T13:00:00.000Z", localStart: "2024-01-08T00:00:00.000", capacity: 0 },
      { start: "2024-01-08T13:00:00.000Z", end: "2024-01-08T17:00:00.000Z", localStart: "2024-01-08T08:00:00.000", capacity: 10 },
      { start: "2024-01-08T17:00:00.000Z", end: "2024-01-08T18:00:00.000Z", localStart: "2024-01-08T12:00:00.000", capacity: 5 },
      { start: "2024-01-08T18:00:00.000Z", end: "2024-01-08T22:00:00.000Z", localStart: "2024-01-08T13:00:00.000", capacity: 10 },
      // Monday 17:00 → Wednesday 09:00 is 0 (merged across the day boundaries), clipped at the range end
      { start: "2024-01-08T22:00:00.000Z", end: "2024-01-10T05:00:00.000Z", localStart: "2024-01-08T17:00:00.000", capacity: 0 },
    ]);
  });

  it("clips to the range, renders localStart in another zone, and is empty for an empty range", () => {
    const plan = parseCapacityPlan(weekdayPlan);
    const periods = capacityPeriods(plan, utc("2024-01-08T14:30:00Z"), utc("2024-01-08T17:30:00Z"), "Europe/Paris");
    expect(periods).toEqual([
      { start: "2024-01-08T14:30:00.000Z", end: "2024-01-08T17:00:00.000Z", localStart: "2024-01-08T15:30:00.000", capacity: 10 },
      { start: "2024-01-08T17:00:00.000Z", end: "2024-01-08T17:30:00.000Z", localStart: "2024-01-08T18:00:00.000", capacity: 5 },
    ]);
    expect(capacityPeriods(plan, utc("2024-01-08T14:30:00Z"), utc("2024-01-08T14:30:00Z"))).toEqual([]);
    expect(() => capacityPeriods(plan, 0, 1000, "Bad/Zone")).toThrow(/Invalid time zone/);
    expect(() => capacityPeriods(plan, 0, 1000 * 86_400_000)).toThrow(RangeError);
  });

  it("covers a DST day contiguously and agrees with capacityLookup", () => {
    const plan = parseCapacityPlan({
      _timezone: "America/New_York",
      _capacity_7: { "7": { "0000": 1, "0130": 2, "0300": 3 } },
    });
    const from = utc("2024-11-03T04:00:00Z");
    const to = utc("2024-11-04T05:00:00Z"); // the 25-hour local Sunday
    const periods = capacityPeriods(plan, from, to);
    expect(periods.map((p) => [p.localStart, p.capacity])).toEqual([
      ["2024-11-03T00:00:00.000", 1],
      ["2024-11-03T01:30:00.000", 2], // 01:30 EDT
      ["2024-11-03T01:00:00.000", 1], // 01:00 EST, the repeated hour
      ["2024-11-03T01:30:00.000", 2], // 01:30 EST
      ["2024-11-03T03:00:00.000", 3],
    ]);
    expect(periods[0]!.start).toBe(new Date(from).toISOString());
    expect(periods[periods.length - 1]!.end).toBe(new Date(to).toISOString());
    for (let i = 1; i < periods.length; i++) expect(periods[i]!.start).toBe(periods[i - 1]!.end);
    const cap = capacityLookup(plan);
    for (const p of periods) expect(cap(Date.parse(p.start))).toBe(p.capacity);
  });
});
