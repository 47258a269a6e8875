// POST /api/console/capacity/preview — the engine's evaluation of posted (unsaved) options for one week; stores nothing
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { SchedulePreviewInput } from "@/lib/console/schedule-schemas";
import { capacityWeek } from "@/lib/console/schedules";

export const dynamic = "force-dynamic";
export const POST = (req: Request) =>
  consoleRoute(req, "monitor", async () => {
    const { options, week } = await bodyOf(req, SchedulePreviewInput);
    return Response.json(capacityWeek(options, week));
  });
