// The frame the Office Hours and Capacity pages share: the session and role check, the service picker kept in
// `?service=`, and the no-service, unknown-service and unreadable-options states; the editor itself is the page's.
import type { ReactNode } from "react";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/users";
import { scheduleServices, type ScheduleKind } from "@/lib/console/schedules";
import { ServicePicker } from "./service-picker";

type Loaded<M> = { ok: true; model: M } | { ok: false; error: string };

export async function SchedulePage<M>(props: {
  kind: ScheduleKind;
  title: string;
  /** "Office-hours", "Capacity": how the picker and messages name a service of this kind */
  kindLabel: string;
  /** what callback services do without a service of this kind */
  withoutOne: string;
  searchParams: Promise<{ service?: string | string[] }>;
  load: (options: Record<string, unknown>) => Loaded<M>;
  editor: (e: { service: string; services: string[]; initial: M; canEdit: boolean }) => ReactNode;
}) {
  const path = `/${props.kind}`;
  const { service } = await props.searchParams;
  const wanted = typeof service === "string" ? service : undefined;
  const user = await requirePage("monitor", wanted ? `${path}?service=${encodeURIComponent(wanted)}` : path);
  const services = await scheduleServices(props.kind);
  const names = services.map((s) => s.name);
  const selected = wanted === undefined ? services[0] : services.find((s) => s.name === wanted);
  const admin = hasRole(user.role, "admin");
  const lower = props.kindLabel.toLowerCase();

  if (services.length === 0) {
    return (
      <section>
        <h1>{props.title}</h1>
        <div className="card">
          <p>
            No {lower} service is configured yet: {props.withoutOne}
          </p>
          <p>
            {admin ? <Link href="/services">Create one in Configured Services</Link> : "An admin can create one in Configured Services."}
          </p>
        </div>
      </section>
    );
  }
  const loaded = selected ? props.load(selected.options) : null;
  return (
    <section>
      <h1>{props.title}</h1>
      {!selected || !loaded ? (
        <>
          <ServicePicker path={path} kindLabel={props.kindLabel} services={names} selected={null} />
          <p role="alert" className="error">
            No {lower} service is named “{wanted}”. Choose one of the {names.length} configured.
          </p>
        </>
      ) : !loaded.ok ? (
        <>
          <ServicePicker path={path} kindLabel={props.kindLabel} services={names} selected={selected.name} />
          <div role="alert" className="card error">
            <p>The stored options of {selected.name} do not parse, so the engine refuses it (callbacks using it fail):</p>
            <p>
              <code>{loaded.error}</code>
            </p>
            <p>Fix them in Configured Services or through the admin API.</p>
          </div>
        </>
      ) : (
        props.editor({ service: selected.name, services: names, initial: loaded.model, canEdit: admin })
      )}
    </section>
  );
}
