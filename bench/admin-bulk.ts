// Bulk cancel of 100,000 callbacks over real HTTP while a client sends Start-Callback every ~20 ms.
// Run: npx tsx bench/admin-bulk.ts [count]
// Reports: bulk duration and per-item results; Start-Callback latency (max, p99, p50) measured by a client in a
// worker thread (its own event loop, so a blocked server loop shows up as latency, not as a late timer);
// the server's worst event-loop stall (perf_hooks).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import { openDatabase, setDb } from "../db/client";
import { sqliteStore } from "../db/store";
import { router } from "../lib/http/routes";
import { hashPassword } from "../lib/auth/passwords";
import { putService } from "../lib/callback/config-admin";
import { defaultCtx } from "../lib/runtime";
import { benchRow, percentiles, startProbe } from "./fixtures";

const COUNT = Number(process.argv[2] ?? 100_000);
const PROBE_EVERY_MS = 20;
const LIMIT_MS = 200;

/** node:http → Web Request → router → streamed Web Response. */
async function serveStreaming(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: body && req.method !== "GET" ? body : undefined,
    });
    const response = await router().handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (!response.body) return void res.end();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-bulk-"));
  const handle = openDatabase(path.join(dir, "bench.db"));
  setDb(handle);
  const store = sqliteStore();
  const ctx = defaultCtx("bench");
  await store.putUser("super", hashPassword("super-pass"), "supervisor", Date.now());
  await putService(ctx, "bulk", { _service: "callback", _enable_in_queue_checking: "false", _ttl: 86400 });
  await putService(ctx, "probe", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _throttle_callbacks_per_service_1: 1_000_000,
    _throttle_callbacks_per_service_2: 1_000_000,
    _throttle_request_parameters_limit: 1_000_000,
    _sim_agents: 0,
  });

  const now = Date.now();
  const t0 = performance.now();
  await store.tx(async () => {
    for (let i = 0; i < COUNT; i++) {
      const desired = now + 10 * 60_000 + Math.floor((i / COUNT) * 20 * 3600_000); // spread over the next 20 h
      await store.insertCallback(
        benchRow({
          id: `bulk-${String(i).padStart(6, "0")}`,
          service_name: "bulk",
          customer_number: `+1617${String(5_000_000 + i).padStart(7, "0")}`,
          desired_time: desired,
          time_scheduled: now,
          bucket: desired - (desired % 300_000),
          due_at: desired - 120_000,
          props: JSON.stringify({ note: `n${i}` }),
          updated_at: now,
        }),
      );
    }
  });
  console.log(`inserted ${COUNT} callbacks in ${(performance.now() - t0).toFixed(0)} ms`);

  const srv = await serveStreaming();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const probe = startProbe(`${srv.url}/genesys/1/service/callback/probe`, PROBE_EVERY_MS);
  const report = probe.report;
  await new Promise((r) => setTimeout(r, 300)); // probe warm-up
  await (await fetch(`${srv.url}/genesys/1/ping`)).text(); // this thread's HTTP client loads lazily: not the bulk's cost
  await report();
  // baseline: the same probe with nothing else running
  loop.enable();
  await new Promise((r) => setTimeout(r, 3000));
  loop.disable();
  const base = await report();
  const baseLoopMax = loop.max;
  loop.reset();
  loop.enable();
  const bulkStart = performance.timeOrigin + performance.now();
  const b0 = performance.now();
  const res = await fetch(`${srv.url}/genesys/1/admin/callback/cancel`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Basic " + Buffer.from("super:super-pass").toString("base64") },
    body: JSON.stringify({ reason: "CANCELLED_BY_ADMIN", filter: { target: "bulk" } }),
  });
  const text = await res.text();
  const bulkMs = performance.now() - b0;
  loop.disable();
  const { lat: timed, statuses } = await report();
  await probe.stop();
  const lat = timed.map((x) => x[0]);
  await srv.close();

  const summary = JSON.parse(text);
  const pct = percentiles(lat);
  const bpct = percentiles(base.lat.map((x) => x[0]));
  const worst = [...timed]
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([l, t]) => `${l.toFixed(0)} ms at +${((t - bulkStart) / 1000).toFixed(2)} s`);
  const perItem = summary.results?.length ?? 0;
  const cancelledInDb = (
    store.sqlite
      .prepare("SELECT count(*) AS n FROM callbacks WHERE service_name = 'bulk' AND state = 'COMPLETED' AND reason = 'CANCELLED_BY_ADMIN'")
      .get() as { n: number }
  ).n;
  console.log(
    `bulk cancel: HTTP ${res.status} in ${(bulkMs / 1000).toFixed(2)} s — total ${summary.total}, cancelled ${summary.cancelled}, skipped ${summary.skipped}, failed ${summary.failed}, per-item results ${perItem}, response ${(text.length / 1e6).toFixed(1)} MB; COMPLETED/CANCELLED_BY_ADMIN in db: ${cancelledInDb}`,
  );
  console.log(
    `Start-Callback alone (baseline, 3 s): n=${base.lat.length} max=${bpct(100).toFixed(1)} ms p99=${bpct(99).toFixed(1)} ms p50=${bpct(50).toFixed(1)} ms; event-loop stall max ${(baseLoopMax / 1e6).toFixed(1)} ms`,
  );
  console.log(
    `Start-Callback during the bulk (every ${PROBE_EVERY_MS} ms): n=${lat.length} statuses=${JSON.stringify(statuses)} max=${pct(100).toFixed(1)} ms p99=${pct(99).toFixed(1)} ms p50=${pct(50).toFixed(1)} ms; worst: ${worst.join(", ")}`,
  );
  console.log(
    `server event-loop stall during the bulk: max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`,
  );
  const ok =
    res.status === 200 &&
    summary.cancelled === COUNT &&
    perItem === COUNT &&
    cancelledInDb === COUNT &&
    pct(100) < LIMIT_MS &&
    !statuses.error;
  console.log(ok ? `PASS (max Start-Callback latency < ${LIMIT_MS} ms)` : "FAIL");
  handle.sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
