// Server-side session check for console pages and server actions.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "./next-auth";
import { hasRole, type Role, type AuthUser } from "./users";

export async function currentUser(): Promise<AuthUser | null> {
  const s = await getServerSession(authOptions());
  const u = s?.user as { name?: string; role?: Role } | undefined;
  return u?.name && u.role ? { username: u.name, role: u.role } : null;
}

/** For pages: redirect to sign-in when signed out; 403 page content is left to the caller via the boolean. */
export async function requireUser(role: Role = "monitor"): Promise<AuthUser & { allowed: boolean }> {
  const u = await currentUser();
  if (!u) redirect("/signin");
  return { ...u, allowed: hasRole(u.role, role) };
}
