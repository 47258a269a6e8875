"use client";
// The Configured Services table: a name/kind search kept in the URL (`q`), `/` to focus it, each row a link to the
// service's page. Callbacks today counts desired times on today's date in the display zone.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ServicesOverview } from "@/lib/console/services";
import type { Ref } from "@/lib/console/service-editor";
import styles from "./services.module.css";

const KIND_LABEL: Record<string, string> = { callback: "callback", "office-hours": "office hours", capacity: "capacity" };

function RefList({ refs, by }: { refs: Ref[]; by?: boolean }) {
  if (!refs.length) return <span className="muted">—</span>;
  return (
    <ul>
      {refs.map((r) => (
        <li key={`${r.service} ${r.option}`}>
          <Link href={`/services/${encodeURIComponent(r.service)}`}>{r.service}</Link>{" "}
          <span className={styles.via}>{by ? `via ${r.option}` : r.option}</span>
        </li>
      ))}
    </ul>
  );
}

export function ServicesList({
  overview,
  initialFilter,
  addButton,
}: {
  overview: ServicesOverview;
  initialFilter: string;
  addButton?: ReactNode;
}) {
  const [filter, setFilter] = useState(initialFilter);
  const search = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !t.isContentEditable) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const onFilter = (v: string) => {
    setFilter(v);
    const p = new URLSearchParams(params.toString());
    if (v) p.set("q", v);
    else p.delete("q");
    router.replace(p.size ? `${pathname}?${p}` : pathname, { scroll: false });
  };
  const q = filter.trim().toLowerCase();
  const rows = overview.rows.filter((r) => !q || r.name.toLowerCase().includes(q) || r.kind.includes(q));
  const total = overview.rows.length;
  return (
    <>
      <div className={styles.toolbar}>
        <label className={styles.inlineLabel}>
          Search services <span className="visually-hidden">(press / to focus)</span>
          <input
            ref={search}
            type="search"
            value={filter}
            onChange={(e) => onFilter(e.target.value)}
            placeholder="Name or kind — press / to search"
            aria-controls="services-table"
          />
        </label>
        {addButton}
        <span className={styles.count}>
          <span role="status" aria-live="polite">
            {q ? `${rows.length} of ${total} service(s)` : `${total} service(s)`}
          </span>
          <span className="hint">
            Callbacks today: desired on {overview.day} ({overview.zone})
          </span>
        </span>
      </div>
      {total === 0 ? (
        <p>No services configured yet.{addButton ? " Add one with Add New Service." : " An admin adds them."}</p>
      ) : (
        <div className="table-wrap">
          <table id="services-table" aria-label="Configured services">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">References</th>
                <th scope="col">Referenced by</th>
                <th scope="col" className="num">
                  Callbacks today
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name}>
                  <td>
                    <Link href={`/services/${encodeURIComponent(r.name)}`}>{r.name}</Link>
                  </td>
                  <td>
                    <span className={styles.kind}>{KIND_LABEL[r.kind] ?? r.kind}</span>
                  </td>
                  <td>
                    {r.kind !== "callback" ? (
                      <span className="muted">—</span>
                    ) : r.paused ? (
                      <span className={styles.paused}>Paused</span>
                    ) : (
                      <span className={styles.active}>Running</span>
                    )}
                  </td>
                  <td className={styles.refs}>
                    <RefList refs={r.references} />
                  </td>
                  <td className={styles.refs}>
                    <RefList refs={r.referencedBy} by />
                  </td>
                  <td className="num">
                    {r.kind === "callback" ? r.callbacksToday.toLocaleString("en-US") : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6}>
                    No service matches “{filter}”.{" "}
                    <button type="button" className="link" onClick={() => onFilter("")}>
                      Clear the search
                    </button>
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
