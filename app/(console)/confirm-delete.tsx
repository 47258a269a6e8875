"use client";
// A destructive action behind a confirmation that names its effect; disabled, with the reason, when the engine
// would refuse it.
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ActionDialog, KeepButton } from "./callbacks/actions/action-dialog";
import dialog from "./callbacks/actions/actions.module.css";

export function ConfirmDelete({
  trigger,
  triggerLabel,
  title,
  description,
  confirm,
  disabledReason,
  action,
  onDone,
}: {
  trigger: string;
  triggerLabel?: string;
  title: string;
  description: string;
  confirm: string;
  disabledReason?: string;
  action: () => Promise<unknown>;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const run = useMutation({
    mutationFn: action,
    onSuccess: () => {
      setOpen(false);
      onDone();
    },
  });
  if (disabledReason)
    return (
      <button type="button" className={dialog.dangerOutline} disabled title={disabledReason} aria-label={triggerLabel}>
        {trigger}
      </button>
    );
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => (setOpen(o), run.reset())}
      trigger={
        <button type="button" className={dialog.dangerOutline} aria-label={triggerLabel}>
          {trigger}
        </button>
      }
    >
      <Dialog.Title>{title}</Dialog.Title>
      <Dialog.Description>{description}</Dialog.Description>
      {run.isError && (
        <p className={dialog.error} role="alert">
          Not deleted: {run.error.message}
        </p>
      )}
      <div className={dialog.buttons}>
        <KeepButton>Keep it</KeepButton>
        <button type="button" className={dialog.danger} disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? "Deleting…" : confirm}
        </button>
      </div>
    </ActionDialog>
  );
}
