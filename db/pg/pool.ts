// node-postgres pools for the PostgreSQL store. BIGINT (int8) columns hold epoch milliseconds, ids and counts:
// this pool returns them as JS numbers, as better-sqlite3 does, instead of pg's default strings. The parser is
// set on our pools only, never on pg's process-wide defaults.
import pg from "pg";

const INT8_OID = 20;

function int8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} does not fit a JS number`);
  return n;
}

const getTypeParser = ((oid: number, format?: "text" | "binary") =>
  oid === INT8_OID && format !== "binary" ? int8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

export const pgTypes: pg.CustomTypesConfig = { getTypeParser };

/**
 * A pool on `url`. An idle connection that fails (PostgreSQL restarted, failed over, or ended it) is reported to
 * `onIdleError` and dropped; the pool opens a new one when next needed. Without a listener node-postgres would
 * raise it as an unhandled 'error' event and end the process.
 */
export function pgPool(
  url: string,
  options: Omit<pg.PoolConfig, "connectionString" | "types"> = {},
  onIdleError: (e: Error) => void = (e) =>
    console.error(`postgresql: an idle connection failed (${e.message}); it is replaced when needed`),
): pg.Pool {
  const pool = new pg.Pool({ ...options, connectionString: url, types: pgTypes });
  pool.on("error", onIdleError);
  return pool;
}
