import { describe, it, expect, beforeEach, afterEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { Scheduler } from "../lib/execution/scheduler";
import { setEngineOverride, type ExecutionEngine } from "../lib/execution/engine";
import { resetSimulator } from "../lib/execution/simulator";
import { handOffImmediate } from "../lib/execution/handoff";
import { cancelCallback } from "../lib/callback/cancel";
import type { CallbackRow } from "../db/store";

/** A test engine that records every hand-off and can be told to fail. */
function countingEngine() {
  const submits: Array<{ id: string; attempt: number; at: number }> = [];
  const cancels: string[] = [];
  let failing = false;
  let clock = () => 0;
  const engine: ExecutionEngine = {
    async submit(row: CallbackRow, _cfg, attempt) {
      if (failing) throw new Error("engine down");
      submits.push({ id: row.id, attempt, at: clock() });
      return { sessionId: `s-${row.id}` };
    },
    async cancel(row: CallbackRow) {
      cancels.push(row.id);
    },
  };
  return { engine, submits, cancels, setFailing: (f: boolean) => (failing = f), setClock: (c: () => number) => (clock = c) };
}

let env: Awaited<ReturnType<typeof freshEngine>>;
let eng: Awaited<ReturnType<typeof countingEngine>>;
beforeEach(async () => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  resetSimulator();
  eng = countingEngine();
  eng.setClock(() => env.clock.t);
  setEngineOverride(eng.engine);
  await putService(env.ctx, "svc", {
    _service: "callback",
    _enable_in_queue_checking: "false",
    _request_execution_time_buffer: 120,
    _ttl: 3600,
  });
});
afterEach(() => setEngineOverride(null));

const state = async (id: string) => (await env.store.getCallback(id))!;
async function schedule(at: string, n = 1): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (await startCallback(env.ctx, "svc", { _customer_number: `+1617555${String(1000 + i).padStart(4, "0")}`, _desired_time: at })).id,
    );
  return ids;
}

describe("scheduler", () => {
  it("hands a scheduled callback over exactly at desired time minus the execution buffer, not a tick earlier", async () => {
    const [id] = await schedule("2026-06-01T13:00:00.000Z");
    const s = new Scheduler(env.ctx);
    env.setNow("2026-06-01T12:57:59.999Z");
    await s.tick();
    expect((await state(id)).state).toBe("SCHEDULED");
    expect(eng.submits).toHaveLength(0);
    env.setNow("2026-06-01T12:58:00.000Z");
    await s.tick();
    expect((await state(id)).state).toBe("QUEUED");
    expect((await state(id)).ors_session_id).toBe(`s-${id}`);
    expect(eng.submits).toEqual([{ id, attempt: 1, at: Date.parse("2026-06-01T12:58:00.000Z") }]);
    await s.tick();
    expect(eng.submits).toHaveLength(1);
  });

  it("retries a failing hand-off with backoff, then completes it as SUBMIT_FAILED after _max_ors_submit_attempts", async () => {
    const [id] = await schedule("2026-06-01T13:00:00.000Z");
    eng.setFailing(true);
    const s = new Scheduler(env.ctx);
    env.setNow("2026-06-01T12:58:00.000Z");
    await s.tick();
    expect(await state(id)).toMatchObject({ state: "SCHEDULED", submit_attempts: 1 });
    await s.tick(); // backoff: not yet
    expect((await state(id)).submit_attempts).toBe(1);
    env.clock.t += 1000;
    await s.tick();
    expect((await state(id)).submit_attempts).toBe(2);
    env.clock.t += 2000;
    await s.tick();
    expect(await state(id)).toMatchObject({ state: "COMPLETED", reason: "SUBMIT_FAILED", submit_attempts: 3 });
    const types = (await env.store.eventsFor(id)).map((e) => e.type);
    expect(types.filter((t) => t === "handoff_failed")).toHaveLength(3);
  });

  it("answers an immediate start whose hand-off fails every attempt with 500 50006 and SUBMIT_FAILED", async () => {
    eng.setFailing(true);
    const r = await startCallback(env.ctx, "svc", { _customer_number: "+16175550000" });
    await expect(handOffImmediate(env.ctx, r.id, r.config, async () => {})).rejects.toMatchObject({
      code: 50006,
      message: `Callback ${r.id} reached maximum attempts to submit to ORS reached (3)`,
      extras: { properties: { id: r.id, "max-attempts": 3 } },
    });
    expect(await state(r.id)).toMatchObject({ state: "COMPLETED", reason: "SUBMIT_FAILED" });
  });

  it("expires an unfinished callback at _expiration_time as FAIL_TIMEOUT_TTL and tells execution", async () => {
    const [id] = await schedule("2026-06-01T13:00:00.000Z");
    const s = new Scheduler(env.ctx);
    env.setNow("2026-06-01T12:58:00.000Z");
    await s.tick();
    expect((await state(id)).state).toBe("QUEUED");
    env.setNow("2026-06-01T13:59:59.999Z");
    await s.tick();
    expect((await state(id)).state).toBe("QUEUED");
    env.setNow("2026-06-01T14:00:00.000Z");
    await s.tick();
    expect(await state(id)).toMatchObject({ state: "COMPLETED", reason: "FAIL_TIMEOUT_TTL" });
    expect(eng.cancels).toEqual([id]);
  });

  it("purges COMPLETED records completed-retention after their expiration time", async () => {
    await env.store.putSettings("callback", { "completed-retention": "1d" }, env.clock.t);
    const [id] = await schedule("2026-06-01T13:00:00.000Z");
    const s = new Scheduler(env.ctx);
    env.setNow("2026-06-01T14:00:00.000Z");
    await s.tick(); // expires (FAIL_TIMEOUT_TTL)
    expect((await state(id)).state).toBe("COMPLETED");
    env.setNow("2026-06-02T13:59:00.000Z");
    await s.tick();
    expect(await env.store.getCallback(id)).toBeDefined();
    env.setNow("2026-06-02T14:00:00.001Z");
    await s.tick();
    expect(await env.store.getCallback(id)).toBeUndefined();
  });

  it("pauses QUEUED callbacks of a _paused service and resumes them, handing them over again", async () => {
    const [id] = await schedule("2026-06-01T13:00:00.000Z");
    const s = new Scheduler(env.ctx);
    env.setNow("2026-06-01T12:58:00.000Z");
    await s.tick();
    expect((await state(id)).state).toBe("QUEUED");
    await putService(env.ctx, "svc", { _service: "callback", _enable_in_queue_checking: "false", _ttl: 3600, _paused: true });
    env.clock.t += 1000;
    await s.tick();
    expect((await state(id)).state).toBe("PAUSED");
    expect(eng.cancels).toEqual([id]);
    await putService(env.ctx, "svc", { _service: "callback", _enable_in_queue_checking: "false", _ttl: 3600, _paused: false });
    env.clock.t += 1000;
    await s.tick(); // PAUSED → QUEUED
    await s.tick(); // handed over again
    expect(await state(id)).toMatchObject({ state: "QUEUED", handed_off: 1 });
    expect(eng.submits.map((x) => x.id)).toEqual([id, id]);
    expect((await state(id)).enqueued_at).toBe(Date.parse("2026-06-01T12:58:00.000Z")); // keeps its place in the queue
  });

  it("lets only one of two scheduler instances on one database run, and the other take over when the lease expires", async () => {
    const ids = await schedule("2026-06-01T13:00:00.000Z", 20);
    const a = new Scheduler(env.ctx, { holder: "a", leaseMs: 10_000 });
    const b = new Scheduler(env.ctx, { holder: "b", leaseMs: 10_000 });
    env.setNow("2026-06-01T12:58:00.000Z");
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect([ra.active, rb.active].filter(Boolean)).toHaveLength(1);
    expect(eng.submits).toHaveLength(20);
    expect(new Set(eng.submits.map((x) => x.id)).size).toBe(20);
    // a dies without releasing; b takes over after the lease runs out
    env.clock.t += 10_001;
    expect((await b.tick()).active).toBe(true);
    expect((await a.tick()).active).toBe(false);
    for (const id of ids) expect((await state(id)).state).toBe("QUEUED");
  });

  it("hands the lease back on stop only after the tick in flight has finished, so no other instance works beside it", async () => {
    const ids = await schedule("2026-06-01T13:00:00.000Z", 5);
    env.setNow("2026-06-01T12:58:00.000Z");
    // the engine holds every hand-off until told to answer
    let answer = () => {};
    const answered = new Promise<void>((r) => (answer = r));
    const received: string[] = [];
    setEngineOverride({
      submit: async (row) => {
        received.push(row.id);
        await answered;
        return {};
      },
      cancel: async () => {},
    });
    const a = new Scheduler(env.ctx, { holder: "a" });
    const b = new Scheduler(env.ctx, { holder: "b" });
    a.start(5);
    for (const end = Date.now() + 10_000; received.length < 5 && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
    expect(received).toHaveLength(5);

    let stopped = false;
    const stopping = a.stop(true).then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    // the tick is still handing over: a keeps the lease meanwhile
    expect(stopped).toBe(false);
    expect((await b.tick()).active).toBe(false);
    answer();
    await stopping;
    // handed back at once (no wait for the lease to lapse), and nothing is left for b to hand over again
    expect((await b.tick()).active).toBe(true);
    for (const id of ids) expect((await state(id)).state).toBe("QUEUED");
    expect(received).toHaveLength(5);
  });

  it("sends status notifications only while it still holds the lease: a tick that outlasted it leaves them to the new holder", async () => {
    const got: string[] = [];
    const target = http.createServer((req, res) => {
      got.push(req.url ?? "");
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    try {
      await putService(env.ctx, "n", {
        _service: "callback",
        _enable_in_queue_checking: "false",
        _enable_status_notification: true,
        _status_notification_target: `http://127.0.0.1:${(target.address() as AddressInfo).port}/events`,
      });
      const n = await startCallback(env.ctx, "n", { _customer_number: "+16175551212", _desired_time: "2026-06-01T15:00:00Z" });
      await cancelCallback(env.ctx, n.id); // one notification waits in the outbox
      await schedule("2026-06-01T13:00:00.000Z");
      env.setNow("2026-06-01T12:58:00.000Z");
      // the engine holds a's hand-off until the lease has lapsed and b has taken it
      let answer = () => {};
      const answered = new Promise<void>((r) => (answer = r));
      let submits = 0;
      setEngineOverride({
        submit: async () => {
          if (submits++ === 0) await answered;
          return {};
        },
        cancel: async () => {},
      });
      const a = new Scheduler(env.ctx, { holder: "a", leaseMs: 10_000 });
      const b = new Scheduler(env.ctx, { holder: "b", leaseMs: 10_000 });
      const ticking = a.tick();
      for (const end = Date.now() + 10_000; submits === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
      env.clock.t += 10_001;
      expect(await b.acquireLease()).toBe(true);
      answer();
      expect((await ticking).handedOff).toBe(1);
      expect(got).toEqual([]); // not sent by a, which no longer holds the lease
      expect(await env.store.query("SELECT id FROM notification_outbox")).toHaveLength(1);
      expect((await b.tick()).active).toBe(true);
      expect(got).toEqual(["/events"]);
    } finally {
      target.closeAllConnections();
      await new Promise<void>((r) => target.close(() => r()));
    }
  });

  it("recovers after a crash mid-run: nothing due is lost and no (callback, attempt) is handed over twice", async () => {
    const ids = await schedule("2026-06-01T13:00:00.000Z", 50);
    env.setNow("2026-06-01T12:58:00.000Z");
    // the first process claims every hand-off; the engine receives half of them, then the process dies before any
    // answer is recorded (its submits never settle)
    const received: string[] = [];
    setEngineOverride({
      submit: (row) => {
        if (received.length < 25) received.push(`${row.id}#${row.submit_attempts}`);
        return new Promise(() => {});
      },
      cancel: async () => {},
    });
    const crashed = new Scheduler(env.ctx, { holder: "crashed", leaseMs: 5000, concurrency: 100 });
    void crashed.tick();
    // until the engine has its 25 and every attempt is claimed (a few turns on SQLite; PostgreSQL answers over a
    // socket): a deadline, not a count of turns
    const pending = async () => (await env.store.query<{ n: number }>("SELECT count(*) AS n FROM handoffs WHERE status = 'pending'"))[0].n;
    for (const end = Date.now() + 10_000; Date.now() < end;) {
      if (received.length >= 25 && (await pending()) === 50) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(received).toHaveLength(25);
    expect(await pending()).toBe(50);

    // restart: a new process with a working engine; the old lease and the claimed attempts must time out first
    setEngineOverride(eng.engine);
    const restarted = new Scheduler(env.ctx, { holder: "restarted", leaseMs: 5000 });
    expect((await restarted.tick()).active).toBe(false);
    expect(eng.submits).toHaveLength(0);
    env.clock.t += 30_000;
    await restarted.tick();
    for (const id of ids) expect((await state(id)).state).toBe("QUEUED");
    const keys = eng.submits.map((x) => `${x.id}#${x.attempt}`);
    expect(new Set(keys).size).toBe(50);
    expect(keys.some((k) => received.includes(k))).toBe(false); // attempt 1 belonged to the crashed process
    expect(eng.submits.every((x) => x.attempt === 2)).toBe(true);
    const [ledger] = await env.store.query<{ n: number }>("SELECT count(*) AS n FROM handoffs WHERE status = 'ok'");
    expect(ledger.n).toBe(50);
  });

  it("a tick that outlasts its lease (slow engine) is never doubled by the server that takes over: each callback handed over once", async () => {
    const ids = await schedule("2026-06-01T13:00:00.000Z", 6);
    env.setNow("2026-06-01T12:58:00.000Z");
    // an engine whose answers wait to be let go, one by one
    const submits: string[] = [];
    const waiting = new Map<string, () => void>();
    setEngineOverride({
      submit: (row) => {
        submits.push(row.id);
        return new Promise((done) => waiting.set(row.id, () => done({ sessionId: `s-${row.id}` })));
      },
      cancel: async () => {},
    });
    const until = async (ok: () => boolean) => {
      for (const end = Date.now() + 10_000; !ok() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
      expect(ok()).toBe(true);
    };
    // a lists all six, claims the first and waits on the engine
    const a = new Scheduler(env.ctx, { holder: "a", leaseMs: 5000, concurrency: 1 });
    const aTick = a.tick();
    await until(() => submits.length === 1);
    // its lease lapses meanwhile: b takes over and claims the five others (its answers wait too)
    env.clock.t += 5001;
    const b = new Scheduler(env.ctx, { holder: "b", leaseMs: 5000, concurrency: 10 });
    const bTick = b.tick();
    await until(() => submits.length === 6);
    // a's engine answers; a goes on down its old list while b's five are still in flight
    waiting.get(submits[0]!)!();
    await aTick;
    for (const id of submits.slice(1)) waiting.get(id)!();
    await bTick;
    expect(submits).toHaveLength(6);
    expect(new Set(submits)).toEqual(new Set(ids));
    for (const id of ids) expect((await state(id)).state).toBe("QUEUED");
    const [ledger] = await env.store.query<{ n: number }>("SELECT count(*) AS n FROM handoffs");
    expect(ledger.n).toBe(6);
  });
});
