import fs from "node:fs";
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import Papa from "papaparse";
import { freshEngine, addUsers, basic, serve, call, onPostgres } from "./helpers";
import { putService, putSettings, putPatterns } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { transition } from "../lib/callback/state";
import { cancelCallback } from "../lib/callback/cancel";
import { cancelledReport, ROWS_PER_CHUNK } from "../lib/callback/report";
import { numberMatcher } from "../lib/callback/forget";
import { setEngineOverride, type ExecutionEngine } from "../lib/execution/engine";
import { resetSimulator } from "../lib/execution/simulator";
import type { CallbackRow } from "../db/store";

const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const A = "/genesys/1/admin/callback";
const H = {
  admin: { authorization: basic("admin") },
  supervisor: { authorization: basic("supervisor") },
  monitor: { authorization: basic("monitor") },
};
const at = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 3600_000;
const DAY = 86_400_000;

let srv: Awaited<ReturnType<typeof serve>>;
let env: Awaited<ReturnType<typeof freshEngine>>;
let cancels: string[];

beforeEach(async () => {
  env = freshEngine(T0);
  await addUsers(env.store);
  resetSimulator();
  cancels = [];
  const engine: ExecutionEngine = {
    async submit(row) {
      return { sessionId: `s-${row.id}` };
    },
    async cancel(row) {
      cancels.push(row.id);
    },
  };
  setEngineOverride(engine);
  for (const name of ["alpha", "beta"])
    await putService(env.ctx, name, { _service: "callback", _enable_in_queue_checking: "false", _ttl: 3600 });
  await putService(env.ctx, "hours", { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Sun 00:00-24:00" });
  srv = await serve();
});
afterEach(async () => {
  setEngineOverride(null);
  await srv.close();
});

let seq = 0;
const num = () => `+1617555${String(1000 + (seq++ % 9000)).padStart(4, "0")}`;
/** Starts a callback through the engine verb (pinned clock); `inMin` = desired time from now in minutes, null = immediate. */
async function start(service: string, inMin: number | null, extra: Record<string, unknown> = {}): Promise<string> {
  const body: Record<string, unknown> = { _customer_number: num(), ...extra };
  if (inMin !== null) body._desired_time = at(env.clock.t + inMin * MIN);
  return (await startCallback(env.ctx, service, body)).id;
}
const row = async (id: string) => (await env.store.getCallback(id))!;
async function moveTo(id: string, ...states: string[]) {
  await env.store.tx(async () => {
    for (const s of states) await transition(env.ctx, await row(id), s, s === "COMPLETED" ? { reason: "AGENT_CONNECTED" } : {});
  });
}
/** Inserts a row directly (for windows and volumes the public API would refuse or make slow). */
async function insertRow(p: Partial<CallbackRow> & { service_name: string; desired_time: number }): Promise<string> {
  const id = p.id ?? `row-${seq++}`;
  await env.store.insertCallback({
    id,
    customer_number: num(),
    state: "SCHEDULED",
    reason: null,
    time_scheduled: env.clock.t,
    expiration_time: p.desired_time + HOUR,
    ors_session_id: null,
    bucket: null,
    enqueued_at: null,
    due_at: null,
    submit_attempts: 0,
    immediate: 0,
    handed_off: 0,
    external: 0,
    props: "{}",
    version: 1,
    updated_at: env.clock.t,
    completed_at: null,
    ...p,
  });
  return id;
}
const parseCsv = (text: string) => Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data;

describe("GET /callback/queues", () => {
  it("lists outstanding callbacks of every callback service within now−15 min … now+24 h, by desired time, in the seed's record shape", async () => {
    const later = await start("alpha", 120, { lang: "fr" });
    const soon = await start("alpha", 60);
    const queued = await start("alpha", null); // immediate: QUEUED at now
    await start("alpha", 25 * 60); // beyond 24 h
    const done = await start("alpha", 30);
    await cancelCallback(env.ctx, done, {}); // COMPLETED: not outstanding
    await insertRow({ service_name: "alpha", desired_time: T0 - 16 * MIN }); // before the window
    const edge = await insertRow({ service_name: "alpha", desired_time: T0 - 15 * MIN }); // window start is inclusive
    const r = await call(srv.url, "GET", `${A}/queues`, undefined, H.monitor);
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(["alpha", "beta"]); // callback services only, idle ones with []
    expect(r.json.beta).toEqual([]);
    expect(r.json.alpha.map((x: any) => x._id)).toEqual([edge, queued, soon, later]);
    const rec = await row(soon);
    expect(r.json.alpha[2]).toEqual({
      _id: soon,
      _desired_time: at(T0 + HOUR),
      _service_name: "alpha",
      _callback_state: "SCHEDULED",
      _expiration_time: at(T0 + 2 * HOUR),
      _customer_number: rec.customer_number,
      _url: `/genesys/1/service/callback/alpha/${soon}`,
      url: `/1/service/callback/alpha/${soon}`,
      desired_time: at(T0 + HOUR),
    });
    expect(r.json.alpha[3].lang).toBeUndefined(); // not in returned-keys
  });

  it("honours target, start_time, end_time, states (comma list, COMPLETED included on request) and max per queue", async () => {
    const a1 = await start("alpha", 60);
    const a2 = await start("alpha", 120);
    const a3 = await start("alpha", 180);
    const b1 = await start("beta", 90);
    const done = await start("alpha", 150);
    await cancelCallback(env.ctx, done, {});
    await moveTo(a1, "QUEUED");
    const q = (s: string) => call(srv.url, "GET", `${A}/queues?${s}`, undefined, H.monitor);
    expect(Object.keys((await q("target=beta")).json)).toEqual(["beta"]);
    expect((await q("target=beta")).json.beta.map((x: any) => x._id)).toEqual([b1]);
    const win = await q(`target=alpha&start_time=${at(T0 + 100 * MIN)}&end_time=${at(T0 + 180 * MIN)}`);
    expect(win.json.alpha.map((x: any) => x._id)).toEqual([a2, a3]); // end_time inclusive
    expect((await q("states=QUEUED")).json.alpha.map((x: any) => x._id)).toEqual([a1]);
    expect((await q("target=alpha&states=completed,SCHEDULED")).json.alpha.map((x: any) => x._id)).toEqual([a2, done, a3]);
    expect((await q("target=alpha&max=2")).json.alpha.map((x: any) => x._id)).toEqual([a1, a2]);
    // start_time alone: the window runs 24 h from it
    const ahead = await insertRow({ service_name: "alpha", desired_time: T0 + 40 * HOUR });
    expect((await q(`target=alpha&start_time=${at(T0 + 20 * HOUR)}`)).json.alpha.map((x: any) => x._id)).toEqual([ahead]);
  });

  it("accepts extra filter params only when named in the filter-keys setting, else 400 40020 Cannot process 'filter'", async () => {
    const gold = await start("alpha", 60, { _vq: "gold" });
    await start("alpha", 70, { _vq: "silver" });
    const queued = await start("alpha", null, { _vq: "gold" });
    const q = (s: string) => call(srv.url, "GET", `${A}/queues?target=alpha&${s}`, undefined, H.monitor);
    expect((await q("_vq=gold")).json.alpha.map((x: any) => x._id)).toEqual([queued, gold]);
    expect((await q("_vq=gold&_callback_state=SCHEDULED")).json.alpha.map((x: any) => x._id)).toEqual([gold]);
    expect((await q("_callback_state=!SCHEDULED")).json.alpha.map((x: any) => x._id)).toEqual([queued]);
    const bad = await q("lang=fr");
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      code: 40020,
      phrase: "INVALID_OPERATION",
      message: "Cannot process 'filter' parameter correctly : lang",
    });
    const num1 = (await row(gold)).customer_number!;
    expect((await q(`_customer_number=${encodeURIComponent(num1)}`)).status).toBe(400); // not a filter key by default
    await putSettings(env.ctx, { "filter-keys": "_customer_number,lang", "returned-keys": "_vq" });
    // the number matches after the same + fixing as on creation
    const byNumber = await q(`_customer_number=${num1.slice(1)}`);
    expect(byNumber.json.alpha.map((x: any) => x._id)).toEqual([gold]);
    expect(byNumber.json.alpha[0]._vq).toBe("gold"); // returned-keys
    expect((await q("_vq=gold")).status).toBe(400); // no longer a filter key
  });

  it("refuses a window wider than 31 days with 400 40020 (requested / maximum span in seconds) and accepts exactly 31 days", async () => {
    const wide = await call(srv.url, "GET", `${A}/queues?start_time=${at(T0)}&end_time=${at(T0 + 32 * DAY)}`, undefined, H.monitor);
    expect(wide.status).toBe(400);
    expect(wide.json).toMatchObject({
      code: 40020,
      phrase: "INVALID_OPERATION",
      exception: "com.genesyslab.gsg.services.callback.CallbackExceptionInvalidOperation",
      message: "Query range spans too wide time range (2764800 / 2678400). Adjust query parameters for time range.",
    });
    const ok = await call(srv.url, "GET", `${A}/queues?start_time=${at(T0)}&end_time=${at(T0 + 31 * DAY)}`, undefined, H.monitor);
    expect(ok.status).toBe(200);
  });

  it("answers bad parameters with GMS errors: bad times and max 40010, unknown state 40020, unknown target 404 40030", async () => {
    const q = (s: string) => call(srv.url, "GET", `${A}/queues?${s}`, undefined, H.monitor);
    for (const s of [
      "start_time=yesterday",
      "end_time=2026-13-45",
      `start_time=${at(T0)}&end_time=${at(T0 - 1)}`,
      "max=0",
      "max=abc",
      "max=10001",
    ]) {
      const r = await q(s);
      expect(r.status, s).toBe(400);
      expect(r.json.code, s).toBe(40010);
    }
    const st = await q("states=SCHEDULED,WAITING");
    expect(st.status).toBe(400);
    expect(st.json).toMatchObject({ code: 40020, message: "Cannot process 'filter' parameter correctly : states=WAITING" });
    const t = await q("target=nope");
    expect(t.status).toBe(404);
    expect(t.json.code).toBe(40030);
    expect((await q("target=hours")).status).toBe(404); // not a callback service
  });
});

describe("GET /callback/watermarks", () => {
  it("counts callbacks in execution (neither SCHEDULED nor COMPLETED) per service, listing idle services with 0", async () => {
    const q1 = await start("alpha", null);
    const q2 = await start("alpha", null);
    const q3 = await start("alpha", null);
    const q4 = await start("alpha", null);
    await start("alpha", 60); // SCHEDULED: not counted
    await cancelCallback(env.ctx, await start("alpha", null), {}); // COMPLETED: not counted
    await moveTo(q2, "ROUTING");
    await moveTo(q3, "ROUTING", "PROCESSING");
    await moveTo(q4, "PAUSED");
    void q1;
    const all = await call(srv.url, "GET", `${A}/watermarks`, undefined, H.monitor);
    expect(all.status).toBe(200);
    expect(all.json).toEqual({ total: 4, services: { alpha: 4, beta: 0 } });
    expect((await call(srv.url, "GET", `${A}/watermarks?service_name=beta`, undefined, H.monitor)).json).toEqual({
      total: 0,
      services: { beta: 0 },
    });
    expect((await call(srv.url, "GET", `${A}/watermarks?service_name=alpha&service_name=beta`, undefined, H.monitor)).json).toEqual({
      total: 4,
      services: { alpha: 4, beta: 0 },
    });
    const unknown = await call(srv.url, "GET", `${A}/watermarks?service_name=nope`, undefined, H.monitor);
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe(40030);
  });
});

describe("POST /callback/cancel (bulk cancel)", () => {
  it("cancels listed callbacks with CANCELLED_BY_ADMIN through the state machine, forwarding the cancel to execution, and reports every item", async () => {
    const scheduled = await start("alpha", 60);
    const queued = await start("alpha", null);
    await moveTo(queued, "QUEUED"); // idempotent no-op: still QUEUED
    await env.store.tx(async () => {
      const r = await row(queued);
      r.handed_off = 1;
      await env.store.updateCallback(r);
    });
    const processing = await start("beta", null);
    await moveTo(processing, "ROUTING", "PROCESSING");
    const done = await start("beta", null);
    await moveTo(done, "ROUTING", "PROCESSING", "COMPLETED");
    const r = await call(
      srv.url,
      "POST",
      `${A}/cancel`,
      { reason: "CANCELLED_BY_ADMIN", ids: [scheduled, queued, processing, done, "nope", scheduled] },
      H.supervisor,
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: "completed",
      reason: "CANCELLED_BY_ADMIN",
      actor: "supervisor",
      total: 5,
      cancelled: 2,
      skipped: 2,
      failed: 1,
    });
    expect(r.json.operation).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json.results).toEqual([
      { _id: scheduled, status: "cancelled" },
      { _id: queued, status: "cancelled" },
      {
        _id: processing,
        status: "skipped",
        message: `Callback ${processing} is PROCESSING (customer connected to an agent) and is not cancelled`,
      },
      { _id: done, status: "skipped", message: `Request already cancelled or completed : [${done}]` },
      { _id: "nope", status: "failed", message: "No such request to cancel : [nope]" },
    ]);
    for (const id of [scheduled, queued]) {
      expect(await row(id)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED_BY_ADMIN", bucket: null });
      expect((await env.store.eventsFor(id)).at(-1)).toMatchObject({
        type: "cancelled",
        state: "COMPLETED",
        reason: "CANCELLED_BY_ADMIN",
        actor: "supervisor",
      });
    }
    expect((await row(processing)).state).toBe("PROCESSING");
    expect((await row(done)).reason).toBe("AGENT_CONNECTED");
    expect(cancels).toEqual([queued]); // only the handed-over one is cancelled in execution
  });

  it("cancels by filter exactly what the queues view selects (target, states, window on _desired_time), leaving PROCESSING alone", async () => {
    const in1 = await start("alpha", 60);
    const in2 = await start("alpha", 120);
    const out = await start("alpha", 300);
    const other = await start("beta", 60);
    const proc = await start("alpha", null);
    await moveTo(proc, "ROUTING", "PROCESSING");
    const filter = { target: "alpha", start_time: at(T0 - MIN), end_time: at(T0 + 200 * MIN) };
    const r = await call(srv.url, "POST", `${A}/cancel`, { reason: "CANCELLED_BY_ADMIN", filter }, H.supervisor);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ total: 3, cancelled: 2, skipped: 1, failed: 0 });
    expect(r.json.results.map((x: any) => [x._id, x.status])).toEqual([
      [in1, "cancelled"],
      [in2, "cancelled"],
      [proc, "skipped"],
    ]);
    expect([(await row(out)).state, (await row(other)).state]).toEqual(["SCHEDULED", "SCHEDULED"]);
    const onlyQueued = await call(srv.url, "POST", `${A}/cancel`, { filter: { states: ["QUEUED"], _vq: "none" } }, H.supervisor);
    expect(onlyQueued.json).toMatchObject({ total: 0, cancelled: 0 });
    const byStates = await call(
      srv.url,
      "POST",
      `${A}/cancel`,
      { filter: { states: "SCHEDULED", end_time: at(T0 + 400 * MIN) } },
      H.supervisor,
    );
    expect(byStates.json.results.map((x: any) => x._id).sort()).toEqual([out, other].sort());
  });

  it("keeps a summary per operation, downloadable as the same JSON or as CSV, and 404 40030 for an unknown operation", async () => {
    const ids = [await start("alpha", 60), await start("alpha", 70), "ghost"];
    const r = await call(srv.url, "POST", `${A}/cancel`, { ids }, H.supervisor);
    const op = r.json.operation;
    const got = await call(srv.url, "GET", `${A}/cancel/${op}`, undefined, H.supervisor);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(r.json);
    expect(got.json.finished).toBe(at(T0));
    const csv = await call(srv.url, "GET", `${A}/cancel/${op}?format=csv`, undefined, H.supervisor);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="cancel-${op}.csv"`);
    expect(parseCsv(csv.text)).toEqual([
      ["_id", "status", "message"],
      [ids[0], "cancelled", ""],
      [ids[1], "cancelled", ""],
      ["ghost", "failed", "No such request to cancel : [ghost]"],
    ]);
    const stored = (await env.store.getBulkOperation(op))!;
    expect(stored).toMatchObject({ kind: "cancel", actor: "supervisor", status: "completed", created_at: T0, finished_at: T0 });
    const missing = await call(srv.url, "GET", `${A}/cancel/nope`, undefined, H.supervisor);
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe(40030);
    expect((await call(srv.url, "GET", `${A}/cancel/${op}?format=xml`, undefined, H.supervisor)).json.code).toBe(40010);
  });

  it("refuses malformed requests with 400 (no ids or filter, both, empty ids, another reason, bad filter) and stores no operation", async () => {
    const id = await start("alpha", 60);
    const bad: Array<[unknown, number]> = [
      [{ reason: "CANCELLED_BY_ADMIN" }, 40010],
      [{ ids: [id], filter: {} }, 40010],
      [{ ids: [] }, 40010],
      [{ ids: [{ x: 1 }] }, 40010],
      [{ ids: [id], reason: "AGENT_CONNECTED" }, 40010],
      [{ filter: "x" }, 40010],
      [{ filter: { start_time: at(T0), end_time: at(T0 + 40 * DAY) } }, 40020],
      [{ filter: { states: ["NOPE"] } }, 40020],
      [{ filter: { lang: "fr" } }, 40020],
      [{ filter: { target: "nope" } }, 40030],
    ];
    for (const [body, code] of bad) {
      const r = await call(srv.url, "POST", `${A}/cancel`, body, H.supervisor);
      expect(r.json.code, JSON.stringify(body)).toBe(code);
    }
    expect((await env.store.query<{ n: number }>("SELECT count(*) AS n FROM bulk_operations"))[0].n).toBe(0);
    expect((await row(id)).state).toBe("SCHEDULED");
  });

  it("processes large operations in batches and accepts form bodies with a JSON filter", async () => {
    await env.store.tx(async () => {
      for (let i = 0; i < 1200; i++) await insertRow({ service_name: "beta", desired_time: T0 + (i % 600) * MIN });
    });
    const form = new URLSearchParams({ reason: "CANCELLED_BY_ADMIN", filter: JSON.stringify({ target: "beta" }) }).toString();
    const r = await call(srv.url, "POST", `${A}/cancel`, form, { ...H.supervisor, "content-type": "application/x-www-form-urlencoded" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ total: 1200, cancelled: 1200, skipped: 0, failed: 0 });
    expect(new Set(r.json.results.map((x: any) => x._id)).size).toBe(1200);
    expect(await env.store.countInState("beta", "SCHEDULED")).toBe(0);
  });

  it("with wait=false answers 202 at once and shows progress at GET /callback/cancel/{operation} until completed", async () => {
    await env.store.tx(async () => {
      for (let i = 0; i < 1000; i++) await insertRow({ service_name: "beta", desired_time: T0 + (i % 600) * MIN });
    });
    const r = await call(srv.url, "POST", `${A}/cancel`, { filter: { target: "beta" }, wait: false }, H.supervisor);
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ status: "running", total: 0, cancelled: 0 });
    expect(r.headers.get("location")).toBe(`${A}/cancel/${r.json.operation}`);
    const seen: string[] = [];
    let last: any;
    // polled until it ends (a deadline, not a count: PostgreSQL cancels slower than SQLite), with a pause so the
    // polls do not starve the run they watch on a loaded machine
    for (const end = Date.now() + 100_000; Date.now() < end; await new Promise((done) => setTimeout(done, 25))) {
      last = (await call(srv.url, "GET", `${A}/cancel/${r.json.operation}`, undefined, H.supervisor)).json;
      seen.push(`${last.status}:${last.cancelled}`);
      if (last.status !== "running") break;
    }
    expect(last).toMatchObject({ status: "completed", total: 1000, cancelled: 1000 });
    expect(last.results).toHaveLength(1000);
    expect(seen.some((s) => /^running:[1-9]/.test(s))).toBe(true); // progress was visible while it ran
  }, 120_000);
});

describe("POST /callback/reportcancelled", () => {
  async function cancelledSet() {
    await putService(env.ctx, "alpha", {
      _service: "callback",
      _enable_in_queue_checking: "false",
      _ttl: 3600,
      _vq_for_outbound_calls: "vq-out",
      _target: "svc-target",
    });
    const a = await start("alpha", 60, { _urs_virtual_queue: "vq-a", note: '=HYPERLINK("x")' });
    const b = await start("beta", 30, { urs_virtual_queue: "vq-b", target: "agent-group", _vq_for_outbound_calls: "own" });
    const customer = await start("alpha", 90);
    await cancelCallback(env.ctx, customer, {}); // CANCELLED by the customer: other reason
    const kept = await start("alpha", 120);
    await call(srv.url, "POST", `${A}/cancel`, { ids: [a, b] }, H.supervisor);
    return { a, b, kept };
  }

  it("streams callbacks cancelled with callback_reason in now−30 d … now+15 d as report.csv with the GMS default columns", async () => {
    const { a, b } = await cancelledSet();
    await insertRow({
      service_name: "alpha",
      desired_time: T0 - 30 * DAY,
      state: "COMPLETED",
      reason: "CANCELLED_BY_ADMIN",
      id: "edge-past",
    });
    await insertRow({
      service_name: "alpha",
      desired_time: T0 - 30 * DAY - 1,
      state: "COMPLETED",
      reason: "CANCELLED_BY_ADMIN",
      id: "too-old",
    });
    await insertRow({
      service_name: "alpha",
      desired_time: T0 + 15 * DAY,
      state: "COMPLETED",
      reason: "CANCELLED_BY_ADMIN",
      id: "edge-ahead",
    });
    await insertRow({
      service_name: "alpha",
      desired_time: T0 + 15 * DAY + 1,
      state: "COMPLETED",
      reason: "CANCELLED_BY_ADMIN",
      id: "too-far",
    });
    await insertRow({ service_name: "gone", desired_time: T0, state: "COMPLETED", reason: "CANCELLED_BY_ADMIN", id: "deleted-service" });
    const r = await call(
      srv.url,
      "POST",
      `${A}/reportcancelled`,
      { callback_reason: "CANCELLED_BY_ADMIN", exported_properties: [] },
      H.supervisor,
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="report.csv"');
    const rows = parseCsv(r.text);
    expect(rows[0]).toEqual([
      "_desired_time",
      "_service_name",
      "_customer_number",
      "urs_virtual_queue",
      "_vq_for_outbound_calls",
      "target",
    ]);
    const na = (await row(a)).customer_number!;
    const nb = (await row(b)).customer_number!;
    // by service, then desired time; routing keys fall back to the `_` spelling and to the service's option
    expect(rows.slice(1)).toEqual([
      [at(T0 - 30 * DAY), "alpha", expect.any(String), "", "vq-out", "svc-target"],
      [at(T0 + HOUR), "alpha", na, "vq-a", "vq-out", "svc-target"],
      [at(T0 + 15 * DAY), "alpha", expect.any(String), "", "vq-out", "svc-target"],
      [at(T0 + 30 * MIN), "beta", nb, "vq-b", "own", "agent-group"],
      [at(T0), "gone", expect.any(String), "", "", ""],
    ]);
  });

  it("exports exported_properties, whose items may be comma-separated lists, with _service_id as the callback id and formulas neutralised", async () => {
    const { a, b } = await cancelledSet();
    const r = await call(
      srv.url,
      "POST",
      `${A}/reportcancelled`,
      { callback_reason: "CANCELLED_BY_ADMIN", exported_properties: ["_service_id,_desired_time", "note", "_customer_number"] },
      H.supervisor,
    );
    expect(parseCsv(r.text)).toEqual([
      ["_service_id", "_desired_time", "note", "_customer_number"],
      [a, at(T0 + HOUR), '\'=HYPERLINK("x")', (await row(a)).customer_number],
      [b, at(T0 + 30 * MIN), "", (await row(b)).customer_number],
    ]);
    const asString = await call(
      srv.url,
      "POST",
      `${A}/reportcancelled`,
      { callback_reason: "CANCELLED", exported_properties: "_id,_callback_reason" },
      H.supervisor,
    );
    expect(parseCsv(asString.text)).toEqual([
      ["_id", "_callback_reason"],
      [expect.any(String), "CANCELLED"],
    ]);
  });

  it("answers 400 40010 'Callback reason is missing.' without callback_reason and 204 when nothing matches", async () => {
    for (const body of [{}, { callback_reason: "" }, { exported_properties: ["_id"] }]) {
      const r = await call(srv.url, "POST", `${A}/reportcancelled`, body, H.supervisor);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 40010, phrase: "BAD_PARAMETER", message: "Callback reason is missing." });
    }
    const none = await call(srv.url, "POST", `${A}/reportcancelled`, { callback_reason: "CANCELLED_BY_ADMIN" }, H.supervisor);
    expect(none.status).toBe(204);
    expect(none.text).toBe("");
    const badCols = await call(srv.url, "POST", `${A}/reportcancelled`, { callback_reason: "X", exported_properties: [1] }, H.supervisor);
    expect(badCols.json.code).toBe(40010);
  });

  it("produces the CSV lazily, one chunk of at most 1000 rows per read, each row exactly once", async () => {
    await env.store.tx(async () => {
      for (let i = 0; i < 2500; i++)
        await insertRow({
          service_name: i % 2 ? "alpha" : "beta",
          desired_time: T0 + Math.floor(i / 7) * MIN,
          state: "COMPLETED",
          reason: "CANCELLED_BY_ADMIN",
          id: `bulk-${i}`,
        });
    });
    const stream = (await cancelledReport(env.ctx, { callback_reason: "CANCELLED_BY_ADMIN", exported_properties: ["_id"] }))!;
    const reader = stream.getReader();
    const sizes: number[] = [];
    const ids: string[] = [];
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = dec.decode(value).split("\r\n").filter(Boolean);
      if (!sizes.length) expect(lines.shift()).toBe("_id");
      sizes.push(lines.length);
      ids.push(...lines);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(ROWS_PER_CHUNK);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
  });
});

describe("POST /callback/ops/delete (forget me)", () => {
  it("deletes SCHEDULED and COMPLETED callbacks by id and by number in the seed's answer shape; PROCESSING → 40020, unknown → 40030", async () => {
    const processing = await start("alpha", null);
    await moveTo(processing, "ROUTING", "PROCESSING");
    const scheduled = await start("alpha", 60, { _customer_number: "+16175550111" });
    const completed = await start("beta", null, { _customer_number: "+16175550111" });
    await moveTo(completed, "ROUTING", "PROCESSING", "COMPLETED");
    const queuedSame = await start("beta", null, { _customer_number: "+16175550111" });
    const byId = await start("alpha", 90);
    const r = await call(
      srv.url,
      "POST",
      `${A}/ops/delete`,
      { _id: [processing, byId, "missing-1"], _customer_number: ["132456", "16175550111"] },
      H.admin,
    );
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      success: [{ _id: byId }, { _customer_number: "132456", reason: "no callback(s) to delete" }, { _id: scheduled }, { _id: completed }],
      errors: [
        {
          code: 40020,
          phrase: "INVALID_OPERATION",
          _id: processing,
          message: `Callback ${processing} cannot be deleted - _callback_state=PROCESSING`,
        },
        { code: 40030, phrase: "NOT_FOUND", _id: "missing-1", message: "Callback missing-1 cannot be found" },
        {
          code: 40020,
          phrase: "INVALID_OPERATION",
          _id: queuedSame,
          message: `Callback ${queuedSame} cannot be deleted - _callback_state=QUEUED`,
        },
      ],
    });
    for (const id of [byId, scheduled, completed]) expect(await env.store.getCallback(id)).toBeUndefined();
    expect((await row(processing)).state).toBe("PROCESSING");
    expect((await row(queuedSame)).state).toBe("QUEUED");
    // the deletion is audited without personal data; earlier events keep their type but lose their details
    const ev = await env.store.eventsFor(scheduled);
    expect(ev.at(-1)).toMatchObject({ type: "deleted", actor: "admin", details: null });
    expect(ev.every((e) => e.details === null)).toBe(true);
    const q = await call(srv.url, "GET", `/genesys/1/service/callback/alpha/${scheduled}`);
    expect(q.json.code).toBe(40030);
  });

  // SQLite only: reads every table through sqlite_master and the database file and WAL bytes
  it.skipIf(onPostgres)(
    "leaves no trace of a forgotten number anywhere in the database: rows, events (incl. rejected requests), outbox, bulk requests, file",
    async () => {
      const N = "+16175550199";
      await putService(env.ctx, "notify", {
        _service: "callback",
        _enable_in_queue_checking: "false",
        _enable_status_notification: true,
        _status_notification_target: "http://127.0.0.1:9/hook",
      });
      await putPatterns(env.ctx, "blocked", { me: "0199$" });
      await putService(env.ctx, "strict", { _service: "callback", _exceptions: "blocked" });
      await putSettings(env.ctx, { "filter-keys": "_customer_number,_callback_state" });
      const s1 = await start("notify", 60, { _customer_number: N, firstname: "Ada" });
      const s2 = await start("notify", 90, { _customer_number: "1 (617) 555-0199" });
      const c1 = await start("alpha", 30, { _customer_number: N });
      // a rejected request never becomes a callback, but its event quotes the number
      const rej = await call(srv.url, "POST", "/genesys/1/service/callback/strict", { _customer_number: "+1 617 555 0199" });
      expect(rej.status).toBe(400);
      // a bulk cancel by a number filter remembers its request; a cancel notifies through the outbox
      await call(srv.url, "POST", `${A}/cancel`, { filter: { target: "alpha", _customer_number: N } }, H.supervisor);
      expect((await row(c1)).state).toBe("COMPLETED");
      await call(srv.url, "DELETE", `/genesys/1/service/callback/notify/${s2}`);
      const other = await start("alpha", 45, { _customer_number: "+16175550123" });
      const dump = () => {
        const tables = (
          env.lite.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
        ).map((t) => t.name);
        return tables.map((t) => JSON.stringify(env.lite.sqlite.prepare(`SELECT * FROM "${t}"`).all())).join("\n");
      };
      const traces = (text: string) => ["6175550199", "617-555-0199", "617 555 0199", "555-0199", "Ada"].filter((x) => text.includes(x));
      expect(traces(dump()).length).toBeGreaterThan(0); // the sweep has something to find
      expect(dump()).toContain("rejected");
      const rawFiles = () =>
        [env.handle.path, `${env.handle.path}-wal`]
          .filter((f) => fs.existsSync(f))
          .map((f) => fs.readFileSync(f).toString("latin1"))
          .join("");
      expect(traces(rawFiles()).length).toBeGreaterThan(0);

      const r = await call(srv.url, "POST", `${A}/ops/delete`, { _customer_number: ["1-617-555-0199"] }, H.admin);
      expect(r.status).toBe(200);
      expect(r.json.errors).toEqual([]);
      expect(r.json.success.map((x: any) => x._id).sort()).toEqual([s1, s2, c1].sort());

      expect(traces(dump())).toEqual([]);
      // deleted content is zeroed (secure_delete) and the WAL holding older page images is checkpointed away
      expect(traces(rawFiles())).toEqual([]);
      // other customers are untouched
      expect((await row(other)).customer_number).toBe("+16175550123");
      expect((await env.store.eventsFor(other))[0].details).not.toBeNull();
    },
  );

  it("matches numbers by digits, which includes the + fixing of queries, and refuses bodies without _id or _customer_number (400 40010)", async () => {
    const id = await start("alpha", 60, { _customer_number: "16175550142" }); // stored +-fixed
    expect((await row(id)).customer_number).toBe("+16175550142");
    const r = await call(srv.url, "POST", `${A}/ops/delete`, { _customer_number: ["16175550142"] }, H.admin);
    expect(r.json).toEqual({ success: [{ _id: id }], errors: [] });
    for (const body of [{}, { _id: [] }, { _id: [{}] }, { _customer_number: [true] }, { _customer_number: "16175550142" }]) {
      const bad = await call(srv.url, "POST", `${A}/ops/delete`, body, H.admin);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.code).toBe(40010);
    }
  });
});

describe("forget-me number sweep", () => {
  it("finds a number in event texts whatever its formatting, and never sweeps for too-short numbers", () => {
    const m = numberMatcher(["16175550199"]);
    for (const t of [
      '{"message":"Customer Number [+1 617 555 0199] is not allowed"}',
      '{"n":"(617) 555-0199"}',
      '{"n":"+16175550199"}',
      '{"n":"617.555.0199"}',
    ])
      expect(m(t), t).toBe(true);
    for (const t of [
      '{"code":40010,"message":"Customer Number [+1 617 555 0100] is not allowed"}',
      '{"desired_time":"2026-06-01T12:00:00.000Z"}',
    ])
      expect(m(t), t).toBe(false);
    expect(numberMatcher(["1", "40"])('{"code":40010,"attempt":1}')).toBe(false);
  });
});

describe("admin callback API roles", () => {
  it("answers 401 without valid credentials and 403 below the role: monitor reads, supervisor cancels/exports, admin deletes", async () => {
    const id = await start("alpha", 60);
    const op = (await call(srv.url, "POST", `${A}/cancel`, { ids: ["x"] }, H.supervisor)).json.operation;
    const routes: Array<[string, string, unknown, "monitor" | "supervisor" | "admin"]> = [
      ["GET", `${A}/queues`, undefined, "monitor"],
      ["GET", `${A}/watermarks`, undefined, "monitor"],
      ["POST", `${A}/cancel`, { ids: ["x"] }, "supervisor"],
      ["GET", `${A}/cancel/${op}`, undefined, "supervisor"],
      ["POST", `${A}/reportcancelled`, { callback_reason: "CANCELLED_BY_ADMIN" }, "supervisor"],
      ["POST", `${A}/ops/delete`, { _id: ["x"] }, "admin"],
    ];
    const rank = { monitor: 0, supervisor: 1, admin: 2 };
    for (const [method, path, body, need] of routes) {
      const none = await call(srv.url, method, path, body);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      const wrong = await call(srv.url, method, path, body, { authorization: "Basic " + Buffer.from("admin:wrong").toString("base64") });
      expect(wrong.status).toBe(401);
      for (const who of ["monitor", "supervisor", "admin"] as const) {
        const r = await call(srv.url, method, path, body, H[who]);
        if (rank[who] < rank[need]) expect(r.status, `${who} ${method} ${path}`).toBe(403);
        else expect([200, 204], `${who} ${method} ${path}`).toContain(r.status);
      }
    }
    expect((await row(id)).state).toBe("SCHEDULED");
  });
});
