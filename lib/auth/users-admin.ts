// Users administration: list, create/update (password hashed, role checked), delete.
import { z } from "zod";
import type { EngineCtx } from "../callback/context";
import { badParameter, invalidOperation, notFound } from "../callback/errors";
import { hashPassword } from "./passwords";
import { Password, RoleName, USER_NAME, USER_NAME_RULE } from "./user-rules";

/** The PUT body (also described in the OpenAPI document). */
export const UserBody = z.object({ password: Password.optional(), role: RoleName });

export async function listUsers(ctx: EngineCtx) {
  return (await ctx.store.listUsers()).map((u) => ({ username: u.username, role: u.role, created: new Date(u.createdAt).toISOString() }));
}

/** Creates or updates a user; a new user needs a password. Answers the user without any password data. */
export async function putUser(ctx: EngineCtx, username: string, body: unknown) {
  if (!USER_NAME.test(username)) throw badParameter(`Invalid user name '${username}': ${USER_NAME_RULE}`);
  const r = UserBody.safeParse(body);
  if (!r.success) throw badParameter(`Invalid user: ${r.error.issues.map((i) => i.message).join("; ")}`);
  const existing = await ctx.store.getUser(username);
  if (!existing && !r.data.password) throw badParameter("Invalid user: password is required for a new user");
  if (existing?.role === "admin" && r.data.role !== "admin" && (await adminCount(ctx)) <= 1)
    throw invalidOperation("The last admin cannot lose the admin role");
  await ctx.store.putUser(username, r.data.password ? hashPassword(r.data.password) : existing!.passwordHash, r.data.role, ctx.now());
  await ctx.store.insertEvent({
    time: ctx.now(),
    type: existing ? "user_updated" : "user_created",
    actor: ctx.actor,
    details: { username, role: r.data.role },
  });
  return { username, role: r.data.role };
}

export async function deleteUser(ctx: EngineCtx, username: string): Promise<void> {
  const u = await ctx.store.getUser(username);
  if (!u) throw notFound(`User ${username} cannot be found`);
  if (username === ctx.actor) throw invalidOperation("You cannot delete your own user");
  if (u.role === "admin" && (await adminCount(ctx)) <= 1) throw invalidOperation("The last admin cannot be deleted");
  await ctx.store.deleteUser(username);
  await ctx.store.insertEvent({ time: ctx.now(), type: "user_deleted", actor: ctx.actor, details: { username } });
}

const adminCount = async (ctx: EngineCtx) => (await ctx.store.listUsers()).filter((u) => u.role === "admin").length;
