// How the console writes times, zones and phone numbers (server and browser alike, so both render the same text).
import { DateTime } from "luxon";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** The zone cookie the picker writes and the server renders in. */
export const ZONE_COOKIE = "display_tz";

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone, locale: "en-US" });

/** `Tue 2 Dec, 09:30 EST`: absolute and labelled with its zone. */
export const formatTime = (iso: string, zone: string) => at(iso, zone).toFormat("ccc d LLL, HH:mm ZZZZ");

/** `Tue 2 Dec 2026, 09:30:05 EST`: for timelines, where seconds and the year matter. */
export const formatFullTime = (iso: string, zone: string) => at(iso, zone).toFormat("ccc d LLL yyyy, HH:mm:ss ZZZZ");

/** `in 12 minutes` / `3 hours ago`: a hint beside an absolute time, never instead of it. */
export const relativeTime = (iso: string, now: number) =>
  DateTime.fromISO(iso).toRelative({ base: DateTime.fromMillis(now), locale: "en-US" }) ?? "";

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
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
