"use client";
// Create Callback: service, number with its country, now or a free slot, properties. The form validates with the
// route's own zod schema, so a field's error reads the same here and from the server.
import * as Dialog from "@radix-ui/react-dialog";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "luxon";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { Role } from "@/lib/auth/users";
import { CreateCallbackInput } from "@/lib/console/action-schemas";
import { canAct, postJson, refreshCallbacks } from "./api";
import { SlotPicker } from "./slot-picker";
import styles from "./actions.module.css";
import { ActionDialog, FormFooter } from "./action-dialog";

const Form = CreateCallbackInput.omit({ properties: true }).extend({
  when: z.enum(["now", "slot"]),
  properties: z.array(z.object({ key: z.string(), value: z.string() })),
});
type Form = z.infer<typeof Form>;

export function CreateCallbackDialog({
  role,
  services,
  zone,
  onCreated,
  open,
  onOpenChange: setOpen,
}: {
  role: Role;
  services: string[];
  /** the display zone the free slots are offered in */
  zone: string;
  onCreated?: (id: string) => void;
  /** owned by the panel: its empty state opens this dialog too */
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [day, setDay] = useState(() => DateTime.now().setZone(zone).toISODate() ?? "");
  const client = useQueryClient();
  const form = useForm<Form>({
    resolver: zodResolver(Form),
    defaultValues: { service: services[0] ?? "", customerNumber: "", country: "US", when: "now", properties: [] },
  });
  const pairs = useFieldArray({ control: form.control, name: "properties" });
  const [when, service, desiredTime] = useWatch({ control: form.control, name: ["when", "service", "desiredTime"] });
  const create = useMutation({
    mutationFn: (f: Form) =>
      postJson<{ id: string; state: string }>("/api/console/callbacks/create", {
        service: f.service,
        customerNumber: f.customerNumber,
        country: f.country,
        desiredTime: f.when === "slot" ? f.desiredTime : undefined,
        properties: Object.fromEntries(f.properties.filter((p) => p.key.trim()).map((p) => [p.key.trim(), p.value])),
      } satisfies CreateCallbackInput),
    onSuccess: async (r) => {
      await refreshCallbacks(client, r.id);
      setOpen(false);
      form.reset();
      onCreated?.(r.id);
    },
  });
  if (!canAct(role)) return null;
  const errors = form.formState.errors;
  const submit = form.handleSubmit((f) => {
    if (f.when === "slot" && !f.desiredTime) return form.setError("desiredTime", { message: "Choose a free slot" });
    create.mutate(f);
  });
  return (
    <ActionDialog open={open} onOpenChange={setOpen} trigger={<button type="button">Create callback</button>}>
      <Dialog.Title>Create a callback</Dialog.Title>
      <Dialog.Description className={styles.hint}>
        The customer is called back by the service you choose, now or in a free slot.
      </Dialog.Description>
      <form onSubmit={submit} noValidate>
        <label>
          Service
          <select {...form.register("service")} aria-invalid={!!errors.service}>
            {services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {errors.service && <p className={styles.error}>{errors.service.message}</p>}
        <div className={styles.row}>
          <label>
            Country
            <input {...form.register("country")} size={3} maxLength={2} aria-invalid={!!errors.country} />
          </label>
          <label style={{ flex: 1 }}>
            Customer number
            <input
              {...form.register("customerNumber")}
              type="tel"
              autoComplete="off"
              aria-invalid={!!errors.customerNumber}
              style={{ width: "100%" }}
            />
          </label>
        </div>
        {errors.country && <p className={styles.error}>{errors.country.message}</p>}
        {errors.customerNumber && <p className={styles.error}>{errors.customerNumber.message}</p>}
        <fieldset className={styles.fieldset}>
          <legend>When</legend>
          <label className={styles.inline}>
            <input type="radio" value="now" {...form.register("when")} /> Now (handed to an agent queue at once)
          </label>
          <label className={styles.inline}>
            <input type="radio" value="slot" {...form.register("when")} /> In a free slot
          </label>
        </fieldset>
        {when === "slot" && (
          <SlotPicker
            service={service}
            date={day}
            onDate={setDay}
            value={desiredTime}
            onChange={(iso) => form.setValue("desiredTime", iso, { shouldValidate: true })}
            zone={zone}
          />
        )}
        {errors.desiredTime && <p className={styles.error}>{errors.desiredTime.message}</p>}
        <fieldset className={styles.fieldset}>
          <legend>Properties</legend>
          {pairs.fields.map((f, i) => (
            <div key={f.id} className={styles.row}>
              <label>
                Name
                <input {...form.register(`properties.${i}.key`)} />
              </label>
              <label>
                Value
                <input {...form.register(`properties.${i}.value`)} />
              </label>
              <button type="button" className={styles.secondary} onClick={() => pairs.remove(i)} aria-label={`Remove property ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className={styles.secondary} onClick={() => pairs.append({ key: "", value: "" })}>
            Add a property
          </button>
        </fieldset>
        <FormFooter
          error={create.isError ? create.error : null}
          failed="Not created"
          pending={create.isPending}
          busy="Creating…"
          submit="Create the callback"
        />
      </form>
    </ActionDialog>
  );
}
