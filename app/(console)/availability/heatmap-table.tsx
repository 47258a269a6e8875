"use client";
// The heatmap's numbers as a table, one local day per page (what a screen reader or a careful reader uses).
import { useMemo, useState } from "react";
import type { HeatmapData } from "@/lib/console/heatmap";
import { layoutHeatmap } from "@/lib/console/heatmap-layout";
import { cellFacts } from "./cells";
import styles from "./availability.module.css";

export function HeatmapTable({ data }: { data: HeatmapData }) {
  const layout = useMemo(() => layoutHeatmap(data.start, data.bucketMinutes, data.zone), [data.start, data.bucketMinutes, data.zone]);
  const [page, setPage] = useState(0);
  const day = Math.min(page, Math.max(0, layout.rows.length - 1));
  const rows = useMemo(() => {
    const out: number[] = [];
    for (let i = 0; i < data.start.length; i++) if (layout.row[i] === day) out.push(i);
    return out;
  }, [data.start, layout, day]);
  const label = layout.rows[day]?.label ?? "";
  const office = data.officeZone !== data.zone;
  return (
    <div className={styles.tableView}>
      <div className={styles.pager}>
        <button type="button" onClick={() => setPage(day - 1)} disabled={day === 0}>
          Previous day
        </button>
        <label>
          Day{" "}
          <select value={day} onChange={(e) => setPage(Number(e.target.value))}>
            {layout.rows.map((r, i) => (
              <option key={r.date} value={i}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setPage(day + 1)} disabled={day >= layout.rows.length - 1}>
          Next day
        </button>
      </div>
      <div className={styles.tableScroll} tabIndex={0} role="region" aria-label={`Buckets of ${label}`}>
        <table data-testid="heatmap-table">
          <caption>
            {data.service}, {label} ({data.zone}): {rows.length} buckets of {data.bucketMinutes} minutes
          </caption>
          <thead>
            <tr>
              <th scope="col">Time ({data.zone})</th>
              {office && <th scope="col">Office time ({data.officeZone})</th>}
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Capacity
              </th>
              <th scope="col" className="num">
                Booked
              </th>
              <th scope="col" className="num">
                Remaining
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => {
              const f = cellFacts(data, i);
              return (
                <tr key={data.start[i]}>
                  <th scope="row">{f.time}</th>
                  {office && <td>{f.officeTime}</td>}
                  <td>{f.status}</td>
                  <td className="num">{f.capacity}</td>
                  <td className="num">{f.booked}</td>
                  <td className="num">{f.remaining}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
