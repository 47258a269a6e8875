// The edge of next-auth's routes (/api/auth/*): bodies are capped like /genesys before next-auth reads them,
// and a credentials sign-in is counted against the throttle (README "Security") before its password is checked.
import { MAX_BODY_BYTES, readCapped } from "../http/body";
import { CallbackError, refused } from "../callback/errors";
import { errorResponse } from "../http/respond";
import { clientAddress } from "./client-address";
import { signInThrottle } from "./throttle";

/** The error a throttled sign-in reports to the form (next-auth passes `error` through): `TooManyAttempts:<s>`. */
const TOO_MANY_ATTEMPTS = "TooManyAttempts";

const tooLarge = (max: number) => errorResponse(refused(413, `Request body too large (max ${max} bytes)`));

/** Reads the whole body, or null as soon as it passes `max` bytes (declared or counted while streaming). */
async function readCappedBody(req: Request, max: number): Promise<Uint8Array | null> {
  try {
    return await readCapped(req, max);
  } catch (e) {
    if (e instanceof CallbackError) return null; // too large
    throw e;
  }
}

/** The user name of a credentials sign-in body, as next-auth will read it (form or JSON). */
function usernameOf(body: Uint8Array, contentType: string): string {
  const text = new TextDecoder().decode(body);
  if (contentType.includes("application/x-www-form-urlencoded")) return new URLSearchParams(text).get("username") ?? "";
  if (contentType.includes("application/json")) {
    try {
      const v: unknown = JSON.parse(text);
      return typeof v === "object" && v !== null && "username" in v && typeof v.username === "string" ? v.username : "";
    } catch {
      return "";
    }
  }
  return "";
}

/**
 * Wraps the next-auth handler: POST bodies over `max` → 413 (next-auth would buffer any size), a throttled
 * credentials sign-in → 429 with Retry-After; anything else reaches next-auth with the body already read.
 */
export function guardAuthRoute(next: (req: Request) => Promise<Response>, max = MAX_BODY_BYTES) {
  return async (req: Request): Promise<Response> => {
    if (req.method !== "POST") return next(req);
    const body = await readCappedBody(req, max);
    if (!body) return tooLarge(max);
    if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
      const username = usernameOf(body, req.headers.get("content-type") ?? "");
      const wait = await signInThrottle().attempt(username, clientAddress(req.headers.get("x-forwarded-for")));
      if (wait > 0) {
        const url = new URL(`/signin?error=${encodeURIComponent(`${TOO_MANY_ATTEMPTS}:${wait}`)}`, req.url).toString();
        const message = `Too many sign-in attempts; try again in ${wait} s`;
        const headers = { "retry-after": String(wait) };
        // next-auth's client follows `url`; the rest is the usual error body
        return Response.json({ url, ...refused(429, message).toBody() }, { status: 429, headers });
      }
    }
    return next(new Request(req.url, { method: req.method, headers: req.headers, body: body as BodyInit }));
  };
}
