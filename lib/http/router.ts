// A small router for everything under /genesys: one table of GMS URLs (lib/http/routes.ts), served by one
// Next.js catch-all route and, in tests, by a plain node:http server — the same code either way.
import { errorResponse, NUL_REFUSED } from "./respond";
import { badParameter, refused } from "../callback/errors";
import type { AuthUser, Role } from "../auth/users";

export interface RouteCtx {
  req: Request;
  url: URL;
  params: Record<string, string>;
  user?: AuthUser;
}
export type Handler = (ctx: RouteCtx) => Promise<Response> | Response;

/** Who may call a route: anyone, anyone with a key when API_KEYS is set, or a Basic-auth user with at least this role. */
export type Access = "open" | "api-key" | Role;

interface Route {
  method: string;
  segments: string[]; // literal or ":name"
  handler: Handler;
  access: Access;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, handler: Handler, access: Access = "open"): this {
    this.routes.push({ method, segments: path.split("/").filter(Boolean), handler, access });
    return this;
  }

  /** Every route as added: method, path (`:name` segments) and access, in order (the OpenAPI document reads it). */
  table(): Array<{ method: string; path: string; access: Access }> {
    return this.routes.map((r) => ({ method: r.method, path: "/" + r.segments.join("/"), access: r.access }));
  }

  /** The distinct paths routed so far, as written in add(). */
  paths(): string[] {
    return [...new Set(this.routes.map((r) => "/" + r.segments.join("/")))];
  }

  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    for (const [k, v] of url.searchParams) if (k.includes("\0") || v.includes("\0")) return errorResponse(badParameter(NUL_REFUSED));
    const m = this.match(req.method, url.pathname);
    if (m instanceof Response) return m;
    return m.route.handler({ req, url, params: m.params });
  }

  /** The route for a method and raw pathname, or the error answer: 400 (malformed path), 405 (with Allow) or 404. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | Response {
    let parts: string[];
    try {
      parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      return errorResponse(badParameter("Malformed URL: invalid percent-encoding in the path"));
    }
    if (parts.some((p) => p.includes("\0"))) return errorResponse(badParameter(NUL_REFUSED));
    const allowed = new Set<string>();
    let best: { route: Route; params: Record<string, string>; score: number } | undefined;
    for (const r of this.routes) {
      if (r.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let score = 0;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const s = r.segments[i];
        if (s.startsWith(":")) params[s.slice(1)] = parts[i];
        else if (s === parts[i])
          score += 1 << (parts.length - i); // literal segments win, earlier ones more
        else {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (r.method !== method && !(method === "HEAD" && r.method === "GET")) {
        allowed.add(r.method);
        continue;
      }
      if (!best || score > best.score) best = { route: r, params, score };
    }
    if (best) return best;
    if (allowed.has("GET")) allowed.add("HEAD");
    if (allowed.size) {
      return errorResponse(refused(405, `Method ${method} is not allowed on ${pathname}`), { allow: [...allowed].join(", ") });
    }
    return errorResponse(refused(404, `No such resource: ${method} ${pathname}`));
  }
}
