"use client";
// The state of an option form (a service's options, the global settings): values against what is stored, errors
// per option from the server, Save and Discard, and the unsaved-changes guard; and the bar that shows them.
import { useState } from "react";
import type { FieldErrors } from "@/lib/console/service-editor";
import { ServiceActionError } from "./api";
import { useUnsavedGuard } from "../use-unsaved-guard";
import styles from "./services.module.css";

type Message = { ok: boolean; text: string } | null;
const sameMap = (a: Record<string, string>, b: Record<string, string>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => (a[k] ?? "") === (b[k] ?? ""));

/**
 * `put` stores the values and says what happened; a refusal's per-option errors are shown beside their fields.
 * `noun` names what needs a fix ("option", "setting"); `guard` is off for a form that only reads.
 */
export function useOptionForm(
  initial: Record<string, string>,
  put: (values: Record<string, string>) => Promise<string>,
  noun: string,
  opts: { guard?: boolean; message?: Message } = {},
) {
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<Message>(opts.message ?? null);
  const [busy, setBusy] = useState(false);
  const dirty = !sameMap(values, saved);
  useUnsavedGuard((opts.guard ?? true) && dirty);
  return {
    saved,
    values,
    errors,
    message,
    busy,
    dirty,
    setMessage,
    /** a value stored by another action (e.g. Pause), in both the form and what it compares with */
    storedElsewhere: (name: string, value: string) => {
      setSaved((s) => ({ ...s, [name]: value }));
      setValues((s) => ({ ...s, [name]: value }));
    },
    onChange: (name: string, value: string) => {
      setValues((v) => ({ ...v, [name]: value }));
      setMessage(null);
    },
    discard: () => (setValues(saved), setErrors({}), setMessage(null)),
    save: async (e: React.FormEvent) => {
      e.preventDefault();
      setBusy(true);
      setMessage(null);
      try {
        const text = await put(values);
        setErrors({});
        setSaved(values);
        setMessage({ ok: true, text });
      } catch (err) {
        const fieldErrors = err instanceof ServiceActionError ? err.fields : {};
        setErrors(fieldErrors);
        const n = Object.keys(fieldErrors).length;
        setMessage({
          ok: false,
          text: n
            ? `Not saved: ${n} ${noun}(s) need a fix (shown beside each).`
            : `Not saved: ${err instanceof Error ? err.message : String(err)}`,
        });
      } finally {
        setBusy(false);
      }
    },
  };
}

export function SaveBar({ form, label }: { form: Awaited<ReturnType<typeof useOptionForm>>; label: string }) {
  return (
    <div className={styles.savebar}>
      <button type="submit" disabled={form.busy || !form.dirty}>
        {form.busy ? "Saving…" : label}
      </button>
      <button type="button" className="secondary" disabled={form.busy || !form.dirty} onClick={form.discard}>
        Discard changes
      </button>
      {form.dirty && <span className={styles.dirty}>Unsaved changes</span>}
      <span role="status" aria-live="polite" className={form.message?.ok ? styles.saved : "error"}>
        {form.message?.text}
      </span>
    </div>
  );
}
