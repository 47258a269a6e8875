import { describe, it, expect, beforeEach, vi } from "vitest";
import { freshEngine } from "./helpers";
import { putPatterns, putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { CallbackError } from "../lib/callback/errors";
import { hashPassword } from "../lib/auth/passwords";
import * as groupsRoute from "../app/api/console/patterns/route";
import * as groupRoute from "../app/api/console/patterns/[group]/route";
import * as patternRoute from "../app/api/console/patterns/[group]/[name]/route";
import * as testRoute from "../app/api/console/pattern-test/route";
import * as usersRoute from "../app/api/console/users/route";
import * as userRoute from "../app/api/console/users/[name]/route";
import * as roleRoute from "../app/api/console/users/[name]/role/route";
import * as passwordRoute from "../app/api/console/users/[name]/password/route";

// The session is the only stand-in: next-auth's cookie lookup needs a Next.js request scope. Everything else
// (routes, engine verbs, SQLite) is real.
const session = vi.hoisted(() => ({ user: null as null | { username: string; role: "monitor" | "supervisor" | "admin" } }));
vi.mock("../lib/auth/session", () => ({ currentUser: async () => session.user }));

const BASE = "http://localhost:3000";
const SAME = { "sec-fetch-site": "same-origin", "content-type": "application/json" };
let env: Awaited<ReturnType<typeof freshEngine>>;

const req = (method: string, path: string, body?: unknown) =>
  new Request(BASE + path, { method, headers: SAME, body: body === undefined ? undefined : JSON.stringify(body) });
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const as = (role: "monitor" | "supervisor" | "admin", username: string = role) => (session.user = { username, role });

beforeEach(async () => {
  env = freshEngine();
  as("admin");
  await putPatterns(env.ctx, "blocked", { premium: "^\\+1900", emergency: "^\\+?911$" });
  await putService(env.ctx, "sales", { _service: "callback", _exceptions: "blocked", _enable_in_queue_checking: "false" });
  await putService(env.ctx, "plain", { _service: "callback", _enable_in_queue_checking: "false" });
});

describe("console pattern tester", () => {
  it("answers as Start-Callback does: the matching pattern named, the engine's message, the number as stored", async () => {
    const r = await testRoute.POST(
      req("POST", "/api/console/pattern-test", { group: "blocked", number: "1 900 555 0100", service: "sales" }),
    );
    const body = await r.json();
    expect(r.status).toBe(200);
    expect(body.normalized).toBe("+19005550100");
    expect(body.patterns).toEqual([
      { name: "premium", regex: "^\\+1900", matches: true },
      { name: "emergency", regex: "^\\+?911$", matches: false },
    ]);
    expect(body.refused).toBe(true);
    let startMessage = "";
    try {
      await startCallback(env.ctx, "sales", { _customer_number: "1 900 555 0100" });
    } catch (e) {
      startMessage = (e as CallbackError).message;
    }
    // premium numbers are refused by the number rules first: the tester says what start says
    expect(body.message).toBe(startMessage);
  });

  it("matches the pattern of the group on a number the rules let through, and allows a number no pattern matches", async () => {
    await putPatterns(env.ctx, "blocked", { boston: "^\\+1617555" });
    const refused = await (
      await testRoute.POST(req("POST", "/api/console/pattern-test", { group: "blocked", number: "617-555-0101" }))
    ).json();
    expect(refused).toMatchObject({ refused: true, normalized: "+16175550101", patterns: [{ name: "boston", matches: true }] });
    expect(refused.message).toMatch(/details=\{blocked=boston\}/);
    expect(refused.rules.from).toBe("the global defaults");
    const allowed = await (
      await testRoute.POST(req("POST", "/api/console/pattern-test", { group: "blocked", number: "+1 212 555 0100" }))
    ).json();
    expect(allowed).toMatchObject({ refused: false, message: null, patterns: [{ name: "boston", matches: false }] });
    await expect(startCallback(env.ctx, "sales", { _customer_number: "+1 212 555 0100" })).resolves.toBeDefined();
  });

  it("for a service that does not use the group, a matching pattern is shown but the start is allowed", async () => {
    await putPatterns(env.ctx, "blocked", { boston: "^\\+1617555" });
    const r = await (
      await testRoute.POST(req("POST", "/api/console/pattern-test", { group: "blocked", number: "6175550101", service: "plain" }))
    ).json();
    expect(r).toMatchObject({ refused: false, patterns: [{ name: "boston", matches: true }] });
  });

  it("is open to monitors and 404s an unknown group", async () => {
    as("monitor");
    expect((await testRoute.POST(req("POST", "/api/console/pattern-test", { group: "blocked", number: "911" }))).status).toBe(200);
    expect((await testRoute.POST(req("POST", "/api/console/pattern-test", { group: "nope", number: "911" }))).status).toBe(404);
  });
});

describe("console pattern edits", () => {
  it("lists groups with the services that use them", async () => {
    const body = await (await groupsRoute.GET(req("GET", "/api/console/patterns"))).json();
    expect(body.groups).toEqual([
      {
        name: "blocked",
        patterns: [
          { name: "premium", regex: "^\\+1900" },
          { name: "emergency", regex: "^\\+?911$" },
        ],
        services: ["sales"],
      },
    ]);
    expect(body.callbackServices).toEqual(["plain", "sales"]);
  });

  it("adds, renames in place and deletes a pattern; a regex RE2 refuses is named and nothing is stored", async () => {
    const post = (b: unknown) => groupRoute.POST(req("POST", "/api/console/patterns/blocked", b), params({ group: "blocked" }));
    expect((await post({ name: "uk", regex: "^\\+44" })).status).toBe(200);
    expect((await post({ name: "premium-us", regex: "^\\+1900", previous: "premium" })).status).toBe(200);
    expect(Object.keys((await env.store.getPatternGroup("blocked"))!)).toEqual(["premium-us", "emergency", "uk"]);
    const bad = await post({ name: "back", regex: "(a)\\1" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^The regular expression is not a valid RE2 regular expression/);
    expect(await (await post({ name: "uk", regex: "x" })).json()).toMatchObject({ message: "The group already has a pattern named uk" });
    expect(Object.keys((await env.store.getPatternGroup("blocked"))!)).toEqual(["premium-us", "emergency", "uk"]);
    const del = await patternRoute.DELETE(req("DELETE", "/api/console/patterns/blocked/uk"), params({ group: "blocked", name: "uk" }));
    expect(del.status).toBe(200);
    expect(Object.keys((await env.store.getPatternGroup("blocked"))!)).toEqual(["premium-us", "emergency"]);
  });

  it("creates a group without overwriting one, and refuses to delete a group a service uses", async () => {
    const create = (b: unknown) => groupsRoute.POST(req("POST", "/api/console/patterns", b));
    expect((await create({ group: "vip", name: "ceo", regex: "^\\+15550001$" })).status).toBe(200);
    expect((await create({ group: "blocked", name: "x", regex: "x" })).status).toBe(400);
    expect(await (await create({ group: "bad name", name: "x", regex: "x" })).json()).toMatchObject({ code: 40010 });
    const inUse = await groupRoute.DELETE(req("DELETE", "/api/console/patterns/blocked"), params({ group: "blocked" }));
    expect(await inUse.json()).toMatchObject({ code: 40020, message: expect.stringContaining("used by sales") });
    expect((await groupRoute.DELETE(req("DELETE", "/api/console/patterns/vip"), params({ group: "vip" }))).status).toBe(200);
    expect(await env.store.getPatternGroup("vip")).toBeUndefined();
  });

  it("refuses edits to monitors and supervisors (403), and cross-origin posts", async () => {
    for (const role of ["monitor", "supervisor"] as const) {
      as(role);
      expect((await groupsRoute.POST(req("POST", "/api/console/patterns", { group: "g", name: "n", regex: "x" }))).status).toBe(403);
      expect((await groupRoute.DELETE(req("DELETE", "/api/console/patterns/blocked"), params({ group: "blocked" }))).status).toBe(403);
    }
    as("admin");
    const cross = new Request(BASE + "/api/console/patterns", { method: "POST", headers: { "sec-fetch-site": "cross-site" }, body: "{}" });
    expect((await groupsRoute.POST(cross)).status).toBe(403);
  });
});

describe("console users", () => {
  beforeEach(async () => await env.store.putUser("root", hashPassword("root-pass-1"), "admin", Date.now()));
  const users = async () => (await (await usersRoute.GET(req("GET", "/api/console/users"))).json()) as Array<Record<string, unknown>>;

  it("shows the last-admin guard and the self guard, and the engine refuses both", async () => {
    as("admin", "root");
    expect(await users()).toEqual([
      expect.objectContaining({
        username: "root",
        role: "admin",
        cannotDelete: "The last admin cannot be deleted",
        cannotDemote: expect.any(String),
      }),
    ]);
    const demote = await roleRoute.PUT(req("PUT", "/api/console/users/root/role", { role: "monitor" }), params({ name: "root" }));
    expect(await demote.json()).toMatchObject({ code: 40020, message: "The last admin cannot lose the admin role" });
    expect(
      (await usersRoute.POST(req("POST", "/api/console/users", { username: "ann", role: "admin", password: "ann-pass-12" }))).status,
    ).toBe(200);
    expect(await users()).toEqual([
      expect.objectContaining({ username: "ann", cannotDelete: null, cannotDemote: null }),
      expect.objectContaining({ username: "root", cannotDelete: "You cannot delete your own user", cannotDemote: null }),
    ]);
  });

  it("creates (never overwrites), changes role, resets the password and deletes, with the API's password rule", async () => {
    as("admin", "root");
    const create = (b: unknown) => usersRoute.POST(req("POST", "/api/console/users", b));
    expect(await (await create({ username: "mo", role: "monitor", password: "short" })).json()).toMatchObject({
      code: 40010,
      message: expect.stringContaining("password: at least 8 characters"),
    });
    expect((await create({ username: "mo", role: "monitor", password: "mo-pass-123" })).status).toBe(200);
    const again = await create({ username: "mo", role: "admin", password: "mo-pass-456" });
    expect(await again.json()).toMatchObject({ message: "A user named mo already exists" });
    expect((await env.store.getUser("mo"))!.role).toBe("monitor");
    const hash = (await env.store.getUser("mo"))!.passwordHash;
    expect((await roleRoute.PUT(req("PUT", "/x", { role: "supervisor" }), params({ name: "mo" }))).status).toBe(200);
    expect(await env.store.getUser("mo")).toMatchObject({ role: "supervisor", passwordHash: hash });
    expect((await passwordRoute.PUT(req("PUT", "/x", { password: "mo-new-pass-1" }), params({ name: "mo" }))).status).toBe(200);
    expect(await env.store.getUser("mo")).toMatchObject({ role: "supervisor" });
    expect((await env.store.getUser("mo"))!.passwordHash).not.toBe(hash);
    expect((await passwordRoute.PUT(req("PUT", "/x", { password: "whatever-1" }), params({ name: "ghost" }))).status).toBe(404);
    expect((await userRoute.DELETE(req("DELETE", "/x"), params({ name: "mo" }))).status).toBe(200);
    expect(await env.store.getUser("mo")).toBeUndefined();
  });

  it("is admin only", async () => {
    as("supervisor");
    expect((await usersRoute.GET(req("GET", "/api/console/users"))).status).toBe(403);
    expect((await userRoute.DELETE(req("DELETE", "/x"), params({ name: "root" }))).status).toBe(403);
  });
});
