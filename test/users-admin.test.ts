import { describe, it, expect } from "vitest";
import { basic, call, useHttpEnv, type Server, type Env } from "./helpers";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)), { users: true });
const A = "/genesys/1/admin/users";
const admin = { authorization: basic("admin") };

describe("users administration", () => {
  it("lists users without password data, creates one whose password then works, changes its role and deletes it", async () => {
    const list = await call(srv.url, "GET", A, undefined, admin);
    expect(list.json.map((u: any) => u.username)).toEqual(["admin", "monitor", "supervisor"]);
    expect(JSON.stringify(list.json)).not.toMatch(/scrypt|password/i);
    expect((await call(srv.url, "PUT", `${A}/carol`, { password: "carol-secret-1", role: "monitor" }, admin)).json).toEqual({
      username: "carol",
      role: "monitor",
    });
    expect((await env.store.getUser("carol"))!.passwordHash).toMatch(/^scrypt\$/);
    const carol = { authorization: "Basic " + Buffer.from("carol:carol-secret-1").toString("base64") };
    expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, carol)).status).toBe(200);
    expect((await call(srv.url, "PUT", "/genesys/1/admin/services/x", { _service: "callback" }, carol)).status).toBe(403);
    expect((await call(srv.url, "PUT", `${A}/carol`, { role: "admin" }, admin)).status).toBe(200); // keeps the password
    expect((await call(srv.url, "PUT", "/genesys/1/admin/services/x", { _service: "callback" }, carol)).status).toBe(200);
    expect((await call(srv.url, "DELETE", `${A}/carol`, undefined, admin)).status).toBe(200);
    expect((await call(srv.url, "GET", "/genesys/1/admin/services", undefined, carol)).status).toBe(401);
  });

  it("refuses bad input, a new user without password, removing the last admin, deleting oneself, and non-admins", async () => {
    const bad = await call(srv.url, "PUT", `${A}/dave`, { password: "short", role: "boss" }, admin);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/password: at least 8 characters/);
    expect(bad.json.message).toMatch(/role: one of monitor, supervisor, admin/);
    expect((await call(srv.url, "PUT", `${A}/dave`, { role: "monitor" }, admin)).json.message).toMatch(/password is required/);
    expect((await call(srv.url, "PUT", `${A}/admin`, { role: "monitor" }, admin)).json).toMatchObject({ code: 40020 });
    expect((await call(srv.url, "DELETE", `${A}/admin`, undefined, admin)).json).toMatchObject({ code: 40020 });
    expect((await call(srv.url, "DELETE", `${A}/nobody`, undefined, admin)).status).toBe(404);
    for (const who of ["monitor", "supervisor"] as const) {
      expect((await call(srv.url, "GET", A, undefined, { authorization: basic(who) })).status).toBe(403);
      expect((await call(srv.url, "PUT", `${A}/x`, { password: "12345678", role: "admin" }, { authorization: basic(who) })).status).toBe(
        403,
      );
    }
    expect(await env.store.getUser("dave")).toBeUndefined();
  });
});
