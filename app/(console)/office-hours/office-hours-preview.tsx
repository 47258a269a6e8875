"use client";
// The week preview: the engine's calendar of the (unsaved) options for a chosen week, drawn as open blocks on a
// 24-hour line per day, times in the office zone and labelled with it. A DST day says so (23 or 25 hours).
import styles from "../_schedule/schedule.module.css";
import { WeekPreview } from "../_schedule/week-preview";

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
  return (
    <WeekPreview<Preview>
      kind="office-hours"
      {...props}
      hint="Computed by the engine from the options above, saved or not: what the office-hours helper service will answer."
    >
      {(data, _week, stale) => (
        <div className={stale ? styles.stale : undefined} data-testid="oh-preview">
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
    </WeekPreview>
  );
}
