import { describe, it, expect } from "vitest";
import { endSessions, liveSession, sessionEpochOf } from "../lib/auth/sessions";
import { hashPassword } from "../lib/auth/passwords";
import { putUser, deleteUser } from "../lib/auth/users-admin";
import { freshEngine } from "./helpers";

function setup() {
  const env = freshEngine();
  env.store.putUser("admin", hashPassword("admin-pass-1"), "admin", env.clock.t);
  env.store.putUser("sam", hashPassword("sam-pass-1"), "supervisor", env.clock.t);
  const token = { name: "sam", epoch: sessionEpochOf(env.store, "sam")! };
  return { ...env, token, ctx: { ...env.ctx, actor: "admin" } };
}

describe("console sessions end with the user's epoch", () => {
  it("a fresh session stands for the user with the role from the database", () => {
    const { store, token } = setup();
    expect(liveSession(store, token)).toEqual({ username: "sam", role: "supervisor" });
    expect(liveSession(store, { name: "sam" })).toBeNull(); // a token from before epochs existed
    expect(liveSession(store, { name: "sam", epoch: token.epoch - 1 })).toBeNull();
  });

  it("a role change ends the user's sessions; an update that changes nothing keeps them", () => {
    const { store, token, ctx, clock } = setup();
    putUser(ctx, "sam", { role: "supervisor" });
    expect(liveSession(store, token)).not.toBeNull();
    clock.t += 1000;
    putUser(ctx, "sam", { role: "monitor" });
    expect(liveSession(store, token)).toBeNull();
    expect(liveSession(store, { name: "sam", epoch: sessionEpochOf(store, "sam")! })).toEqual({ username: "sam", role: "monitor" });
  });

  it("a password change ends the user's sessions, even within the same millisecond", () => {
    const { store, token, ctx } = setup();
    putUser(ctx, "sam", { role: "supervisor", password: "sam-pass-2" });
    expect(liveSession(store, token)).toBeNull();
  });

  it("deleting the user ends the sessions, and a user created again under the same name does not revive them", () => {
    const { store, token, ctx, clock } = setup();
    deleteUser(ctx, "sam");
    expect(liveSession(store, token)).toBeNull();
    clock.t += 1;
    putUser(ctx, "sam", { role: "supervisor", password: "sam-pass-1" });
    expect(liveSession(store, token)).toBeNull();
  });

  it("sign-out ends every session of the user; signing out with an already ended session changes nothing", () => {
    const { store, token, clock } = setup();
    const other = { ...token };
    endSessions(store, token, clock.t);
    expect(liveSession(store, token)).toBeNull();
    expect(liveSession(store, other)).toBeNull();
    const now = { name: "sam", epoch: sessionEpochOf(store, "sam")! };
    endSessions(store, token, clock.t); // stale token: must not sign the new session out
    expect(liveSession(store, now)).not.toBeNull();
  });
});
