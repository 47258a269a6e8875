// DELETE /api/console/users/{name} — delete a user (admin); its sessions end
import { consoleRoute } from "@/lib/console/route";
import { removeUser } from "@/lib/console/users";

export const dynamic = "force-dynamic";
export const DELETE = (req: Request, { params }: { params: Promise<{ name: string }> }) =>
  consoleRoute(req, "admin", async (ctx) => {
    await removeUser(ctx, (await params).name);
    return Response.json({});
  });
