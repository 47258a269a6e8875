// The embedded call-center simulator (`_type=builtin`): agents per service, dialling with answer /
// no-answer / busy / answering-machine outcomes, agent preview with rejects, `_urs_queued_ttl` and
// `_max_time_to_wait_for_agent_on_the_call`, driving QUEUED → ROUTING → PROCESSING → COMPLETED with real reasons.
// It is advanced by the scheduler's tick (so tests drive it with a fake clock) and seeded for reproducibility.
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "../callback/context";
import { serviceConfig, type CallbackConfig } from "../callback/config";
import { optValue } from "../callback/options";
import { transition } from "../callback/state";

// queued: waiting to be dialled (QUEUED) · dialing: the customer's phone rings (still QUEUED) · waiting: customer
// reached, waiting for an agent (ROUTING) · talking: with an agent (PROCESSING)
type Phase = "queued" | "dialing" | "waiting" | "talking";
interface SimCall {
  id: string;
  service: string;
  phase: Phase;
  enqueuedAt: number;
  nextAt: number;
  agent: number | null;
  /** The agent was reserved before dialling (`_wait_for_agent` or agent preview). */
  reserved: boolean;
  rejects: number;
  dialAttempts: number;
}

const MAX_PREVIEW_REJECTS = 3;
const MAX_DIAL_ATTEMPTS = 3;

/** mulberry32: small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimParams {
  agents: number;
  speed: number;
  answer: number;
  busy: number;
  machine: number;
  dialMs: number;
  talkMs: number;
  preview: boolean;
  allowReject: boolean;
  rejectRate: number;
  queuedTtlMs: number;
  maxWaitAgentMs: number;
  seed: number | undefined;
  waitForAgent: boolean;
}

function params(cfg: CallbackConfig): SimParams {
  const o = cfg.options;
  const num = (k: string) => Number(optValue(k, o));
  const speed = num("_sim_speed") || 1;
  const seed = optValue("_sim_seed", o);
  return {
    agents: num("_sim_agents"),
    speed,
    answer: num("_sim_answer_rate"),
    busy: num("_sim_busy_rate"),
    machine: num("_sim_answering_machine_rate"),
    dialMs: (num("_sim_dial_seconds") * 1000) / speed,
    talkMs: (num("_sim_talk_seconds") * 1000) / speed,
    preview: optValue("_agent_preview", o) === true,
    allowReject: optValue("_agent_preview_allow_reject", o) === true,
    rejectRate: num("_sim_preview_reject_rate"),
    queuedTtlMs: (num("_urs_queued_ttl") * 1000) / speed,
    maxWaitAgentMs: (num("_max_time_to_wait_for_agent_on_the_call") * 1000) / speed,
    seed: seed === undefined ? undefined : Number(seed),
    waitForAgent: optValue("_wait_for_agent", o) === true,
  };
}

export class Simulator {
  private calls = new Map<string, SimCall>();
  private rngs = new Map<string, () => number>();
  private nowFn: () => number = Date.now;

  /** Execution accepted the callback: it waits for an agent. Returns the session id. */
  accept(row: CallbackRow): string {
    if (!this.calls.has(row.id))
      this.calls.set(row.id, {
        id: row.id,
        service: row.service_name,
        phase: "queued",
        enqueuedAt: row.enqueued_at ?? this.nowFn(),
        nextAt: 0,
        agent: null,
        reserved: false,
        rejects: 0,
        dialAttempts: 0,
      });
    return `sim-${row.id}`;
  }

  drop(id: string): void {
    this.calls.delete(id);
  }

  has(id: string): boolean {
    return this.calls.has(id);
  }

  size(): number {
    return this.calls.size;
  }

  private rng(service: string, seed: number | undefined): () => number {
    let r = this.rngs.get(service);
    if (!r) {
      r = prng(seed ?? Math.floor(Math.random() * 2 ** 31));
      this.rngs.set(service, r);
    }
    return r;
  }

  /**
   * Adopts callbacks execution held before a restart or on another process (QUEUED handed over, ROUTING, PROCESSING
   * of builtin services), on taking the scheduler lease. What this process accepted while another held the lease
   * may since have moved on there: the database is the truth, so the calls in memory are forgotten first.
   */
  async adopt(ctx: EngineCtx, mine: (cfg: CallbackConfig) => boolean): Promise<number> {
    this.calls.clear();
    const rows = await ctx.store.callbacksInExecution();
    let n = 0;
    for (const row of rows) {
      let cfg: CallbackConfig;
      try {
        cfg = await serviceConfig(ctx.store, row.service_name);
      } catch {
        continue;
      }
      if (!mine(cfg) || this.calls.has(row.id)) continue;
      if (row.state === "QUEUED" && !row.handed_off) continue; // the scheduler hands it over
      // a call in progress when the process stopped: the customer is dialled again (ROUTING → QUEUED), a
      // conversation is taken as finished
      await this.tx(ctx, row.id, row.state, async (fresh) => {
        if (fresh.state === "ROUTING") await transition(ctx, fresh, "QUEUED", { actor: "simulator", details: { recovered: true } });
        else if (fresh.state === "PROCESSING")
          await transition(ctx, fresh, "COMPLETED", { reason: "AGENT_CONNECTED", actor: "simulator", details: { recovered: true } });
      });
      const fresh = await ctx.store.getCallback(row.id);
      if (fresh?.state === "QUEUED") {
        this.accept(fresh);
        n++;
      }
    }
    return n;
  }

  /**
   * Takes on a callback another server process handed over (its immediate Start-Callback went to that process's
   * simulator, which only the lease holder advances). True when it was taken on.
   */
  async pickUp(ctx: EngineCtx, id: string, mine: (cfg: CallbackConfig) => boolean): Promise<boolean> {
    if (this.calls.has(id)) return false;
    const row = await ctx.store.getCallback(id);
    if (!row || row.state !== "QUEUED" || !row.handed_off || row.external) return false;
    try {
      if (!mine(await serviceConfig(ctx.store, row.service_name))) return false;
    } catch {
      return false;
    }
    this.accept(row);
    return true;
  }

  /** Applies a transition if the stored callback is still in `expect`; otherwise forgets the call. */
  private async tx(ctx: EngineCtx, id: string, expect: string, fn: (row: CallbackRow) => Promise<unknown>): Promise<boolean> {
    return await ctx.store.tx(async () => {
      const row = await ctx.store.getCallback(id);
      if (!row || row.state !== expect) {
        this.calls.delete(id);
        return false;
      }
      await fn(row);
      return true;
    });
  }

  /** Ends a simulated call: `expect` → COMPLETED with `reason`, and the simulator forgets it either way. */
  private async finishCall(ctx: EngineCtx, c: SimCall, expect: string, reason: string, details?: Record<string, unknown>): Promise<void> {
    await this.tx(
      ctx,
      c.id,
      expect,
      async (row) => await transition(ctx, row, "COMPLETED", { reason, actor: "simulator", ...(details ? { details } : {}) }),
    );
    this.calls.delete(c.id);
  }

  /** Advances every simulated call to `ctx.now()`. */
  async tick(ctx: EngineCtx): Promise<void> {
    this.nowFn = ctx.now;
    const now = ctx.now();
    const byService = new Map<string, SimCall[]>();
    for (const c of this.calls.values()) {
      let l = byService.get(c.service);
      if (!l) byService.set(c.service, (l = []));
      l.push(c);
    }
    for (const [service, calls] of byService) {
      let cfg: CallbackConfig;
      try {
        cfg = await serviceConfig(ctx.store, service);
      } catch {
        for (const c of calls) this.calls.delete(c.id);
        continue;
      }
      const p = params(cfg);
      const rnd = this.rng(service, p.seed);
      const live = () => calls.filter((c) => this.calls.has(c.id));
      // rings that ended, conversations that ended
      for (const c of calls) {
        if (c.phase === "dialing" && c.nextAt <= now) await this.dialOutcome(ctx, c, p, rnd, now);
        else if (c.phase === "talking" && c.nextAt <= now) {
          await this.finishCall(ctx, c, "PROCESSING", "AGENT_CONNECTED");
        }
      }
      const busy = new Set(
        live()
          .filter((c) => c.agent !== null)
          .map((c) => c.agent!),
      );
      const freeAgent = () => {
        for (let a = 0; a < p.agents; a++) if (!busy.has(a)) return a;
        return -1;
      };
      // customers on the line: the longest waiting gets the next free agent; past
      // _max_time_to_wait_for_agent_on_the_call they are let go (FAIL_AGENT_CONNECT)
      for (const c of live()
        .filter((x) => x.phase === "waiting")
        .sort((x, y) => x.nextAt - y.nextAt)) {
        const agent = freeAgent();
        if (agent >= 0) {
          busy.add(agent);
          await this.connect(ctx, c, agent, p, rnd, now);
        } else if (now >= c.nextAt) {
          await this.finishCall(ctx, c, "ROUTING", "FAIL_AGENT_CONNECT", { cause: "_max_time_to_wait_for_agent_on_the_call" });
        }
      }
      // the queue, oldest first: _urs_queued_ttl, then dialling paced by the agents
      const queued = live()
        .filter((c) => c.phase === "queued")
        .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
      for (const c of queued) {
        if (now - c.enqueuedAt > p.queuedTtlMs) {
          await this.finishCall(ctx, c, "QUEUED", "FAIL_QUEUEING", { cause: "_urs_queued_ttl" });
        }
      }
      const reserveFirst = p.waitForAgent || p.preview;
      for (const c of queued) {
        if (!this.calls.has(c.id)) continue;
        let agent: number | null = null;
        if (reserveFirst) {
          const a = freeAgent();
          if (a < 0) break;
          if (p.preview && p.allowReject && rnd() < p.rejectRate) {
            c.rejects++;
            await this.event(ctx, c, "preview_rejected", { agent: `agent-${a + 1}`, rejects: c.rejects });
            if (c.rejects >= MAX_PREVIEW_REJECTS) {
              await this.finishCall(ctx, c, "QUEUED", `AGENT_PREVIEW_CANCEL_AFTER_${MAX_PREVIEW_REJECTS}REJECTS`);
            }
            continue; // the agent rejected the preview; the callback stays in the queue
          }
          agent = a;
          busy.add(a);
        } else {
          // customer first: dial while lines in progress (ringing + waiting) stay below the free agents plus one
          // (a little over-dialling, as dialers do: now and then a reached customer waits for an agent)
          const inProgress = live().filter((x) => x.phase === "dialing" || x.phase === "waiting").length;
          if (p.agents === 0 || inProgress >= p.agents - busy.size + 1) break;
        }
        c.agent = agent;
        c.reserved = agent !== null;
        c.phase = "dialing";
        c.dialAttempts++;
        c.nextAt = now + p.dialMs * (0.5 + rnd());
        await this.event(ctx, c, "dialing", { attempt: c.dialAttempts, ...(agent !== null ? { agent: `agent-${agent + 1}` } : {}) });
      }
    }
  }

  /** A reporting event that is not a state change (dial attempts, preview rejects). */
  private async event(ctx: EngineCtx, c: SimCall, type: string, details: Record<string, unknown>): Promise<void> {
    await ctx.store.insertEvent({
      time: ctx.now(),
      serviceName: c.service,
      callbackId: c.id,
      type,
      state: null,
      actor: "simulator",
      details,
    });
  }

  /** Customer and agent are connected: ROUTING → PROCESSING. */
  private async connect(ctx: EngineCtx, c: SimCall, agent: number, p: SimParams, rnd: () => number, now: number): Promise<void> {
    if (
      !(await this.tx(
        ctx,
        c.id,
        "ROUTING",
        async (row) => await transition(ctx, row, "PROCESSING", { actor: "simulator", details: { agent: `agent-${agent + 1}` } }),
      ))
    )
      return;
    c.agent = agent;
    c.phase = "talking";
    c.nextAt = now + p.talkMs * (0.5 + rnd());
  }

  private async dialOutcome(ctx: EngineCtx, c: SimCall, p: SimParams, rnd: () => number, now: number): Promise<void> {
    const r = rnd();
    if (r < p.answer) {
      // customer reached: QUEUED → ROUTING, then straight to an agent when one is free (or was reserved)
      if (
        !(await this.tx(
          ctx,
          c.id,
          "QUEUED",
          async (row) =>
            await transition(ctx, row, "ROUTING", { actor: "simulator", details: { outcome: "answered", attempt: c.dialAttempts } }),
        ))
      )
        return;
      c.phase = "waiting";
      c.nextAt = now + p.maxWaitAgentMs;
      if (c.agent !== null) await this.connect(ctx, c, c.agent, p, rnd, now);
      return;
    }
    const outcome = r < p.answer + p.machine ? "answering_machine" : r < p.answer + p.machine + p.busy ? "busy" : "no_answer";
    c.agent = null;
    c.reserved = false;
    if (outcome !== "answering_machine" && c.dialAttempts < MAX_DIAL_ATTEMPTS) {
      await this.event(ctx, c, "dial_failed", { outcome, attempt: c.dialAttempts });
      c.phase = "queued"; // dialled again later, keeping its place (original enqueue time)
      return;
    }
    await this.finishCall(ctx, c, "QUEUED", "FAIL_CALL_TO_CUSTOMER", { outcome, attempts: c.dialAttempts });
  }
}

const g = globalThis as unknown as { __callbackSimulator?: Simulator };
export function simulator(): Simulator {
  return (g.__callbackSimulator ??= new Simulator());
}
export function resetSimulator(): Simulator {
  g.__callbackSimulator = new Simulator();
  return g.__callbackSimulator;
}
