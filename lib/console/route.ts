// The one wrapper of console JSON/CSV routes: same-origin check for mutations (CSRF), session and role
// (withSession: 401/403), the signed-in user as the engine's actor, and every error as a GMS body.
import type { z } from "zod";
import { withSession } from "../auth/route-session";
import type { Role } from "../auth/users";
import type { EngineCtx } from "../callback/context";
import { defaultCtx } from "../runtime";
import { readBodyAs, parseBody } from "../http/body";
import { errorResponse } from "../http/respond";
import { refused } from "../callback/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A browser sends `Sec-Fetch-Site` or `Origin` with every POST; another site's form or script cannot fake either,
 * so a mutation is accepted only when one says it comes from this origin.
 */
function isSameOrigin(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const hosts = [req.headers.get("host"), req.headers.get("x-forwarded-host")].filter(Boolean);
  try {
    return hosts.includes(new URL(origin).host);
  } catch {
    return false;
  }
}

const crossOrigin = () => errorResponse(refused(403, "Cross-origin request refused: send it from the console itself"));

export function consoleRoute(req: Request, role: Role, fn: (ctx: EngineCtx) => Response | Promise<Response>): Promise<Response> {
  if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req)) return Promise.resolve(crossOrigin());
  return withSession(role, (user) => fn(defaultCtx(user.username))); // withSession answers errors as GMS bodies
}

/** The JSON body, validated by its schema (400 40010 naming the bad fields). */
export const bodyOf = <S extends z.ZodType>(req: Request, schema: S) => readBodyAs(req, schema);

/** The query string, validated by its schema (single values; 400 40010 naming the bad fields). */
export const queryOf = <S extends z.ZodType>(req: Request, schema: S) =>
  parseBody(schema, Object.fromEntries(new URL(req.url).searchParams));

export const csvResponse = (stream: ReadableStream<Uint8Array>, filename: string) =>
  new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
      "cache-control": "no-store",
    },
  });
