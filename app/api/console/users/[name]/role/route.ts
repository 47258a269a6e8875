// PUT /api/console/users/{name}/role — change a user's role (admin); the user's sessions end
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { RoleInput } from "@/lib/console/admin-schemas";
import { changeRole } from "@/lib/console/users";

export const dynamic = "force-dynamic";
export const PUT = (req: Request, { params }: { params: Promise<{ name: string }> }) =>
  consoleRoute(req, "admin", async (ctx) => Response.json(await changeRole(ctx, (await params).name, (await bodyOf(req, RoleInput)).role)));
