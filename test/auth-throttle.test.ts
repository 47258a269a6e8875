import { describe, it, expect, beforeEach, afterEach, vi } from "vitest";
import { BackoffLimiter, SignInThrottle, USER_RULE, ADDRESS_RULE } from "../lib/auth/throttle";
import { signIn } from "../lib/auth/users";
import { hashPassword } from "../lib/auth/passwords";
import { freshEngine } from "./helpers";

// The limiter keeps its windows with Date.now and setTimeout: both are pinned and moved by hand here.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  vi.setSystemTime(Date.parse("2026-06-01T12:00:00Z"));
});
afterEach(() => vi.useRealTimers());

async function hits(l: BackoffLimiter, key: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await l.hit(key));
  return out;
}

describe("sign-in back-off limiter", () => {
  it("allows 5 attempts per user in 15 minutes, then locks out for 60 s, 120 s, 240 s … (doubling) up to 1 h", async () => {
    const l = new BackoffLimiter(USER_RULE);
    expect(await hits(l, "alice", 6)).toEqual([0, 0, 0, 0, 0, 60]);
    vi.advanceTimersByTime(30_000);
    expect(await l.hit("alice")).toBe(30); // still locked: only learns the time left
    vi.advanceTimersByTime(30_001);
    expect(await hits(l, "alice", 6)).toEqual([0, 0, 0, 0, 0, 120]);
    vi.advanceTimersByTime(120_001);
    expect(await hits(l, "alice", 6)).toEqual([0, 0, 0, 0, 0, 240]);
    const lockouts: number[] = [];
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(3600_001);
      lockouts.push((await hits(l, "alice", 6))[5]);
    }
    expect(lockouts).toEqual([480, 960, 1920, 3600]);
    expect(await hits(l, "bob", 1)).toEqual([0]); // other keys are untouched
  });

  it("forgets attempts when their 15-minute window passes, and lockouts after a quiet day", async () => {
    const l = new BackoffLimiter(USER_RULE);
    expect(await hits(l, "alice", 5)).toEqual([0, 0, 0, 0, 0]);
    vi.advanceTimersByTime(15 * 60_000 + 1);
    expect(await hits(l, "alice", 6)).toEqual([0, 0, 0, 0, 0, 60]);
    vi.advanceTimersByTime(24 * 3600_000 + 1);
    expect(await hits(l, "alice", 6)).toEqual([0, 0, 0, 0, 0, 60]);
  });

  it("a success resets the user's count, and gives the address its attempt back", async () => {
    const t = new SignInThrottle();
    for (let i = 0; i < 4; i++) expect(await t.attempt("alice", "10.0.0.1")).toBe(0);
    expect(await t.attempt("alice", "10.0.0.1")).toBe(0);
    await t.succeeded("alice", "10.0.0.1");
    for (let i = 0; i < 5; i++) expect(await t.attempt("alice", "10.0.0.1")).toBe(0);
    expect(await t.attempt("alice", "10.0.0.1")).toBe(60);
  });

  it("allows 20 attempts per address in 15 minutes across user names, then locks the address out for 15 minutes", async () => {
    const t = new SignInThrottle();
    for (let i = 0; i < ADDRESS_RULE.points; i++) expect(await t.attempt(`user${i}`, "10.0.0.2")).toBe(0);
    expect(await t.attempt("someone-else", "10.0.0.2")).toBe(15 * 60);
    expect(await t.attempt("someone-else", "10.0.0.3")).toBe(0);
  });
});

describe("throttled sign-in against the users table", () => {
  it("locks a user out after 5 wrong passwords (even the right one is refused), and it works once the lockout passes", async () => {
    const { store } = freshEngine();
    await store.putUser("carol", hashPassword("carol-right-1"), "monitor", Date.now());
    for (let i = 0; i < 5; i++) expect(await signIn(store, "carol", `wrong-${i}`, "10.0.0.9")).toEqual({ user: null, retryAfterS: 0 });
    expect(await signIn(store, "carol", "carol-right-1", "10.0.0.9")).toEqual({ user: null, retryAfterS: 60 });
    expect(await signIn(store, "carol", "carol-right-1", "10.0.0.10")).toMatchObject({ user: null }); // per user, whatever the address
    vi.advanceTimersByTime(60_001);
    const carol = { username: "carol", role: "monitor" };
    expect(await signIn(store, "carol", "carol-right-1", "10.0.0.9")).toEqual({ user: carol, retryAfterS: 0 });
    // the success started the count over: 5 more wrong guesses before the next lockout
    for (let i = 0; i < 5; i++) expect((await signIn(store, "carol", `again-${i}`, "10.0.0.9")).retryAfterS).toBe(0);
    expect((await signIn(store, "carol", "again-5", "10.0.0.9")).retryAfterS).toBe(120);
  });

  it("counts unknown user names like known ones (no enumeration by the limiter)", async () => {
    const { store } = freshEngine();
    for (let i = 0; i < 5; i++) expect(await signIn(store, "nobody", "x", "10.0.1.1")).toEqual({ user: null, retryAfterS: 0 });
    expect(await signIn(store, "nobody", "x", "10.0.1.1")).toEqual({ user: null, retryAfterS: 60 });
  });
});
