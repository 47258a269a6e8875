// Session guard for console JSON routes (TanStack Query fetches them): 401 signed out, 403 role too low.
import { currentUser } from "./session";
import { hasRole, type Role, type AuthUser } from "./users";

export async function withSession(role: Role, fn: (user: AuthUser) => Response | Promise<Response>): Promise<Response> {
  const user = await currentUser();
  if (!user) return Response.json({ code: 401, phrase: "UNAUTHORIZED", message: "Sign in first" }, { status: 401 });
  if (!hasRole(user.role, role))
    return Response.json({ code: 403, phrase: "FORBIDDEN", message: `Role '${role}' or higher is required` }, { status: 403 });
  return fn(user);
}
