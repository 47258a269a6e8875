import { describe, it, expect } from "vitest";
import { basic, call, useHttpEnv, walCommits, onPostgres, type Server, type Env } from "./helpers";
import { putService, deleteService } from "../lib/callback/config-admin";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)), { users: true });

const A = "/genesys/1/admin";
const admin = { authorization: basic("admin") };

describe("admin configuration API", () => {
  it("creates, reads, lists, replaces and deletes a service, returning values as stored", async () => {
    const put = await call(
      srv.url,
      "PUT",
      `${A}/services/sales`,
      { _service: "callback", _ttl: 600, _my_option: "kept", _paused: false },
      admin,
    );
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ _service: "callback", _ttl: 600, _my_option: "kept", _paused: false });
    expect((await call(srv.url, "GET", `${A}/services/sales`, undefined, admin)).json).toEqual(put.json);
    const replaced = await call(srv.url, "PUT", `${A}/services/sales`, { _service: "callback", _ttl: "900" }, admin);
    expect(replaced.json).toEqual({ _service: "callback", _ttl: "900" });
    expect((await call(srv.url, "GET", `${A}/services`, undefined, admin)).json).toEqual({ sales: { _service: "callback", _ttl: "900" } });
    expect((await call(srv.url, "DELETE", `${A}/services/sales`, undefined, admin)).status).toBe(200);
    const gone = await call(srv.url, "GET", `${A}/services/sales`, undefined, admin);
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe(40030);
  });

  it("answers an invalid service with 400 40010 naming every bad option, and stores nothing", async () => {
    const r = await call(
      srv.url,
      "PUT",
      `${A}/services/bad`,
      { _service: "callback", _ttl: "soon", _request_time_bucket: 7, _default_country: "XX" },
      admin,
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 40010,
      phrase: "BAD_PARAMETER",
      exception: "com.genesyslab.gsg.services.callback.CallbackException",
    });
    for (const o of ["_ttl", "_request_time_bucket", "_default_country"]) expect(r.json.message).toContain(o);
    expect(r.json.properties).toBeUndefined();
    expect((await call(srv.url, "GET", `${A}/services/bad`, undefined, admin)).status).toBe(404);
    const noKind = await call(srv.url, "PUT", `${A}/services/x`, { _ttl: 5 }, admin);
    expect(noKind.json.message).toContain("_service");
    const badName = await call(srv.url, "PUT", `${A}/services/${encodeURIComponent("a b")}`, { _service: "callback" }, admin);
    expect(badName.status).toBe(400);
  });

  it("refuses to delete a service another references (400 40020) and references to missing services", async () => {
    expect(
      (
        await call(
          srv.url,
          "PUT",
          `${A}/services/oh`,
          { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Fri 9:00-17:00" },
          admin,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          srv.url,
          "PUT",
          `${A}/services/cap`,
          { _service: "capacity", _timezone: "UTC", _capacity_1: { 1: { "0900": 3 } } },
          admin,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          srv.url,
          "PUT",
          `${A}/services/cb`,
          { _service: "callback", _business_hours_service: "oh", _capacity_service: "cap" },
          admin,
        )
      ).status,
    ).toBe(200);
    for (const name of ["oh", "cap"]) {
      const r = await call(srv.url, "DELETE", `${A}/services/${name}`, undefined, admin);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 40020, phrase: "INVALID_OPERATION" });
      expect(r.json.message).toContain("cb");
    }
    const missing = await call(srv.url, "PUT", `${A}/services/cb2`, { _service: "callback", _business_hours_service: "nope" }, admin);
    expect(missing.status).toBe(400);
    expect(missing.json.message).toContain("_business_hours_service");
    const wrongKind = await call(srv.url, "PUT", `${A}/services/cb3`, { _service: "callback", _business_hours_service: "cap" }, admin);
    expect(wrongKind.status).toBe(400);
    expect((await call(srv.url, "DELETE", `${A}/services/cb`, undefined, admin)).status).toBe(200);
    expect((await call(srv.url, "DELETE", `${A}/services/oh`, undefined, admin)).status).toBe(200);
  });

  it("reads and replaces the global callback settings, validating them", async () => {
    expect((await call(srv.url, "GET", `${A}/settings/callback`, undefined, admin)).json).toEqual({});
    const ok = await call(
      srv.url,
      "PUT",
      `${A}/settings/callback`,
      { "returned-keys": "_desired_time,_callback_state", max_queued_callbacks_per_service: 50 },
      admin,
    );
    expect(ok.status).toBe(200);
    expect((await call(srv.url, "GET", `${A}/settings/callback`, undefined, admin)).json).toEqual({
      "returned-keys": "_desired_time,_callback_state",
      max_queued_callbacks_per_service: 50,
    });
    const bad = await call(srv.url, "PUT", `${A}/settings/callback`, { max_queued_callbacks_per_service: "lots" }, admin);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("max_queued_callbacks_per_service");
  });

  it("stores exception pattern groups, refusing what RE2 cannot compile, and protects groups in use", async () => {
    const ok = await call(srv.url, "PUT", `${A}/patterns/blocked`, { premium: "^\\+1900", local: "^5\\d{3}$" }, admin);
    expect(ok.status).toBe(200);
    expect((await call(srv.url, "GET", `${A}/patterns/blocked`, undefined, admin)).json).toEqual({
      premium: "^\\+1900",
      local: "^5\\d{3}$",
    });
    const bad = await call(srv.url, "PUT", `${A}/patterns/evil`, { a: "(?=1)", b: "([", c: 5 }, admin);
    expect(bad.status).toBe(400);
    for (const k of ["a:", "b:", "c:"]) expect(bad.json.message).toContain(k);
    await call(srv.url, "PUT", `${A}/services/cb`, { _service: "callback", _exceptions: "blocked" }, admin);
    expect((await call(srv.url, "DELETE", `${A}/patterns/blocked`, undefined, admin)).json.code).toBe(40020);
    await call(srv.url, "DELETE", `${A}/services/cb`, undefined, admin);
    expect((await call(srv.url, "DELETE", `${A}/patterns/blocked`, undefined, admin)).status).toBe(200);
    expect((await call(srv.url, "GET", `${A}/patterns/blocked`, undefined, admin)).status).toBe(404);
  });

  it("answers 401 with WWW-Authenticate without or with wrong credentials, and 403 when the role is too low", async () => {
    const none = await call(srv.url, "GET", `${A}/services`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const wrong = await call(srv.url, "GET", `${A}/services`, undefined, {
      authorization: "Basic " + Buffer.from("admin:nope").toString("base64"),
    });
    expect(wrong.status).toBe(401);
    const garbage = await call(srv.url, "GET", `${A}/services`, undefined, { authorization: "Basic %%%" });
    expect(garbage.status).toBe(401);
    // monitor reads, but only admin writes configuration
    expect((await call(srv.url, "GET", `${A}/services`, undefined, { authorization: basic("monitor") })).status).toBe(200);
    for (const who of ["monitor", "supervisor"] as const) {
      const h = { authorization: basic(who) };
      expect((await call(srv.url, "PUT", `${A}/services/x`, { _service: "callback" }, h)).status).toBe(403);
      expect((await call(srv.url, "DELETE", `${A}/services/x`, undefined, h)).status).toBe(403);
      expect((await call(srv.url, "PUT", `${A}/settings/callback`, {}, h)).status).toBe(403);
      expect((await call(srv.url, "PUT", `${A}/patterns/g`, { a: "1" }, h)).status).toBe(403);
    }
    expect(await env.store.listServices()).toEqual([]);
  });
});

describe("configuration writes are one transaction each", () => {
  // SQLite only: counts commits in the WAL file
  it.skipIf(onPostgres)("commits a service with its event once, and a refused delete commits nothing", async () => {
    env.lite.sqlite.pragma("wal_autocheckpoint = 0");
    const ctx = { ...env.ctx, actor: "admin" };
    await putService(ctx, "oh", { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Fri 9:00-17:00" });
    let before = walCommits(env.lite);
    await putService(ctx, "cb", { _service: "callback", _business_hours_service: "oh" });
    expect(walCommits(env.lite) - before).toBe(1);
    before = walCommits(env.lite);
    await expect(deleteService(ctx, "oh")).rejects.toThrow(/referenced by cb/);
    expect(walCommits(env.lite) - before).toBe(0);
    expect(await env.store.getService("oh")).toBeDefined();
  });
});
