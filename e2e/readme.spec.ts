// The curl examples of the README and then of docs/*.md, run as written (bash, curl, node) against the production
// server, so they cannot rot: every request must succeed (curl --fail-with-body) and the script must finish.
import { test, expect } from "@playwright/test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { E2E_ADMIN } from "../playwright.config";

test("the curl examples of the README and the docs run against the server as written", () => {
  const root = path.join(__dirname, "..");
  const docs = fs
    .readdirSync(path.join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort();
  const readme = ["README.md", ...docs.map((f) => path.join("docs", f))].map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\n");
  const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const examples = blocks.filter((b) => /curl .*localhost:3000|^B=http:\/\/localhost:3000/m.test(b));
  expect(examples.length).toBeGreaterThanOrEqual(4);
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
