#!/usr/bin/env node
// `npm run restore -- <backup file>`: puts a backup in place of DATABASE_PATH, with the server stopped.
// Refuses a backup that fails its integrity check or was written by newer code (more migrations than this code
// knows), and a database whose scheduler lease is live (a server is still running on it; --force overrides).
// The previous database is kept beside it as <name>.before-restore-<time>. README "Operations".
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { refuseOnPostgres } from "./sqlite-only.mjs";

refuseOnPostgres("restore");
const args = process.argv.slice(2);
const force = args.includes("--force");
const backup = args.find((a) => !a.startsWith("--"));
if (!backup) {
  console.error("usage: npm run restore -- <backup file> [--force]");
  process.exit(2);
}
const target = process.env.DATABASE_PATH || "./data/callbacks.db";
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const known = JSON.parse(fs.readFileSync(path.join(root, "db", "migrations", "meta", "_journal.json"), "utf8")).entries.length;
const fail = (msg) => {
  console.error(msg);
  process.exit(1);
};

const src = new Database(backup, { readonly: true, fileMustExist: true });
const check = src.pragma("integrity_check", { simple: true });
if (check !== "ok") fail(`${backup} failed its integrity check: ${check}`);
const level = src.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get();
if (level > known) fail(`${backup} was written by newer code (${level} migrations; this code knows ${known}): upgrade first`);
src.close();

if (fs.existsSync(target)) {
  const live = new Database(target, { readonly: true });
  const lease = live.prepare("SELECT holder, expires_at FROM leases WHERE name = 'scheduler'").get();
  live.close();
  if (lease && lease.expires_at > Date.now() && !force)
    fail(`a server still holds ${target} (scheduler lease of ${lease.holder}): stop it first`);
  const kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  fs.renameSync(target, kept);
  for (const ext of ["-wal", "-shm"]) fs.rmSync(target + ext, { force: true });
  console.log(`previous database kept as ${kept}`);
} else fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true, mode: 0o700 });
const tmp = `${target}.restoring`;
fs.copyFileSync(backup, tmp);
fs.chmodSync(tmp, 0o600);
fs.renameSync(tmp, target);
console.log(`restored ${backup} to ${target} (${level} of ${known} migrations; the server applies the rest when it starts)`);
