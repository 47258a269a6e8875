// Server-side session checks for console pages, route handlers and server actions. Each page calls
// requirePage itself: a layout's check does not guard a page (Next.js renders them in parallel).
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { authOptions } from "./next-auth";
import { hasRole, type Role, type AuthUser } from "./users";

/** The signed-in user, re-checked against the database (deleted, demoted or signed-out sessions are gone). */
export async function currentUser(): Promise<AuthUser | null> {
  const u = (await getServerSession(await authOptions()))?.user;
  return u?.name && u.role ? { username: u.name, role: u.role } : null;
}

/**
 * For pages, before reading any data: signed out → the sign-in page, which comes back to `path` afterwards;
 * role too low → the 403 page (app/forbidden.tsx, status 403).
 */
export async function requirePage(role: Role, path: string): Promise<AuthUser> {
  const u = await currentUser();
  if (!u) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  if (!hasRole(u.role, role)) forbidden();
  return u;
}
