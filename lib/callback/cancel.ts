// Cancel-Callback and the admin cancel of one callback: a cancel goes to execution first
// when execution holds the callback; then COMPLETED with CANCELLED / CANCELLED_BY_ADMIN.
import type { EngineCtx } from "./context";
import { CallbackError, invalidOperation } from "./errors";
import { serviceConfig } from "./config";
import { transition } from "./state";
import { IN_EXECUTION } from "./states";

export interface CancelOpts {
  discardOrsFailure?: boolean;
  reason?: "CANCELLED" | "CANCELLED_BY_ADMIN";
}

export async function cancelCallback(ctx: EngineCtx, id: string, opts: CancelOpts = {}): Promise<void> {
  const row = await ctx.store.getCallback(id);
  if (!row) throw new CallbackError(40030, `No such request to cancel : [${id}]`);
  if (row.state === "COMPLETED") throw invalidOperation(`Request already cancelled or completed : [${id}]`);
  if (IN_EXECUTION.has(row.state) && !row.external) {
    let cfg;
    try {
      cfg = await serviceConfig(ctx.store, row.service_name);
    } catch {
      cfg = undefined;
    }
    if (cfg) {
      try {
        await ctx.execution.cancel(row, cfg);
      } catch (e) {
        if (!opts.discardOrsFailure)
          throw new CallbackError(50030, `Cancel of callback ${id} failed in execution: ${(e as Error).message}`);
      }
    }
  }
  await ctx.store.tx(async () => {
    const fresh = await ctx.store.getCallback(id);
    if (!fresh || fresh.state === "COMPLETED") throw invalidOperation(`Request already cancelled or completed : [${id}]`);
    await transition(ctx, fresh, "COMPLETED", { reason: opts.reason ?? "CANCELLED", type: "cancelled" });
  });
}
