import type { Metadata } from "next";
import { DateTime } from "luxon";
import { requirePage } from "@/lib/auth/session";
import { defaultCtx } from "@/lib/runtime";
import { configuredCallbackServices } from "@/lib/console/callbacks";
import { displayZone } from "@/lib/console/display-zone";
import { HeatmapQuery } from "@/lib/console/action-schemas";
import { heatmapData, type HeatmapData } from "@/lib/console/heatmap";
import { officeZone } from "@/lib/callback/availability";
import { serviceConfig } from "@/lib/callback/config";
import { HeatmapPanel, type HeatmapView } from "./heatmap-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Availability" };

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const search = new URLSearchParams(Object.entries(sp).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
  // signed out → sign-in, then back to this very view
  await requirePage("monitor", search.size ? `/availability?${search}` : "/availability");
  const display = await displayZone(one(sp.tz));
  const services = await configuredCallbackServices();
  const asked = one(sp.service);
  const service = asked && services.includes(asked) ? asked : services[0];
  if (!service) return <HeatmapPanel services={[]} display={display} initial={null} initialView={null} />;
  const ctx = defaultCtx();
  const office = officeZone(await serviceConfig(ctx.store, service));
  const zoneChoice = one(sp.zone) === "office" ? "office" : "display";
  const zone = zoneChoice === "office" ? office : display;
  const days = HeatmapQuery.shape.days.safeParse(one(sp.days) ?? "7");
  const start = HeatmapQuery.shape.start.safeParse(one(sp.start));
  const view: HeatmapView = {
    service,
    zone: zoneChoice,
    start: start.success ? start.data : (DateTime.fromMillis(ctx.now(), { zone }).toISODate() ?? ""),
    days: days.success ? days.data : 7,
  };
  let initial: HeatmapData | null = null;
  try {
    initial = await heatmapData(ctx, { service, start: view.start, days: view.days, tz: zone });
  } catch {
    // the panel fetches again and shows what failed, with Retry
  }
  return <HeatmapPanel services={services} display={display} initial={initial} initialView={view} />;
}
