"use client";
// A searchable IANA zone field: type to filter the browser's list of zones.
import { useMemo } from "react";
import styles from "./schedule.module.css";

export function ZoneField(props: { value: string; onChange: (v: string) => void; error?: string; readOnly: boolean }) {
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);
  return (
    <div className={styles.field}>
      <label htmlFor="zone">Time zone (IANA)</label>
      <input
        id="zone"
        list="zone-list"
        value={props.value}
        readOnly={props.readOnly}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? "zone-error" : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      <datalist id="zone-list">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      {props.error && (
        <p id="zone-error" className={styles.fieldError}>
          {props.error}
        </p>
      )}
    </div>
  );
}
