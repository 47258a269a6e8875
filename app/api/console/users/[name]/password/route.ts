// PUT /api/console/users/{name}/password — set a new password (admin); the user's sessions end
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { PasswordInput } from "@/lib/console/admin-schemas";
import { resetPassword } from "@/lib/console/users";

export const dynamic = "force-dynamic";
export const PUT = (req: Request, { params }: { params: Promise<{ name: string }> }) =>
  consoleRoute(req, "admin", async (ctx) =>
    Response.json(await resetPassword(ctx, (await params).name, (await bodyOf(req, PasswordInput)).password)),
  );
