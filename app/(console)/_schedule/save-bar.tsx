"use client";
// The save controls of a schedule editor (office hours, capacity): Save and Discard while there are changes, or
// why a non-admin cannot change the plan; below the bar, the announced outcome of the last save.
import styles from "./schedule.module.css";

export function SaveBox(props: {
  readOnly: boolean;
  /** what a non-admin is told instead of the buttons */
  readOnlyText: string;
  saveLabel: string;
  dirty: boolean;
  hasErrors: boolean;
  pending: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  if (props.readOnly) return <p className={styles.readOnly}>{props.readOnlyText}</p>;
  return (
    <div className={styles.saveBox}>
      <button type="button" disabled={!props.dirty || props.hasErrors || props.pending} onClick={props.onSave}>
        {props.pending ? "Saving…" : props.saveLabel}
      </button>
      <button type="button" className="secondary" disabled={!props.dirty || props.pending} onClick={props.onDiscard}>
        Discard changes
      </button>
      {props.dirty && <span className={styles.dirty}>Unsaved changes</span>}
    </div>
  );
}

/** The outcome of the last save (a failure starts with "Not"), and an error that belongs to no field. */
export function SaveStatus(props: { status: string; formError: string | undefined }) {
  return (
    <>
      <p role="status" aria-live="polite" className={props.status.startsWith("Not") ? styles.statusBad : styles.status}>
        {props.status}
      </p>
      {props.formError && <p className={styles.fieldError}>{props.formError}</p>}
    </>
  );
}
