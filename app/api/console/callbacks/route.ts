// GET /api/console/callbacks?window=&from=&to=&state=&service=&number=&keys=&sort=&dir=&page=&tz= — one page of the Callbacks panel
import { withSession } from "@/lib/auth/route-session";
import { callbacksNow, parseCallbacksQuery } from "@/lib/console/callbacks";
import { displayZone } from "@/lib/console/display-zone";
import { intQuery } from "@/lib/http/query";
import { toErrorResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  withSession("monitor", async () => {
    try {
      const params = new URL(req.url).searchParams;
      // the page the client asks for must be a page number: `?page=1.5` is a 400 rather than silently page 1
      intQuery(params, "page", 1, 1_000_000, 1);
      const q = parseCallbacksQuery(params);
      return Response.json(await callbacksNow(q, await displayZone(q.tz)));
    } catch (e) {
      return toErrorResponse(e);
    }
  });
