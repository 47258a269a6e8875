// PUT /api/console/services/{name} — replace a service's options (admin); DELETE — delete it, refused while referenced
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { ServiceOptionsInput } from "@/lib/console/action-schemas";
import { saveService } from "@/lib/console/services";
import { deleteService } from "@/lib/callback/config-admin";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ name: string }> };

export const PUT = (req: Request, { params }: Params) =>
  consoleRoute(req, "admin", async (ctx) => {
    const { options } = await bodyOf(req, ServiceOptionsInput);
    return Response.json(await saveService(ctx, (await params).name, options, false));
  });

export const DELETE = (req: Request, { params }: Params) =>
  consoleRoute(req, "admin", async (ctx) => {
    await deleteService(ctx, (await params).name);
    return Response.json({ deleted: true });
  });
