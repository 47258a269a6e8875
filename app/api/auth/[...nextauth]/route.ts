// GET|POST /api/auth/* — next-auth sign-in, sign-out and session endpoints for the console.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => NextAuth(req as never, ctx as never, authOptions());
export { handler as GET, handler as POST };
