// Opens the embedded SQLite database (WAL, busy timeout) and applies migrations when it opens.
// The handle is cached on globalThis so Next.js route modules and the scheduler share one connection,
// and nothing opens it at build time (it is opened lazily on first use).
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;
export interface DbHandle {
  sqlite: Database.Database;
  db: Db;
  path: string;
}

export function migrationsFolder(): string {
  return path.join(process.cwd(), "db", "migrations");
}

/**
 * The database holds customer data and password hashes: its directory (when we create it) is 0700 and the
 * file 0600, set with chmod so the umask does not matter. SQLite gives -wal/-shm the database file's mode;
 * those already present (an older, looser database) are tightened too.
 */
function prepareFile(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let d = dir; created && d.startsWith(created); d = path.dirname(d)) fs.chmodSync(d, 0o700);
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}

export function openDatabase(file: string): DbHandle {
  if (file !== ":memory:") prepareFile(file);
  const sqlite = new Database(file);
  // the busy timeout first: switching a new file to WAL needs its lock, which another process starting at the
  // same moment may hold (WORKERS); without the timeout that switch failed at once with "database is locked"
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("secure_delete = ON"); // GDPR "forget me": deleted personal data is overwritten, not left in free pages
  const db = drizzle(sqlite, { schema });
  // several processes may open a fresh database at once (WORKERS): drizzle reads the applied level before it takes
  // the write lock, so the loser of that race fails on "table already exists"; run again, it finds the winner's
  // migrations applied and has nothing left to do (a real error fails every time)
  for (let attempt = 1; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: migrationsFolder() });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  return { sqlite, db, path: file };
}

const g = globalThis as unknown as { __callbackDb?: DbHandle };

/** The process-wide database, opened on first use from DATABASE_PATH (default ./data/callbacks.db). */
export function getDb(): DbHandle {
  if (!g.__callbackDb) g.__callbackDb = openDatabase(process.env.DATABASE_PATH || "./data/callbacks.db");
  return g.__callbackDb;
}

/** Replace the process-wide database (tests). */
export function setDb(handle: DbHandle | undefined): void {
  g.__callbackDb = handle;
}
