// The scheduler loop, embedded in the server process. A lease row in the database makes sure only
// one process runs it; a crash loses nothing (every step is driven by `due_at` in the database).
// Each tick: hand due callbacks to execution, retry failed hand-offs, expire (_ttl), purge, pause/resume,
// advance the simulator and send status notifications.
import { randomUUID } from "node:crypto";
import type { CallbackRow } from "../../db/store";
import type { EngineCtx } from "../callback/context";
import { serviceConfig, type CallbackConfig } from "../callback/config";
import { transition, dueAtFor } from "../callback/state";
import { engineFor, IN_EXECUTION, usesSimulator } from "./engine";
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
  private running = false;
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
  acquireLease(): boolean {
    const now = this.ctx.now();
    const r = this.ctx.store
      .stmt(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
      )
      .run(LEASE_NAME, this.holder, now + this.leaseMs, now);
    this.leaseUntil = r.changes > 0 ? now + this.leaseMs : 0;
    return r.changes > 0;
  }

  /** This process holds the lease (taken or renewed by its last tick, not yet lapsed or released). */
  holdsLease(): boolean {
    return this.ctx.now() < this.leaseUntil;
  }

  releaseLease(): void {
    this.leaseUntil = 0;
    this.ctx.store.stmt("DELETE FROM leases WHERE name = ? AND holder = ?").run(LEASE_NAME, this.holder);
  }

  /** One pass. Safe to call repeatedly; does nothing without the lease. */
  async tick(): Promise<TickStats> {
    const stats: TickStats = { active: false, handedOff: 0, expired: 0, purged: 0, paused: 0, resumed: 0, retried: 0, failed: 0 };
    if (!this.acquireLease()) {
      this.seenEvent = null;
      return stats;
    }
    stats.active = true;
    const ctx = this.ctx;
    if (this.seenEvent === null) {
      // the lease was just taken: the simulator starts from the database
      this.seenEvent = ctx.store.lastEventId();
      simulator().adopt(ctx, usesSimulator);
    } else {
      // immediate hand-offs other server processes made since (WORKERS): only this process advances the simulator
      for (let more = true; more;) {
        const events = ctx.store.handoffEventsSince(this.seenEvent, 1000);
        for (const e of events) simulator().pickUp(ctx, e.callbackId, usesSimulator);
        if (events.length) this.seenEvent = events[events.length - 1].id;
        more = events.length === 1000;
      }
    }
    const configs = new Map<string, CallbackConfig | null>();
    const cfgOf = (name: string) => {
      if (!configs.has(name)) {
        try {
          configs.set(name, serviceConfig(ctx.store, name));
        } catch {
          configs.set(name, null);
        }
      }
      return configs.get(name)!;
    };
    await this.pauseResume(cfgOf, stats);
    const now = ctx.now();
    // every state, so the (state, due_at) index serves the scan as six ranges
    const due = ctx.store.queryCallbacks(
      "state IN ('SCHEDULED','QUEUED','ROUTING','PROCESSING','PAUSED','COMPLETED') AND due_at <= ?",
      [now],
      `ORDER BY due_at LIMIT ${this.batch}`,
    );
    const handoffs: Array<{ id: string; cfg: CallbackConfig }> = [];
    for (const row of due) {
      const cfg = cfgOf(row.service_name);
      if (row.state !== "COMPLETED" && now >= row.expiration_time) {
        await this.expire(row, cfg);
        stats.expired++;
      } else if (row.state === "COMPLETED") {
        ctx.store.stmt("DELETE FROM callbacks WHERE id = ? AND state = 'COMPLETED' AND due_at <= ?").run(row.id, now);
        stats.purged++;
      } else if ((row.state === "SCHEDULED" || (row.state === "QUEUED" && !row.handed_off)) && !row.external && cfg) {
        if (cfg.paused && row.state === "QUEUED") {
          ctx.store.tx(() => {
            const f = ctx.store.getCallback(row.id);
            if (f?.state === "QUEUED") transition(ctx, f, "PAUSED", { actor: "scheduler" });
          });
          stats.paused++;
        } else handoffs.push({ id: row.id, cfg });
      } else {
        // nothing to do yet: recompute when to look again (keeps the loop from spinning on a row)
        ctx.store.tx(() => {
          const f = ctx.store.getCallback(row.id);
          if (!f || f.version !== row.version) return;
          f.due_at = dueAtFor(ctx, f, cfg?.bufferMs ?? 0);
          if (f.due_at !== null && f.due_at <= now) f.due_at = now + 60_000;
          ctx.store.stmt("UPDATE callbacks SET due_at = ? WHERE id = ?").run(f.due_at, f.id);
        });
      }
    }
    // hand-offs: simulator ones in batched transactions; HTTP ones with bounded concurrency
    const local = handoffs.filter((h) => usesSimulator(h.cfg)).map((h) => h.id);
    for (let k = 0; k < local.length; k += 500)
      stats.handedOff += handOffBatchInProcess(ctx, local.slice(k, k + 500), cfgOf, (row) => simulator().accept(row));
    const remote = handoffs.filter((h) => !usesSimulator(h.cfg));
    let i = 0;
    const worker = async () => {
      while (i < remote.length) {
        const h = remote[i++];
        const out = await handOffOnce(ctx, h.id, h.cfg);
        if (out === "ok") stats.handedOff++;
        else if (out === "retry") stats.retried++;
        else if (out === "failed") stats.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, remote.length) }, worker));
    simulator().tick(ctx);
    await sendNotifications(ctx);
    if (now - this.lastPrune > 3600_000) {
      this.lastPrune = now;
      ctx.store.pruneCreationCounts(now - 2 * 864e5);
    }
    return stats;
  }

  private async expire(row: CallbackRow, cfg: CallbackConfig | null): Promise<void> {
    const ctx = this.ctx;
    if (cfg && IN_EXECUTION.has(row.state) && !row.external)
      await engineFor(cfg)
        .cancel(row, cfg)
        .catch(() => {});
    ctx.store.tx(() => {
      const f = ctx.store.getCallback(row.id);
      if (f && f.state !== "COMPLETED") transition(ctx, f, "COMPLETED", { reason: "FAIL_TIMEOUT_TTL", actor: "scheduler" });
    });
  }

  /** `_paused` services: QUEUED → PAUSED (execution drops them); resumed services: PAUSED → QUEUED. */
  private async pauseResume(cfgOf: (n: string) => CallbackConfig | null, stats: TickStats): Promise<void> {
    const ctx = this.ctx;
    // only services that are paused, or that still hold PAUSED callbacks, are looked at (cheap when none)
    const paused = ctx.store
      .listServices()
      .filter((s) => s.kind === "callback" && cfgOf(s.name)?.paused)
      .map((s) => s.name);
    const holding = ctx.store.stmt("SELECT DISTINCT service_name FROM callbacks WHERE state = 'PAUSED'").pluck().all() as string[];
    for (const name of new Set([...paused, ...holding])) {
      const cfg = cfgOf(name);
      if (!cfg) continue;
      const state = cfg.paused ? "QUEUED" : "PAUSED";
      const rows = ctx.store.queryCallbacks("service_name = ? AND state = ? AND external = 0", [name, state], "LIMIT 5000");
      for (const row of rows) {
        if (cfg.paused) {
          if (!row.handed_off) continue; // not yet with execution: the hand-off path pauses it
          await engineFor(cfg)
            .cancel(row, cfg)
            .catch(() => {});
          ctx.store.tx(() => {
            const f = ctx.store.getCallback(row.id);
            if (f?.state === "QUEUED") transition(ctx, f, "PAUSED", { actor: "scheduler" });
          });
          stats.paused++;
        } else {
          ctx.store.tx(() => {
            const f = ctx.store.getCallback(row.id);
            if (f?.state === "PAUSED") transition(ctx, f, "QUEUED", { actor: "scheduler" });
          });
          stats.resumed++;
        }
      }
    }
  }

  start(intervalMs = 250): void {
    if (this.timer) return;
    const loop = async () => {
      if (this.running) return;
      this.running = true;
      try {
        await this.tick();
      } catch (e) {
        log().error({ err: e }, "scheduler tick failed");
      } finally {
        this.running = false;
      }
    };
    this.timer = setInterval(loop, intervalMs);
    this.timer.unref();
  }

  stop(release = true): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (release) this.releaseLease();
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
