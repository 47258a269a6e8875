#!/usr/bin/env node
// `npm run bench`: every benchmark in turn (each targets loopback only and stops by itself); the HTTP ones (http.mjs,
// multi-server.mts) need the production build, made first when missing. Figures go to bench/README.md by hand, with the date.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const run = (args) => {
  console.log(`\n$ node ${args.join(" ")}`);
  const r = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const tsx = (file) => run(["--import", "tsx", path.join("bench", file)]);

for (const f of fs
  .readdirSync(path.join(root, "bench"))
  // multi-server.mts needs the production build and a mode: run after the build, below
  .filter((f) => /\.(ts|mts)$/.test(f) && f !== "multi-server.mts")
  .sort())
  tsx(f);
if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) run(["node_modules/next/dist/bin/next", "build"]);
run(["bench/http.mjs"]);
for (const mode of ["start", "burst"]) run(["--import", "tsx", "bench/multi-server.mts", mode]);
