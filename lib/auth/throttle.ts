// Sign-in throttling (console form and admin API Basic auth): attempts per user name and per client address,
// with lockouts that double while they repeat (docs/security.md). Where the counts live follows the store: on
// PostgreSQL in the database, shared by every server (CallbackStore.sharedLimiter); on SQLite in memory, and with
// several server processes under `npm start` (WORKERS) in the cluster primary (RateLimiterCluster), so every
// worker of the machine shares them.
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { CallbackStore, SharedLimiterOptions } from "../../db/callback-store";
import { getStore } from "../../db/store";
import { workerSlot } from "../ops/workers";

export interface BackoffRule {
  /** Attempts allowed per window; the next one is refused and starts a lockout. */
  points: number;
  windowS: number;
  /** First lockout; each further lockout within `strikeMemoryS` doubles it, up to `maxBlockS`. */
  baseBlockS: number;
  maxBlockS: number;
  strikeMemoryS: number;
}

const MIN = 60,
  HOUR = 3600;
export const USER_RULE: BackoffRule = { points: 5, windowS: 15 * MIN, baseBlockS: MIN, maxBlockS: HOUR, strikeMemoryS: 24 * HOUR };
export const ADDRESS_RULE: BackoffRule = {
  points: 20,
  windowS: 15 * MIN,
  baseBlockS: 15 * MIN,
  maxBlockS: 4 * HOUR,
  strikeMemoryS: 24 * HOUR,
};

/** Makes the limiters of a throttle: where their counts are kept. */
export type LimiterFactory = (opts: SharedLimiterOptions) => RateLimiterAbstract;

/** In this process, or (one of several server processes) in the cluster primary under `keyPrefix`. */
export const machineLimiter: LimiterFactory = (opts) => (workerSlot() ? new RateLimiterCluster(opts) : new RateLimiterMemory(opts));

/** The store's shared limiter where it has one (PostgreSQL), else this machine's. */
export const limiterFor =
  (store: CallbackStore): LimiterFactory =>
  (opts) =>
    store.sharedLimiter(opts) ?? machineLimiter(opts);

/** Counts attempts per key; past the limit the key is locked out for a doubling time. */
export class BackoffLimiter {
  private readonly attempts: RateLimiterAbstract;
  private readonly strikes: RateLimiterAbstract;

  /** `name` tells the limiters apart where their counts are kept (one per rule). */
  constructor(
    private readonly rule: BackoffRule,
    name = "signin",
    make: LimiterFactory = machineLimiter,
  ) {
    this.attempts = make({ keyPrefix: `${name}-attempts`, points: rule.points, duration: rule.windowS });
    // strikes only grow (penalty); the limit is never reached (a 32-bit count, as PostgreSQL's column holds)
    this.strikes = make({ keyPrefix: `${name}-strikes`, points: 2 ** 31 - 1, duration: rule.strikeMemoryS });
  }

  /** Counts one attempt. Answers 0 to go on, else the seconds until the key may try again. */
  async hit(key: string): Promise<number> {
    try {
      await this.attempts.consume(key);
      return 0;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      // exactly one over the limit: this attempt starts a lockout; further ones only learn how long it lasts
      if (e.consumedPoints !== this.rule.points + 1) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      const strike = (await this.strikes.penalty(key)).consumedPoints;
      const seconds = Math.min(this.rule.baseBlockS * 2 ** Math.min(strike - 1, 30), this.rule.maxBlockS);
      await this.attempts.block(key, seconds);
      return seconds;
    }
  }

  /** Forgets the key's attempts (a success); lockouts already served still count towards the next one's length. */
  async reset(key: string): Promise<void> {
    await this.attempts.delete(key);
  }

  /** Gives one attempt back (a success that should not count against a shared key). */
  async refund(key: string): Promise<void> {
    await this.attempts.reward(key, 1);
  }
}

/** Per-user and per-address limits together; an attempt must pass both. */
export class SignInThrottle {
  private readonly users: BackoffLimiter;
  private readonly addresses: BackoffLimiter;

  constructor(make: LimiterFactory = machineLimiter) {
    this.users = new BackoffLimiter(USER_RULE, "signin-user", make);
    this.addresses = new BackoffLimiter(ADDRESS_RULE, "signin-address", make);
  }

  /** Counts one sign-in attempt before the password is checked (so parallel guesses are counted too). */
  async attempt(username: string, address: string): Promise<number> {
    const [u, a] = await Promise.all([this.users.hit(userKey(username)), this.addresses.hit(address)]);
    return Math.max(u, a);
  }

  /** The password was right: the user's count starts over and the address gets its attempt back. */
  async succeeded(username: string, address: string): Promise<void> {
    await Promise.all([this.users.reset(userKey(username)), this.addresses.refund(address)]);
  }
}

// User names are at most 64 characters; longer guesses share a key rather than grow the map without bound.
// U+0000 (which PostgreSQL text cannot hold) becomes U+FFFD: a merged key only counts two odd names together
const userKey = (username: string) => username.slice(0, 64).replaceAll("\0", "\uFFFD");

const g = globalThis as unknown as { __signInThrottle?: { store: CallbackStore; throttle: SignInThrottle } };
/** The process-wide throttle of the store's limits (shared by the Next.js route modules). */
export function signInThrottle(store: CallbackStore = getStore()): SignInThrottle {
  if (g.__signInThrottle?.store !== store) g.__signInThrottle = { store, throttle: new SignInThrottle(limiterFor(store)) };
  return g.__signInThrottle.throttle;
}
