// Every request passes here on the Node server before Next.js sees it: it gets its request id (`x-request-id`,
// honoured or generated, and returned; with several workers also `x-worker`), one log line and its metrics when it
// finishes. Requests Next.js cannot route are answered here (Next.js would answer them with a plain-text 500 or an
// empty 400):
// - TRACE: Node's fetch `Request` refuses to represent it, and Next.js builds one for every request;
// - under /genesys, a method the catch-all route does not export (PROPFIND, …): the router's 405 with Allow;
// - under /genesys, a path with malformed percent-encoding (`%E0%A4%A`): the router's 400 40010.
// A hook on the server rather than a Next.js proxy: a proxy runs for every /genesys request and cost a third of
// the API's throughput (bench/README.md); this check is a few string tests. Node's parser itself answers 400 to
// TRACK, and CONNECT never becomes a request.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { log, LOG_PII } from "../ops/logger";
import { metrics } from "../ops/metrics";
import { router } from "./routes";
import { errorResponse } from "./respond";
import { refused } from "../callback/errors";
import { workerSlot } from "../ops/workers";

/** The methods app/genesys/[...path]/route.ts exports. */
const ROUTED = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);
/** What the console and sign-in pages answer to. */
const PAGE_METHODS = "GET, HEAD, POST";

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function pathOf(rawUrl: string): string {
  const url = /^https?:\/\//i.test(rawUrl) ? new URL(rawUrl).pathname : rawUrl; // absolute-form request targets
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

/** The answer for a request Next.js cannot handle, or null to let it through. */
function guardAnswer(method: string, rawUrl: string): Response | null {
  const pathname = pathOf(rawUrl);
  const api = pathname === "/genesys" || pathname.startsWith("/genesys/");
  if (method === "TRACE" && !api) return errorResponse(refused(405, `Method ${method} is not allowed`), { allow: PAGE_METHODS });
  if (!api || (ROUTED.has(method) && (!pathname.includes("%") || decodable(pathname)))) return null;
  const matched = router().match(method, pathname);
  return matched instanceof Response ? matched : null;
}

async function send(res: http.ServerResponse, answer: Response): Promise<void> {
  res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** With several server processes: which one answered (`x-worker`, its slot 1..WORKERS), for operators and tests. */
const WORKER = workerSlot();
const UUIDISH = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The route template a request is counted under: the /genesys routing table's, else the path with ids as `:id`. */
function routeOf(method: string, pathname: string, status: number): string {
  if (status === 404) return "unmatched"; // unknown paths would make the label set unbounded
  if (pathname.startsWith("/_next/")) return "/_next";
  if (pathname === "/genesys" || pathname.startsWith("/genesys/")) {
    const m = router().match(method, pathname);
    return m instanceof Response ? "unmatched" : `/${m.route.segments.join("/")}`;
  }
  return pathname.replace(/\/[^/]+/g, (seg) => (UUIDISH.test(seg.slice(1)) ? "/:id" : seg));
}

/** Request id, log line and metrics of one request. */
function observe(req: http.IncomingMessage, res: http.ServerResponse): void {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers["x-request-id"] = id;
  res.setHeader("x-request-id", id);
  if (WORKER) res.setHeader("x-worker", WORKER);
  const t0 = performance.now();
  res.once("finish", () => {
    const ms = performance.now() - t0;
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const route = routeOf(method, pathOf(rawUrl), res.statusCode);
    const m = metrics();
    m.httpRequests.inc({ method, route, status: res.statusCode });
    m.httpDuration.observe({ method, route }, ms / 1000);
    // the route template, not the URL: query strings carry phone numbers
    log().info({ reqId: id, method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10, ...(LOG_PII() ? { url: rawUrl } : {}) });
  });
}

let installed = false;
/** Installs the guard and the observation on every Node HTTP server of this process (Next.js does not expose its own). */
export function installNodeGuard(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      observe(req, res);
      const answer = guardAnswer(req.method ?? "GET", req.url ?? "/");
      if (answer) {
        void send(res, answer);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  };
}
