// POST /api/console/callbacks/{id}/cancel — cancel one callback as an admin (supervisor)
import { consoleRoute } from "@/lib/console/route";
import { cancelOne } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const POST = (req: Request, { params }: { params: Promise<{ id: string }> }) =>
  consoleRoute(req, "supervisor", async (ctx) => Response.json(await cancelOne(ctx, (await params).id)));
