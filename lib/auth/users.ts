// Console users and roles (SPEC §7, §8): monitor < supervisor < admin.
import { createHash } from "node:crypto";
import type { Store } from "../../db/store";
import { generatePassword, hashPassword, verifyPassword } from "./passwords";

export const ROLES = ["monitor", "supervisor", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const roleRank = (r: string) => ROLES.indexOf(r as Role);
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
export function ensureAdmin(store: Store, now: number, env = process.env): string {
  const user = env.ADMIN_USER || "admin";
  if (env.ADMIN_PASSWORD) {
    const existing = store.getUser(user);
    if (!existing || !verifyPassword(env.ADMIN_PASSWORD, existing.passwordHash)) {
      store.putUser(user, hashPassword(env.ADMIN_PASSWORD), "admin", now);
    }
    return `admin credentials: user "${user}" with the password from ADMIN_PASSWORD`;
  }
  if (store.countUsers() > 0) return `admin credentials: existing users in the database (set ADMIN_PASSWORD to reset "${user}")`;
  const pw = generatePassword();
  store.putUser(user, hashPassword(pw), "admin", now);
  return `admin credentials (generated, shown once): user "${user}" password "${pw}"`;
}

// Verified Basic credentials are cached briefly (keyed by a hash of the header) so the admin API does not pay
// a scrypt per request; a password change or user delete takes effect within the TTL.
const CACHE_TTL_MS = 30_000;
const cache = new Map<string, { user: AuthUser; until: number; hash: string }>();

export function verifyCredentials(store: Store, username: string, password: string): AuthUser | null {
  const key = createHash("sha256").update(`${username}\0${password}`).digest("base64");
  const hit = cache.get(key);
  const now = Date.now();
  const row = store.getUser(username);
  if (!row) return null;
  if (hit && hit.until > now && hit.hash === row.passwordHash) return { username, role: row.role as Role };
  if (!verifyPassword(password, row.passwordHash)) return null;
  const user = { username, role: row.role as Role };
  if (cache.size > 1000) cache.clear();
  cache.set(key, { user, until: now + CACHE_TTL_MS, hash: row.passwordHash });
  return user;
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
