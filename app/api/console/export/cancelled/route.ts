// GET /api/console/export/cancelled?reason=&columns=&start=&end=&service=&tz= — the cancelled-callbacks report CSV
import { consoleRoute, csvResponse, queryOf } from "@/lib/console/route";
import { CancelledReportQuery } from "@/lib/console/action-schemas";
import { cancelledCsv } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  consoleRoute(req, "supervisor", async (ctx) => {
    const { stream, filename } = await cancelledCsv(ctx, queryOf(req, CancelledReportQuery));
    return csvResponse(stream, filename);
  });
