// Edge wrappers: withErrors turns every throw into a GMS error body; withBasicAuth(role) guards admin routes.
import { toErrorResponse, json } from "./respond";
import type { Handler } from "./router";
import { parseBasic, verifyCredentials, hasRole, type Role } from "../auth/users";
import { getStore } from "../../db/store";

export function withErrors(handler: Handler): Handler {
  return async (ctx) => {
    try {
      return await handler(ctx);
    } catch (e) {
      return toErrorResponse(e);
    }
  };
}

const REALM = 'Basic realm="callback-admin", charset="UTF-8"';

export function withBasicAuth(role: Role, handler: Handler): Handler {
  return withErrors(async (ctx) => {
    const creds = parseBasic(ctx.req.headers.get("authorization"));
    const user = creds && verifyCredentials(getStore(), creds.username, creds.password);
    if (!user)
      return json({ code: 401, phrase: "UNAUTHORIZED", message: "Authentication required: HTTP Basic credentials of a console user" }, 401, { "www-authenticate": REALM });
    if (!hasRole(user.role, role))
      return json({ code: 403, phrase: "FORBIDDEN", message: `Role '${role}' or higher is required; user '${user.username}' has role '${user.role}'` }, 403);
    return handler({ ...ctx, user });
  });
}
