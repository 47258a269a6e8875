import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { configuredCallbackServices } from "@/lib/console/callbacks";
import { SamplePanel } from "./sample-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sample" };

export default async function Page({ searchParams }: { searchParams: Promise<{ service?: string | string[] }> }) {
  const { service } = await searchParams;
  const chosen = typeof service === "string" ? service : "";
  await requirePage("supervisor", chosen ? `/sample?service=${encodeURIComponent(chosen)}` : "/sample");
  const services = await configuredCallbackServices();
  // only whether keys are required, never the keys themselves
  const keysRequired = (process.env.API_KEYS ?? "").split(",").some((k) => k.trim() !== "");
  return (
    <section>
      <h1>Sample</h1>
      <p className="hint">
        Try the public Callback API as a client does: your browser sends the request below to <code>/genesys/…</code> itself, without the
        console&apos;s session, so the response is exactly what a client gets. Requests act on real callbacks.
      </p>
      <SamplePanel
        services={services}
        initialService={services.includes(chosen) ? chosen : (services[0] ?? "")}
        keysRequired={keysRequired}
      />
    </section>
  );
}
