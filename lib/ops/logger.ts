// Structured logs: JSON lines on stdout (pino), one per request and one per engine warning; human-readable in
// development (pino-pretty, in-process: no worker thread to bundle). Phone numbers and secrets are never logged
// unless LOG_PII=true (README "Operations").
import pino, { type Logger } from "pino";

const level = process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info");

function create(): Logger {
  if (process.env.NODE_ENV !== "production" && process.env.LOG_PRETTY !== "false" && process.stdout.isTTY) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dev dependency, loaded only here
    const pretty = require("pino-pretty") as (o: object) => NodeJS.WritableStream;
    return pino({ level }, pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l" }));
  }
  // lines are buffered (4 KiB) and written asynchronously, not one write(2) per request on the request's turn;
  // pino flushes the buffer when the process exits
  const out = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, out);
}

const g = globalThis as unknown as { __callbackLogger?: Logger };
/** The process-wide logger (one for every bundle of the server). */
export const log = (): Logger => (g.__callbackLogger ??= create());

/** Replaces the process-wide logger (tests read what is logged). */
export function setLogger(logger: Logger): void {
  g.__callbackLogger = logger;
}

export const LOG_PII = () => process.env.LOG_PII === "true";
