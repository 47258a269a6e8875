// The execution port: where QUEUED callbacks are handed over. `builtin` = the embedded call-center
// simulator, `ors` = an external engine over HTTP. Every writer reaches execution only through this module.
import type { CallbackRow } from "../../db/store";
import { execOptions, type CallbackConfig } from "../callback/config";
import { optText } from "../callback/options";
import { toRecord } from "../callback/record";
import { simulator } from "./simulator";
import { orsSubmit, orsCancel } from "./ors";

export interface SubmitResult {
  sessionId?: string;
}

export interface ExecutionEngine {
  /** Hands a callback over. Throws on failure (timeout, non-2xx, engine down). */
  submit(row: CallbackRow, cfg: CallbackConfig, attempt: number): Promise<SubmitResult>;
  /** Cancels a handed-over callback. Throws on failure. */
  cancel(row: CallbackRow, cfg: CallbackConfig): Promise<void>;
}

const builtin: ExecutionEngine = {
  async submit(row) {
    return { sessionId: simulator().accept(row) };
  },
  async cancel(row) {
    simulator().drop(row.id);
  },
};

// The engine URL and the options sent are the ones fixed at start (request overrides and $token$s resolved once);
// a callback's free-form properties never choose where the server connects.
const orsUrl = (options: Record<string, unknown>) => optText(options, "_ors");

const ors: ExecutionEngine = {
  submit(row, cfg) {
    const options = execOptions(row, cfg);
    return orsSubmit(orsUrl(options), toRecord(row, false), options, cfg.adminUrls);
  },
  cancel: (row, cfg) => orsCancel(orsUrl(execOptions(row, cfg)), row.id, cfg.adminUrls),
};

let override: ExecutionEngine | null = null;
/** Tests: replace every engine with one double (e.g. a counting engine). */
export function setEngineOverride(e: ExecutionEngine | null): void {
  override = e;
}

export function engineFor(cfg: CallbackConfig): ExecutionEngine {
  return override ?? (cfg.type === "ors" ? ors : builtin);
}

/** Whether callbacks of this service are executed by the embedded simulator. */
export const usesSimulator = (cfg: CallbackConfig) => engineFor(cfg) === builtin;
