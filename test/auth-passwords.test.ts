import { describe, it, expect } from "vitest";
import { hashPassword, verifyPassword, verifyPasswordSync } from "../lib/auth/passwords";
import { verifyCredentials } from "../lib/auth/users";
import { freshEngine } from "./helpers";

/** True when `work` is still pending after the event loop got to run an immediate callback. */
async function yieldsToEventLoop(work: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void work.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setImmediate(r));
  const pending = !settled;
  await work;
  return pending;
}

describe("password checks off the event loop", () => {
  it("verifyPassword runs scrypt on the thread pool: the event loop runs other callbacks before it resolves", async () => {
    const stored = hashPassword("s3cret-pass");
    expect(await yieldsToEventLoop(verifyPassword("wrong", stored))).toBe(true);
    expect(await verifyPassword("s3cret-pass", stored)).toBe(true);
    expect(await verifyPassword("wrong", stored)).toBe(false);
  });

  it("accepts hashes stored by earlier versions (same scrypt$N$r$p$salt$hash format), sync and async alike", async () => {
    const stored = "scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw$" + "x".repeat(43);
    expect(await verifyPassword("anything", stored)).toBe(false);
    const fresh = hashPassword("pw-123456");
    expect(fresh).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(verifyPasswordSync("pw-123456", fresh)).toBe(true);
    expect(await verifyPassword("pw-123456", fresh)).toBe(true);
    expect(await verifyPassword("pw-123456", "not-a-hash")).toBe(false);
  });

  it("an unknown user costs a real scrypt too (same work as a wrong password: no user enumeration by timing)", async () => {
    const { store } = freshEngine();
    await store.putUser("dora", hashPassword("dora-pass-1"), "monitor", Date.now());
    expect(await yieldsToEventLoop(verifyCredentials(store, "nobody-here", "guess"))).toBe(true);
    expect(await yieldsToEventLoop(verifyCredentials(store, "dora", "guess"))).toBe(true);
    expect(await verifyCredentials(store, "nobody-here", "guess")).toBeNull();
    expect(await verifyCredentials(store, "dora", "dora-pass-1")).toEqual({ username: "dora", role: "monitor" });
  });

  it("the short-lived cache of verified credentials never outlives a password change, a role change or a delete", async () => {
    const { store } = freshEngine();
    await store.putUser("erin", hashPassword("erin-pass-1"), "supervisor", Date.now());
    expect(await verifyCredentials(store, "erin", "erin-pass-1")).toEqual({ username: "erin", role: "supervisor" });
    await store.putUser("erin", (await store.getUser("erin"))!.passwordHash, "monitor", Date.now());
    expect(await verifyCredentials(store, "erin", "erin-pass-1")).toEqual({ username: "erin", role: "monitor" });
    await store.putUser("erin", hashPassword("erin-pass-2"), "monitor", Date.now());
    expect(await verifyCredentials(store, "erin", "erin-pass-1")).toBeNull();
    expect(await verifyCredentials(store, "erin", "erin-pass-2")).not.toBeNull();
    await store.deleteUser("erin");
    expect(await verifyCredentials(store, "erin", "erin-pass-2")).toBeNull();
  });
});
