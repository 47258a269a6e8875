import { describe, it, expect, beforeEach } from "vitest";
import { basic, call, useHttpEnv, type Server } from "./helpers";

let srv: Server;
useHttpEnv((_e, s) => (srv = s), { users: true });
// each test from its own client address, so the per-address limit (20) never carries over between them
let address = 0;
beforeEach(() => void address++);
const from = (authorization: string) => ({ authorization, "x-forwarded-for": `10.20.0.${address}` });
const wrong = (u: string, i: number) => from("Basic " + Buffer.from(`${u}:wrong-${i}`).toString("base64"));

describe("admin API Basic auth throttle", () => {
  it("after 5 wrong passwords for a user, even the right one is refused with 429, Retry-After and a GMS-shaped body", async () => {
    for (let i = 0; i < 5; i++)
      expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, wrong("supervisor", i))).status).toBe(401);
    const r = await call(srv.url, "GET", "/genesys/1/admin/services", undefined, from(basic("supervisor")));
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("60");
    expect(r.json).toEqual({
      code: 429,
      phrase: "TOO_MANY_REQUESTS",
      message: "Too many sign-in attempts; try again in 60 s",
      exception: "com.genesyslab.gsg.services.callback.CallbackException",
    });
    // another user is not locked out
    expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, from(basic("monitor")))).status).toBe(200);
  });

  it("a client whose credentials were verified moments ago keeps working while someone guesses that user's password", async () => {
    expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, from(basic("admin")))).status).toBe(200);
    for (let i = 0; i < 6; i++) await call(srv.url, "GET", "/genesys/1/admin/services", undefined, wrong("admin", i));
    expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, wrong("admin", 9))).status).toBe(429);
    expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, from(basic("admin")))).status).toBe(200);
  });
});
