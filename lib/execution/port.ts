// Execution as the engine sees it (the ExecutionPort of lib/callback/context.ts): the request path's hand-off and
// the forwarded cancel, each through the engine configured for the service.
import type { ExecutionPort } from "../callback/context";
import { engineFor } from "./engine";
import { handOffImmediate } from "./handoff";

export const executionPort: ExecutionPort = {
  handOffNow: async (ctx, id, cfg) => await handOffImmediate(ctx, id, cfg),
  cancel: (row, cfg) => engineFor(cfg).cancel(row, cfg),
};
