// The display zone remembered in a cookie, written by the browser (server renders read it back).
import { ZONE_COOKIE } from "./format";

export function rememberZone(zone: string): void {
  document.cookie = `${ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
}

/** On first use the browser's own zone, so that the first console page already renders in it. */
export function rememberBrowserZoneOnce(): void {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (own && !document.cookie.split("; ").some((c) => c.startsWith(`${ZONE_COOKIE}=`))) rememberZone(own);
}
