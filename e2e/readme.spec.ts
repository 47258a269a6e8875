// The README's curl examples, run as written (bash, curl, node) against the production server, so they cannot
// rot: every request must succeed (curl --fail-with-body) and the script must finish.
import { test, expect } from "@playwright/test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { E2E_ADMIN } from "../playwright.config";

test("the README's curl examples run against the server as written", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const examples = blocks.filter((b) => /curl .*localhost:3000|^B=http:\/\/localhost:3000/m.test(b));
  expect(examples.length).toBeGreaterThanOrEqual(3);
  const base = test.info().project.use.baseURL!;
  const script = ["set -euo pipefail", ...examples.map((b) => b.replace(/^PW=.*$/m, ""))]
    .join("\n")
    .replaceAll("http://localhost:3000", base)
    .replaceAll("curl ", "curl --fail-with-body -sS ");
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "cb-readme-"));
  const r = spawnSync("bash", ["-c", script], { cwd, env: { ...process.env, PW: E2E_ADMIN.password }, encoding: "utf8", timeout: 60_000 });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toContain('"_callback_state":"SCHEDULED"');
});
