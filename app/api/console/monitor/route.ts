// GET /api/console/monitor — callbacks by state and watermark per configured service, the last hour, recent events
import { consoleRoute } from "@/lib/console/route";
import { monitorSnapshot } from "@/lib/console/monitor";

export const dynamic = "force-dynamic";
export const GET = (req: Request) => consoleRoute(req, "monitor", async (ctx) => Response.json(await monitorSnapshot(ctx)));
