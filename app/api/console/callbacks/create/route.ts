// POST /api/console/callbacks/create — Create Callback (supervisor): the public Start-Callback path
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { CreateCallbackInput } from "@/lib/console/action-schemas";
import { createCallback } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const POST = (req: Request) =>
  consoleRoute(req, "supervisor", async (ctx) => Response.json(await createCallback(ctx, await bodyOf(req, CreateCallbackInput))));
