import { describe, it, expect } from "vitest";
import { guardAuthRoute } from "../lib/auth/sign-in-route";
import { MAX_BODY_BYTES } from "../lib/http/body";

// What reaches next-auth behind the guard: the method, path and the exact body it was handed.
const seen = async (req: Request) => Response.json({ method: req.method, path: new URL(req.url).pathname, body: await req.text() });
const route = guardAuthRoute(seen);
const BASE = "http://localhost/api/auth";

function stream(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent++ < chunks) c.enqueue(new Uint8Array(size).fill(97));
      else c.close();
    },
  });
}

const credentials = (body: string, headers: Record<string, string>) =>
  new Request(`${BASE}/callback/credentials`, { method: "POST", headers, body });
const form = (body: string, headers: Record<string, string> = {}) =>
  credentials(body, { "content-type": "application/x-www-form-urlencoded", ...headers });

describe("next-auth routes: body cap", () => {
  it("refuses a body declared over 1 MiB with 413 and a JSON body, before reading it", async () => {
    const r = await route(
      new Request(`${BASE}/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(64 * 1024 * 1024) },
        body: stream(1, 10),
        duplex: "half",
      } as RequestInit),
    );
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ code: 413, phrase: "PAYLOAD_TOO_LARGE" });
  });

  it("counts a streamed body without a length and stops at 1 MiB (413)", async () => {
    const big = new Request(`${BASE}/signout`, { method: "POST", body: stream(64, 64 * 1024), duplex: "half" } as RequestInit);
    expect((await route(big)).status).toBe(413);
    const fits = new Request(`${BASE}/signout`, { method: "POST", body: stream(16, 64 * 1024), duplex: "half" } as RequestInit);
    const r = await route(fits);
    expect(r.status).toBe(200);
    expect((await r.json()).body.length).toBe(MAX_BODY_BYTES);
  });

  it("hands a small body on unchanged, and GET requests untouched", async () => {
    const r = await route(form("username=x&password=y&csrfToken=z", { "x-forwarded-for": "10.9.0.1" }));
    expect(await r.json()).toEqual({ method: "POST", path: "/api/auth/callback/credentials", body: "username=x&password=y&csrfToken=z" });
    expect(await (await route(new Request(`${BASE}/session`))).json()).toMatchObject({ method: "GET", body: "" });
  });
});

describe("next-auth routes: sign-in throttle", () => {
  it("counts credentials sign-ins per user; the 6th within 15 minutes is 429 with Retry-After and the error the form shows", async () => {
    for (let i = 0; i < 5; i++)
      expect((await route(form(`username=frank&password=guess${i}`, { "x-forwarded-for": "10.9.0.2" }))).status).toBe(200);
    const r = await route(form("username=frank&password=guess5", { "x-forwarded-for": "10.9.0.3" }));
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("60");
    const body = await r.json();
    expect(body).toMatchObject({ code: 429, phrase: "TOO_MANY_REQUESTS" });
    expect(new URL(body.url).searchParams.get("error")).toBe("TooManyAttempts:60");
    // JSON bodies are counted under the same name
    expect((await route(credentials('{"username":"frank"}', { "content-type": "application/json" }))).status).toBe(429);
    // other users and other next-auth routes are not affected
    expect((await route(form("username=grace&password=x", { "x-forwarded-for": "10.9.0.3" }))).status).toBe(200);
    expect((await route(new Request(`${BASE}/signout`, { method: "POST", body: "csrfToken=x" }))).status).toBe(200);
  });
});
