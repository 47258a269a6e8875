// POST /api/console/services/{name}/duplicate — copy a service under a new, free name (admin)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { DuplicateInput } from "@/lib/console/action-schemas";
import { duplicateService } from "@/lib/console/services";

export const dynamic = "force-dynamic";
export const POST = (req: Request, { params }: { params: Promise<{ name: string }> }) =>
  consoleRoute(req, "admin", async (ctx) => {
    const { name } = await bodyOf(req, DuplicateInput);
    return Response.json(await duplicateService(ctx, (await params).name, name));
  });
