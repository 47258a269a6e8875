// Sign-in throttling (console form and admin API Basic auth): attempts per user name and per client address,
// with lockouts that double while they repeat (docs/security.md). In memory; with several server processes under
// `npm start` (WORKERS) the counts live in the cluster primary (RateLimiterCluster), so every worker shares them.
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
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

/** In this process, or (one of several server processes) in the cluster primary under `keyPrefix`. */
function limiter(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  return workerSlot() ? new RateLimiterCluster({ keyPrefix, points, duration }) : new RateLimiterMemory({ keyPrefix, points, duration });
}

/** Counts attempts per key; past the limit the key is locked out for a doubling time. */
export class BackoffLimiter {
  private readonly attempts: RateLimiterAbstract;
  private readonly strikes: RateLimiterAbstract;

  /** `name` tells the limiters apart in the cluster primary (one per rule). */
  constructor(
    private readonly rule: BackoffRule,
    name = "signin",
  ) {
    this.attempts = limiter(`${name}-attempts`, rule.points, rule.windowS);
    this.strikes = limiter(`${name}-strikes`, Number.MAX_SAFE_INTEGER, rule.strikeMemoryS);
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
  private readonly users = new BackoffLimiter(USER_RULE, "signin-user");
  private readonly addresses = new BackoffLimiter(ADDRESS_RULE, "signin-address");

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
const userKey = (username: string) => username.slice(0, 64);

const g = globalThis as unknown as { __signInThrottle?: SignInThrottle };
/** The process-wide throttle (shared by the Next.js route modules). */
export const signInThrottle = (): SignInThrottle => (g.__signInThrottle ??= new SignInThrottle());
