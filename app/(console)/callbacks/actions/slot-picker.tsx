"use client";
// A day of a service's free slots (the console availability route), in the zone the slots are read in.
import { useQuery } from "@tanstack/react-query";
import type { DaySlots } from "@/lib/console/actions";
import { getJson } from "./api";
import styles from "./actions.module.css";

export function SlotPicker({
  service,
  date,
  onDate,
  value,
  onChange,
  zone,
}: {
  service: string;
  date: string;
  onDate: (d: string) => void;
  value: string | undefined;
  onChange: (iso: string) => void;
  /** the zone the day and the times are shown in; absent → the service's office zone */
  zone?: string;
}) {
  const params = new URLSearchParams({ service, date, ...(zone ? { tz: zone } : {}) });
  const slots = useQuery({
    queryKey: ["availability", service, date, zone ?? ""],
    queryFn: () => getJson<DaySlots>(`/api/console/availability?${params}`),
    enabled: service !== "" && /^\d{4}-\d{2}-\d{2}$/.test(date),
  });
  return (
    <fieldset className={styles.fieldset}>
      <legend>Free slots{slots.data ? ` (${slots.data.zone})` : ""}</legend>
      <label>
        Day
        <input type="date" value={date} onChange={(e) => onDate(e.target.value)} required />
      </label>
      {slots.isPending && service !== "" && <p className={styles.hint}>Loading the free slots…</p>}
      {slots.isError && (
        <p className={styles.error} role="alert">
          Could not load the free slots: {slots.error.message}{" "}
          <button type="button" onClick={() => void slots.refetch()}>
            Retry
          </button>
        </p>
      )}
      {slots.data && slots.data.slots.length === 0 && (
        <p className={styles.hint}>No free slot on this day: the office is closed or full. Try another day.</p>
      )}
      {slots.data && slots.data.slots.length > 0 && (
        <div className={styles.slots} role="radiogroup" aria-label="Free slots">
          {slots.data.slots.map((s) => (
            <label key={s.start} className={styles.slot}>
              <input type="radio" name="slot" value={s.start} checked={value === s.start} onChange={() => onChange(s.start)} />
              {s.local}{" "}
              <small className={styles.hint}>
                {s.remaining}/{s.total} free
              </small>
            </label>
          ))}
        </div>
      )}
      {slots.data && slots.data.zone !== slots.data.officeZone && <p className={styles.hint}>Office zone: {slots.data.officeZone}</p>}
    </fieldset>
  );
}
