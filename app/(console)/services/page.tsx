import { requirePage } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/users";
import { now } from "@/lib/clock";
import { getStore } from "@/db/store";
import { displayZone } from "@/lib/console/display-zone";
import { editorFields, servicesOverview } from "@/lib/console/services";
import { CALLBACK_PRESETS, TEMPLATES, templateOptions } from "@/lib/console/service-templates";
import type { Template } from "@/lib/console/service-templates";
import type { EditorField } from "@/lib/console/service-editor";
import { ServicesList } from "./services-list";
import { AddServiceDialog } from "./add-service-dialog";

export const dynamic = "force-dynamic";
export const metadata = { title: "Services" };

export default async function ServicesPage({ searchParams }: { searchParams: Promise<{ q?: string | string[]; tz?: string }> }) {
  const { q, tz } = await searchParams;
  const user = await requirePage("monitor", "/services");
  const overview = await servicesOverview(getStore(), now(), await displayZone(tz));
  // only an admin configures services: a monitor or supervisor gets no Add control (the route refuses them too)
  const admin = hasRole(user.role, "admin");
  return (
    <section>
      <h1>Configured Services</h1>
      <ServicesList
        overview={overview}
        initialFilter={typeof q === "string" ? q : ""}
        addButton={
          admin ? (
            <AddServiceDialog
              presets={CALLBACK_PRESETS}
              fields={Object.fromEntries(TEMPLATES.map((t) => [t, editorFields(t, templateOptions(t))])) as Record<Template, EditorField[]>}
            />
          ) : undefined
        }
      />
    </section>
  );
}
