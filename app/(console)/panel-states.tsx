"use client";
// The states an admin panel shares: its last refresh failed (the last loaded data stays on screen), and the toast.
import styles from "./panel-states.module.css";

/** The last refresh failed: say what could not be refreshed and why, keep what was last loaded, offer Retry. */
export function RefreshFailed({ what, query }: { what: string; query: { error: Error | null; refetch: () => Promise<unknown> } }) {
  if (!query.error) return null;
  return (
    <p className={styles.stale} role="alert">
      Could not refresh {what} ({query.error.message}); showing what was last loaded.{" "}
      <button type="button" className="secondary" onClick={() => void query.refetch()}>
        Retry
      </button>
    </p>
  );
}

// The outcome of the last action on a page, announced politely and kept until dismissed or replaced; the live
// region stays mounted while empty so that screen readers hear each new message.
export function Toast({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div className="toast" role="status">
      {message && (
        <p>
          {message}{" "}
          <button type="button" className="link" onClick={onDismiss}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}
