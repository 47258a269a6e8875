// POST /api/console/callbacks/{id}/reschedule — new desired time of a SCHEDULED callback (supervisor)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { RescheduleInput } from "@/lib/console/action-schemas";
import { rescheduleCallback } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const POST = (req: Request, { params }: { params: Promise<{ id: string }> }) =>
  consoleRoute(req, "supervisor", async (ctx) =>
    Response.json(await rescheduleCallback(ctx, (await params).id, await bodyOf(req, RescheduleInput))),
  );
