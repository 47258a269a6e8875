"use client";
// The frame every console action dialog shares (Radix: focus trap, Esc, focus back to the trigger): overlay,
// panel, an optional trigger, and the button that closes without acting.
import type { ReactElement, ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import styles from "./actions.module.css";

export function ActionDialog(props: { open: boolean; onOpenChange: (open: boolean) => void; trigger?: ReactElement; children: ReactNode }) {
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      {props.trigger && <Dialog.Trigger asChild>{props.trigger}</Dialog.Trigger>}
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content className={styles.dialog}>{props.children}</Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Closes the dialog and does nothing else; named by what it keeps ("Keep the callback"). */
export function KeepButton({ children }: { children: ReactNode }) {
  return (
    <Dialog.Close asChild>
      <button type="button" className={styles.secondary}>
        {children}
      </button>
    </Dialog.Close>
  );
}

/**
 * The end of a form dialog: what failed, announced (`failed` names the outcome, "Not created"), then Close and
 * the submit button, which is disabled and says `busy` while the request runs.
 */
export function FormFooter(props: {
  error: { message?: string } | null | undefined;
  failed: string;
  pending: boolean;
  busy: string;
  submit: string;
}) {
  return (
    <>
      {props.error && (
        <p className={styles.error} role="alert">
          {props.failed}: {props.error.message}
        </p>
      )}
      <div className={styles.buttons}>
        <KeepButton>Close</KeepButton>
        <button type="submit" disabled={props.pending}>
          {props.pending ? props.busy : props.submit}
        </button>
      </div>
    </>
  );
}
