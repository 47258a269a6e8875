import { describe, it, expect, afterEach } from "vitest";
import { basic, call, useHttpEnv, type Server } from "./helpers";

let srv: Server;
useHttpEnv((_e, s) => (srv = s), { users: true });
afterEach(() => {
  delete process.env.CORS_ORIGINS;
  delete process.env.API_KEYS;
});

const SITE = "https://shop.example.com";
const preflight = (path: string, origin: string, method = "POST") =>
  call(srv.url, "OPTIONS", path, undefined, {
    origin,
    "access-control-request-method": method,
    "access-control-request-headers": "content-type,x-api-key",
  });
const putService = (name: string, options: Record<string, unknown>) =>
  call(srv.url, "PUT", `/genesys/1/admin/services/${name}`, options, { authorization: basic("admin") });

describe("CORS on the public API (CORS_ORIGINS)", () => {
  it("grants nothing by default: preflight 204 without Access-Control-Allow-Origin, actual answers without it", async () => {
    const p = await preflight("/genesys/1/service/callback/x", SITE);
    expect(p.status).toBe(204);
    expect(p.headers.get("access-control-allow-origin")).toBeNull();
    const r = await call(srv.url, "GET", "/genesys/1/ping", undefined, { origin: SITE });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a listed origin's preflight with 204, its origin echoed, the methods, content-type and x-api-key, max-age and Vary", async () => {
    process.env.CORS_ORIGINS = "https://other.example.org, https://SHOP.example.com/";
    for (const path of [
      "/genesys/1/service/callback/x",
      "/genesys/1/service/callback/x/some-id",
      "/genesys/2/service/callback/x/availability",
    ]) {
      const p = await preflight(path, SITE, "DELETE");
      expect(p.status, path).toBe(204);
      expect(p.text).toBe("");
      expect(p.headers.get("access-control-allow-origin")).toBe(SITE);
      expect(p.headers.get("access-control-allow-methods")).toBe("GET, POST, PUT, DELETE");
      expect(p.headers.get("access-control-allow-headers")).toBe("content-type, x-api-key");
      expect(p.headers.get("access-control-max-age")).toBe("600");
      expect(p.headers.get("vary")).toBe("Origin");
    }
  });

  it("refuses an unlisted origin's preflight (no grant) and gives its actual answers no Access-Control-Allow-Origin", async () => {
    process.env.CORS_ORIGINS = SITE;
    const p = await preflight("/genesys/1/service/callback/x", "https://evil.example.net");
    expect(p.status).toBe(204);
    expect(p.headers.get("access-control-allow-origin")).toBeNull();
    expect(p.headers.get("access-control-allow-methods")).toBeNull();
    expect(p.headers.get("vary")).toBe("Origin");
    const r = await call(srv.url, "GET", "/genesys/1/ping", undefined, { origin: "https://evil.example.net" });
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    expect(r.headers.get("vary")).toBe("Origin");
  });

  it("adds Access-Control-Allow-Origin to a listed origin's successes and GMS errors (the widget reads 40050/40051 bodies)", async () => {
    process.env.CORS_ORIGINS = SITE;
    expect((await putService("cors-cb", { _service: "callback" })).status).toBe(200);
    const ok = await call(srv.url, "POST", "/genesys/1/service/callback/cors-cb", { _customer_number: "+16175550123" }, { origin: SITE });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(SITE);
    const cancel = await call(srv.url, "DELETE", `/genesys/1/service/callback/cors-cb/${ok.json._id}`, undefined, { origin: SITE });
    expect(cancel.status).toBe(200);
    expect(cancel.headers.get("access-control-allow-origin")).toBe(SITE);
    const bad = await call(srv.url, "POST", "/genesys/1/service/callback/cors-cb", { _customer_number: "12" }, { origin: SITE });
    expect(bad.json.code).toBe(40010);
    expect(bad.headers.get("access-control-allow-origin")).toBe(SITE);
    const unknown = await call(srv.url, "GET", "/genesys/2/service/callback/nope/availability", undefined, { origin: SITE });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("access-control-allow-origin")).toBe(SITE);
    // a request without Origin (server-to-server) is answered as before, with no CORS header at all
    const plain = await call(srv.url, "GET", "/genesys/1/ping");
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    expect(plain.headers.get("vary")).toBeNull();
  });

  it("lets a listed origin read the 401 of a missing API key, and never asks for the key in a preflight", async () => {
    process.env.CORS_ORIGINS = SITE;
    process.env.API_KEYS = "k1";
    const p = await preflight("/genesys/1/service/callback/x", SITE);
    expect(p.status).toBe(204);
    expect(p.headers.get("access-control-allow-origin")).toBe(SITE);
    const denied = await call(srv.url, "GET", "/genesys/1/phonenumber?number=6175551212", undefined, { origin: SITE });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe(SITE);
    const allowed = await call(srv.url, "GET", "/genesys/1/phonenumber?number=6175551212", undefined, { origin: SITE, "x-api-key": "k1" });
    expect(allowed.status).toBe(200);
  });

  it("accepts * for any origin", async () => {
    process.env.CORS_ORIGINS = "*";
    const p = await preflight("/genesys/1/service/callback/x", "http://localhost:5173");
    expect(p.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });

  it("never CORS-enables the admin API: OPTIONS is a 405 and admin answers carry no grant, even for a listed origin or *", async () => {
    for (const list of [SITE, "*"]) {
      process.env.CORS_ORIGINS = list;
      for (const path of ["/genesys/1/admin/services/x", "/genesys/1/admin/callback/queues", "/genesys/1/admin/users"]) {
        const p = await preflight(path, SITE, "GET");
        expect(p.status, path).toBe(405);
        expect(p.headers.get("access-control-allow-origin")).toBeNull();
        expect(p.headers.get("access-control-allow-methods")).toBeNull();
      }
      const r = await call(srv.url, "GET", "/genesys/1/admin/services", undefined, { origin: SITE, authorization: basic("admin") });
      expect(r.status).toBe(200);
      expect(r.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});
