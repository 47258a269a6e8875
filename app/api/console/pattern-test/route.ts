// POST /api/console/pattern-test — would Start-Callback refuse this number? The engine's number rules and matching
// (a POST so that the number stays out of URLs and request logs)
import { consoleRoute, bodyOf } from "@/lib/console/route";
import { PatternTestInput } from "@/lib/console/admin-schemas";
import { testPatterns } from "@/lib/console/patterns";

export const dynamic = "force-dynamic";
export const POST = (req: Request) =>
  consoleRoute(req, "monitor", async (ctx) => Response.json(await testPatterns(ctx, await bodyOf(req, PatternTestInput))));
