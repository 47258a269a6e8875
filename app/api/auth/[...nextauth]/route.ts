// GET|POST /api/auth/* — next-auth sign-in, sign-out and session endpoints for the console, behind a body cap
// and the sign-in throttle (lib/auth/sign-in-route.ts).
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth";
import { guardAuthRoute } from "@/lib/auth/sign-in-route";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ nextauth: string[] }> };
const handler = (req: NextRequest, ctx: Ctx) =>
  guardAuthRoute(async (r) => NextAuth(new NextRequest(r) as never, ctx as never, await authOptions()) as Promise<Response>)(req);
export { handler as GET, handler as POST };
