#!/usr/bin/env node
// `npm start`: builds when needed (no build yet, or sources newer than it), then serves the production build.
// Migrations, the first admin and demo data are handled by the server at start-up (instrumentation.ts).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
env.AUTH_TRUST_HOST ??= "true"; // next-auth derives its URL from the Host header (localhost, 127.0.0.1, a LAN name)
const port = env.PORT || "3000";
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");

function newestMtime(p) {
  let newest = 0;
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const built = fs.statSync(buildId, { throwIfNoEntry: false });
const sources = ["app", "lib", "db", "public", "instrumentation.ts", "next.config.mjs", "package.json"];
if (!built || Math.max(...sources.map((s) => newestMtime(path.join(root, s)))) > built.mtimeMs) {
  console.log("[start] building the production bundle (next build)…");
  const r = spawnSync(process.execPath, [next, "build"], { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log(
  `[start] serving on http://localhost:${port}  (console: http://localhost:${port}/callbacks, API: http://localhost:${port}/genesys/1/...)`,
);
const child = spawn(process.execPath, [next, "start", "-p", port], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
