// GET /api/console/monitor — watermarks, callbacks by state per service, recent events (console Monitor)
import { withSession } from "@/lib/auth/route-session";
import { getStore } from "@/db/store";
import { monitorSnapshot } from "@/lib/console/monitor";

export const dynamic = "force-dynamic";
export const GET = () => withSession("monitor", () => Response.json(monitorSnapshot(getStore())));
