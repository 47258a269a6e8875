// The display time zone of a server render: the `tz` URL parameter wins, else the zone the picker remembered in a
// cookie, else UTC (until the browser's first visit sets the cookie to its own zone).
import { cookies } from "next/headers";
import { IANAZone } from "luxon";
import { ZONE_COOKIE } from "./format";

const valid = (z: string | undefined): z is string => !!z && IANAZone.isValidZone(z);

export async function rememberedZone(): Promise<string | null> {
  const z = (await cookies()).get(ZONE_COOKIE)?.value;
  return valid(z) ? z : null;
}

export async function displayZone(tzParam?: string): Promise<string> {
  return valid(tzParam) ? tzParam : ((await rememberedZone()) ?? "UTC");
}
