// POST /api/console/services — Add New Service (admin): a new service under a free name, validated like the admin API
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { NewServiceInput } from "@/lib/console/action-schemas";
import { saveService } from "@/lib/console/services";

export const dynamic = "force-dynamic";
export const POST = (req: Request) =>
  consoleRoute(req, "admin", async (ctx) => {
    const b = await bodyOf(req, NewServiceInput);
    return Response.json(await saveService(ctx, b.name, b.options, true));
  });
