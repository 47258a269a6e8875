import { describe, it, expect } from "vitest";
import { DateTime } from "luxon";
import { zonedDay, dayNumberAt, dayNumberOfDate, wallMinuteAt } from "../lib/callback/zoned-day";
import { officeStatusAt } from "../lib/callback/office-hours";
import { parseOfficeHours } from "../lib/callback/office-hours-grammar";
import { capacityLookup } from "../lib/callback/capacity";
import { parseCapacityPlan } from "../lib/callback/capacity-grammar";

const H = 3_600_000;
const MIN = 60_000;
const day = (zone: string, date: string) => zonedDay(zone, dayNumberOfDate(date));

describe("zoned days", () => {
  it("makes a spring-forward day 23 hours and a fall-back day 25 hours long (America/New_York 2026)", () => {
    const spring = day("America/New_York", "2026-03-08");
    expect([new Date(spring.startMs).toISOString(), spring.endMs - spring.startMs]).toEqual(["2026-03-08T05:00:00.000Z", 23 * H]);
    const fall = day("America/New_York", "2026-11-01");
    expect([new Date(fall.startMs).toISOString(), fall.endMs - fall.startMs]).toEqual(["2026-11-01T04:00:00.000Z", 25 * H]);
    expect(fall.pieces.map((p) => p.offsetMin)).toEqual([-240, -300]);
  });

  it("starts a day whose midnight does not exist at the first instant showing it (America/Santiago 2024-09-08 00:00 → 01:00)", () => {
    const d = day("America/Santiago", "2024-09-08");
    expect(new Date(d.startMs).toISOString()).toBe("2024-09-08T04:00:00.000Z");
    expect(wallMinuteAt(d, d.startMs)).toBe(60);
    expect(d.weekday).toBe(7);
  });

  it("handles 30-minute DST (Australia/Lord_Howe) and +05:45 (Asia/Kathmandu)", () => {
    const lh = day("Australia/Lord_Howe", "2024-10-06");
    expect(lh.endMs - lh.startMs).toBe(23.5 * H);
    const kt = day("Asia/Kathmandu", "2026-01-05");
    expect([new Date(kt.startMs).toISOString(), kt.endMs - kt.startMs]).toEqual(["2026-01-04T18:15:00.000Z", 24 * H]);
  });

  it("maps every instant to the local date luxon gives it", () => {
    for (const zone of ["America/New_York", "Pacific/Chatham", "America/St_Johns"])
      for (let t = Date.parse("2024-03-01T00:00:00Z"); t < Date.parse("2024-04-15T00:00:00Z"); t += 17 * MIN) {
        const d = zonedDay(zone, dayNumberAt(zone, t));
        const dt = DateTime.fromMillis(t, { zone });
        expect(d.date).toBe(dt.toISODate());
        expect(t >= d.startMs && t < d.endMs).toBe(true);
        expect(wallMinuteAt(d, t)).toBe(dt.hour * 60 + dt.minute);
      }
  });
});

describe("office hours and capacity read DST days the same way", () => {
  // the same wall-clock schedule, written once as office hours and once as a capacity plan
  const RANGES = "0:30-2:15,2:45-3:30,23:30-24:00";
  const POINTS = { "0030": 1, "0215": 0, "0245": 1, "0330": 0, "2330": 1 };
  const ZONES = [
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
  ];
  /** Open when the wall clock shows a minute inside RANGES (the reference, from luxon per instant). */
  const reference = (zone: string, t: number) => {
    const dt = DateTime.fromMillis(t, { zone });
    const m = dt.hour * 60 + dt.minute;
    return (m >= 30 && m < 135) || (m >= 165 && m < 210) || m >= 1410;
  };
  /** The local dates of 2024 on which the zone changes its offset (or two plain days when it never does). */
  const transitionDays = (zone: string): string[] => {
    const out: string[] = [];
    for (let d = DateTime.fromISO("2024-01-01", { zone }); d.year === 2024; d = d.plus({ days: 1 }))
      if (d.startOf("day").offset !== d.endOf("day").offset) out.push(d.toISODate()!);
    return out.length ? out : ["2024-03-10", "2024-11-03"];
  };

  for (const zone of ZONES) {
    it(`agrees minute by minute on the DST days of ${zone}`, () => {
      const cal = parseOfficeHours({ _timezone: zone, _bh_regular1: `Mon-Sun ${RANGES}` });
      const weekly = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((n) => [`_capacity_${n}`, { [n]: POINTS }]));
      const capacity = capacityLookup(parseCapacityPlan({ _timezone: zone, ...weekly }));
      const days = transitionDays(zone);
      expect(days.length).toBeGreaterThan(0);
      for (const date of days) {
        const d = day(zone, date);
        for (let t = d.startMs - 2 * H; t < d.endMs + 2 * H; t += MIN) {
          const want = reference(zone, t);
          expect(officeStatusAt(cal, t).open, `${zone} ${new Date(t).toISOString()} office`).toBe(want);
          expect(capacity(t) > 0, `${zone} ${new Date(t).toISOString()} capacity`).toBe(want);
        }
      }
    });
  }
});
