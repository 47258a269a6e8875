// PUT /api/console/office-hours/{service} — save the editor's options through the engine's putService (admin)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { ScheduleSaveInput } from "@/lib/console/schedule-schemas";
import { saveSchedule } from "@/lib/console/schedules";

export const dynamic = "force-dynamic";
export const PUT = (req: Request, { params }: { params: Promise<{ service: string }> }) =>
  consoleRoute(req, "admin", async (ctx) => {
    const { service } = await params;
    const { options } = await bodyOf(req, ScheduleSaveInput);
    return Response.json(await saveSchedule(ctx, "office-hours", service, options));
  });
