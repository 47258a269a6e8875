// POST /api/console/services/{name}/pause — pause or resume a callback service (admin): sets `_paused`
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { PauseInput } from "@/lib/console/action-schemas";
import { setPaused } from "@/lib/console/services";

export const dynamic = "force-dynamic";
export const POST = (req: Request, { params }: { params: Promise<{ name: string }> }) =>
  consoleRoute(req, "admin", async (ctx) => {
    const { paused } = await bodyOf(req, PauseInput);
    return Response.json(await setPaused(ctx, (await params).name, paused));
  });
