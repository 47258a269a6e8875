// Playwright runs against the production build (`next start`), with a fixed time zone and locale.
// Browser: Debian's /usr/bin/chromium when present, else Playwright's own Chromium; neither → a clear error.
import { defineConfig } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";
function browserPath(): string | undefined {
  if (fs.existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const own = require("playwright-core").chromium.executablePath() as string;
    if (own && fs.existsSync(own)) return undefined; // Playwright's own browser: no override needed
  } catch {}
  throw new Error(
    "No browser for Playwright: install Debian's Chromium (`sudo apt-get install -y chromium`, expected at /usr/bin/chromium) " +
      "or Playwright's own browser (`npx playwright install chromium`).",
  );
}

const PORT = Number(process.env.E2E_PORT || 3100);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "callback-e2e-"));
export const E2E_ADMIN = { user: "admin", password: "e2e-Admin-Passw0rd" };
/** The API's origin, and a second origin (a static server the widget specs start) that embeds the widget. */
export const E2E_API = `http://localhost:${PORT}`;
export const E2E_SITE_PORT = Number(process.env.E2E_SITE_PORT || PORT + 1000);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: E2E_API,
    timezoneId: "America/New_York",
    locale: "en-US",
    launchOptions: {
      executablePath: browserPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${PORT}`,
    url: `http://localhost:${PORT}/signin`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      DATABASE_PATH: path.join(dataDir, "e2e.db"),
      ADMIN_USER: E2E_ADMIN.user,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      AUTH_TRUST_HOST: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      SEED_DEMO: "true",
      LOG_LEVEL: "warn", // one JSON line per request would drown the test output
      CORS_ORIGINS: `http://localhost:${E2E_SITE_PORT}`,
    },
  },
});
