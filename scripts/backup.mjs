#!/usr/bin/env node
// `npm run backup -- <file>`: an online, consistent copy of the live database (SQLite's backup API) while the
// server keeps serving; the copy is checked (integrity_check) and readable by the owner only.
// DATABASE_PATH names the live database (default ./data/callbacks.db). README "Operations".
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { refuseOnPostgres } from "./sqlite-only.mjs";

refuseOnPostgres("backup");

const dest = process.argv[2];
if (!dest) {
  console.error("usage: npm run backup -- <backup file>");
  process.exit(2);
}
const source = process.env.DATABASE_PATH || "./data/callbacks.db";
if (!fs.existsSync(source)) {
  console.error(`no database at ${source} (set DATABASE_PATH)`);
  process.exit(1);
}
if (fs.existsSync(dest)) {
  console.error(`${dest} exists: choose a new file`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(path.resolve(dest)), { recursive: true });
const db = new Database(source, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
const started = Date.now();
// small steps with a pause between them: the server's writers are never held up for long
await db.backup(dest, { progress: ({ remainingPages }) => (remainingPages > 0 ? 256 : 0) });
db.close();
fs.chmodSync(dest, 0o600);
const copy = new Database(dest, { readonly: true });
const check = copy.pragma("integrity_check", { simple: true });
const callbacks = copy.prepare("SELECT count(*) FROM callbacks").pluck().get();
const migrations = copy.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get();
copy.close();
if (check !== "ok") {
  console.error(`backup ${dest} failed its integrity check: ${check}`);
  process.exit(1);
}
console.log(
  `backup ${dest}: ${callbacks} callbacks, ${migrations} migrations, ${fs.statSync(dest).size} bytes, ${Date.now() - started} ms`,
);
