"use client";
// The week preview: the engine's calendar of the (unsaved) options for a chosen week, drawn as open blocks on a
// 24-hour line per day, times in the office zone and labelled with it. A DST day says so (23 or 25 hours).
import { useMemo, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { sendJson, thisMonday, useSettled } from "../_schedule/api";
import styles from "../_schedule/schedule.module.css";

interface PreviewDay {
  date: string;
  label: string;
  hours: number;
  abbrs: string[];
  closedReason: string | null;
  open: Array<{ start: string; end: string; fromMin: number; toMin: number; from: string; to: string }>;
}
interface Preview {
  timezone: string;
  days: PreviewDay[];
}

const REASONS: Record<string, string> = {
  closed_day_of_week: "Closed (no regular hours this weekday)",
  closed_holiday: "Closed (holiday)",
  closed_no_match: "Closed (outside the effective dates or hours)",
};

export function OfficeHoursPreview(props: { options: Record<string, unknown>; valid: boolean }) {
  const [week, setWeek] = useState(thisMonday);
  // options and their validity settle together, so a just-fixed error never previews the stale options
  const { options, valid } = useSettled(useMemo(() => ({ options: props.options, valid: props.valid }), [props.options, props.valid]));
  const q = useQuery({
    queryKey: ["office-hours-preview", options, week],
    queryFn: () => sendJson<Preview>("POST", "/api/console/office-hours/preview", { options, week }),
    enabled: valid && /^\d{4}-\d{2}-\d{2}$/.test(week),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const data = q.data;
  return (
    <section className="card" aria-labelledby="preview-h" aria-busy={q.isFetching}>
      <div className={styles.previewHead}>
        <h2 id="preview-h">Week preview{data ? ` — times in ${data.timezone}` : ""}</h2>
        <div className={styles.field}>
          <label htmlFor="preview-week">Week of</label>
          <input id="preview-week" type="date" value={week} onChange={(e) => setWeek(e.target.value)} />
        </div>
      </div>
      <p className="hint">Computed by the engine from the options above, saved or not: what the office-hours helper service will answer.</p>
      {!valid && <p className={styles.statusBad}>Fix the errors above to see the preview.</p>}
      {valid && q.isError && (
        <div role="alert" className={styles.statusBad}>
          Could not compute the preview: {q.error.message}{" "}
          <button type="button" className="secondary" onClick={() => q.refetch()}>
            Retry
          </button>
        </div>
      )}
      {valid && !data && q.isPending && <div className={styles.previewSkeleton} aria-label="Loading the preview" />}
      {data && (
        <div className={q.isFetching || q.isError ? styles.stale : undefined} data-testid="oh-preview">
          <div className={styles.axis} aria-hidden="true">
            <span />
            {[0, 3, 6, 9, 12, 15, 18, 21].map((h) => (
              <span key={h} style={{ left: `${(h / 24) * 100}%` }}>
                {String(h).padStart(2, "0")}:00
              </span>
            ))}
          </div>
          <ul className={styles.weekList}>
            {data.days.map((d) => (
              <li key={d.date} className={styles.weekDay} data-date={d.date}>
                <div className={styles.weekLabel}>
                  <strong>{d.label}</strong>
                  {d.hours !== 24 && (
                    <span className={styles.dst}>
                      {d.hours} h day ({d.abbrs.join(" → ")})
                    </span>
                  )}
                </div>
                <div className={styles.track}>
                  {d.open.map((r) => (
                    <span
                      key={r.start}
                      className={styles.block}
                      style={{ left: `${(r.fromMin / 1440) * 100}%`, width: `${(Math.max(r.toMin - r.fromMin, 10) / 1440) * 100}%` }}
                      title={`${r.from} – ${r.to}`}
                    />
                  ))}
                </div>
                <div className={styles.weekText}>
                  {d.open.length ? d.open.map((r) => `${r.from} – ${r.to}`).join(", ") : (REASONS[d.closedReason ?? ""] ?? "Closed")}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
