// Next.js proxy, for /genesys only (the console and static files never pay for it). Next.js itself answers a
// plain-text 500 for a path with malformed percent-encoding and an empty 400 for a method the catch-all route
// does not export; here the router answers them instead, with its GMS error bodies (400 40010, 405 + Allow).
import { NextResponse, type NextRequest } from "next/server";

/** The methods app/genesys/[...path]/route.ts exports: the others never reach the router. */
const ROUTED = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export async function proxy(req: NextRequest): Promise<Response> {
  if (ROUTED.has(req.method) && decodable(req.nextUrl.pathname)) return NextResponse.next();
  // loaded only for these rare requests, so the proxy stays cheap on the hot path
  const { router } = await import("./lib/http/routes");
  const matched = router().match(req.method, req.nextUrl.pathname);
  return matched instanceof Response ? matched : NextResponse.next();
}

export const config = { matcher: "/genesys/:path*" };
