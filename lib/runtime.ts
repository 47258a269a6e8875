// The composition root of the running server: the engine context over the process-wide store, the real clock and
// the configured execution.
import { getStore } from "../db/store";
import type { EngineCtx } from "./callback/context";
import { now } from "./clock";
import { executionPort } from "./execution/port";

export function defaultCtx(actor?: string): EngineCtx {
  return { store: getStore(), now, actor, execution: executionPort };
}
