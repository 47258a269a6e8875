// GET /api/console/export/view?<Callbacks panel parameters>&columns= — every row of the current filter as CSV
import { consoleRoute, csvResponse } from "@/lib/console/route";
import { ViewExportColumns } from "@/lib/console/action-schemas";
import { viewCsv } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  consoleRoute(req, "supervisor", (ctx) => {
    const params = new URL(req.url).searchParams;
    const { stream, filename } = viewCsv(ctx, params, ViewExportColumns.parse(params.get("columns") ?? undefined));
    return csvResponse(stream, filename);
  });
