// How the console writes times, zones and phone numbers (server and browser alike, so both render the same text).
import { DateTime } from "luxon";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** The zone cookie the picker writes and the server renders in. */
export const ZONE_COOKIE = "display_tz";

// Tables format hundreds of times per render: one cached Intl formatter per zone and shape, not a luxon DateTime
// per cell (≈20× faster; the output is luxon's `ccc d LLL, HH:mm ZZZZ`, which a test keeps equal).
const formatters = new Map<string, Intl.DateTimeFormat>();
function partsOf(ms: number, zone: string, full: boolean): Record<string, string> {
  const key = `${zone}|${full}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "short",
      day: "numeric",
      month: "short",
      ...(full ? { year: "numeric", second: "2-digit" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(key, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return parts;
}

/** `Tue 2 Dec, 09:30 EST`: absolute and labelled with its zone. */
export function formatTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = partsOf(ms, zone, false);
  return `${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** `Tue 2 Dec 2026, 09:30:05 EST`: for timelines, where seconds and the year matter. */
export function formatFullTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = partsOf(ms, zone, true);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "always" });
const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** `in 12 minutes` / `3 hours ago`: a hint beside an absolute time, never instead of it. */
export function relativeTime(iso: string, now: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const diff = ms - now;
  // months and years are calendar arithmetic: luxon's, on the rare hint that far away
  if (Math.abs(diff) >= 27 * 86_400_000)
    return DateTime.fromMillis(ms).toRelative({ base: DateTime.fromMillis(now), locale: "en-US" }) ?? "";
  for (const [unit, size] of RELATIVE_UNITS) {
    const n = Math.trunc(diff / size);
    if (n !== 0) return relative.format(n, unit);
  }
  return relative.format(diff < 0 ? -0 : 0, "second");
}

/** `EST · UTC−05:00` for a zone at a moment (abbreviations change with daylight saving time). */
export function zoneLabel(zone: string, now: number): string {
  const d = DateTime.fromMillis(now, { zone, locale: "en-US" });
  const offset = `UTC${d.toFormat("ZZ").replace("-", "−")}`;
  const abbr = d.toFormat("ZZZZ");
  return abbr.startsWith("GMT") || abbr === "UTC" ? offset : `${abbr} · ${offset}`;
}

/** A stored E.164 number written for reading (`+1 617 555 0142`); unparseable values are shown as stored. */
export function formatPhone(e164: string | null): string {
  if (!e164) return "";
  let text = phones.get(e164);
  if (text === undefined) {
    if (phones.size >= 10_000) phones.clear(); // a page shows 250; refreshes and the drawer ask for the same again
    text = parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
    phones.set(e164, text);
  }
  return text;
}
const phones = new Map<string, string>();
