import { describe, it, expect, beforeEach, vi } from "vitest";
import { freshEngine } from "./helpers";
import { putService, getService, getSettings } from "../lib/callback/config-admin";
import * as addRoute from "../app/api/console/services/route";
import * as serviceRoute from "../app/api/console/services/[name]/route";
import * as pauseRoute from "../app/api/console/services/[name]/pause/route";
import * as duplicateRoute from "../app/api/console/services/[name]/duplicate/route";
import * as settingsRoute from "../app/api/console/settings/route";

// The session is the only stand-in: next-auth's cookie lookup needs a Next.js request scope. Everything else
// (routes, engine verbs, SQLite) is real.
const session = vi.hoisted(() => ({ user: null as null | { username: string; role: "monitor" | "supervisor" | "admin" } }));
vi.mock("../lib/auth/session", () => ({ currentUser: async () => session.user }));

const BASE = "http://localhost:3000";
const SAME = { "sec-fetch-site": "same-origin" };
let env: Awaited<ReturnType<typeof freshEngine>>;

const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = SAME) =>
  new Request(BASE + path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = (name: string) => ({ params: Promise.resolve({ name }) });
const as = (role: "monitor" | "supervisor" | "admin") => (session.user = { username: `${role}-1`, role });

beforeEach(async () => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  await putService(env.ctx, "hours", { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Fri 9:00-17:00" });
  await putService(env.ctx, "sales", { _service: "callback", _business_hours_service: "hours" });
});

describe("console services routes", () => {
  it("refuse every change to a supervisor or monitor (403) and leave the configuration as it was", async () => {
    for (const role of ["monitor", "supervisor"] as const) {
      as(role);
      const answers = [
        await addRoute.POST(req("POST", "/api/console/services", { name: "x", options: { _service: "callback" } })),
        await serviceRoute.PUT(req("PUT", "/api/console/services/sales", { options: { _service: "callback" } }), params("sales")),
        await serviceRoute.DELETE(req("DELETE", "/api/console/services/sales"), params("sales")),
        await pauseRoute.POST(req("POST", "/api/console/services/sales/pause", { paused: true }), params("sales")),
        await duplicateRoute.POST(req("POST", "/api/console/services/sales/duplicate", { name: "copy" }), params("sales")),
        await settingsRoute.PUT(req("PUT", "/api/console/settings", { options: { _throttle_ttl_1: "60" } })),
      ];
      expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    }
    expect(await getService(env.ctx, "sales")).toEqual({ _service: "callback", _business_hours_service: "hours" });
    await expect(getService(env.ctx, "x")).rejects.toThrow();
    expect(await getSettings(env.ctx)).toEqual({});
  });

  it("refuse an admin's change sent from another site (no same-origin proof)", async () => {
    as("admin");
    const r = await serviceRoute.PUT(req("PUT", "/api/console/services/sales", { options: { _service: "callback" } }, {}), params("sales"));
    expect(r.status).toBe(403);
    expect((await getService(env.ctx, "sales"))._business_hours_service).toBe("hours");
  });

  it("answer an admin's bad save with 400 naming each bad option in properties, saving nothing", async () => {
    as("admin");
    const r = await serviceRoute.PUT(
      req("PUT", "/api/console/services/sales", { options: { _service: "callback", _request_time_bucket: "7", _ttl: "0" } }),
      params("sales"),
    );
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.code).toBe(40010);
    expect(body.properties).toEqual({ _request_time_bucket: "must be one of 5, 10, 15, 20, 30, 60, 120", _ttl: "must be >= 1" });
    expect(await getService(env.ctx, "sales")).toEqual({ _service: "callback", _business_hours_service: "hours" });
  });

  it("let an admin add, pause, duplicate and delete, and refuse deleting a referenced service naming who references it", async () => {
    as("admin");
    expect(
      (await addRoute.POST(req("POST", "/api/console/services", { name: "chat", options: { _service: "callback", _media_type: "chat" } })))
        .status,
    ).toBe(200);
    expect((await pauseRoute.POST(req("POST", "/api/console/services/chat/pause", { paused: true }), params("chat"))).status).toBe(200);
    expect(await getService(env.ctx, "chat")).toEqual({ _service: "callback", _media_type: "chat", _paused: "true" });
    expect(
      (await duplicateRoute.POST(req("POST", "/api/console/services/chat/duplicate", { name: "chat-2" }), params("chat"))).status,
    ).toBe(200);
    expect(await getService(env.ctx, "chat-2")).toEqual(await getService(env.ctx, "chat"));
    const refused = await serviceRoute.DELETE(req("DELETE", "/api/console/services/hours"), params("hours"));
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toBe("Service hours cannot be deleted: it is referenced by sales (_business_hours_service)");
    expect((await serviceRoute.DELETE(req("DELETE", "/api/console/services/chat-2"), params("chat-2"))).status).toBe(200);
    await expect(getService(env.ctx, "chat-2")).rejects.toThrow();
  });
});
