import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { Scheduler } from "../lib/execution/scheduler";
import { resetSimulator, simulator } from "../lib/execution/simulator";
import { handOffImmediate } from "../lib/execution/handoff";

let env: ReturnType<typeof freshEngine>;
beforeEach(() => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  resetSimulator();
});

async function run(service: string, n: number, seconds: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = startCallback(env.ctx, service, { _customer_number: `+1617555${String(2000 + i)}` });
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

const states = (id: string) => env.store.eventsFor(id).filter((e) => e.type === "state").map((e) => e.state);

describe("call-center simulator", () => {
  it("drives every callback QUEUED → ROUTING → PROCESSING → COMPLETED/AGENT_CONNECTED when customers answer", async () => {
    putService(env.ctx, "sim", { _service: "callback", _sim_agents: 2, _sim_answer_rate: 1, _sim_dial_seconds: 10, _sim_talk_seconds: 60, _sim_seed: 7, _enable_in_queue_checking: "false" });
    const ids = await run("sim", 5, 600);
    for (const id of ids) {
      expect(env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_CONNECTED" });
      expect(states(id)).toEqual(["ROUTING", "PROCESSING", "COMPLETED"]);
    }
  });

  it("never has more calls in progress than agents, and serves in original enqueue order", async () => {
    putService(env.ctx, "sim", { _service: "callback", _sim_agents: 2, _sim_answer_rate: 1, _sim_dial_seconds: 10, _sim_talk_seconds: 60, _sim_seed: 1, _enable_in_queue_checking: "false" });
    const ids = await run("sim", 6, 1);
    const routing = ids.filter((id) => env.store.getCallback(id)!.state === "ROUTING");
    expect(routing).toEqual(ids.slice(0, 2));
  });

  it("completes unreachable customers with FAIL_CALL_TO_CUSTOMER after retries, reproducibly for a seed", async () => {
    putService(env.ctx, "sim", { _service: "callback", _sim_agents: 3, _sim_answer_rate: 0, _sim_busy_rate: 0.5, _sim_answering_machine_rate: 0, _sim_seed: 42, _enable_in_queue_checking: "false" });
    const ids = await run("sim", 3, 600);
    for (const id of ids) {
      expect(env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "FAIL_CALL_TO_CUSTOMER" });
      expect(states(id)).toEqual(["ROUTING", "QUEUED", "ROUTING", "QUEUED", "ROUTING", "COMPLETED"]);
    }
  });

  it("cancels after repeated agent preview rejects when _agent_preview_allow_reject is on", async () => {
    putService(env.ctx, "sim", { _service: "callback", _agent_preview: true, _agent_preview_allow_reject: true, _sim_preview_reject_rate: 1, _sim_seed: 3, _enable_in_queue_checking: "false" });
    const [id] = await run("sim", 1, 10);
    expect(env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_PREVIEW_CANCEL_AFTER_3REJECTS" });
  });

  it("gives up on callbacks waiting longer than _urs_queued_ttl (scaled by _sim_speed)", async () => {
    putService(env.ctx, "sim", { _service: "callback", _sim_agents: 0, _urs_queued_ttl: 600, _sim_speed: 10, _enable_in_queue_checking: "false" });
    const [id] = await run("sim", 1, 61);
    expect(env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "FAIL_QUEUEING" });
  });

  it("re-adopts what it held after a restart: QUEUED ones are served, a call being dialled is retried", async () => {
    putService(env.ctx, "sim", { _service: "callback", _sim_agents: 1, _sim_answer_rate: 1, _sim_seed: 5, _enable_in_queue_checking: "false" });
    const ids = await run("sim", 2, 1);
    expect(env.store.getCallback(ids[0])!.state).toBe("ROUTING");
    resetSimulator(); // the process restarts: the in-memory simulation is gone
    expect(simulator().size()).toBe(0);
    const s = new Scheduler(env.ctx);
    for (let t = 0; t < 1200; t++) {
      env.clock.t += 1000;
      await s.tick();
    }
    for (const id of ids) expect(env.store.getCallback(id)).toMatchObject({ state: "COMPLETED", reason: "AGENT_CONNECTED" });
  });
});
