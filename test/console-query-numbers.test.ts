// The console Callbacks list reads its page number from the query: anything but an integer in range is a 400
// with the GMS error body, never a silent page 1 or a database error. Real route, engine and SQLite; only the
// session is a stand-in (next-auth's cookie lookup needs a Next.js request scope).
import { describe, it, expect, beforeEach, vi } from "vitest";
import { freshEngine } from "./helpers";
import * as callbacksRoute from "../app/api/console/callbacks/route";

const session = vi.hoisted(() => ({ user: null as null | { username: string; role: "monitor" | "supervisor" | "admin" } }));
vi.mock("../lib/auth/session", () => ({ currentUser: async () => session.user }));

// tz is given so the route does not look for the display-zone cookie
const get = (q: string) => callbacksRoute.GET(new Request(`http://localhost:3000/api/console/callbacks?tz=UTC&${q}`));

beforeEach(() => {
  freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  session.user = { username: "watcher", role: "monitor" };
});

describe("GET /api/console/callbacks page number", () => {
  it("answers 400 40010 naming the parameter for a non-integer or out-of-range page", async () => {
    for (const p of ["1.5", "0", "-1", "1e3", "x", "1000001"]) {
      const r = await get(`page=${p}`);
      expect(r.status, p).toBe(400);
      expect(await r.json()).toMatchObject({ code: 40010, phrase: "BAD_PARAMETER", message: expect.stringContaining("page") });
    }
  });

  it("answers a page in range, and page 1 when none is asked for", async () => {
    for (const q of ["page=2", "page=", ""]) expect((await get(q)).status, q).toBe(200);
  });
});
