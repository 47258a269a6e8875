"use client";
// The global callback settings in the option editor; Save replaces the section through the admin API's verb.
import { useState } from "react";
import type { EditorField, FieldErrors } from "@/lib/console/service-editor";
import { OptionEditor } from "../services/option-editor";
import { send, ServiceActionError } from "../services/api";
import { useUnsavedGuard } from "../services/use-unsaved-guard";
import styles from "../services/services.module.css";

export function SettingsPanel({ fields, initial }: { fields: EditorField[]; initial: Record<string, string> }) {
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = Object.keys({ ...values, ...saved }).some((k) => (values[k] ?? "") !== (saved[k] ?? ""));
  useUnsavedGuard(dirty);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await send("PUT", "/api/console/settings", { options: values });
      setSaved(values);
      setErrors({});
      setMessage({ ok: true, text: "Settings saved. In effect now." });
    } catch (err) {
      const f = err instanceof ServiceActionError ? err.fields : {};
      setErrors(f);
      const n = Object.keys(f).length;
      setMessage({
        ok: false,
        text: n
          ? `Not saved: ${n} setting(s) need a fix (shown beside each).`
          : `Not saved: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} noValidate aria-label="Callback settings">
      <OptionEditor
        fields={fields}
        values={values}
        errors={errors}
        onChange={(k, v) => {
          setValues((s) => ({ ...s, [k]: v }));
          setMessage(null);
        }}
      />
      <div className={styles.savebar}>
        <button type="submit" disabled={busy || !dirty}>
          {busy ? "Saving…" : "Save settings"}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy || !dirty}
          onClick={() => (setValues(saved), setErrors({}), setMessage(null))}
        >
          Discard changes
        </button>
        {dirty && <span className={styles.dirty}>Unsaved changes</span>}
        <span role="status" aria-live="polite" className={message?.ok ? styles.saved : "error"}>
          {message?.text}
        </span>
      </div>
    </form>
  );
}
