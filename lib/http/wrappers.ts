// Edge wrappers: withErrors turns every throw into a GMS error body; withBasicAuth(role) guards admin routes;
// withCors and corsPreflight open the public API to the browser origins listed in CORS_ORIGINS.
import { toErrorResponse, errorResponse } from "./respond";
import { refused } from "../callback/errors";
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
      return errorResponse(refused(429, `Too many sign-in attempts; try again in ${retryAfterS} s`), {
        "retry-after": String(retryAfterS),
      });
    if (!user)
      return errorResponse(refused(401, "Authentication required: HTTP Basic credentials of a console user"), {
        "www-authenticate": REALM,
      });
    if (!hasRole(user.role, role))
      return errorResponse(refused(403, `Role '${role}' or higher is required; user '${user.username}' has role '${user.role}'`));
    return handler({ ...ctx, user });
  });
}

/**
 * Optional API keys for the public API (README "Security"): when API_KEYS (comma-separated) is set, a request must carry
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
        return errorResponse(refused(401, "A valid API key is required (x-api-key header or apikey parameter)"));
    }
    return handler(ctx);
  };
}

// ---- CORS for the public API (README "Embedding the widget"): the admin API never gets these headers ----

interface CorsOrigins {
  raw: string;
  any: boolean;
  list: Set<string>;
}
let corsCache: CorsOrigins = { raw: "", any: false, list: new Set() };

/** CORS_ORIGINS parsed once per value: comma-separated origins (`https://shop.example.com`) or `*` for any. */
function corsOrigins(): CorsOrigins {
  const raw = process.env.CORS_ORIGINS ?? "";
  if (raw !== corsCache.raw) {
    const items = raw
      .split(",")
      .map((o) => o.trim().toLowerCase().replace(/\/+$/, ""))
      .filter(Boolean);
    corsCache = { raw, any: items.includes("*"), list: new Set(items) };
  }
  return corsCache;
}

function corsHeaders(origin: string | null): Record<string, string> | null {
  if (origin === null) return null;
  const o = corsOrigins();
  if (o.list.size === 0) return null;
  return o.any || o.list.has(origin.toLowerCase()) ? { "access-control-allow-origin": origin, vary: "Origin" } : { vary: "Origin" };
}

/** Actual responses of a public route: Access-Control-Allow-Origin for a listed Origin only. */
export function withCors(handler: Handler): Handler {
  return (ctx) => {
    const origin = ctx.req.headers.get("origin");
    const answer = handler(ctx);
    // the hot path (server-to-server clients, same-origin GETs) sends no Origin: nothing to add, no extra await
    if (origin === null || corsOrigins().list.size === 0) return answer;
    return Promise.resolve(answer).then((res) => {
      for (const [k, v] of Object.entries(corsHeaders(origin) ?? {})) res.headers.append(k, v);
      return res;
    });
  };
}

const PREFLIGHT_HEADERS = {
  "access-control-allow-methods": "GET, POST, PUT, DELETE",
  "access-control-allow-headers": "content-type, x-api-key",
  "access-control-max-age": "600",
};

/** OPTIONS on a public route: 204, with the CORS grant when the Origin is listed (the browser refuses otherwise). */
export const corsPreflight: Handler = ({ req }) => {
  const cors = corsHeaders(req.headers.get("origin"));
  const grant = cors?.["access-control-allow-origin"] ? { ...cors, ...PREFLIGHT_HEADERS } : cors;
  return new Response(null, { status: 204, headers: { allow: "GET, HEAD, POST, PUT, DELETE, OPTIONS", ...grant } });
};
