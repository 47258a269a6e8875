"use client";
// The Availability heatmap: pick a callback service, a start day, a number of days and the zone the days are days
// of; every bucket is a cell coloured by its remaining share of capacity. Refreshed every 10 s, so an edit to office
// hours or capacity shows at once. The view lives in the URL (a shared link opens the same heatmap).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import Link from "next/link";
import type { HeatmapData } from "@/lib/console/heatmap";
import { HeatmapQuery, HEATMAP_MAX_DAYS } from "@/lib/console/action-schemas";
import { zoneLabel } from "@/lib/console/format";
import { fetchJson } from "../fetch-json";
import { useHydrated } from "../use-hydrated";
import { HeatmapCanvas } from "./heatmap-canvas";
import { HeatmapTable } from "./heatmap-table";
import { KINDS } from "./cells";
import styles from "./availability.module.css";

export interface HeatmapView {
  service: string;
  /** the days are days of the display zone or of the service's office zone */
  zone: "display" | "office";
  start: string;
  days: number;
}

const REFRESH_MS = 10_000;

const urlOf = (v: HeatmapView, display: string) => {
  const p = new URLSearchParams({ service: v.service, start: v.start, days: String(v.days) });
  if (v.zone === "display") p.set("tz", display);
  return `/api/console/heatmap?${p}`;
};

interface PanelProps {
  services: string[];
  display: string;
  initial: HeatmapData | null;
  initialView: HeatmapView;
}

export function HeatmapPanel({ initialView, ...rest }: Omit<PanelProps, "initialView"> & { initialView: HeatmapView | null }) {
  if (!initialView)
    return (
      <section>
        <h1>Availability</h1>
        <p className={styles.empty}>
          No callback service is configured yet. <Link href="/services">Configured Services</Link> lists what there is.
        </p>
      </section>
    );
  return <Panel {...rest} initialView={initialView} />;
}

function Panel({ services, display, initial, initialView }: PanelProps) {
  const [view, setView] = useState(initialView);
  const [daysText, setDaysText] = useState(String(initialView.days));
  const [asTable, setAsTable] = useState(false);
  const hydrated = useHydrated();
  const initialUrl = urlOf(initialView, display);
  const url = urlOf(view, display);
  const query = useQuery<HeatmapData>({
    queryKey: [url],
    queryFn: () => fetchJson<HeatmapData>(url),
    initialData: url === initialUrl && initial ? initial : undefined,
    initialDataUpdatedAt: initial?.now,
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const daysCheck = HeatmapQuery.shape.days.safeParse(daysText);

  const change = (next: Partial<HeatmapView>) => {
    const v = { ...view, ...next };
    setView(v);
    const u = new URL(window.location.href);
    u.searchParams.set("service", v.service);
    u.searchParams.set("start", v.start);
    u.searchParams.set("days", String(v.days));
    u.searchParams.set("zone", v.zone);
    window.history.replaceState(null, "", u);
  };
  const officeZone = data?.officeZone;
  const at = data?.from ?? 0;

  return (
    <section>
      <div className={styles.header}>
        <h1>Availability</h1>
        <span className={styles.updated} aria-live="off">
          {query.isPending || query.isPlaceholderData ? "Loading…" : `Refreshed every ${REFRESH_MS / 1000} s`}
          {hydrated &&
            query.dataUpdatedAt > 0 &&
            ` · updated ${new Date(query.dataUpdatedAt).toLocaleTimeString("en-US", { hour12: false, timeZoneName: "short" })}`}
        </span>
      </div>
      <form className={styles.controls} onSubmit={(e) => e.preventDefault()}>
        <div className={styles.field}>
          <label htmlFor="hm-service">Service</label>
          <select id="hm-service" value={view.service} onChange={(e) => change({ service: e.target.value })}>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor="hm-start">Start day</label>
          <input
            id="hm-start"
            type="date"
            value={view.start}
            onChange={(e) => HeatmapQuery.shape.start.safeParse(e.target.value).success && change({ start: e.target.value })}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor="hm-days">Days (1–{HEATMAP_MAX_DAYS})</label>
          <input
            id="hm-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={HEATMAP_MAX_DAYS}
            value={daysText}
            aria-invalid={!daysCheck.success}
            aria-describedby={daysCheck.success ? undefined : "hm-days-error"}
            onChange={(e) => {
              setDaysText(e.target.value);
              const ok = HeatmapQuery.shape.days.safeParse(e.target.value);
              if (ok.success) change({ days: ok.data });
            }}
          />
          {!daysCheck.success && (
            <span id="hm-days-error" className={styles.error}>
              {daysCheck.error.issues[0]?.message}
            </span>
          )}
        </div>
        <div className={styles.field}>
          <label htmlFor="hm-zone">Days and times in</label>
          <select id="hm-zone" value={view.zone} onChange={(e) => change({ zone: e.target.value === "office" ? "office" : "display" })}>
            <option value="display">Display zone: {display.replaceAll("_", " ")}</option>
            <option value="office">Office zone{officeZone ? `: ${officeZone.replaceAll("_", " ")}` : ""}</option>
          </select>
        </div>
        <button type="button" className={styles.toggle} aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? "Show as heatmap" : "Show as table"}
        </button>
      </form>
      {officeZone && (
        <p className={styles.zones} data-testid="zones">
          Office zone <strong>{officeZone}</strong> ({zoneLabel(officeZone, at)}) · shown in <strong>{data.zone}</strong> (
          {zoneLabel(data.zone, at)}) · buckets of {data.bucketMinutes} minutes
        </p>
      )}
      {query.isError && (
        <div className={styles.banner} role="alert">
          <span>
            Could not load the availability of {view.service}: {query.error.message}
            {data ? ". The heatmap below may be out of date." : "."}
          </span>
          <button type="button" onClick={() => query.refetch()}>
            Retry
          </button>
        </div>
      )}
      {!data && !query.isError && (
        <div className={styles.skeleton} aria-busy="true">
          Loading the availability of {view.service}…
        </div>
      )}
      {data && (
        <>
          <ul className={styles.legend} aria-label="Legend">
            {KINDS.map((k) => (
              <li key={k.kind}>
                <span
                  className={`${styles.swatch} ${k.kind === "closed" ? styles.hatched : ""}`}
                  style={{ background: k.kind === "closed" ? undefined : k.fill }}
                />
                {k.label}
              </li>
            ))}
            <li>
              <span className={`${styles.swatch} ${styles.past}`} />
              Past (faded)
            </li>
          </ul>
          {asTable ? (
            <HeatmapTable key={`${data.service} ${data.from} ${data.to} ${data.zone}`} data={data} />
          ) : (
            <>
              <p id="heatmap-keys" className={styles.hint}>
                Point at a cell, or focus the heatmap and use the arrow keys (a bucket left or right, a day up or down; Home and End for the
                day&apos;s first and last), to read its numbers.
              </p>
              {/* a new view starts without a pointed or focused cell (its index would be another bucket) */}
              <HeatmapCanvas key={`${data.service} ${data.from} ${data.to} ${data.zone}`} data={data} />
            </>
          )}
        </>
      )}
    </section>
  );
}
