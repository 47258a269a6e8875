"use client";
// Actions on one callback (the drawer): reschedule into a free slot of the service's zone, cancel after a
// confirmation that names the effect.
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "luxon";
import type { Role } from "@/lib/auth/users";
import type { RescheduleInput } from "@/lib/console/action-schemas";
import { canAct, postJson, refreshCallbacks } from "./api";
import { SlotPicker } from "./slot-picker";
import styles from "./actions.module.css";
import { ActionDialog, KeepButton } from "./action-dialog";

type Done = (message: string) => void;

export function CallbackActions({
  id,
  state,
  service,
  role,
  zone,
  onDone = () => {},
}: {
  id: string;
  state: string;
  service: string;
  role: Role;
  /** the display zone the free slots are offered in */
  zone: string;
  /** what happened, in words, once the lists are refreshed */
  onDone?: Done;
}) {
  if (!canAct(role) || state === "COMPLETED") return null;
  return (
    <div className={styles.actions}>
      {state === "SCHEDULED" && <RescheduleDialog id={id} service={service} zone={zone} onDone={onDone} />}
      <CancelDialog id={id} state={state} onDone={onDone} />
    </div>
  );
}

function RescheduleDialog({ id, service, zone, onDone }: { id: string; service: string; zone: string; onDone: Done }) {
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState(() => DateTime.now().setZone(zone).toISODate() ?? "");
  const [slot, setSlot] = useState<string>();
  const client = useQueryClient();
  const move = useMutation({
    mutationFn: (desiredTime: string) => postJson(`/api/console/callbacks/${id}/reschedule`, { desiredTime } satisfies RescheduleInput),
    onSuccess: async (_r, desiredTime) => {
      await refreshCallbacks(client, id);
      setOpen(false);
      onDone(`Callback ${id.slice(0, 8)} rescheduled to ${DateTime.fromISO(desiredTime, { zone }).toFormat("ccc d LLL HH:mm ZZZZ")}.`);
    },
  });
  return (
    <ActionDialog open={open} onOpenChange={setOpen} trigger={<button type="button">Reschedule…</button>}>
      <Dialog.Title>Reschedule callback</Dialog.Title>
      <Dialog.Description className={styles.hint}>
        Choose a day and one of the free slots of {service}, shown in {zone}.
      </Dialog.Description>
      <SlotPicker service={service} date={day} onDate={setDay} value={slot} onChange={setSlot} zone={zone} />
      {move.isError && (
        <p className={styles.error} role="alert">
          Not rescheduled: {move.error.message}
        </p>
      )}
      <div className={styles.buttons}>
        <KeepButton>Keep the current time</KeepButton>
        <button type="button" disabled={!slot || move.isPending} onClick={() => slot && move.mutate(slot)}>
          {move.isPending ? "Rescheduling…" : "Move to the chosen slot"}
        </button>
      </div>
    </ActionDialog>
  );
}

function CancelDialog({ id, state, onDone }: { id: string; state: string; onDone: Done }) {
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => postJson(`/api/console/callbacks/${id}/cancel`),
    onSuccess: async () => {
      await refreshCallbacks(client, id);
      setOpen(false);
      onDone(`Callback ${id.slice(0, 8)} cancelled (COMPLETED, CANCELLED_BY_ADMIN).`);
    },
  });
  return (
    <ActionDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <button type="button" className={styles.dangerOutline}>
          Cancel callback…
        </button>
      }
    >
      <Dialog.Title>Cancel this callback?</Dialog.Title>
      <Dialog.Description>
        {state === "PROCESSING"
          ? "The customer is talking to an agent: cancelling ends the callback in execution too. "
          : "The customer will not be called back. "}
        The callback is completed as CANCELLED_BY_ADMIN and cannot be restored.
      </Dialog.Description>
      {cancel.isError && (
        <p className={styles.error} role="alert">
          Not cancelled: {cancel.error.message}
        </p>
      )}
      <div className={styles.buttons}>
        <KeepButton>Keep the callback</KeepButton>
        <button type="button" className={styles.danger} disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          {cancel.isPending ? "Cancelling…" : "Cancel the callback"}
        </button>
      </div>
    </ActionDialog>
  );
}
