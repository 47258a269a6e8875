// GET /api/console/callbacks?limit=N — the most recently changed callbacks (console Callbacks panel)
import { withSession } from "@/lib/auth/route-session";
import { getStore } from "@/db/store";
import { recentCallbacks } from "@/lib/console/monitor";
import { intQuery } from "@/lib/http/query";
import { toErrorResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  withSession("monitor", () => {
    try {
      return Response.json(recentCallbacks(getStore(), intQuery(new URL(req.url).searchParams, "limit", 1, 500, 100)));
    } catch (e) {
      return toErrorResponse(e);
    }
  });
