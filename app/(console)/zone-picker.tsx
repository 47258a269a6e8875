"use client";
// The display time zone picker of the top bar. The choice is remembered in a cookie so that server renders use
// it; a `tz` parameter in the URL (a shared link) wins over the cookie while it is there.
import { useEffect } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { IANAZone } from "luxon";
import { zoneLabel } from "@/lib/console/format";
import { rememberZone } from "@/lib/console/zone-cookie";

export function ZonePicker({
  zone,
  zones,
  remembered,
  at,
}: {
  zone: string;
  zones: Array<{ zone: string; label: string }>;
  remembered: boolean;
  /** the moment the labels were written for (offsets change with daylight saving time) */
  at: number;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tz = params.get("tz");
  const fromUrl = tz && IANAZone.isValidZone(tz) ? tz : null;
  const shown = fromUrl ?? zone;
  // a shared link may name a zone the list spells differently: offer it as it is
  const options = zones.some((z) => z.zone === shown) ? zones : [{ zone: shown, label: zoneLabel(shown, at) }, ...zones];
  const label = options.find((z) => z.zone === shown)?.label ?? "";

  // first visit: the browser's own zone becomes the display zone
  useEffect(() => {
    if (remembered) return;
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!own) return;
    rememberZone(own);
    router.refresh();
  }, [remembered, router]);

  function choose(next: string) {
    rememberZone(next);
    if (!fromUrl) return router.refresh();
    const p = new URLSearchParams(params);
    p.set("tz", next);
    router.replace(`${pathname}?${p}`);
  }

  return (
    <div className="zone-picker">
      <label htmlFor="display-zone">Display time zone</label>
      <select id="display-zone" value={shown} onChange={(e) => choose(e.target.value)}>
        {options.map((z) => (
          <option key={z.zone} value={z.zone}>
            {z.zone.replaceAll("_", " ")} ({z.label})
          </option>
        ))}
      </select>
      <span className="zone-label" data-testid="zone-label">
        {label}
      </span>
    </div>
  );
}
