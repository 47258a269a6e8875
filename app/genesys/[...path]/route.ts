// ALL /genesys/** — the GMS public and admin APIs, dispatched by lib/http/routes.ts.
import { router } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = (req: Request) => router().handle(req);
export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as HEAD, handle as OPTIONS };
