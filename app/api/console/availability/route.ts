// GET /api/console/availability?service=&date=YYYY-MM-DD&tz= — free slots of one local day (reschedule/create pickers)
import { consoleRoute, queryOf } from "@/lib/console/route";
import { AvailabilityQuery } from "@/lib/console/action-schemas";
import { daySlots } from "@/lib/console/actions";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  consoleRoute(req, "monitor", async (ctx) => Response.json(await daySlots(ctx, queryOf(req, AvailabilityQuery))));
