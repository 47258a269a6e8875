// The scheduler loop, embedded in the server process. A lease row in the database makes sure only
// one process runs it; a crash loses nothing (every step is driven by `due_at` in the database).
// Each tick: hand due callbacks to execution, retry failed hand-offs, expire (_ttl), purge, pause/resume,
// advance the simulator and send status notifications.
import { randomUUID } from "node:crypto";
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "../callback/context";
import { serviceConfig, type CallbackConfig } from "../callback/config";
import { transition, dueAtFor } from "../callback/state";
import { engineFor, usesSimulator } from "./engine";
import { IN_EXECUTION } from "../callback/states";
import { handOffOnce, handOffBatchInProcess } from "./handoff";
import { simulator } from "./simulator";
import { sendNotifications } from "./notifier";
import { log } from "../ops/logger";

const LEASE_NAME = "scheduler";

export interface SchedulerOptions {
  holder?: string;
  leaseMs?: number;
  batch?: number;
  /** Max hand-offs in flight at once (HTTP engines). */
  concurrency?: number;
}

export interface TickStats {
  active: boolean;
  handedOff: number;
  expired: number;
  purged: number;
  paused: number;
  resumed: number;
  retried: number;
  failed: number;
}

export class Scheduler {
  readonly holder: string;
  private leaseMs: number;
  private batch: number;
  private concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  /** The tick the loop is running, if any: the next is skipped while it runs, and stop() waits for it. */
  private current: Promise<void> | null = null;
  /** The newest hand-off event the simulator has taken on; null while this process does not hold the lease. */
  private seenEvent: number | null = null;
  private lastPrune = 0;
  private leaseUntil = 0;

  constructor(
    private ctx: EngineCtx,
    opts: SchedulerOptions = {},
  ) {
    this.holder = opts.holder ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
    this.leaseMs = opts.leaseMs ?? 10_000;
    this.batch = opts.batch ?? 2000;
    this.concurrency = opts.concurrency ?? 64;
  }

  /** Takes or renews the lease; false when another live holder has it. */
  async acquireLease(): Promise<boolean> {
    const now = this.ctx.now();
    const ok = await this.ctx.store.acquireLease(LEASE_NAME, this.holder, now, this.leaseMs);
    this.leaseUntil = ok ? now + this.leaseMs : 0;
    return ok;
  }

  /**
   * Renews the lease in the middle of a long tick (a slow engine, a burst of thousands) once a third of it has
   * gone, so that no other server takes over while this one still hands over; false once another holds it.
   */
  private async keepLease(): Promise<boolean> {
    if (this.leaseUntil - this.ctx.now() > (this.leaseMs * 2) / 3) return true;
    return await this.acquireLease();
  }

  /** This process holds the lease (taken or renewed by its last tick, not yet lapsed or released). */
  holdsLease(): boolean {
    return this.ctx.now() < this.leaseUntil;
  }

  async releaseLease(): Promise<void> {
    this.leaseUntil = 0;
    await this.ctx.store.releaseLease(LEASE_NAME, this.holder);
  }

  /** One pass. Safe to call repeatedly; does nothing without the lease. */
  async tick(): Promise<TickStats> {
    const stats: TickStats = { active: false, handedOff: 0, expired: 0, purged: 0, paused: 0, resumed: 0, retried: 0, failed: 0 };
    if (!(await this.acquireLease())) {
      this.seenEvent = null;
      return stats;
    }
    stats.active = true;
    const ctx = this.ctx;
    if (this.seenEvent === null) {
      // the lease was just taken: the simulator starts from the database
      this.seenEvent = await ctx.store.maxEventId();
      await simulator().adopt(ctx, usesSimulator);
    } else {
      // immediate hand-offs other server processes made since (WORKERS): only this process advances the simulator
      for (let more = true; more;) {
        const events = await ctx.store.handoffEventsSince(this.seenEvent, 1000);
        for (const e of events) await simulator().pickUp(ctx, e.callbackId, usesSimulator);
        if (events.length) this.seenEvent = events[events.length - 1].id;
        more = events.length === 1000;
      }
    }
    const configs = new Map<string, CallbackConfig | null>();
    const cfgOf = async (name: string) => {
      if (!configs.has(name)) {
        try {
          configs.set(name, await serviceConfig(ctx.store, name));
        } catch {
          configs.set(name, null);
        }
      }
      return configs.get(name)!;
    };
    await this.pauseResume(cfgOf, stats);
    const now = ctx.now();
    const due = await ctx.store.dueCallbacks(now, this.batch);
    const handoffs: Array<{ id: string; cfg: CallbackConfig }> = [];
    for (const row of due) {
      const cfg = await cfgOf(row.service_name);
      if (row.state !== "COMPLETED" && now >= row.expiration_time) {
        await this.expire(row, cfg);
        stats.expired++;
      } else if (row.state === "COMPLETED") {
        await ctx.store.purgeCompleted(row.id, now);
        stats.purged++;
      } else if ((row.state === "SCHEDULED" || (row.state === "QUEUED" && !row.handed_off)) && !row.external && cfg) {
        if (cfg.paused && row.state === "QUEUED") {
          await ctx.store.tx(async () => {
            const f = await ctx.store.getCallback(row.id);
            if (f?.state === "QUEUED") await transition(ctx, f, "PAUSED", { actor: "scheduler" });
          });
          stats.paused++;
        } else handoffs.push({ id: row.id, cfg });
      } else {
        // nothing to do yet: recompute when to look again (keeps the loop from spinning on a row)
        await ctx.store.tx(async () => {
          const f = await ctx.store.getCallback(row.id);
          if (!f || f.version !== row.version) return;
          f.due_at = await dueAtFor(ctx, f, cfg?.bufferMs ?? 0);
          if (f.due_at !== null && f.due_at <= now) f.due_at = now + 60_000;
          await ctx.store.setDueAt(f.id, f.due_at);
        });
      }
    }
    // hand-offs: simulator ones in batched transactions; HTTP ones with bounded concurrency
    const local = handoffs.filter((h) => usesSimulator(h.cfg)).map((h) => h.id);
    for (let k = 0; k < local.length && (await this.keepLease()); k += 500)
      stats.handedOff += await handOffBatchInProcess(ctx, local.slice(k, k + 500), cfgOf, (row) => simulator().accept(row));
    const remote = handoffs.filter((h) => !usesSimulator(h.cfg));
    let i = 0;
    const worker = async () => {
      // the list was read at the start of the tick: each claim checks the row is still due, and the whole stops
      // once the lease is lost, so a server that took over meanwhile is never doubled
      while (i < remote.length) {
        if (!(await this.keepLease()) || i >= remote.length) return; // another worker may have taken the last one meanwhile
        const h = remote[i++];
        const out = await handOffOnce(ctx, h.id, h.cfg, { dueOnly: true });
        if (out === "ok") stats.handedOff++;
        else if (out === "retry") stats.retried++;
        else if (out === "failed") stats.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, remote.length) }, worker));
    await simulator().tick(ctx);
    // notifications leave only while this process holds the lease: a tick that outlasted it (a slow engine) would
    // otherwise send them beside the server that took over. Renewed here, the lease outlasts the send (5 s timeouts).
    if (await this.acquireLease()) await sendNotifications(ctx);
    if (now - this.lastPrune > 3600_000) {
      this.lastPrune = now;
      await ctx.store.pruneCreationCounts(now - 2 * 864e5);
    }
    return stats;
  }

  private async expire(row: CallbackRow, cfg: CallbackConfig | null): Promise<void> {
    const ctx = this.ctx;
    if (cfg && IN_EXECUTION.has(row.state) && !row.external)
      await engineFor(cfg)
        .cancel(row, cfg)
        .catch(() => {});
    await ctx.store.tx(async () => {
      const f = await ctx.store.getCallback(row.id);
      if (f && f.state !== "COMPLETED") await transition(ctx, f, "COMPLETED", { reason: "FAIL_TIMEOUT_TTL", actor: "scheduler" });
    });
  }

  /** `_paused` services: QUEUED → PAUSED (execution drops them); resumed services: PAUSED → QUEUED. */
  private async pauseResume(cfgOf: (n: string) => Promise<CallbackConfig | null>, stats: TickStats): Promise<void> {
    const ctx = this.ctx;
    // only services that are paused, or that still hold PAUSED callbacks, are looked at (cheap when none)
    const paused: string[] = [];
    for (const s of await ctx.store.listServices()) if (s.kind === "callback" && (await cfgOf(s.name))?.paused) paused.push(s.name);
    const holding = await ctx.store.servicesWithPausedCallbacks();
    for (const name of new Set([...paused, ...holding])) {
      const cfg = await cfgOf(name);
      if (!cfg) continue;
      const state = cfg.paused ? "QUEUED" : "PAUSED";
      const rows = await ctx.store.localCallbacksInState(name, state, 5000);
      for (const row of rows) {
        if (cfg.paused) {
          if (!row.handed_off) continue; // not yet with execution: the hand-off path pauses it
          await engineFor(cfg)
            .cancel(row, cfg)
            .catch(() => {});
          await ctx.store.tx(async () => {
            const f = await ctx.store.getCallback(row.id);
            if (f?.state === "QUEUED") await transition(ctx, f, "PAUSED", { actor: "scheduler" });
          });
          stats.paused++;
        } else {
          await ctx.store.tx(async () => {
            const f = await ctx.store.getCallback(row.id);
            if (f?.state === "PAUSED") await transition(ctx, f, "QUEUED", { actor: "scheduler" });
          });
          stats.resumed++;
        }
      }
    }
  }

  start(intervalMs = 250): void {
    if (this.timer) return;
    const loop = () => {
      if (this.current) return;
      this.current = this.tick()
        .then(
          () => {},
          (e: unknown) => log().error({ err: e }, "scheduler tick failed"),
        )
        .finally(() => (this.current = null));
    };
    this.timer = setInterval(loop, intervalMs);
    this.timer.unref();
  }

  /**
   * Stops the loop; with `release`, hands the lease back once the tick in flight has finished. Released earlier,
   * another server would take over while that tick still hands over and notifies (the same notification sent by
   * both), or the tick would renew the lease just released and leave it to lapse.
   */
  async stop(release = true): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
    if (release) await this.releaseLease();
  }
}

const g = globalThis as unknown as { __callbackScheduler?: Scheduler };
export function startScheduler(ctx: EngineCtx): Scheduler {
  if (!g.__callbackScheduler) {
    g.__callbackScheduler = new Scheduler(ctx);
    g.__callbackScheduler.start();
  }
  return g.__callbackScheduler;
}
