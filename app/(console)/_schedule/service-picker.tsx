"use client";
// The service an editor shows lives in the URL (`?service=`), so a link to it can be shared.
import { useRouter } from "next/navigation";
import { LEAVE_MESSAGE } from "../use-unsaved-guard";
import styles from "./schedule.module.css";

export function ServicePicker(props: { path: string; kindLabel: string; services: string[]; selected: string | null; dirty?: boolean }) {
  const router = useRouter();
  return (
    <div className={styles.picker}>
      <label htmlFor="service-picker">{props.kindLabel} service</label>
      <select
        id="service-picker"
        value={props.selected ?? ""}
        onChange={(e) => {
          if (props.dirty && !window.confirm(LEAVE_MESSAGE)) return;
          router.push(`${props.path}?service=${encodeURIComponent(e.target.value)}`);
        }}
      >
        {props.selected === null && <option value="">Choose a service</option>}
        {props.services.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
}
