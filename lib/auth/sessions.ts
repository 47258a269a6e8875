// Console sessions are JWTs (next-auth) that carry the user's session epoch. Every request re-reads the user:
// a session whose user is gone or whose epoch moved (sign-out, password or role change) is no longer valid,
// and the role always comes from the database, never from the token.
import type { CallbackStore } from "../../db/callback-store";
import type { AuthUser, Role } from "./users";

export interface SessionClaims {
  name?: string | null;
  epoch?: unknown;
}

/** The user a session token stands for, or null when the session has ended. */
export async function liveSession(store: CallbackStore, claims: SessionClaims): Promise<AuthUser | null> {
  if (!claims.name || typeof claims.epoch !== "number") return null;
  const row = await store.getUser(claims.name);
  return row && row.sessionEpoch === claims.epoch ? { username: row.username, role: row.role as Role } : null;
}

/** The epoch a new session of this user carries. */
export async function sessionEpochOf(store: CallbackStore, username: string): Promise<number | null> {
  return (await store.getUser(username))?.sessionEpoch ?? null;
}

/** Sign-out: ends every session of the user, unless the token was already stale (then nothing is left to end). */
export async function endSessions(store: CallbackStore, claims: SessionClaims, now: number): Promise<void> {
  if (await liveSession(store, claims)) await store.bumpSessionEpoch(claims.name!, now);
}
