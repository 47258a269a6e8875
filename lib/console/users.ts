// The console's Users panel: the users with the guards the engine applies (the last admin keeps its role and
// stays; nobody deletes themselves), so the page can disable what would be refused and say why. Every change is
// the admin users API's verb (putUser/deleteUser), which also ends the sessions of a demoted or deleted user.
import type { EngineCtx } from "../callback/context";
import { badParameter, notFound } from "../callback/errors";
import { deleteUser, listUsers, putUser } from "../auth/users-admin";
import type { NewUserInput } from "./admin-schemas";
import type { Role } from "../auth/users";

export interface UserView {
  username: string;
  role: Role;
  created: string;
  /** Why this user cannot be deleted, or null. */
  cannotDelete: string | null;
  /** Why this user cannot lose the admin role, or null. */
  cannotDemote: string | null;
}

export async function consoleUsers(ctx: EngineCtx): Promise<UserView[]> {
  const users = await listUsers(ctx);
  const admins = users.filter((u) => u.role === "admin").length;
  return users.map((u) => {
    const lastAdmin = u.role === "admin" && admins <= 1;
    return {
      username: u.username,
      role: u.role as Role,
      created: u.created,
      cannotDelete: lastAdmin ? "The last admin cannot be deleted" : u.username === ctx.actor ? "You cannot delete your own user" : null,
      cannotDemote: lastAdmin ? "The last admin cannot lose the admin role" : null,
    };
  });
}

/** A new user; an existing name is refused rather than overwritten (the admin API's PUT would update it). */
export async function createUser(ctx: EngineCtx, input: NewUserInput) {
  if (await ctx.store.getUser(input.username)) throw badParameter(`A user named ${input.username} already exists`);
  return await putUser(ctx, input.username, { role: input.role, password: input.password });
}

async function existing(ctx: EngineCtx, username: string) {
  const u = await ctx.store.getUser(username);
  if (!u) throw notFound(`User ${username} cannot be found`);
  return u;
}

export async function changeRole(ctx: EngineCtx, username: string, role: Role) {
  await existing(ctx, username);
  return await putUser(ctx, username, { role });
}

export async function resetPassword(ctx: EngineCtx, username: string, password: string) {
  const u = await existing(ctx, username);
  return await putUser(ctx, username, { role: u.role, password });
}

export const removeUser = async (ctx: EngineCtx, username: string) => await deleteUser(ctx, username);
