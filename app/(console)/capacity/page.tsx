import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/users";
import { loadCapacity, scheduleServices } from "@/lib/console/schedules";
import { ServicePicker } from "../_schedule/service-picker";
import { CapacityEditor } from "./capacity-editor";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Capacity" };

export default async function Page({ searchParams }: { searchParams: Promise<{ service?: string | string[] }> }) {
  const { service } = await searchParams;
  const wanted = typeof service === "string" ? service : undefined;
  const user = await requirePage("monitor", wanted ? `/capacity?service=${encodeURIComponent(wanted)}` : "/capacity");
  const services = scheduleServices("capacity");
  const names = services.map((s) => s.name);
  const selected = wanted === undefined ? services[0] : services.find((s) => s.name === wanted);
  const admin = hasRole(user.role, "admin");

  if (services.length === 0) {
    return (
      <section>
        <h1>Capacity</h1>
        <div className="card">
          <p>No capacity service is configured yet: callback services without one use their own per-bucket maximum.</p>
          <p>
            {admin ? <Link href="/services">Create one in Configured Services</Link> : "An admin can create one in Configured Services."}
          </p>
        </div>
      </section>
    );
  }
  const loaded = selected ? loadCapacity(selected.options) : null;
  return (
    <section>
      <h1>Capacity</h1>
      {!selected || !loaded ? (
        <>
          <ServicePicker path="/capacity" kindLabel="Capacity" services={names} selected={null} />
          <p role="alert" className="error">
            No capacity service is named “{wanted}”. Choose one of the {names.length} configured.
          </p>
        </>
      ) : !loaded.ok ? (
        <>
          <ServicePicker path="/capacity" kindLabel="Capacity" services={names} selected={selected.name} />
          <div role="alert" className="card error">
            <p>The stored options of {selected.name} do not parse, so the engine refuses it (callbacks using it fail):</p>
            <p>
              <code>{loaded.error}</code>
            </p>
            <p>Fix them in Configured Services or through the admin API.</p>
          </div>
        </>
      ) : (
        <CapacityEditor key={selected.name} service={selected.name} services={names} initial={loaded.model} canEdit={admin} />
      )}
    </section>
  );
}
