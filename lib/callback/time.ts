// Time on the wire: responses are ISO 8601 UTC `yyyy-MM-ddTHH:mm:ss.SSSZ`; inputs accept any ISO 8601 with an
// offset (incl. the basic form `-0500`), a zone-less time in a given zone (UTC unless told), or epoch ms.
import { DateTime, IANAZone } from "luxon";

export const iso = (ms: number) => new Date(ms).toISOString();

const MIN = Date.parse("1970-01-01T00:00:00Z");
const MAX = Date.parse("2200-01-01T00:00:00Z");

/** Parses a client time; returns epoch ms or null when it is not a time. */
export function parseTime(input: unknown, zone = "UTC"): number | null {
  if (typeof input === "number") return Number.isFinite(input) && input >= MIN && input < MAX ? Math.trunc(input) : null;
  if (typeof input !== "string") return null;
  const s = input.trim();
  if (!s) return null;
  if (/^\d{10,14}$/.test(s)) return parseTime(Number(s));
  // a date is required: luxon would complete a bare time ("10:00") with the real system date, not the engine clock
  if (!/^[+-]?\d{4}/.test(s)) return null;
  // a zone-less date-time or date: read in `zone`; with an offset or Z, setZone keeps it
  const dt = DateTime.fromISO(s, { zone, setZone: true });
  if (!dt.isValid || Math.abs(dt.offset) > 18 * 60) return null; // offsets beyond ±18:00 do not exist (java.time's range)
  const ms = dt.toMillis();
  return ms >= MIN && ms < MAX ? ms : null;
}

// An instant's offset in a zone never changes, so offsets are kept across requests; each zone keeps at most
// HOURS_KEPT hours (about 11 years), then starts again.
const HOURS_KEPT = 100_000;
const hourOffsets = new Map<string, Map<number, number>>();

/** The offset (minutes) of `zone` at the start of UTC hour h (ms / 36e5), remembered per zone and hour. */
export function hourOffsetLookup(zone: string): (h: number) => number {
  let m = hourOffsets.get(zone);
  if (!m || m.size > HOURS_KEPT) hourOffsets.set(zone, (m = new Map()));
  const cache = m;
  const z = IANAZone.create(zone);
  return (h) => {
    let o = cache.get(h);
    if (o === undefined) cache.set(h, (o = z.offset(h * 36e5)));
    return o;
  };
}

/** A duration of an option such as `_reject_future_desired_time` or `completed-retention` (`30d`, `1M`). */
export interface Duration {
  amount: number;
  unit: "s" | "m" | "h" | "d" | "M";
}

const UNIT_MS = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 } as const;

/** ms + d. `M` is a calendar month in UTC, clamped to the month's end (31 Jan + 1M = 28/29 Feb, like java.time);
 * the other units are fixed lengths. */
export function addDuration(ms: number, d: Duration): number {
  if (d.unit === "M") return DateTime.fromMillis(ms, { zone: "utc" }).plus({ months: d.amount }).toMillis();
  return ms + d.amount * UNIT_MS[d.unit];
}
