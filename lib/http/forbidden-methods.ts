// TRACE: Node's fetch `Request` refuses to represent it, and Next.js builds one for every request before any
// app code (proxy included) runs, so it ended as a plain-text 500. It is answered here, on the Node server,
// before Next.js sees it: 405 with a JSON body and Allow (the router's, under /genesys). Node's parser itself
// answers 400 to TRACK, and CONNECT never becomes a request.
import http from "node:http";
import { router } from "./routes";
import { json } from "./respond";

/** What the console and sign-in pages answer to. */
const PAGE_METHODS = "GET, HEAD, POST";

function refuse(method: string, rawUrl: string): Response {
  const pathname = rawUrl.split("?")[0];
  if (pathname === "/genesys" || pathname.startsWith("/genesys/")) {
    const matched = router().match(method, pathname);
    if (matched instanceof Response) return matched;
  }
  return json({ code: 405, phrase: "METHOD_NOT_ALLOWED", message: `Method ${method} is not allowed` }, 405, { allow: PAGE_METHODS });
}

async function send(res: http.ServerResponse, answer: Response): Promise<void> {
  res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

let installed = false;
/** Installs the answer on every Node HTTP server of this process (Next.js does not expose its own). */
export function answerForbiddenMethods(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      if (req.method === "TRACE") {
        void send(res, refuse(req.method, req.url ?? "/"));
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  };
}
