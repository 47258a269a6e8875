// POST /api/console/bulk-cancel — start a bulk cancel of ids or of the panel's filter (202, runs in the background)
// GET /api/console/bulk-cancel — the latest bulk cancels with their counts (cancellation summaries)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { BulkCancelInput } from "@/lib/console/action-schemas";
import { recentBulkCancels, startConsoleBulkCancel } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const POST = (req: Request) =>
  consoleRoute(req, "supervisor", async (ctx) =>
    Response.json(await startConsoleBulkCancel(ctx, await bodyOf(req, BulkCancelInput)), { status: 202 }),
  );
export const GET = (req: Request) => consoleRoute(req, "supervisor", async (ctx) => Response.json(await recentBulkCancels(ctx)));
