// DELETE /api/console/patterns/{group}/{name} — delete one pattern of a group (admin)
import { consoleRoute } from "@/lib/console/route";
import { removePattern } from "@/lib/console/patterns";

export const dynamic = "force-dynamic";
export const DELETE = (req: Request, { params }: { params: Promise<{ group: string; name: string }> }) =>
  consoleRoute(req, "admin", async (ctx) => {
    const { group, name } = await params;
    return Response.json(await removePattern(ctx, group, name));
  });
