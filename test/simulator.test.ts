import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { Scheduler } from "../lib/execution/scheduler";
import { resetSimulator, simulator, Simulator } from "../lib/execution/simulator";
import { handOffImmediate, handOffBatchInProcess } from "../lib/execution/handoff";

let env: Awaited<ReturnType<typeof freshEngine>>;
beforeEach(() => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  resetSimulator();
});

async function run(service: string, n: number, seconds: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await startCallback(env.ctx, service, { _customer_number: `+1617555${String(2000 + i)}` });
    await handOffImmediate(env.ctx, r.id, r.config);
    ids.push(r.id);
  }
  const s = new Scheduler(env.ctx);
  for (let t = 0; t < seconds; t++) {
    env.clock.t += 1000;
    await s.tick();
  }
  return ids;
}

const states = async (id: string) => (await env.store.eventsFor(id)).filter((e) => e.type === "state").map((e) => e.state);

describe("call-center simulator", () => {
  it("drives every callback QUEUED → ROUTING → PROCESSING → COMPLETED/AGENT_CONNECTED when customers answer", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 2,
      _sim_answer_rate: 1,
      _sim_dial_seconds: 10,
      _sim_talk_seconds: 60,
      _sim_seed: 7,
      _enable_in_queue_checking: "false",
    });
    const ids = await run("sim", 5, 600);
    for (const id of ids) {
      expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_CONNECTED" });
      expect(await states(id)).toEqual(["ROUTING", "PROCESSING", "COMPLETED"]);
    }
  });

  it("never has more customers with agents than agents, and dials them in original enqueue order", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 2,
      _sim_answer_rate: 1,
      _sim_dial_seconds: 10,
      _sim_talk_seconds: 60,
      _sim_seed: 1,
      _enable_in_queue_checking: "false",
    });
    const ids = await run("sim", 6, 0);
    const s = new Scheduler(env.ctx);
    const connectedOrder: string[] = [];
    for (let t = 0; t < 900; t++) {
      env.clock.t += 1000;
      await s.tick();
      const talking: string[] = [];
      for (const id of ids) if ((await env.store.getCallback(id))!.state === "PROCESSING") talking.push(id);
      expect(talking.length).toBeLessThanOrEqual(2);
      for (const id of talking) if (!connectedOrder.includes(id)) connectedOrder.push(id);
    }
    expect(connectedOrder).toHaveLength(6);
    // customers are dialled (first time) in original enqueue order; ring times vary, so connections may swap
    const firstDials = (
      await env.store.query<{ callback_id: string }>("SELECT callback_id FROM callback_events WHERE type = 'dialing' ORDER BY id")
    )
      .map((r) => r.callback_id)
      .filter((id: string, i: number, all: string[]) => all.indexOf(id) === i);
    expect(firstDials).toEqual(ids);
  });

  it("lets a reached customer go after _max_time_to_wait_for_agent_on_the_call without an agent (FAIL_AGENT_CONNECT)", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 1,
      _sim_answer_rate: 1,
      _sim_dial_seconds: 5,
      _sim_talk_seconds: 3000,
      _max_time_to_wait_for_agent_on_the_call: 60,
      _sim_seed: 2,
      _enable_in_queue_checking: "false",
    });
    const ids = await run("sim", 2, 300); // one agent, two lines dialled: one customer gets the agent
    const [talking, leftWaiting] = (await env.store.getCallback(ids[0]))!.state === "PROCESSING" ? ids : [ids[1], ids[0]];
    expect((await env.store.getCallback(talking))!.state).toBe("PROCESSING");
    expect(await env.store.getCallback(leftWaiting)).toMatchObject({ state: "COMPLETED", reason: "FAIL_AGENT_CONNECT" });
    expect(await states(leftWaiting)).toEqual(["ROUTING", "COMPLETED"]);
    const [reached, gaveUp] = (await env.store.eventsFor(leftWaiting)).filter((e) => e.type === "state").map((e) => e.time);
    expect(gaveUp - reached).toBe(60_000);
  });

  it("reserves the agent before dialling with _wait_for_agent: the reached customer is connected at once", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _wait_for_agent: true,
      _sim_agents: 1,
      _sim_answer_rate: 1,
      _sim_talk_seconds: 3000,
      _sim_seed: 4,
      _enable_in_queue_checking: "false",
    });
    const ids = await run("sim", 2, 300);
    expect((await env.store.getCallback(ids[0]))!.state).toBe("PROCESSING");
    expect((await env.store.getCallback(ids[1]))!.state).toBe("QUEUED"); // never dialled while no agent is free
    expect((await env.store.eventsFor(ids[1])).filter((e) => e.type === "dialing")).toHaveLength(0);
  });

  it("completes unreachable customers with FAIL_CALL_TO_CUSTOMER after retries, reproducibly for a seed", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 3,
      _sim_answer_rate: 0,
      _sim_busy_rate: 0.5,
      _sim_answering_machine_rate: 0,
      _sim_seed: 42,
      _enable_in_queue_checking: "false",
    });
    const ids = await run("sim", 3, 600);
    for (const id of ids) {
      expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "FAIL_CALL_TO_CUSTOMER" });
      expect(await states(id)).toEqual(["COMPLETED"]); // never reached: it stays QUEUED while dialled
      const dials = (await env.store.eventsFor(id)).filter((e) => e.type === "dialing" || e.type === "dial_failed").map((e) => e.type);
      expect(dials).toEqual(["dialing", "dial_failed", "dialing", "dial_failed", "dialing"]);
    }
  });

  it("cancels after repeated agent preview rejects when _agent_preview_allow_reject is on", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _agent_preview: true,
      _agent_preview_allow_reject: true,
      _sim_preview_reject_rate: 1,
      _sim_seed: 3,
      _enable_in_queue_checking: "false",
    });
    const [id] = await run("sim", 1, 10);
    expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_PREVIEW_CANCEL_AFTER_3REJECTS" });
  });

  it("gives up on callbacks waiting longer than _urs_queued_ttl (scaled by _sim_speed)", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 0,
      _urs_queued_ttl: 600,
      _sim_speed: 10,
      _enable_in_queue_checking: "false",
    });
    const [id] = await run("sim", 1, 61);
    expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "FAIL_QUEUEING" });
  });

  it("re-adopts what it held after a restart: a customer on the line is dialled again, every callback is served", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 1,
      _sim_answer_rate: 1,
      _sim_dial_seconds: 5,
      _sim_talk_seconds: 600,
      _sim_seed: 5,
      _enable_in_queue_checking: "false",
    });
    const ids = await run("sim", 2, 30);
    expect((await env.store.getCallback(ids[0]))!.state).toBe("PROCESSING");
    expect(["QUEUED", "ROUTING"]).toContain((await env.store.getCallback(ids[1]))!.state);
    resetSimulator(); // the process restarts: the in-memory simulation is gone
    expect(simulator().size()).toBe(0);
    const s = new Scheduler(env.ctx);
    for (let t = 0; t < 3000; t++) {
      env.clock.t += 1000;
      await s.tick();
    }
    for (const id of ids) expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_CONNECTED" });
  });

  it("completes immediate callbacks another server process handed to its own simulator, advanced only by the lease holder", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 2,
      _sim_answer_rate: 1,
      _sim_dial_seconds: 10,
      _sim_talk_seconds: 60,
      _sim_seed: 7,
      _enable_in_queue_checking: "false",
    });
    const holder = new Scheduler(env.ctx, { holder: "holder" });
    expect((await holder.tick()).active).toBe(true);
    // another worker's request path: stored and handed over to that process's simulator, which never ticks
    const other = new Simulator();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await startCallback(env.ctx, "sim", { _customer_number: `+1617555${String(3000 + i)}` });
      expect(
        await handOffBatchInProcess(
          env.ctx,
          [r.id],
          () => r.config,
          (row) => other.accept(row),
        ),
      ).toBe(1);
      ids.push(r.id);
    }
    for (let t = 0; t < 600; t++) {
      env.clock.t += 1000;
      await holder.tick();
    }
    for (const id of ids) expect(await env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_CONNECTED" });
  });

  it("forgets what it accepted while on standby and starts from the database on taking the lease over", async () => {
    await putService(env.ctx, "sim", {
      _service: "callback",
      _sim_agents: 1,
      _sim_answer_rate: 1,
      _sim_dial_seconds: 10,
      _sim_talk_seconds: 60,
      _sim_seed: 7,
      _enable_in_queue_checking: "false",
    });
    const a = new Scheduler(env.ctx, { holder: "a", leaseMs: 10_000 });
    expect((await a.tick()).active).toBe(true);
    const b = new Scheduler(env.ctx, { holder: "b", leaseMs: 10_000 });
    // b's process: its simulator took the call on the request path while a held the lease and advanced it
    const standby = new Simulator();
    const r = await startCallback(env.ctx, "sim", { _customer_number: "+16175554000" });
    await handOffBatchInProcess(
      env.ctx,
      [r.id],
      () => r.config,
      (row) => standby.accept(row),
    );
    for (let t = 0; t < 15; t++) {
      env.clock.t += 1000;
      await a.tick();
    }
    expect((await env.store.getCallback(r.id))!.state).toBe("PROCESSING");
    // a dies; b takes the lease over after it lapses, with the stale call in its memory
    resetSimulator();
    simulator().accept((await env.store.getCallback(r.id))!);
    env.clock.t += 10_001;
    expect((await b.tick()).active).toBe(true);
    for (let t = 0; t < 120; t++) {
      env.clock.t += 1000;
      await b.tick();
    }
    expect(await env.store.getCallback(r.id)).toMatchObject({ state: "COMPLETED" });
  });
});
