// Check queue position: position among QUEUED callbacks of the service by original
// enqueue time; EWT from the observed handling rate.
import type { EngineCtx } from "./context";
import { CallbackError, invalidOperation } from "./errors";
import { serviceConfig } from "./config";
import { ewtSeconds } from "./ewt";
import { iso } from "./time";

export function queuePosition(ctx: EngineCtx, id: string) {
  const row = ctx.store.getCallback(id);
  if (!row) throw new CallbackError(40030, `Callback ${id} cannot be found`);
  if (row.state !== "QUEUED") throw invalidOperation(`Callback ${id} is not queued. State=${row.state}`);
  const cfg = serviceConfig(ctx.store, row.service_name);
  const enq = row.enqueued_at ?? row.time_scheduled;
  const ahead = (
    ctx.store
      .stmt(
        "SELECT count(*) AS n FROM callbacks WHERE service_name = ? AND state = 'QUEUED' AND (coalesce(enqueued_at, time_scheduled) < ? " +
          "OR (coalesce(enqueued_at, time_scheduled) = ? AND id < ?))",
      )
      .get(row.service_name, enq, enq, row.id) as { n: number }
  ).n;
  const position = ahead + 1;
  const now = ctx.now();
  const ewt = ewtSeconds(ctx.store, row.service_name, position, now);
  return {
    _position: position,
    _total_waiting: ctx.store.countInState(row.service_name, "QUEUED"),
    _eta: iso(now + ewt * 1000),
    ewt,
    // the agent-ready threshold: the callback is expected to reach an agent within the execution buffer
    _agent_ready_threshold_passed: ewt * 1000 <= cfg.bufferMs,
  };
}
