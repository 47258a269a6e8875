#!/usr/bin/env node
// `npm run test:e2e`: builds the widget scripts and the production bundle of the current sources, then runs
// Playwright against it.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: "inherit", env, cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run([path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "scripts/build-widgets.mts")]);
run([path.join(root, "node_modules/next/dist/bin/next"), "build"]);
run([path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)]);
