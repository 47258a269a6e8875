// Edge wrappers: withErrors turns every throw into a GMS error body; withBasicAuth(role) guards admin routes.
import { toErrorResponse, json } from "./respond";
import type { Handler } from "./router";
import { parseBasic, signIn, hasRole, type Role } from "../auth/users";
import { clientAddress } from "../auth/client-address";
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
    const address = clientAddress(ctx.req.headers.get("x-forwarded-for"));
    const { user, retryAfterS } = creds
      ? await signIn(getStore(), creds.username, creds.password, address)
      : { user: null, retryAfterS: 0 };
    if (retryAfterS > 0)
      return json({ code: 429, phrase: "TOO_MANY_REQUESTS", message: `Too many sign-in attempts; try again in ${retryAfterS} s` }, 429, {
        "retry-after": String(retryAfterS),
      });
    if (!user)
      return json(
        { code: 401, phrase: "UNAUTHORIZED", message: "Authentication required: HTTP Basic credentials of a console user" },
        401,
        { "www-authenticate": REALM },
      );
    if (!hasRole(user.role, role))
      return json(
        {
          code: 403,
          phrase: "FORBIDDEN",
          message: `Role '${role}' or higher is required; user '${user.username}' has role '${user.role}'`,
        },
        403,
      );
    return handler({ ...ctx, user });
  });
}

/**
 * Optional API keys for the public API (SPEC §8): when API_KEYS (comma-separated) is set, a request must carry
 * one in `x-api-key` (the widget's `apikey`) or the `apikey` query parameter; otherwise the API is open, as GMS.
 */
export function withApiKey(handler: Handler): Handler {
  return (ctx) => {
    const keys = (process.env.API_KEYS ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean);
    if (keys.length > 0) {
      const given = ctx.req.headers.get("x-api-key") ?? ctx.url.searchParams.get("apikey");
      if (!given || !keys.includes(given))
        return json(
          { code: 401, phrase: "UNAUTHORIZED", message: "A valid API key is required (x-api-key header or apikey parameter)" },
          401,
        );
    }
    return handler(ctx);
  };
}
