"use client";
// The frame of a schedule editor's week preview: a week picker, the engine's answer for the (unsaved) options in
// that week, and its invalid, failed (with Retry) and loading states; each page draws the answer its own way.
import { useMemo, useState, type ReactNode } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { sendJson, thisMonday, useSettled } from "./api";
import styles from "./schedule.module.css";

export function WeekPreview<T extends { timezone: string }>(props: {
  /** the console's preview route and the query's name: /api/console/<kind>/preview */
  kind: "capacity" | "office-hours";
  options: Record<string, unknown>;
  valid: boolean;
  hint: string;
  /** draws the answer; `stale` while a newer one is on its way or the last request failed */
  children: (data: T, week: string, stale: boolean) => ReactNode;
}) {
  const [week, setWeek] = useState(thisMonday);
  // options and their validity settle together, so a just-fixed error never previews the stale options
  const { options, valid } = useSettled(useMemo(() => ({ options: props.options, valid: props.valid }), [props.options, props.valid]));
  const q = useQuery({
    queryKey: [`${props.kind}-preview`, options, week],
    queryFn: () => sendJson<T>("POST", `/api/console/${props.kind}/preview`, { options, week }),
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
      <p className="hint">{props.hint}</p>
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
      {data && props.children(data, week, q.isFetching || q.isError)}
    </section>
  );
}
