import { describe, it, expect } from "vitest";
import { calendarDays, officeStatusAt, openRanges } from "../lib/callback/office-hours";
import { parseOfficeHours, validateOfficeHoursOption, type OfficeHours } from "../lib/callback/office-hours-grammar";

const ms = (iso: string): number => {
  const v = Date.parse(iso);
  if (Number.isNaN(v)) throw new Error(`bad test timestamp ${iso}`);
  return v;
};
const iso = (v: number): string => new Date(v).toISOString();
const ranges = (cal: OfficeHours, from: string, to: string): Array<[string, string]> =>
  openRanges(cal, ms(from), ms(to)).map(([s, e]) => [iso(s), iso(e)]);
const status = (cal: OfficeHours, at: string) => officeStatusAt(cal, ms(at));

const weekdays9to5 = (zone: string, extra: Record<string, unknown> = {}): OfficeHours =>
  parseOfficeHours({ _service: "office-hours", _timezone: zone, _bh_regular1: "Mon-Fri 9:00-17:00", ...extra });

describe("office hours: DST (America/New_York, Mon-Fri 9:00-17:00)", () => {
  const cal = weekdays9to5("America/New_York");

  it("keeps 9:00 local opening across the spring-forward transition (EST -5 before, EDT -4 after)", () => {
    // Fri 2026-03-06 is EST, Sun 2026-03-08 springs forward, Mon 2026-03-09 is EDT.
    expect(ranges(cal, "2026-03-06T00:00:00Z", "2026-03-11T00:00:00Z")).toEqual([
      ["2026-03-06T14:00:00.000Z", "2026-03-06T22:00:00.000Z"],
      ["2026-03-09T13:00:00.000Z", "2026-03-09T21:00:00.000Z"],
      ["2026-03-10T13:00:00.000Z", "2026-03-10T21:00:00.000Z"],
    ]);
  });

  it("keeps 9:00 local opening across the fall-back transition (EDT -4 before, EST -5 after)", () => {
    // Fri 2026-10-30 is EDT, Sun 2026-11-01 falls back, Mon 2026-11-02 is EST.
    expect(ranges(cal, "2026-10-30T00:00:00Z", "2026-11-03T00:00:00Z")).toEqual([
      ["2026-10-30T13:00:00.000Z", "2026-10-30T21:00:00.000Z"],
      ["2026-11-02T14:00:00.000Z", "2026-11-02T22:00:00.000Z"],
    ]);
  });

  it("reports open at 9:00 local and closed at 8:59 local on both sides of spring-forward", () => {
    expect(status(cal, "2026-03-06T14:00:00Z")).toEqual({ open: true }); // Fri 9:00 EST
    expect(status(cal, "2026-03-06T13:59:00Z")).toEqual({ open: false, reason: "closed_no_match" });
    expect(status(cal, "2026-03-09T13:00:00Z")).toEqual({ open: true }); // Mon 9:00 EDT
    expect(status(cal, "2026-03-09T12:59:00Z")).toEqual({ open: false, reason: "closed_no_match" });
    expect(status(cal, "2026-03-09T21:00:00Z")).toEqual({ open: false, reason: "closed_no_match" }); // 17:00 end exclusive
  });

  it("makes 00:00-24:00 on the spring-forward day 23 hours and on the fall-back day 25 hours long", () => {
    const allWeek = parseOfficeHours({ _timezone: "America/New_York", _bh_regular1: "Sun 00:00-24:00" });
    expect(ranges(allWeek, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      ["2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"],
    ]);
    expect(ranges(allWeek, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z")).toEqual([
      ["2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z"],
    ]);
  });

  it("opens a range starting inside the spring-forward gap when the gap ends (02:30 → from 03:00 EDT): rules follow the wall clock", () => {
    const gap = parseOfficeHours({ _timezone: "America/New_York", _bh_regular1: "Sun 2:30-4:00" });
    expect(ranges(gap, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z")).toEqual([["2026-03-08T07:00:00.000Z", "2026-03-08T08:00:00.000Z"]]);
  });

  it("covers a repeated fall-back hour each time the wall clock shows it (1:30-3:00: 01:30 EDT-02:00 EDT, then 01:30 EST-03:00 EST)", () => {
    const overlap = parseOfficeHours({ _timezone: "America/New_York", _bh_regular1: "Sun 1:30-3:00" });
    expect(ranges(overlap, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")).toEqual([
      ["2026-11-01T05:30:00.000Z", "2026-11-01T06:00:00.000Z"],
      ["2026-11-01T06:30:00.000Z", "2026-11-01T08:00:00.000Z"],
    ]);
  });
});

describe("office hours: zones and shapes of regular ranges", () => {
  it("applies the +5:30 offset of Asia/Kolkata", () => {
    const cal = parseOfficeHours({ _timezone: "Asia/Kolkata", _bh_regular1: "Mon-Fri 9:00-17:30" });
    // Mon 2026-01-05 09:00 IST = 03:30Z, 17:30 IST = 12:00Z
    expect(ranges(cal, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")).toEqual([["2026-01-05T03:30:00.000Z", "2026-01-05T12:00:00.000Z"]]);
    // local date is Tue 2026-01-06 at 03:29:59Z + 5:30 = 08:59:59 -> closed; 03:30Z -> open
    expect(status(cal, "2026-01-06T03:29:59Z")).toEqual({ open: false, reason: "closed_no_match" });
    expect(status(cal, "2026-01-06T03:30:00Z")).toEqual({ open: true });
    // Sat 2026-01-10 00:10 IST is Fri 18:40Z: the local day (Saturday) decides the reason
    expect(status(cal, "2026-01-09T18:40:00Z")).toEqual({ open: false, reason: "closed_day_of_week" });
  });

  it("wraps a day range over the week end: Sat-Mon means Saturday, Sunday and Monday", () => {
    const cal = parseOfficeHours({ _timezone: "UTC", _bh_regular1: "Sat-Mon 10:00-14:00" });
    expect(status(cal, "2026-01-02T12:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" }); // Fri
    expect(status(cal, "2026-01-03T12:00:00Z")).toEqual({ open: true }); // Sat
    expect(status(cal, "2026-01-04T12:00:00Z")).toEqual({ open: true }); // Sun
    expect(status(cal, "2026-01-05T12:00:00Z")).toEqual({ open: true }); // Mon
    expect(status(cal, "2026-01-06T12:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" }); // Tue
  });

  it("accepts full day names, any case, and comma-separated lists of days and ranges", () => {
    const cal = parseOfficeHours({ _timezone: "UTC", _bh_regular7: "monday,Wednesday-FRI 9:00-17:00" });
    expect(status(cal, "2026-01-05T10:00:00Z")).toEqual({ open: true }); // Mon
    expect(status(cal, "2026-01-06T10:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" }); // Tue
    expect(status(cal, "2026-01-07T10:00:00Z")).toEqual({ open: true }); // Wed
    expect(status(cal, "2026-01-09T10:00:00Z")).toEqual({ open: true }); // Fri
  });

  it("combines several _bh_regular<n> entries and several time ranges of one entry", () => {
    const cal = parseOfficeHours({
      _timezone: "UTC",
      _bh_regular: "Mon 8:00-12:00,13:00-17:00",
      _bh_regular2: "Mon 11:00-13:30",
    });
    expect(ranges(cal, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")).toEqual([["2026-01-05T08:00:00.000Z", "2026-01-05T17:00:00.000Z"]]);
  });

  describe("midnight-wrapping 19:00-7:00 on Mon-Fri (UTC)", () => {
    const cal = parseOfficeHours({ _timezone: "UTC", _bh_regular1: "Mon-Fri 19:00-7:00" });

    it("opens 19:00 until 07:00 the next morning, merged across midnight", () => {
      expect(ranges(cal, "2026-01-09T00:00:00Z", "2026-01-11T00:00:00Z")).toEqual([
        ["2026-01-09T00:00:00.000Z", "2026-01-09T07:00:00.000Z"], // Thursday's tail
        ["2026-01-09T19:00:00.000Z", "2026-01-10T07:00:00.000Z"], // Friday night into Saturday
      ]);
    });

    it("counts the wrapped 00:00-07:00 tail as an opening of the next day (Saturday noon is closed_no_match)", () => {
      expect(status(cal, "2026-01-10T06:59:00Z")).toEqual({ open: true });
      expect(status(cal, "2026-01-10T12:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
      expect(status(cal, "2026-01-11T12:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" }); // Sunday
    });

    it("has no tail on Monday morning because Sunday has no range", () => {
      expect(status(cal, "2026-01-12T03:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
      expect(status(cal, "2026-01-13T03:00:00Z")).toEqual({ open: true }); // Tuesday, tail of Monday
    });

    it("splits the wrapped range between the two local dates in calendarDays", () => {
      const days = calendarDays(cal, ms("2026-01-09T00:00:00Z"), ms("2026-01-11T00:00:00Z"));
      expect(days).toStrictEqual([
        {
          date: "2026-01-09",
          open: [
            { start: "2026-01-09T00:00:00.000Z", end: "2026-01-09T07:00:00.000Z" },
            { start: "2026-01-09T19:00:00.000Z", end: "2026-01-10T00:00:00.000Z" },
          ],
        },
        { date: "2026-01-10", open: [{ start: "2026-01-10T00:00:00.000Z", end: "2026-01-10T07:00:00.000Z" }] },
      ]);
    });
  });

  it("treats 00:00-24:00 as the whole day and merges consecutive all-day days into one range", () => {
    const cal = parseOfficeHours({ _timezone: "Europe/Paris", _bh_regular1: "Mon-Sun 00:00-24:00" });
    expect(ranges(cal, "2026-01-05T00:00:00Z", "2026-01-08T00:00:00Z")).toEqual([["2026-01-05T00:00:00.000Z", "2026-01-08T00:00:00.000Z"]]);
    expect(status(cal, "2026-01-04T23:00:00Z")).toEqual({ open: true }); // Mon 00:00 CET
  });

  it("clips open ranges to the requested window", () => {
    const cal = weekdays9to5("UTC");
    expect(ranges(cal, "2026-01-05T10:30:00Z", "2026-01-05T12:00:00Z")).toEqual([["2026-01-05T10:30:00.000Z", "2026-01-05T12:00:00.000Z"]]);
    expect(ranges(cal, "2026-01-05T18:00:00Z", "2026-01-05T18:00:00Z")).toEqual([]);
  });
});

describe("office hours: special days", () => {
  it("opens on a yearly MM-DD add every year, even on a weekend", () => {
    const cal = weekdays9to5("UTC", { _bh_add1: "12-26 10:00-14:00" });
    expect(status(cal, "2026-12-26T11:00:00Z")).toEqual({ open: true }); // Saturday
    expect(status(cal, "2027-12-26T11:00:00Z")).toEqual({ open: true }); // Sunday
    expect(status(cal, "2027-12-26T15:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
    expect(status(cal, "2027-12-27T08:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
  });

  it("lets a dated add open a weekday that is otherwise closed", () => {
    const cal = weekdays9to5("America/New_York", { _bh_add2: "2026-03-14 10:00-12:00" }); // Saturday
    expect(ranges(cal, "2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z")).toEqual([["2026-03-14T14:00:00.000Z", "2026-03-14T16:00:00.000Z"]]);
    expect(status(cal, "2026-03-14T15:00:00Z")).toEqual({ open: true });
    expect(status(cal, "2026-03-14T17:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
    expect(status(cal, "2026-03-21T15:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" }); // next Sat
  });

  it("closes a yearly MM-DD holiday every year with closed_holiday", () => {
    const cal = weekdays9to5("UTC", { _holiday1: "12-25" });
    expect(status(cal, "2026-12-25T10:00:00Z")).toEqual({ open: false, reason: "closed_holiday" }); // Fri
    expect(status(cal, "2028-12-25T10:00:00Z")).toEqual({ open: false, reason: "closed_holiday" }); // Mon
    expect(status(cal, "2026-12-24T10:00:00Z")).toEqual({ open: true });
  });

  it("closes a dated holiday only in its year", () => {
    const cal = weekdays9to5("America/New_York", { _holiday2: "2026-07-03" }); // Friday
    expect(status(cal, "2026-07-03T15:00:00Z")).toEqual({ open: false, reason: "closed_holiday" });
    expect(ranges(cal, "2026-07-03T00:00:00Z", "2026-07-07T00:00:00Z")).toEqual([["2026-07-06T13:00:00.000Z", "2026-07-06T21:00:00.000Z"]]);
    expect(status(cal, "2027-07-02T15:00:00Z")).toEqual({ open: true }); // Fri 2027-07-02, not a holiday
  });

  it("closes only part of the day with a partial-day drop", () => {
    const cal = weekdays9to5("UTC", { _bh_drop1: "2026-03-11 12:00-14:00" }); // Wednesday
    expect(ranges(cal, "2026-03-11T00:00:00Z", "2026-03-12T00:00:00Z")).toEqual([
      ["2026-03-11T09:00:00.000Z", "2026-03-11T12:00:00.000Z"],
      ["2026-03-11T14:00:00.000Z", "2026-03-11T17:00:00.000Z"],
    ]);
    expect(status(cal, "2026-03-11T13:00:00Z")).toEqual({ open: false, reason: "closed_holiday" });
    expect(status(cal, "2026-03-11T15:00:00Z")).toEqual({ open: true });
    expect(status(cal, "2026-03-11T18:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
  });

  it("gives drop/holiday precedence over add", () => {
    const cal = weekdays9to5("UTC", { _bh_add1: "2026-03-14 10:00-12:00", _bh_drop1: "2026-03-14" });
    expect(status(cal, "2026-03-14T11:00:00Z")).toEqual({ open: false, reason: "closed_holiday" });
    expect(ranges(cal, "2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z")).toEqual([]);
  });

  it("is closed outside all effective date ranges (closed_no_match) and open inside them, bounds inclusive", () => {
    const cal = weekdays9to5("UTC", {
      _effective_dates1: "2026-04-01 to 2026-04-30",
      _effective_dates2: "2026-06-01 to 2026-06-30",
    });
    expect(status(cal, "2026-03-31T10:00:00Z")).toEqual({ open: false, reason: "closed_no_match" }); // Tue
    expect(status(cal, "2026-04-01T10:00:00Z")).toEqual({ open: true }); // Wed
    expect(status(cal, "2026-04-30T10:00:00Z")).toEqual({ open: true }); // Thu
    expect(status(cal, "2026-05-01T10:00:00Z")).toEqual({ open: false, reason: "closed_no_match" }); // Fri
    expect(status(cal, "2026-06-01T10:00:00Z")).toEqual({ open: true }); // Mon
    expect(ranges(cal, "2026-04-30T00:00:00Z", "2026-05-02T00:00:00Z")).toEqual([["2026-04-30T09:00:00.000Z", "2026-04-30T17:00:00.000Z"]]);
  });
});

describe("office hours: closed reasons", () => {
  const cal = weekdays9to5("UTC", { _holiday1: "2026-01-07" });

  it("says closed_day_of_week on a weekday without any regular range", () => {
    expect(status(cal, "2026-01-10T10:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" });
  });

  it("says closed_holiday when a holiday covers the instant", () => {
    expect(status(cal, "2026-01-07T10:00:00Z")).toEqual({ open: false, reason: "closed_holiday" });
  });

  it("says closed_no_match when the day has openings but not at that time", () => {
    expect(status(cal, "2026-01-08T08:00:00Z")).toEqual({ open: false, reason: "closed_no_match" });
  });

  it("says open inside a regular range", () => {
    expect(status(cal, "2026-01-08T09:00:00Z")).toEqual({ open: true });
  });
});

describe("office hours: calendarDays", () => {
  it("returns one entry per local date with ISO UTC ranges and a closedReason only on closed days", () => {
    const cal = weekdays9to5("America/New_York", { _holiday1: "2026-03-10" });
    // Fri 2026-03-06 00:00 EST .. Wed 2026-03-11 00:00 EDT
    const days = calendarDays(cal, ms("2026-03-06T05:00:00Z"), ms("2026-03-11T04:00:00Z"));
    expect(days).toStrictEqual([
      { date: "2026-03-06", open: [{ start: "2026-03-06T14:00:00.000Z", end: "2026-03-06T22:00:00.000Z" }] },
      { date: "2026-03-07", open: [], closedReason: "closed_day_of_week" },
      { date: "2026-03-08", open: [], closedReason: "closed_day_of_week" },
      { date: "2026-03-09", open: [{ start: "2026-03-09T13:00:00.000Z", end: "2026-03-09T21:00:00.000Z" }] },
      { date: "2026-03-10", open: [], closedReason: "closed_holiday" },
    ]);
  });

  it("includes a partly covered first day with its whole-day openings, and marks days outside effective dates", () => {
    const cal = weekdays9to5("UTC", { _effective_dates1: "2026-01-05 to 2026-01-05" });
    const days = calendarDays(cal, ms("2026-01-05T12:00:00Z"), ms("2026-01-06T12:00:00Z"));
    expect(days).toStrictEqual([
      { date: "2026-01-05", open: [{ start: "2026-01-05T09:00:00.000Z", end: "2026-01-05T17:00:00.000Z" }] },
      { date: "2026-01-06", open: [], closedReason: "closed_no_match" },
    ]);
  });

  it("returns an empty list for an empty window", () => {
    const cal = weekdays9to5("UTC");
    expect(calendarDays(cal, ms("2026-01-05T00:00:00Z"), ms("2026-01-05T00:00:00Z"))).toEqual([]);
  });
});

describe("office hours: caching", () => {
  it("resolves each local day once and reuses that resolution across openRanges and officeStatusAt calls", () => {
    const cal = weekdays9to5("America/New_York");
    const from = ms("2026-03-01T05:00:00Z");
    const to = from + 30 * 86_400_000;
    const first = openRanges(cal, from, to);
    expect(first).toHaveLength(21); // weekdays Mon 2026-03-02 .. Mon 2026-03-30
    const resolved = new Map(cal.days); // local day -> its resolution (object identity)
    expect(resolved.size).toBe(31);
    expect(openRanges(cal, from, to)).toEqual(first);
    officeStatusAt(cal, from + 3 * 86_400_000);
    // nothing resolved again: the same 31 objects, none replaced, none added
    expect(cal.days.size).toBe(31);
    for (const [day, res] of resolved) expect(cal.days.get(day)).toBe(res);
  });
});

describe("office hours: validation", () => {
  it("accepts well-formed values", () => {
    expect(validateOfficeHoursOption("_timezone", "America/New_York")).toBeNull();
    expect(validateOfficeHoursOption("_bh_regular", "Mon-Fri 9:00-17:00")).toBeNull();
    expect(validateOfficeHoursOption("_bh_regular12", "sat-mon 19:00-07:00")).toBeNull();
    expect(validateOfficeHoursOption("_bh_regular2", "Mon - Fri  09:00 - 24:00")).toBeNull();
    expect(validateOfficeHoursOption("_bh_add1", "2026-12-24 10:00-14:00")).toBeNull();
    expect(validateOfficeHoursOption("_bh_add2", "12-24 10:00-14:00")).toBeNull();
    expect(validateOfficeHoursOption("_bh_drop1", "02-29")).toBeNull();
    expect(validateOfficeHoursOption("_holiday3", "2026-07-03 12:00-14:00")).toBeNull();
    expect(validateOfficeHoursOption("_effective_dates", "2026-01-01 to 2026-12-31")).toBeNull();
  });

  it("ignores unrelated option names and empty (unset) values", () => {
    expect(validateOfficeHoursOption("_service", "office-hours")).toBeNull();
    expect(validateOfficeHoursOption("_bh_regular_x", "nonsense")).toBeNull();
    expect(validateOfficeHoursOption("_bh_regular1", "")).toBeNull();
  });

  it("names a bad day name", () => {
    const msg = validateOfficeHoursOption("_bh_regular1", "Mnd-Fri 9:00-17:00");
    expect(msg).toContain("_bh_regular1");
    expect(msg).toContain('unknown day name "Mnd"');
  });

  it("names a bad time", () => {
    expect(validateOfficeHoursOption("_bh_regular1", "Mon-Fri 9:00-25:00")).toContain('bad time "25:00"');
    expect(validateOfficeHoursOption("_bh_regular1", "Mon-Fri 9:60-17:00")).toContain('bad time "9:60"');
    expect(validateOfficeHoursOption("_bh_regular1", "Mon-Fri 9h-17h")).toContain('bad time "9h"');
    expect(validateOfficeHoursOption("_bh_regular1", "Mon-Fri 24:00-7:00")).toContain("only allowed as an end");
    expect(validateOfficeHoursOption("_bh_add1", "2026-12-24 10:00-10:00")).toContain("empty time range");
    expect(validateOfficeHoursOption("_bh_regular1", "Mon-Fri")).toContain("expected DDD[-DDD]");
  });

  it("names a bad date", () => {
    expect(validateOfficeHoursOption("_holiday1", "2026-02-30")).toContain('bad date "2026-02-30"');
    expect(validateOfficeHoursOption("_holiday1", "13-01")).toContain('bad date "13-01"');
    expect(validateOfficeHoursOption("_bh_add1", "Dec 24 10:00-14:00")).toContain("expected YYYY-MM-DD HH:mm-HH:mm");
    expect(validateOfficeHoursOption("_effective_dates1", "2026-12-31 to 2026-01-01")).toContain("after end date");
    expect(validateOfficeHoursOption("_effective_dates1", "01-01 to 2026-12-31")).toContain('bad date "01-01"');
    expect(validateOfficeHoursOption("_effective_dates1", "2026-01-01 2026-12-31")).toContain("expected YYYY-MM-DD to YYYY-MM-DD");
  });

  it("names a bad or missing time zone", () => {
    expect(validateOfficeHoursOption("_timezone", "Mars/Olympus_Mons")).toContain('unknown time zone "Mars/Olympus_Mons"');
    expect(validateOfficeHoursOption("_timezone", "")).toContain("_timezone");
  });

  it("refuses to parse a service without _timezone", () => {
    expect(() => parseOfficeHours({ _bh_regular1: "Mon-Fri 9:00-17:00" })).toThrow(/_timezone is required/);
    expect(() => parseOfficeHours({ _timezone: "", _bh_regular1: "Mon-Fri 9:00-17:00" })).toThrow(/_timezone is required/);
  });

  it("reports every malformed entry when parsing", () => {
    const bad = { _timezone: "Nowhere/City", _bh_regular1: "Funday 9:00-17:00", _holiday1: "2026-13-01" };
    expect(() => parseOfficeHours(bad)).toThrow(/_bh_regular1="Funday 9:00-17:00": unknown day name "Funday"/);
    expect(() => parseOfficeHours(bad)).toThrow(/_holiday1="2026-13-01": bad date "2026-13-01"/);
    expect(() => parseOfficeHours(bad)).toThrow(/_timezone="Nowhere\/City": unknown time zone/);
  });

  it("skips unset (empty or null) entries and validates non-string values as their string form", () => {
    const cal = parseOfficeHours({ _timezone: "UTC", _bh_regular1: "", _bh_regular2: null, _holiday1: "  " });
    expect(cal.zone).toBe("UTC");
    expect(status(cal, "2026-01-05T10:00:00Z")).toEqual({ open: false, reason: "closed_day_of_week" });
    expect(() => parseOfficeHours({ _timezone: "UTC", _bh_drop1: 5 })).toThrow(/_bh_drop1="5": bad date "5"/);
  });
});
