// Password hashing with Node's scrypt (memory-hard, no native dependency). Format: scrypt$N$r$p$salt$hash (base64url).
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";

const N = 16384,
  R = 8,
  P = 1,
  LEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

// At most this many checks hash at once, leaving a core to the event loop: a flood of guesses then waits its
// turn instead of starving every other request of CPU.
const MAX_PARALLEL = Math.max(1, availableParallelism() - 1);
let running = 0;
const waiting: Array<() => void> = [];

async function scryptAsync(password: string, salt: Buffer, len: number, opts: ScryptOptions): Promise<Buffer> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  else running++;
  try {
    return await new Promise((resolve, reject) => scrypt(password, salt, len, opts, (e, key) => (e ? reject(e) : resolve(key))));
  } finally {
    // hand the slot straight to the next waiter (running stays the same), or free it
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function parse(stored: string) {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return null;
  const opts = { N: Number(n), r: Number(r), p: Number(p) };
  return { salt: Buffer.from(salt, "base64url"), expected: Buffer.from(hash, "base64url"), opts };
}

/**
 * Checks a password on libuv's thread pool, never on the event loop: ~50 ms of scrypt per check would
 * otherwise stall every request while sign-in guesses arrive.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h) return false;
  const actual = await scryptAsync(password, h.salt, h.expected.length, h.opts);
  return actual.length === h.expected.length && timingSafeEqual(actual, h.expected);
}

/** Synchronous check, for start-up only (the first admin), before any request is served. */
export function verifyPasswordSync(password: string, stored: string): boolean {
  const h = parse(stored);
  if (!h) return false;
  const actual = scryptSync(password, h.salt, h.expected.length, h.opts);
  return actual.length === h.expected.length && timingSafeEqual(actual, h.expected);
}

/** A readable random password (for the generated first admin). */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
