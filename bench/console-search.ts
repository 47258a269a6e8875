// The console's Callbacks panel on a big database: 1,000,000 callbacks stored, 100,000 of them in the window.
// Measures the first page of 250 with its exact count (the read model the page renders) for the usual filters.
// Target: ≤ 150 ms each. Run: npx tsx bench/console-search.ts [stored] [inWindow]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, setDb } from "../db/client";
import { sqliteStore } from "../db/store";
import { benchRow } from "./fixtures";
import { putService } from "../lib/callback/config-admin";
import { defaultCtx } from "../lib/runtime";
import { callbacksPage, parseCallbacksQuery } from "../lib/console/callbacks";

const STORED = Number(process.argv[2] ?? 1_000_000);
const IN_WINDOW = Number(process.argv[3] ?? 100_000);
const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const DAY = 86_400_000;
const SERVICES = ["sales", "support", "billing", "retention", "vip"];
const STATES = ["SCHEDULED", "SCHEDULED", "SCHEDULED", "QUEUED", "COMPLETED", "COMPLETED"];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-console-"));
setDb(openDatabase(path.join(dir, "bench.db")));
const store = sqliteStore();
const ctx = defaultCtx("bench");
for (const s of SERVICES) await putService(ctx, s, { _service: "callback" });

// the window is the next 24 hours; the other callbacks are spread over the 200 days before it
const t0 = performance.now();
let rnd = 42;
const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
const BATCH = 50_000;
for (let done = 0; done < STORED;) {
  await store.tx(async () => {
    for (let i = 0; i < BATCH && done < STORED; i++, done++) {
      const inWindow = done < IN_WINDOW;
      const desired = inWindow ? NOW + Math.floor(next() * DAY) : NOW - Math.floor(next() * 200 * DAY) - 1;
      const state = STATES[done % STATES.length]!;
      const row = benchRow({
        id: `cb-${String(done).padStart(8, "0")}`,
        service_name: SERVICES[done % SERVICES.length]!,
        customer_number: `+1617${String(5_000_000 + (done % 3_000_000)).padStart(7, "0")}`,
        desired_time: desired,
        state,
        reason: state === "COMPLETED" ? "CANCELLED" : null,
      });
      await store.insertCallback(row);
    }
  });
}
store.sqlite.pragma("optimize");
console.log(
  `seeded ${STORED.toLocaleString()} callbacks (${IN_WINDOW.toLocaleString()} in the window) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const cases: Array<[string, Record<string, string>]> = [
  ["window only, by desired time", { window: "next24h" }],
  ["window, page 200 (offset 49,750)", { window: "next24h", page: "200" }],
  ["window + state SCHEDULED", { window: "next24h", state: "SCHEDULED" }],
  ["window + two services", { window: "next24h", service: "sales,vip" }],
  ["window + number digits", { window: "next24h", number: "617500" }],
  ["window, sorted by state desc", { window: "next24h", sort: "state", dir: "desc" }],
  ["window, sorted by number", { window: "next24h", sort: "number" }],
];
const results: Record<string, { total: number; medianMs: number; maxMs: number }> = {};
for (const [name, params] of cases) {
  const q = parseCallbacksQuery(params);
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < 15; i++) {
    const s = performance.now();
    total = (await callbacksPage(store, q, NOW, "UTC")).total;
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  results[name] = { total, medianMs: +times[7]!.toFixed(1), maxMs: +times[14]!.toFixed(1) };
}
console.table(results);
fs.rmSync(dir, { recursive: true, force: true });
