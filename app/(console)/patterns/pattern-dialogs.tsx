"use client";
// The Patterns panel's dialogs: a new group with its first pattern, and add/edit one pattern. The forms validate
// with the routes' zod schemas; what only the engine can judge (a regex RE2 refuses, a name already taken) comes
// back from the route and is shown beside the field it concerns.
import * as Dialog from "@radix-ui/react-dialog";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import { NewGroupInput, PatternInput } from "@/lib/console/admin-schemas";
import { ActionDialog, FormFooter } from "../callbacks/actions/action-dialog";
import dialog from "../callbacks/actions/actions.module.css";
import { sendJson } from "../send-json";
import { Field, describedBy } from "../form-field";
import styles from "./patterns.module.css";

/** Puts the route's refusal beside the field it is about; anything else stays a form-level error. */
function placeError<T extends FieldValues>(
  form: UseFormReturn<T>,
  message: string,
  fields: Partial<Record<"regex" | "name" | "group", Path<T>>>,
) {
  const field = /^The regular expression/.test(message)
    ? fields.regex
    : /pattern named/.test(message)
      ? fields.name
      : /group named/.test(message)
        ? fields.group
        : undefined;
  if (field) form.setError(field, { message });
  else form.setError("root", { message });
}

const REGEX_HINT = "RE2 syntax, matched anywhere in the number (anchor with ^ and $). Backreferences and lookaround are not supported.";

export function GroupDialog({ onCreated }: { onCreated: (group: string) => void }) {
  const [open, setOpen] = useState(false);
  const form = useForm<NewGroupInput>({ resolver: zodResolver(NewGroupInput), defaultValues: { group: "", name: "", regex: "" } });
  const create = useMutation({
    mutationFn: (v: NewGroupInput) => sendJson("POST", "/api/console/patterns", v),
    onSuccess: (_r, v) => {
      setOpen(false);
      form.reset();
      onCreated(v.group.trim());
    },
    onError: (e) => placeError(form, e.message, { regex: "regex", name: "name", group: "group" }),
  });
  const e = form.formState.errors;
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => (setOpen(o), o || form.reset())}
      trigger={
        <button type="button" className="secondary">
          New group
        </button>
      }
    >
      <Dialog.Title>New pattern group</Dialog.Title>
      <Dialog.Description className={dialog.hint}>A group starts with one pattern; add more once it exists.</Dialog.Description>
      <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
        <Field id="g-group" label="Group name" error={e.group?.message} hint="1-64 characters of A-Z a-z 0-9 _ . -">
          <input
            id="g-group"
            {...form.register("group")}
            aria-invalid={!!e.group}
            aria-describedby={describedBy("g-group", e.group, true)}
          />
        </Field>
        <Field id="g-name" label="First pattern's name" error={e.name?.message}>
          <input id="g-name" {...form.register("name")} aria-invalid={!!e.name} aria-describedby={describedBy("g-name", e.name)} />
        </Field>
        <Field id="g-regex" label="Regular expression" error={e.regex?.message} hint={REGEX_HINT}>
          <input
            id="g-regex"
            {...form.register("regex")}
            className={styles.mono}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={!!e.regex}
            aria-describedby={describedBy("g-regex", e.regex, true)}
          />
        </Field>
        <FormFooter error={e.root} failed="Not created" pending={create.isPending} busy="Creating…" submit="Create group" />
      </form>
    </ActionDialog>
  );
}

export function PatternDialog({
  group,
  pattern,
  onSaved,
}: {
  group: string;
  /** the pattern to edit; absent → a new one */
  pattern?: { name: string; regex: string };
  onSaved: (name: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const defaults = { name: pattern?.name ?? "", regex: pattern?.regex ?? "", previous: pattern?.name };
  const form = useForm<PatternInput>({ resolver: zodResolver(PatternInput), defaultValues: defaults });
  const save = useMutation({
    mutationFn: (v: PatternInput) => sendJson("POST", `/api/console/patterns/${encodeURIComponent(group)}`, v),
    onSuccess: (_r, v) => {
      setOpen(false);
      form.reset(defaults);
      onSaved(v.name.trim());
    },
    onError: (e) => placeError(form, e.message, { regex: "regex", name: "name" }),
  });
  const e = form.formState.errors;
  const id = pattern ? `p-${pattern.name.replace(/\W/g, "_")}` : "p-new";
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => (setOpen(o), o || form.reset(defaults))}
      trigger={
        pattern ? (
          <button type="button" className="secondary" aria-label={`Edit pattern ${pattern.name}`}>
            Edit
          </button>
        ) : (
          <button type="button">Add pattern</button>
        )
      }
    >
      <Dialog.Title>{pattern ? `Edit pattern ${pattern.name}` : `Add a pattern to ${group}`}</Dialog.Title>
      <Dialog.Description className={dialog.hint}>
        A number that this pattern matches is refused by every service using {group}.
      </Dialog.Description>
      <form onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
        <Field id={`${id}-name`} label="Pattern name" error={e.name?.message}>
          <input
            id={`${id}-name`}
            {...form.register("name")}
            aria-invalid={!!e.name}
            aria-describedby={describedBy(`${id}-name`, e.name)}
          />
        </Field>
        <Field id={`${id}-regex`} label="Regular expression" error={e.regex?.message} hint={REGEX_HINT}>
          <input
            id={`${id}-regex`}
            {...form.register("regex")}
            className={styles.mono}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={!!e.regex}
            aria-describedby={describedBy(`${id}-regex`, e.regex, true)}
          />
        </Field>
        <FormFooter
          error={e.root}
          failed="Not saved"
          pending={save.isPending}
          busy="Saving…"
          submit={pattern ? "Save pattern" : "Add pattern"}
        />
      </form>
    </ActionDialog>
  );
}
