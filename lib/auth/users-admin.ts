// Users administration: list, create/update (password hashed, role checked), delete.
import { z } from "zod";
import type { EngineCtx } from "../callback/context";
import { badParameter, invalidOperation, notFound } from "../callback/errors";
import { hashPassword } from "./passwords";
import { ROLES } from "./users";

const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
/** The PUT body (also described in the OpenAPI document). */
export const UserBody = z.object({
  password: z.string().min(8, "password: at least 8 characters").max(200).optional(),
  role: z.enum(ROLES, { message: `role: one of ${ROLES.join(", ")}` }),
});

export function listUsers(ctx: EngineCtx) {
  return ctx.store.listUsers().map((u) => ({ username: u.username, role: u.role, created: new Date(u.createdAt).toISOString() }));
}

/** Creates or updates a user; a new user needs a password. Answers the user without any password data. */
export function putUser(ctx: EngineCtx, username: string, body: unknown) {
  if (!NAME.test(username)) throw badParameter(`Invalid user name '${username}': 1-64 of A-Z a-z 0-9 _ . @ -`);
  const r = UserBody.safeParse(body);
  if (!r.success) throw badParameter(`Invalid user: ${r.error.issues.map((i) => i.message).join("; ")}`);
  const existing = ctx.store.getUser(username);
  if (!existing && !r.data.password) throw badParameter("Invalid user: password is required for a new user");
  if (existing?.role === "admin" && r.data.role !== "admin" && adminCount(ctx) <= 1)
    throw invalidOperation("The last admin cannot lose the admin role");
  ctx.store.putUser(username, r.data.password ? hashPassword(r.data.password) : existing!.passwordHash, r.data.role, ctx.now());
  ctx.store.insertEvent({
    time: ctx.now(),
    type: existing ? "user_updated" : "user_created",
    actor: ctx.actor,
    details: { username, role: r.data.role },
  });
  return { username, role: r.data.role };
}

export function deleteUser(ctx: EngineCtx, username: string): void {
  const u = ctx.store.getUser(username);
  if (!u) throw notFound(`User ${username} cannot be found`);
  if (username === ctx.actor) throw invalidOperation("You cannot delete your own user");
  if (u.role === "admin" && adminCount(ctx) <= 1) throw invalidOperation("The last admin cannot be deleted");
  ctx.store.deleteUser(username);
  ctx.store.insertEvent({ time: ctx.now(), type: "user_deleted", actor: ctx.actor, details: { username } });
}

const adminCount = (ctx: EngineCtx) => ctx.store.listUsers().filter((u) => u.role === "admin").length;
