// Shared by the benchmarks: a stored callback row with every column filled, and a Start-Callback probe that runs
// in a worker thread (its own event loop, so a blocked server shows up as latency, not as a late timer).
import { Worker } from "node:worker_threads";
import type { CallbackRow } from "../db/store";

/** A SCHEDULED callback row; `fields` override the defaults. */
export function benchRow(fields: Partial<CallbackRow> & Pick<CallbackRow, "id" | "service_name" | "customer_number" | "desired_time">) {
  const row: CallbackRow = {
    state: "SCHEDULED",
    reason: null,
    time_scheduled: fields.desired_time - 86_400_000,
    expiration_time: fields.desired_time + 86_400_000,
    ors_session_id: null,
    bucket: null,
    enqueued_at: null,
    due_at: null,
    submit_attempts: 0,
    immediate: 0,
    handed_off: 0,
    external: 0,
    props: '{"customer_name":"bench"}',
    version: 1,
    updated_at: fields.desired_time,
    completed_at: null,
    ...fields,
  };
  return row;
}

const PROBE = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, every } = workerData;
let lat = []; let statuses = {}; let stop = false; let i = 0;
parentPort.on("message", (m) => {
  if (m === "stop") stop = true;
  if (m === "report") { parentPort.postMessage({ lat, statuses }); lat = []; statuses = {}; }
});
(async () => {
  let next = performance.now();
  while (!stop) {
    const t0 = performance.now();
    try {
      const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ _customer_number: "+1617556" + String(1000 + (i++ % 9000)) }) });
      await r.text();
      statuses[r.status] = (statuses[r.status] || 0) + 1;
    } catch (e) { statuses.error = (statuses.error || 0) + 1; }
    lat.push([performance.now() - t0, performance.timeOrigin + t0]);
    next += every;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait)); else next = performance.now();
  }
  parentPort.postMessage({ lat, statuses });
})();
`;

export interface ProbeReport {
  /** [latency ms, wall-clock start ms] per request */
  lat: Array<[number, number]>;
  statuses: Record<string, number>;
}

/** Sends an immediate Start-Callback to `url` every `every` ms until stopped; `report()` returns and resets the tally. */
export function startProbe(url: string, every: number) {
  const worker = new Worker(PROBE, { eval: true, workerData: { url, every } });
  return {
    report: () => new Promise<ProbeReport>((r) => (worker.once("message", r), worker.postMessage("report"))),
    stop: async () => {
      worker.postMessage("stop");
      await worker.terminate();
    },
  };
}

/** `pct(p)` of a list of numbers (nearest rank). */
export function percentiles(xs: number[]) {
  const sorted = [...xs].sort((a, b) => a - b);
  return (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
