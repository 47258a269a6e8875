// The console session signing secret: NEXTAUTH_SECRET, else a random one generated once and kept in a file
// readable by the owner only, next to the SQLite database (`<database dir>/auth-secret`), never in the database.
// On PostgreSQL there is no database directory and several servers must sign and accept the same sessions: the
// generated secret is kept in the database's `internal` settings, created once by whichever server asks first
// (set NEXTAUTH_SECRET to keep it out of the database).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { CallbackStore } from "../../db/callback-store";

const SECRET_FILE = "auth-secret";

/** Where the generated secret lives for a database file; none for an in-memory database. */
export function secretPath(databasePath: string): string | null {
  return databasePath === ":memory:" ? null : path.join(path.dirname(path.resolve(databasePath)), SECRET_FILE);
}

/**
 * Reads the secret file, or creates it (mode 0600 whatever the umask). A secret an older version kept in the
 * `internal` settings is moved into the file and removed from the database, so existing sessions stay valid.
 */
export async function loadAuthSecret(store: CallbackStore, env: Record<string, string | undefined> = process.env): Promise<string> {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (store.dialect === "postgres") return await sharedSecret(store);
  const dir = store.secretDir();
  const file = dir === null ? null : path.join(dir, SECRET_FILE);
  const internal = (await store.getSettings("internal")) ?? {};
  const { authSecret: legacy, ...rest } = internal;
  if (!file) return typeof legacy === "string" ? legacy : randomBytes(32).toString("base64url");
  let secret = readSecret(file);
  if (!secret) {
    secret = typeof legacy === "string" ? legacy : randomBytes(32).toString("base64url");
    // written aside, then linked into place: another process (WORKERS) never reads a created but still empty file
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, secret + "\n", { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      // another process created it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      secret = readSecret(file)!;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  fs.chmodSync(file, 0o600);
  if (legacy !== undefined) await store.putSettings("internal", rest, Date.now());
  return secret;
}

/** The secret every server of a PostgreSQL deployment shares: the first to ask creates it, under a lock. */
async function sharedSecret(store: CallbackStore): Promise<string> {
  return await store.tx(async () => {
    await store.lockService("internal:auth-secret");
    const internal = (await store.getSettings("internal")) ?? {};
    if (typeof internal.authSecret === "string") return internal.authSecret;
    const secret = randomBytes(32).toString("base64url");
    await store.putSettings("internal", { ...internal, authSecret: secret }, Date.now());
    return secret;
  });
}

function readSecret(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim() || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}
