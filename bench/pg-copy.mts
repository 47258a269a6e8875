// `npm run db:copy-to-postgres` speed: N callbacks started through the engine into SQLite (each with its events and
// counters), then copied into a private PostgreSQL (scripts/pg-cluster.mjs). Usage: npx tsx bench/pg-copy.mts [N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, setDb } from "../db/client";
import { getStore } from "../db/store";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { executionPort } from "../lib/execution/port";
import { copySqliteToPostgres } from "../db/pg/copy";
import { startPgCluster } from "../scripts/pg-cluster.mjs";

const n = Number(process.argv[2] ?? 50_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "callback-bench-"));
const file = path.join(dir, "bench.db");
const handle = openDatabase(file);
setDb(handle);
const t0 = Date.parse("2026-06-01T08:00:00.000Z");
let t = t0;
const ctx = { store: getStore(), now: () => t, actor: "bench", execution: executionPort };
await putService(ctx, "bench", {
  _service: "callback",
  _enable_in_queue_checking: "false",
  _request_time_bucket: 5,
  _max_request_by_time_bucket: 1_000_000,
  _throttle_callbacks_per_service_1: 1e9,
  _throttle_callbacks_per_service_2: 1e9,
});
let seeded = Date.now();
for (let i = 0; i < n; i++) {
  t = t0 + i * 20;
  const desired = new Date(t0 + 86_400_000 + (i % 2000) * 60_000).toISOString();
  await startCallback(ctx, "bench", { _customer_number: `+1617${String(5_000_000 + i)}`, _desired_time: desired, customer_name: `c${i}` });
}
seeded = Date.now() - seeded;
handle.sqlite.close();
const cluster = await startPgCluster();
try {
  const report = await copySqliteToPostgres({ from: file, to: cluster.url, log: (l) => console.log(`  ${l}`) });
  const rows = report.tables.reduce((s, r) => s + r.rows, 0);
  console.log(`seeded ${n} callbacks through the engine in ${seeded} ms; SQLite file ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  console.log(`PostgreSQL cluster started in ${cluster.startMs} ms`);
  console.log(report.tables.map((r) => `${r.table} ${r.rows}`).join(", "));
  const perSecond = (x: number) => Math.round((x * 1000) / report.ms);
  console.log(`copied ${rows} rows in ${report.ms} ms: ${perSecond(n)} callbacks/s, ${perSecond(rows)} rows/s`);
} finally {
  await cluster.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
