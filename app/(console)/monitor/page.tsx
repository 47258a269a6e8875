import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { defaultCtx } from "@/lib/runtime";
import { monitorSnapshot } from "@/lib/console/monitor";
import { MonitorPanel } from "./monitor-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Monitor" };

export default async function Page({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  await requirePage("monitor", "/monitor");
  const { q } = await searchParams;
  return <MonitorPanel initial={await monitorSnapshot(defaultCtx())} initialFilter={typeof q === "string" ? q : ""} />;
}
