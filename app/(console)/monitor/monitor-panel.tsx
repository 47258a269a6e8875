"use client";
// The Monitor: one small card per configured service (counts by state, each with its last hour as a sparkline),
// deleted services folded into one card, recent events below; refreshed every 5 s, changes announced politely.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import type { MonitorSnapshot, LiveState } from "@/lib/console/monitor";
import { useHydrated } from "../use-hydrated";
import styles from "./monitor.module.css";

// short labels fit five columns of a 230 px card; the full state name is the abbreviation's title
const STATES: Array<[LiveState, string]> = [
  ["SCHEDULED", "Sched."],
  ["QUEUED", "Queued"],
  ["ROUTING", "Routing"],
  ["PROCESSING", "Proc."],
  ["PAUSED", "Paused"],
];
const REFRESH_MS = 5000;
const nf = new Intl.NumberFormat("en-US");

class SignedOut extends Error {
  constructor() {
    super("your session has ended");
  }
}

async function fetchSnapshot(): Promise<MonitorSnapshot> {
  const r = await fetch("/api/console/monitor", { cache: "no-store" });
  if (r.status === 401) throw new SignedOut();
  if (!r.ok) throw new Error(r.status >= 500 ? `the server answered ${r.status}` : `refused (${r.status})`);
  return (await r.json()) as MonitorSnapshot;
}

function clock(iso: string, hydrated: boolean): string {
  if (!hydrated) return `${iso.slice(11, 19)} UTC`;
  return new Date(iso).toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
}

/** What a screen reader hears after a refresh: the meaning of the change, not every number. */
function describeChange(before: MonitorSnapshot, after: MonitorSnapshot): string {
  const sum = (s: MonitorSnapshot, st: LiveState) => s.services.reduce((a, x) => a + x.counts[st], 0);
  const parts: string[] = [];
  const newEvents = after.events.filter((e) => e.id > (before.events[0]?.id ?? 0));
  const queued = newEvents.filter((e) => e.state === "QUEUED" && (e.type === "accepted" || e.type === "state")).length;
  if (queued > 0) parts.push(`${queued} new ${queued === 1 ? "callback" : "callbacks"} queued`);
  const rejected = newEvents.filter((e) => e.type === "rejected").length;
  if (rejected > 0) parts.push(`${rejected} ${rejected === 1 ? "request" : "requests"} rejected`);
  const processing = sum(after, "PROCESSING") - sum(before, "PROCESSING");
  if (processing !== 0) parts.push(`${Math.abs(processing)} ${processing > 0 ? "more" : "fewer"} in conversation with an agent`);
  if (after.watermark !== before.watermark) parts.push(`in execution now ${after.watermark}`);
  return parts.join(". ");
}

function Sparkline({ points, label }: { points: number[]; label: string }) {
  const peak = Math.max(0, ...points);
  const max = Math.max(1, peak);
  const step = 100 / (points.length - 1);
  const d = points.map((v, i) => `${i ? "L" : "M"}${(i * step).toFixed(1)},${(17 - (v / max) * 15).toFixed(1)}`).join("");
  const first = points[0] ?? 0;
  const last = points[points.length - 1] ?? 0;
  return (
    <svg
      className={styles.spark}
      viewBox="0 0 100 18"
      preserveAspectRatio="none"
      role="img"
      aria-label={`${label}, last hour: ${first} to ${last}, peak ${peak}`}
    >
      <path d={d} fill="none" stroke={peak === 0 ? "#b8c0d0" : "#2457d6"} strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** A card of the grid: its heading, one row per live state (`value` draws the row's <dd>), and a foot line. */
function StateCard(props: {
  id: string;
  className: string;
  heading: ReactNode;
  title?: string;
  value: (st: LiveState, label: string) => ReactNode;
  foot: ReactNode;
}) {
  return (
    <li className={props.className} aria-labelledby={props.id}>
      <div className={styles.cardHead}>
        <h2 id={props.id} title={props.title}>
          {props.heading}
        </h2>
      </div>
      <dl className={styles.states}>
        {STATES.map(([st, label]) => (
          <div key={st} className={styles.state}>
            <dt>
              <abbr title={st}>{label}</abbr>
            </dt>
            {props.value(st, label)}
          </div>
        ))}
      </dl>
      <div className={styles.foot}>{props.foot}</div>
    </li>
  );
}

function ServiceCard({ s }: { s: MonitorSnapshot["services"][number] }) {
  return (
    <StateCard
      id={`svc-${s.name}`}
      className={styles.card}
      heading={s.name}
      title={s.name}
      value={(st, label) => (
        <dd>
          <span className={s.counts[st] === 0 ? styles.zero : undefined}>{nf.format(s.counts[st])}</span>
          <Sparkline points={s.series[st]} label={label} />
        </dd>
      )}
      foot={
        <>
          In execution <strong>{nf.format(s.watermark)}</strong> · <strong>{nf.format(s.completedLastHour)}</strong> completed in 1 h
        </>
      }
    />
  );
}

function OtherCard({ other }: { other: NonNullable<MonitorSnapshot["other"]> }) {
  return (
    <StateCard
      id="svc-other"
      className={`${styles.card} ${styles.other}`}
      heading={`Deleted services (${other.services})`}
      value={(st) => <dd className={other.counts[st] === 0 ? styles.zero : undefined}>{nf.format(other.counts[st])}</dd>}
      foot={
        <>
          In execution <strong>{nf.format(other.watermark)}</strong> · no longer configured
        </>
      }
    />
  );
}

export function MonitorPanel({ initial, initialFilter }: { initial: MonitorSnapshot; initialFilter: string }) {
  const query = useQuery({ queryKey: ["monitor"], queryFn: fetchSnapshot, initialData: initial, refetchInterval: REFRESH_MS });
  const data = query.data;
  const hydrated = useHydrated();
  const router = useRouter();
  // an expired session goes to sign-in, which comes back to this very view
  useEffect(() => {
    if (query.error instanceof SignedOut)
      router.replace(`/signin?callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }, [query.error, router]);
  const [filter, setFilter] = useState(initialFilter);
  // the previous snapshot is kept in state so the announcement is derived during render (React's pattern for it)
  const [seen, setSeen] = useState(data);
  const [announcement, setAnnouncement] = useState("");
  if (data !== seen) {
    setSeen(data);
    const change = describeChange(seen, data);
    if (change) setAnnouncement(change);
  }

  const changeFilter = (value: string) => {
    setFilter(value);
    const url = new URL(window.location.href);
    if (value) url.searchParams.set("q", value);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  };
  const needle = filter.trim().toLowerCase();
  const shown = data.services.filter((s) => s.name.toLowerCase().includes(needle));
  const showOther = data.other !== null && (needle === "" || "other deleted".includes(needle));
  const names = new Set(shown.map((s) => s.name));
  const events = needle ? data.events.filter((e) => e.service_name !== null && names.has(e.service_name)) : data.events;

  return (
    <>
      <div className={styles.header}>
        <h1 className={styles.title}>Monitor</h1>
        <span className={styles.total}>
          In execution: <strong>{nf.format(data.watermark)}</strong>
        </span>
        <span className={styles.updated}>
          Updated {clock(new Date(query.dataUpdatedAt || Date.parse(data.now)).toISOString(), hydrated)} · every {REFRESH_MS / 1000} s
        </span>
      </div>
      <div aria-live="polite" className={styles.srOnly}>
        {announcement}
      </div>
      {query.isError && (
        <div className={styles.banner} role="alert">
          <span>
            Could not refresh: {query.error.message}. The figures below are from{" "}
            {clock(new Date(query.dataUpdatedAt).toISOString(), hydrated)} and may be out of date.
          </span>
          <button type="button" onClick={() => void query.refetch()}>
            Retry now
          </button>
        </div>
      )}
      <div className={styles.toolbar}>
        <label htmlFor="monitor-filter">Filter services</label>
        <input id="monitor-filter" type="search" value={filter} onChange={(e) => changeFilter(e.target.value)} placeholder="Service name" />
        <span aria-live="polite">
          Showing {shown.length} of {data.services.length} services
        </span>
        <span>Sparklines: the last hour in {data.stepMinutes}-minute steps</span>
      </div>
      {data.services.length === 0 && !data.other ? (
        <p className={styles.empty}>
          No callback service is configured yet. <Link href="/services">Add one under Services</Link> and its queue appears here.
        </p>
      ) : shown.length === 0 && !showOther ? (
        <p className={styles.empty}>
          No service matches “{filter}”.
          <button type="button" onClick={() => changeFilter("")}>
            Clear the filter
          </button>
        </p>
      ) : (
        <ul className={styles.grid} aria-label="Services">
          {shown.map((s) => (
            <ServiceCard key={s.name} s={s} />
          ))}
          {showOther && data.other && <OtherCard other={data.other} />}
        </ul>
      )}
      <section className={styles.events} aria-labelledby="recent-events">
        <h2 id="recent-events">Recent events</h2>
        {events.length === 0 ? (
          <p className={styles.empty}>No events yet{needle ? " for these services" : ""}.</p>
        ) : (
          <table aria-labelledby="recent-events">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Service</th>
                <th scope="col">Callback</th>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className={styles.num}>{clock(e.time, hydrated)}</td>
                  <td>{e.service_name ?? "—"}</td>
                  <td>{e.callback_id ? <code title={e.callback_id}>{e.callback_id.slice(0, 8)}</code> : "—"}</td>
                  <td>{e.type.replace(/_/g, " ")}</td>
                  <td>{e.state ? `${e.state}${e.reason ? ` · ${e.reason}` : ""}` : "—"}</td>
                  <td>{e.actor ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
