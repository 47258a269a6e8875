"use client";
// The plan of a chosen week as the engine evaluates the (unsaved) options: dates × cells in the plan's zone,
// exceptions and the maximum applied; a wall time skipped by a DST change shows as "–".
import { cellTime } from "@/lib/console/capacity-model";
import styles from "../_schedule/schedule.module.css";
import { WeekPreview } from "../_schedule/week-preview";

interface Preview {
  timezone: string;
  step: number;
  maxCapacity: number;
  days: Array<{ date: string; label: string; hours: number; abbrs: string[]; cells: Array<number | null> }>;
}

/** A sequential blue wash from 0 (light) to the top value (dark), text kept readable on it. */
export function wash(value: number, top: number) {
  const t = top > 0 ? Math.min(1, value / top) : 0;
  const light = Math.round(96 - t * 62);
  return { background: value === 0 ? "#eef0f5" : `hsl(218 62% ${light}%)`, color: light < 60 ? "#fff" : "#1d2433" };
}

export function CapacityPreview(props: { options: Record<string, unknown>; valid: boolean }) {
  return (
    <WeekPreview<Preview>
      kind="capacity"
      {...props}
      hint="Computed by the engine from the options above, saved or not: the capacity of each bucket starting at that time."
    >
      {(data, week, stale) => {
        const top = Math.max(1, ...data.days.flatMap((d) => d.cells.map((c) => c ?? 0)));
        // a label every two hours: 24 hour labels do not fit beside the values at 1280 px
        const every = Math.max(1, 120 / data.step);
        return (
          <div
            className={`table-wrap ${stale ? styles.stale : ""}`}
            data-testid="cap-preview"
            // the table scrolls sideways on narrow screens: keyboard users scroll it too
            tabIndex={0}
            role="region"
            aria-label="Planned capacity per bucket"
          >
            <table className={styles.capTable}>
              <caption className="visually-hidden">
                Capacity per bucket in the week of {week}, times in {data.timezone}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  {data.days[0]?.cells.map((_, c) =>
                    c % every === 0 ? (
                      <th key={c} scope="col" colSpan={Math.min(every, data.days[0]!.cells.length - c)}>
                        {cellTime(c * data.step)}
                      </th>
                    ) : null,
                  )}
                </tr>
              </thead>
              <tbody>
                {data.days.map((d) => (
                  <tr key={d.date} data-date={d.date}>
                    <th scope="row">
                      {d.label}
                      {d.hours !== 24 && (
                        <span className={styles.dst}>
                          {" "}
                          ({d.hours} h, {d.abbrs.join(" → ")})
                        </span>
                      )}
                    </th>
                    {d.cells.map((v, c) => {
                      if (v === null)
                        return (
                          <td key={c} className={styles.skipped} title="This wall time does not exist (DST change)">
                            –
                          </td>
                        );
                      const w = wash(v, top);
                      return (
                        <td key={c} style={{ background: w.background, color: w.color }}>
                          {v}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      }}
    </WeekPreview>
  );
}
