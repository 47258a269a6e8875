// GET /api-reference/scalar.js?v=<version> — Scalar's standalone bundle for the API reference page (public code).
import { scalarBundle } from "@/lib/console/api-reference";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(): Response {
  return new Response(new Uint8Array(scalarBundle().body), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
  });
}
