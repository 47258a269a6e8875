// GET /api/console/callbacks/{id} — the Callbacks panel's drawer: every property, the timeline, the office zone
import { withSession } from "@/lib/auth/route-session";
import { callbackDrawer } from "@/lib/console/callbacks";

export const dynamic = "force-dynamic";
export const GET = (_req: Request, ctx: { params: Promise<{ id: string }> }) =>
  withSession("monitor", async () => {
    const { id } = await ctx.params;
    const detail = await callbackDrawer(id);
    if (!detail) return Response.json({ code: 404, phrase: "NOT_FOUND", message: `Callback ${id} cannot be found` }, { status: 404 });
    return Response.json(detail);
  });
