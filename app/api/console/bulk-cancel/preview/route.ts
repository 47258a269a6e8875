// POST /api/console/bulk-cancel/preview — what a bulk cancel would touch (count per service, PROCESSING left alone)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { BulkCancelInput } from "@/lib/console/action-schemas";
import { previewBulkCancel } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const POST = (req: Request) =>
  consoleRoute(req, "supervisor", async (ctx) => Response.json(await previewBulkCancel(ctx, await bodyOf(req, BulkCancelInput))));
