// Admin configuration API (last bullet): services, global callback settings, exception patterns.
import * as cfg from "../../callback/config-admin";
import * as users from "../../auth/users-admin";
import { defaultCtx } from "../../runtime";
import { readBody } from "../body";
import { json, empty } from "../respond";
import type { RouteCtx } from "../router";

const ctxOf = (c: RouteCtx) => defaultCtx(c.user?.username);

// GET /genesys/1/admin/services — every service and its options
export const listServices = async (c: RouteCtx) => json(await cfg.listServices(ctxOf(c)));
// GET /genesys/1/admin/services/{name}
export const getService = async (c: RouteCtx) => json(await cfg.getService(ctxOf(c), c.params.name));
// PUT /genesys/1/admin/services/{name} — replace a service's option map
export const putService = async (c: RouteCtx) => json(await cfg.putService(ctxOf(c), c.params.name, await readBody(c.req)));
// DELETE /genesys/1/admin/services/{name}
export const deleteService = async (c: RouteCtx) => (await cfg.deleteService(ctxOf(c), c.params.name), empty(200));
// GET /genesys/1/admin/settings/callback
export const getSettings = async (c: RouteCtx) => json(await cfg.getSettings(ctxOf(c)));
// PUT /genesys/1/admin/settings/callback — replace the global callback section
export const putSettings = async (c: RouteCtx) => json(await cfg.putSettings(ctxOf(c), await readBody(c.req)));
// GET /genesys/1/admin/patterns — every exception pattern group
export const listPatterns = async (c: RouteCtx) => json(await cfg.listPatterns(ctxOf(c)));
// GET /genesys/1/admin/patterns/{group}
export const getPatterns = async (c: RouteCtx) => json(await cfg.getPatterns(ctxOf(c), c.params.group));
// PUT /genesys/1/admin/patterns/{group} — body {"<pattern name>": "<regex>"}
export const putPatterns = async (c: RouteCtx) => json(await cfg.putPatterns(ctxOf(c), c.params.group, await readBody(c.req)));
// DELETE /genesys/1/admin/patterns/{group}
export const deletePatterns = async (c: RouteCtx) => (await cfg.deletePatterns(ctxOf(c), c.params.group), empty(200));

// GET /genesys/1/admin/users — console users and roles (never password data)
export const listUsers = async (c: RouteCtx) => json(await users.listUsers(ctxOf(c)));
// PUT /genesys/1/admin/users/{name} — body {"password"?, "role"}: create or update
export const putUser = async (c: RouteCtx) => json(await users.putUser(ctxOf(c), c.params.name, await readBody(c.req)));
// DELETE /genesys/1/admin/users/{name}
export const deleteUser = async (c: RouteCtx) => (await users.deleteUser(ctxOf(c), c.params.name), empty(200));
