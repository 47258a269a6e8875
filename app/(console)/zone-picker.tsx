"use client";
// The display time zone picker of the top bar: a text field searching the zone list (the browser's own combobox,
// a datalist), Enter taking the one zone the text names. The choice is remembered in a cookie so that server
// renders use it; a `tz` parameter in the URL (a shared link) wins over the cookie while it is there.
import { useEffect, useState } from "react";
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
    setText(next);
    if (next === shown) return;
    rememberZone(next);
    if (!fromUrl) return router.refresh();
    const p = new URLSearchParams(params);
    p.set("tz", next);
    router.replace(`${pathname}?${p}`);
  }

  // what is typed: shown as typed until it names a zone; a change from elsewhere (a link, a refresh) resets it
  const [typed, setTyped] = useState({ for: shown, text: shown });
  const text = typed.for === shown ? typed.text : shown;
  const setText = (t: string) => setTyped({ for: shown, text: t });
  const norm = (t: string) => t.trim().toLowerCase().replaceAll(" ", "_");
  const exact = (t: string) => options.find((z) => z.zone.toLowerCase() === norm(t))?.zone;
  const matching = (t: string) => options.filter((z) => z.zone.toLowerCase().includes(norm(t)));

  return (
    <div className="zone-picker">
      <label htmlFor="display-zone">Display time zone</label>
      <input
        id="display-zone"
        list="display-zones"
        value={text}
        spellCheck={false}
        autoComplete="off"
        aria-describedby="display-zone-help"
        onChange={(e) => {
          const z = exact(e.target.value);
          if (z) choose(z);
          else setText(e.target.value);
        }}
        onFocus={(e) => e.target.select()}
        onKeyDown={(e) => {
          if (e.key === "Escape") setText(shown);
          if (e.key !== "Enter") return;
          e.preventDefault();
          const found = matching(text);
          if (found.length === 1) choose(found[0]!.zone);
        }}
        onBlur={() => setText(shown)}
      />
      <datalist id="display-zones">
        {options.map((z) => (
          <option key={z.zone} value={z.zone}>
            {z.label}
          </option>
        ))}
      </datalist>
      <span id="display-zone-help" className="zone-label" data-testid="zone-label">
        {label}
      </span>
    </div>
  );
}
