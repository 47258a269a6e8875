// PUT /api/console/settings — replace the global callback settings (admin), validated like the admin API
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { ServiceOptionsInput } from "@/lib/console/action-schemas";
import { saveSettings } from "@/lib/console/services";

export const dynamic = "force-dynamic";
export const PUT = (req: Request) =>
  consoleRoute(req, "admin", async (ctx) => {
    const { options } = await bodyOf(req, ServiceOptionsInput);
    return Response.json(await saveSettings(ctx, options));
  });
