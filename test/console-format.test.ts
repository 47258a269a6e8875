import { describe, it, expect } from "vitest";
import { DateTime } from "luxon";
import { formatFullTime, formatTime, relativeTime } from "../lib/console/format";

const H = 3_600_000;
const ZONES = [
  "America/New_York",
  "Europe/Paris",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/Santiago",
  "UTC",
  "Asia/Kathmandu",
  "Pacific/Chatham",
];
// every 37 minutes through a year: both DST changes of every zone, midnights, and odd minutes
const INSTANTS = Array.from({ length: Math.floor((366 * 24 * 60) / 37) }, (_, i) => Date.UTC(2026, 0, 1) + i * 37 * 60_000);

describe("console time formats", () => {
  it("writes the same text as luxon's `ccc d LLL, HH:mm ZZZZ` and `ccc d LLL yyyy, HH:mm:ss ZZZZ` in 8 zones over a year", () => {
    for (const zone of ZONES)
      for (const ms of INSTANTS.filter((_, i) => i % 31 === 0)) {
        const iso = new Date(ms + 5000).toISOString();
        const lux = DateTime.fromISO(iso, { zone, locale: "en-US" });
        expect(formatTime(iso, zone)).toBe(lux.toFormat("ccc d LLL, HH:mm ZZZZ"));
        expect(formatFullTime(iso, zone)).toBe(lux.toFormat("ccc d LLL yyyy, HH:mm:ss ZZZZ"));
      }
  });

  it("labels the hour after a fall-back change with the new zone name (New York 2026-11-01 01:30 EDT, then EST)", () => {
    expect(formatTime("2026-11-01T05:30:00.000Z", "America/New_York")).toBe("Sun 1 Nov, 01:30 EDT");
    expect(formatTime("2026-11-01T06:30:00.000Z", "America/New_York")).toBe("Sun 1 Nov, 01:30 EST");
  });

  it("gives relative hints as luxon's toRelative does, seconds to weeks ahead and behind, and months far away", () => {
    const base = Date.UTC(2026, 5, 10, 12, 0, 0); // no daylight-saving change within a month of it
    const diffs = [0, 999, 1000, 59_000, 61_000, 12 * 60_000, H - 1, H, 5.5 * H, 23.9 * H, 24 * H, 47 * H, 6 * 24 * H, 20 * 24 * H];
    for (const d of [...diffs, ...diffs.map((x) => -x), 40 * 24 * H, -400 * 24 * H]) {
      const iso = new Date(base + d).toISOString();
      expect([d, relativeTime(iso, base)]).toEqual([
        d,
        DateTime.fromISO(iso).toRelative({ base: DateTime.fromMillis(base), locale: "en-US" }),
      ]);
    }
  });
});
