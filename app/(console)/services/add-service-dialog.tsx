"use client";
// Add New Service (admin): a name, a template and, for a callback service, a scenario preset whose option values are
// shown for review (and may be changed or removed) before the service is saved. The server validates the name and
// every option with the admin API's schemas; each refusal shows beside its field.
import * as Dialog from "@radix-ui/react-dialog";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ActionDialog, KeepButton } from "../callbacks/actions/action-dialog";
import actionStyles from "../callbacks/actions/actions.module.css";
import { TEMPLATES, templateOptions, type Preset, type Template } from "@/lib/console/service-templates";
import type { EditorField, FieldErrors } from "@/lib/console/service-editor";
import { OptionField, ZoneList } from "./option-editor";
import { send, ServiceActionError } from "./api";
import styles from "./services.module.css";

const TEMPLATE_LABEL: Record<Template, string> = { callback: "callback", "office-hours": "office-hours", capacity: "capacity" };
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function AddServiceDialog({ presets, fields }: { presets: readonly Preset[]; fields: Record<Template, EditorField[]> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [template, setTemplate] = useState<Template>("callback");
  const [preset, setPreset] = useState(presets[2]?.id ?? "");
  const [options, setOptions] = useState<Array<[string, string]>>(() => Object.entries(templateOptions("callback", presets[2]?.id)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState("");
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const id = useId();

  const choose = (t: Template, p: string) => {
    setTemplate(t);
    setPreset(p);
    setOptions(Object.entries(templateOptions(t, p)));
    setErrors((e): FieldErrors => (e.name ? { name: e.name } : {}));
  };
  const reset = () => {
    setName("");
    setErrors({});
    setFailure("");
    choose("callback", presets[2]?.id ?? "");
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure("");
    // the same rule as the server's, checked first so a typo is told at once
    if (!NAME.test(name.trim())) return setErrors({ name: "use 1-64 characters of A-Z a-z 0-9 _ . -" });
    setBusy(true);
    try {
      await send("POST", "/api/console/services", { name: name.trim(), options: Object.fromEntries(options) });
      setOpen(false);
      router.push(`/services/${encodeURIComponent(name.trim())}?added=1`);
    } catch (err) {
      setErrors(err instanceof ServiceActionError ? err.fields : {});
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const current = presets.find((p) => p.id === preset);
  const err = (k: string) =>
    errors[k] ? (
      <p id={`${id}-err-${k}`} className={actionStyles.error}>
        {k === "name" ? "Name" : k} {errors[k]}
      </p>
    ) : null;
  const described = (k: string, extra?: string) => [extra, errors[k] ? `${id}-err-${k}` : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <ActionDialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset();
      }}
      trigger={<button type="button">Add New Service</button>}
    >
      <Dialog.Title>Add New Service</Dialog.Title>
      <Dialog.Description className={actionStyles.hint}>
        Choose a template, review the options it sets, then add the service. Everything can be changed later on its page.
      </Dialog.Description>
      <form onSubmit={submit} noValidate>
        <label>
          Service template
          <select value={template} onChange={(e) => choose(e.target.value as Template, preset)}>
            {TEMPLATES.map((t) => (
              <option key={t} value={t}>
                {TEMPLATE_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={described("name", `${id}-name-help`)}
            placeholder="e.g. support-callback"
          />
        </label>
        <p id={`${id}-name-help`} className={actionStyles.hint}>
          1–64 characters of A–Z a–z 0–9 _ . - ; the public API serves it at /genesys/1/service/callback/&lt;name&gt;.
        </p>
        {err("name")}
        {template === "callback" && (
          <>
            <label>
              Common default configuration
              <select value={preset} onChange={(e) => choose("callback", e.target.value)} aria-describedby={`${id}-preset`}>
                {presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <p id={`${id}-preset`} className={actionStyles.hint}>
              {current?.summary}
            </p>
          </>
        )}
        <fieldset className={actionStyles.fieldset}>
          <legend>Options it starts with</legend>
          <div className={styles.review}>
            {options.map(([k, v], i) =>
              k === "_service" ? null : (
                <OptionField
                  key={k}
                  compact
                  field={fields[template].find((f) => f.name === k) ?? { name: k, group: "other", type: "string", description: "" }}
                  value={v}
                  error={errors[k]}
                  onChange={(name, value) => setOptions((o) => o.map((p) => (p[0] === name ? [name, value] : p)))}
                  after={
                    <button
                      type="button"
                      className="link"
                      aria-label={`Remove option ${k}`}
                      onClick={() => setOptions((o) => o.filter((_, j) => j !== i))}
                    >
                      Remove
                    </button>
                  }
                />
              ),
            )}
          </div>
          {template !== "callback" && <ZoneList />}
        </fieldset>
        {failure && (
          <p role="alert" className={actionStyles.error}>
            Not added: {failure}
          </p>
        )}
        <div className={actionStyles.buttons}>
          <KeepButton>Cancel</KeepButton>
          <button type="submit" disabled={busy}>
            {busy ? "Adding…" : "Add service"}
          </button>
        </div>
      </form>
    </ActionDialog>
  );
}
