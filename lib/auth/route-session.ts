// Session guard for console JSON routes (TanStack Query fetches them): 401 signed out, 403 role too low, and any
// error of the work in the GMS body shape (the same error model as the /genesys edge).
import { currentUser } from "./session";
import { hasRole, type Role, type AuthUser } from "./users";
import { refused } from "../callback/errors";
import { errorResponse, toErrorResponse } from "../http/respond";

export async function withSession(role: Role, fn: (user: AuthUser) => Response | Promise<Response>): Promise<Response> {
  const user = await currentUser();
  if (!user) return errorResponse(refused(401, "Sign in first"));
  if (!hasRole(user.role, role)) return errorResponse(refused(403, `Role '${role}' or higher is required`));
  try {
    return await fn(user);
  } catch (e) {
    return toErrorResponse(e);
  }
}
