// GET /api/console/bulk-cancel/{operation} — progress of a bulk cancel (status, done counts, total)
import { consoleRoute } from "@/lib/console/route";
import { bulkProgress } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const GET = (req: Request, { params }: { params: Promise<{ operation: string }> }) =>
  consoleRoute(req, "supervisor", async (ctx) => Response.json(await bulkProgress(ctx, (await params).operation)));
