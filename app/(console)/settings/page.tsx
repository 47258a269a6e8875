import { requirePage } from "@/lib/auth/session";
import { getStore } from "@/db/store";
import { settingsEditor } from "@/lib/console/services";
import { SettingsPanel } from "./settings-panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requirePage("admin", "/settings");
  const editor = await settingsEditor(getStore());
  return (
    <section>
      <h1>Settings</h1>
      <p className="muted">
        The global callback settings: defaults for every callback service (a service&apos;s own value wins) and the keys queries return and
        filter by. A change takes effect at once.
      </p>
      <SettingsPanel fields={editor.fields} initial={editor.options} />
    </section>
  );
}
