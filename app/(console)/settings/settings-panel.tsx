"use client";
// The global callback settings in the option editor; Save replaces the section through the admin API's verb.
import type { EditorField } from "@/lib/console/service-editor";
import { OptionEditor } from "../services/option-editor";
import { send } from "../services/api";
import { SaveBar, useOptionForm } from "../services/option-form";

export function SettingsPanel({ fields, initial }: { fields: EditorField[]; initial: Record<string, string> }) {
  const form = useOptionForm(
    initial,
    async (values) => {
      await send("PUT", "/api/console/settings", { options: values });
      return "Settings saved. In effect now.";
    },
    "setting",
  );
  return (
    <form onSubmit={form.save} noValidate aria-label="Callback settings">
      <OptionEditor fields={fields} values={form.values} errors={form.errors} onChange={form.onChange} />
      <SaveBar form={form} label="Save settings" />
    </form>
  );
}
