import { describe, it, expect } from "vitest";
import { endSessions, liveSession, sessionEpochOf } from "../lib/auth/sessions";
import { hashPassword } from "../lib/auth/passwords";
import { putUser, deleteUser } from "../lib/auth/users-admin";
import { freshEngine } from "./helpers";

async function setup() {
  const env = freshEngine();
  await env.store.putUser("admin", hashPassword("admin-pass-1"), "admin", env.clock.t);
  await env.store.putUser("sam", hashPassword("sam-pass-1"), "supervisor", env.clock.t);
  const token = { name: "sam", epoch: (await sessionEpochOf(env.store, "sam"))! };
  return { store: env.store, clock: env.clock, token, ctx: { ...env.ctx, actor: "admin" } };
}

describe("console sessions end with the user's epoch", () => {
  it("a fresh session stands for the user with the role from the database", async () => {
    const { store, token } = await setup();
    expect(await liveSession(store, token)).toEqual({ username: "sam", role: "supervisor" });
    expect(await liveSession(store, { name: "sam" })).toBeNull(); // a token from before epochs existed
    expect(await liveSession(store, { name: "sam", epoch: token.epoch - 1 })).toBeNull();
  });

  it("a role change ends the user's sessions; an update that changes nothing keeps them", async () => {
    const { store, token, ctx, clock } = await setup();
    await putUser(ctx, "sam", { role: "supervisor" });
    expect(await liveSession(store, token)).not.toBeNull();
    clock.t += 1000;
    await putUser(ctx, "sam", { role: "monitor" });
    expect(await liveSession(store, token)).toBeNull();
    expect(await liveSession(store, { name: "sam", epoch: (await sessionEpochOf(store, "sam"))! })).toEqual({
      username: "sam",
      role: "monitor",
    });
  });

  it("a password change ends the user's sessions, even within the same millisecond", async () => {
    const { store, token, ctx } = await setup();
    await putUser(ctx, "sam", { role: "supervisor", password: "sam-pass-2" });
    expect(await liveSession(store, token)).toBeNull();
  });

  it("deleting the user ends the sessions, and a user created again under the same name does not revive them", async () => {
    const { store, token, ctx, clock } = await setup();
    await deleteUser(ctx, "sam");
    expect(await liveSession(store, token)).toBeNull();
    clock.t += 1;
    await putUser(ctx, "sam", { role: "supervisor", password: "sam-pass-1" });
    expect(await liveSession(store, token)).toBeNull();
  });

  it("sign-out ends every session of the user; signing out with an already ended session changes nothing", async () => {
    const { store, token, clock } = await setup();
    const other = { ...token };
    await endSessions(store, token, clock.t);
    expect(await liveSession(store, token)).toBeNull();
    expect(await liveSession(store, other)).toBeNull();
    const now = { name: "sam", epoch: (await sessionEpochOf(store, "sam"))! };
    await endSessions(store, token, clock.t); // stale token: must not sign the new session out
    expect(await liveSession(store, now)).not.toBeNull();
  });
});
