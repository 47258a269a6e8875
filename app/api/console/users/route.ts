// GET /api/console/users — the users with the guards that apply to each (admin); POST — create a user (admin)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { NewUserInput } from "@/lib/console/admin-schemas";
import { consoleUsers, createUser } from "@/lib/console/users";

export const dynamic = "force-dynamic";
export const GET = (req: Request) => consoleRoute(req, "admin", async (ctx) => Response.json(await consoleUsers(ctx)));
export const POST = (req: Request) =>
  consoleRoute(req, "admin", async (ctx) => Response.json(await createUser(ctx, await bodyOf(req, NewUserInput))));
