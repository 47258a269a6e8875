import { describe, it, expect } from "vitest";
import { basic, call, useHttpEnv, type Server, type Env } from "./helpers";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)), { users: true });
const admin = { authorization: basic("admin"), "content-type": "application/json" };

describe("HTTP edge", () => {
  it("answers malformed JSON with 400 40010 and a clear message, never a 500", async () => {
    const r = await call(srv.url, "PUT", "/genesys/1/admin/services/x", '{"_service": "callback",', admin);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 40010, phrase: "BAD_PARAMETER" });
    expect(r.json.message).toMatch(/Malformed JSON/);
    expect(r.text).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    const arr = await call(srv.url, "PUT", "/genesys/1/admin/services/x", "[1,2]", admin);
    expect(arr.json.message).toBe("JSON body must be an object");
  });

  it("answers wrong option types with 400 40010", async () => {
    const r = await call(srv.url, "PUT", "/genesys/1/admin/services/x", { _service: "callback", _ttl: { nested: true } }, admin);
    expect(r.status).toBe(400);
    expect(r.json.message).toContain("_ttl");
  });

  it("refuses bodies over 1 MiB with 400 40010 and stores nothing", async () => {
    const big = JSON.stringify({ _service: "callback", filler: "x".repeat(2 * 1024 * 1024) });
    const r = await call(srv.url, "PUT", "/genesys/1/admin/services/x", big, admin);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe(40010);
    expect(r.json.message).toMatch(/too large/);
    expect(await env.store.listServices()).toEqual([]);
  });

  it("accepts form-urlencoded bodies in a declared charset", async () => {
    const body = "_service=callback&_target=Caf%E9"; // latin1 é
    const r = await call(srv.url, "PUT", "/genesys/1/admin/services/formy", body, {
      authorization: basic("admin"),
      "content-type": "application/x-www-form-urlencoded; charset=ISO-8859-1",
    });
    expect(r.status).toBe(200);
    expect(r.json._target).toBe("Café");
  });

  it("answers unknown routes under /genesys with 404 JSON, and wrong methods with 405", async () => {
    const r = await call(srv.url, "GET", "/genesys/1/nothing/here");
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
    expect(r.json).toMatchObject({ code: 404, phrase: "NOT_FOUND" });
    const m = await call(srv.url, "POST", "/genesys/1/admin/settings/callback", {}, admin);
    expect(m.status).toBe(405);
  });
});

describe("optional API keys", () => {
  it("leave the public API open when API_KEYS is unset, and require a listed key in x-api-key or apikey when set", async () => {
    expect((await call(srv.url, "GET", "/genesys/1/ping")).status).toBe(200);
    process.env.API_KEYS = "k1, k2";
    try {
      const denied = await call(srv.url, "GET", "/genesys/1/phonenumber?number=6175551212");
      expect(denied.status).toBe(401);
      expect(denied.json.phrase).toBe("UNAUTHORIZED");
      expect((await call(srv.url, "GET", "/genesys/1/phonenumber?number=6175551212", undefined, { "x-api-key": "nope" })).status).toBe(401);
      expect((await call(srv.url, "GET", "/genesys/1/phonenumber?number=6175551212", undefined, { "x-api-key": "k2" })).status).toBe(200);
      expect((await call(srv.url, "GET", "/genesys/1/phonenumber?number=6175551212&apikey=k1")).status).toBe(200);
      // the admin API keeps Basic auth only
      expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, { authorization: basic("monitor") })).status).toBe(200);
    } finally {
      delete process.env.API_KEYS;
    }
  });
});
