// CSV export (POST /genesys/1/admin/callback/reportcancelled) of 100,000 cancelled callbacks over real HTTP,
// consumed as a stream while sampling the process RSS: memory must stay flat (peak growth < 100 MB).
// Run: npx tsx bench/admin-csv.ts [count]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import type { AddressInfo } from "node:net";
import { openDatabase, setDb } from "../db/client";
import { sqliteStore } from "../db/store";
import { router } from "../lib/http/routes";
import { hashPassword } from "../lib/auth/passwords";
import { putService } from "../lib/callback/config-admin";
import { defaultCtx } from "../lib/runtime";

const COUNT = Number(process.argv[2] ?? 100_000);
const LIMIT_MB = 100;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** node:http → Web Request → router → streamed Web Response (written chunk by chunk, honouring backpressure). */
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
    const h0 = performance.now();
    const response = await router().handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (!response.body) return void res.end();
    let first = true;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (first) {
        serverFirstChunkMs = performance.now() - h0;
        first = false;
      }
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

let serverFirstChunkMs = 0; // last request: from router().handle() to its first CSV chunk being written

const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-csv-"));
  const handle = openDatabase(path.join(dir, "bench.db"));
  setDb(handle);
  const store = sqliteStore();
  const ctx = defaultCtx("bench");
  await store.putUser("super", hashPassword("super-pass"), "supervisor", Date.now());
  for (const s of ["east", "west"])
    await putService(ctx, s, { _service: "callback", _vq_for_outbound_calls: `vq-out-${s}`, _target: `${s}-agents` });

  const now = Date.now();
  const t0 = performance.now();
  await store.tx(async () => {
    for (let i = 0; i < COUNT; i++) {
      const desired = now - 20 * 86_400_000 + Math.floor((i / COUNT) * 30 * 86_400_000); // within now−30 d … now+15 d
      await store.insertCallback({
        id: `cb-${String(i).padStart(6, "0")}-${(i * 2654435761) % 1e9}`,
        service_name: i % 2 ? "east" : "west",
        customer_number: `+1617${String(5_000_000 + i).padStart(7, "0")}`,
        desired_time: desired,
        state: "COMPLETED",
        reason: "CANCELLED_BY_ADMIN",
        time_scheduled: desired - 3600_000,
        expiration_time: desired + 86_400_000,
        ors_session_id: null,
        bucket: null,
        enqueued_at: null,
        due_at: desired + 8 * 86_400_000,
        submit_attempts: 0,
        immediate: 0,
        handed_off: 0,
        external: 0,
        props: JSON.stringify({ _urs_virtual_queue: `vq-${i % 7}`, firstname: `Name${i}`, note: `order #${i}, "gift"` }),
        version: 2,
        updated_at: now,
        completed_at: now,
      });
    }
  });
  await store.tx(async () => {
    for (let i = 0; i < 10; i++)
      await store.insertCallback({ ...(await store.getCallback("cb-000000-0"))!, id: `warm-${i}`, reason: "WARM_UP" });
  });
  console.log(`inserted ${COUNT} cancelled callbacks in ${(performance.now() - t0).toFixed(0)} ms`);

  const srv = await serveStreaming();
  const exportCsv = (reason: string) =>
    fetch(`${srv.url}/genesys/1/admin/callback/reportcancelled`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic " + Buffer.from("super:super-pass").toString("base64") },
      body: JSON.stringify({
        callback_reason: reason,
        exported_properties: [
          "_service_id,_desired_time",
          "_service_name,_customer_number",
          "urs_virtual_queue",
          "_vq_for_outbound_calls",
          "target",
          "firstname",
          "note",
        ],
      }),
    });
  // warm-up (HTTP client and server, password check, JIT): one-time costs are not the stream's memory
  await (await exportCsv("WARM_UP")).text();
  gc();
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = () => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  };
  const timer = setInterval(sample, 5);

  const s0 = performance.now();
  const res = await exportCsv("CANCELLED_BY_ADMIN");
  let bytes = 0;
  let lines = 0;
  let chunks = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks += 1;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines += 1;
    sample();
  }
  const ms = performance.now() - s0;
  clearInterval(timer);
  await srv.close();

  const growth = peak - base;
  console.log(`report: HTTP ${res.status} ${res.headers.get("content-type")} "${res.headers.get("content-disposition")}"`);
  console.log(
    `streamed ${lines - 1} rows + header, ${mb(bytes)} MB in ${ms.toFixed(0)} ms (server wrote the first chunk ${serverFirstChunkMs.toFixed(0)} ms after the request; client read ${chunks} network chunks)`,
  );
  console.log(
    `RSS: baseline ${mb(base)} MB, peak ${mb(peak)} MB, growth ${mb(growth)} MB (limit ${LIMIT_MB} MB; the CSV itself is ${mb(bytes)} MB)`,
  );
  const ok = res.status === 200 && lines - 1 === COUNT && growth < LIMIT_MB * 1024 * 1024;
  console.log(ok ? "PASS" : "FAIL");
  handle.sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
