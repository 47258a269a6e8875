import type { Metadata } from "next";
import { loadCapacity } from "@/lib/console/schedules";
import { SchedulePage } from "../_schedule/schedule-page";
import { CapacityEditor } from "./capacity-editor";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Capacity" };

export default function Page({ searchParams }: { searchParams: Promise<{ service?: string | string[] }> }) {
  return (
    <SchedulePage
      kind="capacity"
      title="Capacity"
      kindLabel="Capacity"
      withoutOne="callback services without one use their own per-bucket maximum."
      searchParams={searchParams}
      load={loadCapacity}
      editor={(e) => <CapacityEditor key={e.service} {...e} />}
    />
  );
}
