// GET /api/console/bulk-cancel/{operation}/csv — per-callback results of a bulk cancel (attachment)
import { consoleRoute, csvResponse } from "@/lib/console/route";
import { bulkResultsCsv } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const GET = (req: Request, { params }: { params: Promise<{ operation: string }> }) =>
  consoleRoute(req, "supervisor", async (ctx) => {
    const { operation } = await params;
    return csvResponse(await bulkResultsCsv(ctx, operation), `bulk-cancel-${operation}.csv`);
  });
