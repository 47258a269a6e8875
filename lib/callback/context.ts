// What every engine verb receives: the store, the clock (injected, so tests pin time), the actor, and the port to
// execution. The engine decides when a callback goes to execution; execution decides how (lib/execution), and
// the engine never imports it: the composition root (lib/runtime.ts, or a test's context) plugs it in.
import type { CallbackRow, CallbackStore } from "../../db/callback-store";
import type { CallbackConfig } from "./config";

export interface ExecutionPort {
  /** Hands a stored immediate callback over now. Throws 50006 when every attempt failed (the callback is COMPLETED). */
  handOffNow(ctx: EngineCtx, id: string, cfg: CallbackConfig): Promise<void>;
  /** Forwards a cancel to the execution that holds the callback. Throws when execution refuses or cannot be reached. */
  cancel(row: CallbackRow, cfg: CallbackConfig): Promise<void>;
}

export interface EngineCtx {
  store: CallbackStore;
  now: () => number;
  actor?: string;
  execution: ExecutionPort;
}
