// The Callbacks panel in a real browser, on a big database: 1,000,000 callbacks stored, 100,000 of them in the
// next 24 hours. Measures, against the production build (`npm run build` first):
//  - a filter change, from the user's input event to the new count and rows painted (target ≤ 300 ms);
//  - "Cancel All Callbacks in Current Time Range" of the 100,000, from the confirmation click to the first progress
//    shown (target ≤ 1 s) and to the end, while a client sends an immediate Start-Callback every 20 ms (target: none
//    waits more than 200 ms).
// Run: npx tsx bench/console-browser.ts [stored] [inWindow]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { openDatabase, setDb } from "../db/client";
import { sqliteStore } from "../db/store";
import { hashPassword } from "../lib/auth/passwords";
import { putService } from "../lib/callback/config-admin";
import { defaultCtx } from "../lib/runtime";
import { benchRow, percentiles, startProbe } from "./fixtures";

const STORED = Number(process.argv[2] ?? 1_000_000);
const IN_WINDOW = Number(process.argv[3] ?? 100_000);
const PORT = Number(process.env.BENCH_PORT ?? 3950);
const URL = `http://127.0.0.1:${PORT}`;
const H = 3_600_000;
const DAY = 24 * H;
const SERVICES = ["sales", "support", "billing", "retention", "vip"];
const root = path.resolve(__dirname, "..");

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

async function seed(file: string) {
  setDb(openDatabase(file));
  const store = sqliteStore();
  const ctx = defaultCtx("bench");
  for (const s of SERVICES) await putService(ctx, s, { _service: "callback", _enable_in_queue_checking: "false" });
  await putService(ctx, "probe", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _throttle_callbacks_per_service_1: 1_000_000,
    _throttle_callbacks_per_service_2: 1_000_000,
    _throttle_request_parameters_limit: 1_000_000,
    _sim_agents: 0,
  });
  await store.putUser("super", hashPassword("super-bench-pass"), "supervisor", Date.now());
  // the window's callbacks lie between 1 and 23 hours ahead (none due while the bench runs), one in ten of them
  // COMPLETED; of the others, one in ten lies 1 to 30 days ahead and the rest over the 200 days before now
  const now = Date.now();
  let rnd = 42;
  const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
  const t0 = performance.now();
  for (let done = 0; done < STORED;) {
    await store.tx(async () => {
      for (let i = 0; i < 50_000 && done < STORED; i++, done++) {
        const inWindow = done < IN_WINDOW;
        const ahead = !inWindow && done % 10 === 0;
        const desired = inWindow
          ? now + H + Math.floor(next() * 22 * H)
          : ahead
            ? now + DAY + Math.floor(next() * 29 * DAY)
            : now - Math.floor(next() * 200 * DAY) - H;
        const state = done % 10 === 1 || (!inWindow && !ahead && done % 3 === 0) ? "COMPLETED" : "SCHEDULED";
        await store.insertCallback(
          benchRow({
            id: `cb-${String(done).padStart(8, "0")}`,
            service_name: SERVICES[done % SERVICES.length]!,
            customer_number: `+1617${String(5_000_000 + (done % 3_000_000)).padStart(7, "0")}`,
            desired_time: desired,
            state,
            reason: state === "COMPLETED" ? "CANCELLED" : null,
            expiration_time: desired + 7 * DAY,
          }),
        );
      }
    });
  }
  store.sqlite.pragma("optimize");
  store.sqlite.close();
  console.log(
    `seeded ${STORED.toLocaleString()} callbacks (${IN_WINDOW.toLocaleString()} in the window) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function serve(file: string) {
  const env = {
    ...process.env,
    DATABASE_PATH: file,
    SEED_DEMO: "false",
    ADMIN_USER: "admin",
    ADMIN_PASSWORD: "bench-Admin-pass-1",
    LOG_LEVEL: "warn",
  };
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${URL}/readyz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("the server did not become ready");
}

/** Records, in the page, when the count text changes (after the next paint) and when the user's input event fired. */
async function watchCount(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __input: number; __painted: Array<[number, string]> };
    w.__painted = [];
    // the whole document: a navigation may replace the status bar
    let last = "";
    new MutationObserver(() => {
      const text = document.querySelector(".statusbar .count")?.textContent ?? "";
      if (text === last) return;
      last = text;
      requestAnimationFrame(() => setTimeout(() => w.__painted.push([performance.now(), text]), 0));
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
    for (const type of ["change", "click"]) document.addEventListener(type, () => (w.__input ||= performance.now()), true);
  });
}

/** Runs `act` and returns ms from its input event to the paint of a count that is final (not "Loading…"). */
async function timeFilterChange(page: Page, act: () => Promise<unknown>): Promise<{ ms: number; text: string }> {
  await page.evaluate(() => {
    const w = window as unknown as { __input: number; __painted: unknown[] };
    w.__input = 0;
    w.__painted = [];
  });
  await act();
  const handle = await page.waitForFunction(
    () => {
      const w = window as unknown as { __input: number; __painted: Array<[number, string]> };
      const done = w.__painted.find(([, t]) => !t.startsWith("Loading"));
      return done ? { ms: done[0] - w.__input, text: done[1] } : null;
    },
    undefined,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue())!;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-console-browser-"));
  const file = path.join(dir, "bench.db");
  await seed(file);
  const server = await serve(file);
  const browser = await chromium.launch({
    executablePath: fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: "America/New_York", locale: "en-US" });
    await page.goto(`${URL}/signin`);
    await page.getByLabel("User name").fill("super");
    await page.getByLabel("Password").fill("super-bench-pass");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/callbacks$/);
    await page.goto(`${URL}/callbacks?window=next24h`);
    await page.locator(".statusbar .count", { hasText: "callback(s) found" }).waitFor();
    await page.getByRole("button", { name: "Pause live" }).click(); // no background refresh inside the measurements
    await watchCount(page);

    const cases: Array<[string, () => Promise<unknown>]> = [
      ["window: Next 24 Hours → Next 7 Days", () => page.getByLabel("Time window").selectOption({ label: "Next 7 Days" })],
      ["window: Next 7 Days → Next 24 Hours", () => page.getByLabel("Time window").selectOption({ label: "Next 24 Hours" })],
      ["state: + SCHEDULED", () => page.getByRole("checkbox", { name: "SCHEDULED", exact: true }).check()],
      ["state: − SCHEDULED", () => page.getByRole("checkbox", { name: "SCHEDULED", exact: true }).uncheck()],
      ["window: Next 24 Hours → Last 7 Days", () => page.getByLabel("Time window").selectOption({ label: "Last 7 Days" })],
      ["window: Last 7 Days → Next 24 Hours", () => page.getByLabel("Time window").selectOption({ label: "Next 24 Hours" })],
    ];
    const results: Record<string, { count: string; median: number; max: number }> = {};
    for (const [name] of cases) results[name] = { count: "", median: 0, max: 0 };
    const times = new Map<string, number[]>(cases.map(([n]) => [n, []]));
    for (let round = 0; round < 5; round++) {
      for (const [name, act] of cases) {
        const r = await timeFilterChange(page, act);
        times.get(name)!.push(r.ms);
        results[name]!.count = r.text;
      }
    }
    for (const [name, ms] of times) {
      const pct = percentiles(ms);
      results[name] = { ...results[name]!, median: +pct(50).toFixed(0), max: +pct(100).toFixed(0) };
    }
    console.log("filter change, input event → new count and rows painted (5 rounds, ms):");
    console.table(results);
    const api = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("/api/console/callbacks?"))
        .map((e) => [e.duration, (e as PerformanceResourceTiming).responseStart - e.startTime]),
    );
    const total = percentiles(api.map((x) => x[0]!));
    const wait = percentiles(api.map((x) => x[1]!));
    console.log(
      `of which the list request (${api.length}): median ${total(50).toFixed(0)} ms, max ${total(100).toFixed(0)} ms; ` +
        `time to first byte median ${wait(50).toFixed(0)} ms`,
    );

    // bulk cancel of the whole window, with a concurrent Start-Callback every 20 ms
    const probe = startProbe(`${URL}/genesys/1/service/callback/probe`, 20);
    await new Promise((r) => setTimeout(r, 2000));
    const base = await probe.report();
    await page.getByRole("group", { name: "Actions" }).getByRole("button", { name: "Cancel All Callbacks in Current Time Range" }).click();
    const confirm = page.getByRole("dialog").getByRole("button", { name: /^Cancel [\d,]+ callbacks$/ });
    await confirm.waitFor({ timeout: 60_000 });
    await probe.report();
    const c0 = Date.now();
    await confirm.click();
    const bar = page.getByRole("progressbar", { name: "Bulk cancel progress" });
    await bar.waitFor({ timeout: 10_000 });
    const firstShown = Date.now() - c0;
    await page.waitForFunction(() => Number(document.querySelector("progress")?.getAttribute("value") ?? 0) > 0, undefined, {
      polling: 20,
      timeout: 10_000,
    });
    const firstProgress = Date.now() - c0;
    await page
      .getByRole("group", { name: "Actions" })
      .getByText(/^Done: /)
      .waitFor({ timeout: 600_000 });
    const finished = Date.now() - c0;
    const during = await probe.report();
    await probe.stop();
    const b = percentiles(base.lat.map((x) => x[0]));
    const d = percentiles(during.lat.map((x) => x[0]));
    const doneText = await page
      .getByRole("group", { name: "Actions" })
      .getByText(/^Done: /)
      .textContent();
    console.log(
      `bulk cancel of the window: progress bar after ${firstShown} ms, first progress > 0 after ${firstProgress} ms, ` +
        `finished after ${(finished / 1000).toFixed(1)} s (${doneText})`,
    );
    console.log(
      `Start-Callback alone: n=${base.lat.length} max=${b(100).toFixed(0)} ms p99=${b(99).toFixed(0)} ms p50=${b(50).toFixed(0)} ms`,
    );
    console.log(
      `Start-Callback during the bulk: n=${during.lat.length} statuses=${JSON.stringify(during.statuses)} ` +
        `max=${d(100).toFixed(0)} ms p99=${d(99).toFixed(0)} ms p50=${d(50).toFixed(0)} ms`,
    );
    console.log(
      `load average: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    await browser.close();
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
