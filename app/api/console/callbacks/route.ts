// GET /api/console/callbacks?limit=N — the most recently changed callbacks (console Callbacks panel)
import { withSession } from "@/lib/auth/route-session";
import { getStore } from "@/db/store";
import { recentCallbacks } from "@/lib/console/monitor";

export const dynamic = "force-dynamic";
export const GET = (req: Request) =>
  withSession("monitor", () => Response.json(recentCallbacks(getStore(), Number(new URL(req.url).searchParams.get("limit") ?? 100) || 100)));
