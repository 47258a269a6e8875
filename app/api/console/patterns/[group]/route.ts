// POST /api/console/patterns/{group} — add, edit or rename one pattern (admin); DELETE — delete the group (admin)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { PatternInput } from "@/lib/console/admin-schemas";
import { removeGroup, savePattern } from "@/lib/console/patterns";

type Params = { params: Promise<{ group: string }> };

export const dynamic = "force-dynamic";
export const POST = (req: Request, { params }: Params) =>
  consoleRoute(req, "admin", async (ctx) => Response.json(await savePattern(ctx, (await params).group, await bodyOf(req, PatternInput))));
export const DELETE = (req: Request, { params }: Params) =>
  consoleRoute(req, "admin", async (ctx) => {
    await removeGroup(ctx, (await params).group);
    return Response.json({});
  });
