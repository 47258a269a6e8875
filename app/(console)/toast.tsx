"use client";
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
