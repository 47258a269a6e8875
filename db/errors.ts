// What a driver error means for the caller, for both stores: the edge turns a fault of the database into a clean
// GMS answer instead of a 500 with the driver's text.
/** PostgreSQL text cannot hold U+0000 (SQLSTATE 22021/22P05); the edge refuses it first, this is the backstop. */
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

export type StorageFault = "unstorable-text" | "unavailable";

/**
 * "unavailable": the database is busy, gone or out of resources (SQLITE_*; PostgreSQL connection, shutdown and
 * resource classes 08, 53, 57P0x; a refused or reset socket) — worth a retry. "unstorable-text": a value the
 * database cannot hold. null: not a storage fault (a bug, answered as one).
 */
export function storageFault(e: unknown): StorageFault | null {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== "string") return null;
  if (code.startsWith("SQLITE_")) return "unavailable";
  if (UNSTORABLE_TEXT.has(code)) return "unstorable-text";
  if (/^(08|53|57P0)/.test(code) || code === "ECONNREFUSED" || code === "ECONNRESET") return "unavailable";
  return null;
}
