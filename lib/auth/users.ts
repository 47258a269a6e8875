// Console users and roles (monitor < supervisor < admin), sign-in checks for the console and the admin API.
import { createHmac, randomBytes } from "node:crypto";
import type { CallbackStore } from "../../db/callback-store";
import { generatePassword, hashPassword, verifyPassword, verifyPasswordSync } from "./passwords";
import { signInThrottle } from "./throttle";
import { ROLES } from "./user-rules";

export { ROLES };
export type Role = (typeof ROLES)[number];
const roleRank = (r: string) => ROLES.indexOf(r as Role);
export const hasRole = (have: string, need: Role) => roleRank(have) >= roleRank(need);

export interface AuthUser {
  username: string;
  role: Role;
}

/**
 * Creates the first admin when there are no users: from ADMIN_USER / ADMIN_PASSWORD, else a generated
 * password printed once. In production without ADMIN_PASSWORD nothing weak is ever assumed.
 * Returns a line describing where the admin credentials come from.
 */
export async function ensureAdmin(store: CallbackStore, now: number, env = process.env): Promise<string> {
  const user = env.ADMIN_USER || "admin";
  if (env.ADMIN_PASSWORD) {
    const password = env.ADMIN_PASSWORD;
    // check and write in one transaction: processes starting together write the hash once, so a session opened
    // against the first write is not ended by a second one with another salt
    await store.tx(async () => {
      const existing = await store.getUser(user);
      if (!existing || !verifyPasswordSync(password, existing.passwordHash))
        await store.putUser(user, hashPassword(password), "admin", now);
    });
    return `admin credentials: user "${user}" with the password from ADMIN_PASSWORD`;
  }
  const existing = `admin credentials: existing users in the database (set ADMIN_PASSWORD to reset "${user}")`;
  if ((await store.countUsers()) > 0) return existing;
  // several processes may start on one empty database at once (WORKERS): only the one whose insert wins prints
  const pw = generatePassword();
  if (!(await store.createFirstUser(user, hashPassword(pw), "admin", now))) return existing;
  return `admin credentials (generated, shown once): user "${user}" password "${pw}"`;
}

// Verified Basic credentials are cached briefly so the admin API does not pay a scrypt per request. The key is an
// HMAC under a per-process random key (a memory dump yields no password hash to attack offline); a hit counts
// only while the stored hash is unchanged, and the role is always read from the database.
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 1000;
const cacheKey = randomBytes(32);
const cache = new Map<string, { until: number; hash: string }>();
const keyOf = (username: string, password: string) => createHmac("sha256", cacheKey).update(`${username}\0${password}`).digest("base64");

async function cachedUser(store: CallbackStore, username: string, password: string): Promise<AuthUser | null> {
  const hit = cache.get(keyOf(username, password));
  if (!hit || hit.until <= Date.now()) return null;
  const row = await store.getUser(username);
  return row && row.passwordHash === hit.hash ? { username, role: row.role as Role } : null;
}

// Unknown users are checked against this hash so that they cost the same scrypt as a wrong password.
let dummyHash: string | undefined;

/** Checks a user's password off the event loop, at the same cost whether or not the user exists. */
export async function verifyCredentials(store: CallbackStore, username: string, password: string): Promise<AuthUser | null> {
  const cached = await cachedUser(store, username, password);
  if (cached) return cached;
  // no user name holds U+0000 (names are checked when created), and PostgreSQL could not even look it up
  const row = username.includes("\0") ? undefined : await store.getUser(username);
  const ok = await verifyPassword(password, row?.passwordHash ?? (dummyHash ??= hashPassword(randomBytes(16).toString("hex"))));
  if (!row || !ok) return null;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(keyOf(username, password), { until: Date.now() + CACHE_TTL_MS, hash: row.passwordHash });
  return { username, role: row.role as Role };
}

export type SignInResult = { user: AuthUser; retryAfterS: 0 } | { user: null; retryAfterS: number };

/**
 * One throttled sign-in (README "Security"): credentials verified within the cache TTL pass without counting
 * (an attacker's lockout of a name does not stop a client that already proved the password); otherwise the
 * attempt is counted first, refused while locked out (`retryAfterS` > 0), then checked.
 */
export async function signIn(store: CallbackStore, username: string, password: string, address: string): Promise<SignInResult> {
  const cached = await cachedUser(store, username, password);
  if (cached) return { user: cached, retryAfterS: 0 };
  const wait = await signInThrottle(store).attempt(username, address);
  if (wait > 0) return { user: null, retryAfterS: wait };
  const user = await verifyCredentials(store, username, password);
  if (!user) return { user: null, retryAfterS: 0 };
  await signInThrottle(store).succeeded(username, address);
  return { user, retryAfterS: 0 };
}

/** Parses `Authorization: Basic …`. */
export function parseBasic(header: string | null): { username: string; password: string } | null {
  if (!header || !/^basic\s+/i.test(header)) return null;
  let decoded: string;
  try {
    decoded = Buffer.from(header.replace(/^basic\s+/i, "").trim(), "base64").toString("utf8");
  } catch {
    return null;
  }
  const i = decoded.indexOf(":");
  if (i < 0) return null;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
