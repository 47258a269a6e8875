"use client";
// The save controls of a schedule editor (office hours, capacity): Save and Discard while there are changes, or
// why a non-admin cannot change the plan; below the bar, the announced outcome of the last save.
import styles from "./schedule.module.css";

export function SaveBox(props: {
  readOnly: boolean;
  /** what is saved: "Save capacity", "only an admin can change capacity" */
  what: string;
  dirty: boolean;
  hasErrors: boolean;
  save: { isPending: boolean; mutate: () => void };
  onDiscard: () => void;
}) {
  const { save } = props;
  if (props.readOnly) return <p className={styles.readOnly}>Read-only: only an admin can change {props.what}.</p>;
  return (
    <div className={styles.saveBox}>
      <button type="button" disabled={!props.dirty || props.hasErrors || save.isPending} onClick={() => save.mutate()}>
        {save.isPending ? "Saving…" : `Save ${props.what}`}
      </button>
      <button type="button" className="secondary" disabled={!props.dirty || save.isPending} onClick={props.onDiscard}>
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
