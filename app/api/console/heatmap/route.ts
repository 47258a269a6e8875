// GET /api/console/heatmap?service=&start=YYYY-MM-DD&days=1..30&tz= — every bucket of the days, open or closed,
// with capacity and bookings (the Availability heatmap)
import { consoleRoute, queryOf } from "@/lib/console/route";
import { HeatmapQuery } from "@/lib/console/action-schemas";
import { heatmapData } from "@/lib/console/heatmap";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  consoleRoute(req, "monitor", async (ctx) => Response.json(await heatmapData(ctx, queryOf(req, HeatmapQuery))));
