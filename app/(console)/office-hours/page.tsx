import type { Metadata } from "next";
import { loadOfficeHours } from "@/lib/console/schedules";
import { SchedulePage } from "../_schedule/schedule-page";
import { OfficeHoursEditor } from "./office-hours-editor";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Office Hours" };

export default function Page({ searchParams }: { searchParams: Promise<{ service?: string | string[] }> }) {
  return (
    <SchedulePage
      kind="office-hours"
      title="Office Hours"
      kindLabel="Office-hours"
      withoutOne="callback services without one are open around the clock."
      searchParams={searchParams}
      load={loadOfficeHours}
      editor={(e) => <OfficeHoursEditor key={e.service} {...e} />}
    />
  );
}
