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

export function pgPool(url: string, options: Omit<pg.PoolConfig, "connectionString" | "types"> = {}): pg.Pool {
  return new pg.Pool({ ...options, connectionString: url, types: pgTypes });
}
