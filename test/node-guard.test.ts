// The guard on the Node server answers the requests Next.js cannot route before Next.js sees them: TRACE (Node's
// fetch Request refuses it), unrouted methods and malformed percent-encoding under /genesys. Here a plain server
// stands in for Next.js and answers what Next.js answered before the guard: a plain-text 500. Raw node:http
// requests, so neither the path nor the method is normalised on the way (e2e/raw-requests.spec.ts does the same
// against the production build).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { installNodeGuard } from "../lib/http/node-guard";

let server: http.Server;
let port = 0;
beforeAll(async () => {
  installNodeGuard();
  server = http.createServer((_req, res) => res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function raw(method: string, path: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Node server guard", () => {
  it("answers malformed percent-encoding under /genesys with 400 40010 and the GMS error body", async () => {
    for (const p of [
      "/genesys/1/service/callback/%E0%A4%A",
      "/genesys/%zz",
      "/genesys/1/service/callback/%FF%FE",
      "/genesys/1/admin/services/%E0%A4%A",
    ]) {
      const r = await raw("GET", p);
      expect(r.status, `${p} → ${r.body}`).toBe(400);
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(r.body)).toMatchObject({
        code: 40010,
        phrase: "BAD_PARAMETER",
        message: "Malformed URL: invalid percent-encoding in the path",
      });
    }
  });

  it("answers TRACE and unrouted methods with 405, Allow and a JSON body, on the API and on console pages", async () => {
    for (const m of ["TRACE", "PROPFIND"]) {
      const r = await raw(m, "/genesys/1/admin/services/x");
      expect(r.status, `${m} → ${r.body}`).toBe(405);
      expect(r.headers.allow).toBe("GET, PUT, DELETE, HEAD");
      expect(JSON.parse(r.body)).toMatchObject({ code: 405, phrase: "METHOD_NOT_ALLOWED" });
    }
    const page = await raw("TRACE", "/signin");
    expect(page.status).toBe(405);
    expect(page.headers.allow).toBe("GET, HEAD, POST");
  });

  it("lets well-formed requests through to Next.js untouched", async () => {
    expect((await raw("GET", "/genesys/1/service/callback/svc%20name")).body).toBe("Internal Server Error");
    expect((await raw("GET", "/callbacks?x=%zz")).status).toBe(500); // only the path is checked, and only under /genesys
  });
});
