// GET /api/console/patterns — the pattern groups and the services using each; POST — create a group (admin)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { NewGroupInput } from "@/lib/console/admin-schemas";
import { createGroup, patternGroups } from "@/lib/console/patterns";

export const dynamic = "force-dynamic";
export const GET = (req: Request) => consoleRoute(req, "monitor", async (ctx) => Response.json(await patternGroups(ctx)));
export const POST = (req: Request) =>
  consoleRoute(req, "admin", async (ctx) => Response.json(await createGroup(ctx, await bodyOf(req, NewGroupInput))));
