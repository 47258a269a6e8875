// Configuration verbs: services, the global callback settings and exception patterns.
// Changes take effect immediately (config readers key their caches on the stored options themselves, lib/callback/config.ts).
import type { EngineCtx } from "./context";
import { badParameter, invalidOperation, notFound } from "./errors";
import { isServiceName, validateOptions, optText, list, type OptionIssue, type Scope } from "./options";
import { checkPattern, MAX_PATTERNS_PER_GROUP } from "./patterns";

const KINDS = ["callback", "office-hours", "capacity"] as const;
/** The options whose value names another service, and the kind that service must be. */
export const REFERENCE_OPTIONS = ["_business_hours_service", "_capacity_service", "_redirect"] as const;
export const REFERENCE_KIND: Record<string, string> = {
  _business_hours_service: "office-hours",
  _capacity_service: "capacity",
  _redirect: "callback",
};

function assertObject(body: unknown, what: string): asserts body is Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badParameter(`${what} must be a JSON object`);
}

/**
 * Taken first by every configuration check-and-write (a reference checked, then written or deleted): on
 * PostgreSQL two servers would otherwise both pass the check. Not a service name (':' is not allowed in one).
 */
export const CONFIG_LOCK = ":configuration";

function checkName(name: string, what = "Service"): void {
  if (!isServiceName(name)) throw badParameter(`${what} name '${name}' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . -`);
}

export async function listServices(ctx: EngineCtx): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of await ctx.store.listServices()) out[s.name] = s.options;
  return out;
}

export async function getService(ctx: EngineCtx, name: string): Promise<Record<string, unknown>> {
  const s = await ctx.store.getService(name);
  if (!s) throw notFound(`Service ${name} cannot be found`);
  return s.options;
}

/**
 * Every problem of a service's option map, each naming its option: the option schemas, then whether each service
 * reference names an existing service of the right kind. Read the store inside the caller's transaction.
 */
export async function serviceIssues(ctx: EngineCtx, options: Record<string, unknown>): Promise<OptionIssue[]> {
  const kind = optText(options, "_service").toLowerCase();
  if (!(KINDS as readonly string[]).includes(kind))
    return [{ option: "_service", message: `is required and must be one of ${KINDS.join(", ")}` }];
  const issues = validateOptions(options, kind as Scope);
  for (const ref of REFERENCE_OPTIONS) {
    const target = optText(options, ref);
    if (!target || issues.some((i) => i.option === ref)) continue;
    if (target.includes("$")) continue; // a $token$ reference is resolved per request
    const other = await ctx.store.getService(target);
    if (!other) issues.push({ option: ref, message: `refers to unknown service '${target}'` });
    else if (other.kind !== REFERENCE_KIND[ref])
      issues.push({ option: ref, message: `refers to '${target}', which is a ${other.kind} service, not ${REFERENCE_KIND[ref]}` });
  }
  return issues;
}

/** Replaces a service with the given flat option map, after validating every option (400 naming each bad one). */
export async function putService(ctx: EngineCtx, name: string, options: unknown): Promise<Record<string, unknown>> {
  checkName(name);
  assertObject(options, "Service configuration");
  const kind = optText(options, "_service").toLowerCase();
  if (!(KINDS as readonly string[]).includes(kind))
    throw badParameter(`Invalid service configuration for ${name}: _service: is required and must be one of ${KINDS.join(", ")}`);
  // checks and write in ONE transaction: a service deleted meanwhile by another process cannot leave a dangling
  // reference, and the service and its event commit together
  return await ctx.store.tx(async () => {
    await ctx.store.lockService(CONFIG_LOCK);
    const issues = await serviceIssues(ctx, options);
    if (issues.length)
      throw badParameter(`Invalid service configuration for ${name}: ${issues.map((i) => `${i.option}: ${i.message}`).join("; ")}`);
    const existing = await ctx.store.getService(name);
    if (existing && existing.kind !== kind) {
      const refs = await referencesTo(ctx, name);
      if (refs.length) throw invalidOperation(`Service ${name} cannot change kind: referenced by ${refs.join(", ")}`);
    }
    const stored = { ...options, _service: kind };
    await ctx.store.putService(name, kind, stored, ctx.now());
    await ctx.store.insertEvent({
      time: ctx.now(),
      serviceName: name,
      type: existing ? "service_updated" : "service_created",
      actor: ctx.actor,
    });
    return stored;
  });
}

async function referencesTo(ctx: EngineCtx, name: string): Promise<string[]> {
  const refs: string[] = [];
  for (const s of await ctx.store.listServices())
    for (const ref of REFERENCE_OPTIONS) if (s.name !== name && optText(s.options, ref) === name) refs.push(`${s.name} (${ref})`);
  return refs;
}

export async function deleteService(ctx: EngineCtx, name: string): Promise<void> {
  await ctx.store.tx(async () => {
    await ctx.store.lockService(CONFIG_LOCK);
    if (!(await ctx.store.getService(name))) throw notFound(`Service ${name} cannot be found`);
    const refs = await referencesTo(ctx, name);
    if (refs.length) throw invalidOperation(`Service ${name} cannot be deleted: it is referenced by ${refs.join(", ")}`);
    await ctx.store.deleteService(name);
    await ctx.store.insertEvent({ time: ctx.now(), serviceName: name, type: "service_deleted", actor: ctx.actor });
  });
}

export async function getSettings(ctx: EngineCtx): Promise<Record<string, unknown>> {
  return (await ctx.store.getSettings("callback")) ?? {};
}

export async function putSettings(ctx: EngineCtx, options: unknown): Promise<Record<string, unknown>> {
  assertObject(options, "Settings");
  const issues = validateOptions(options, "settings");
  if (issues.length) throw badParameter(`Invalid callback settings: ${issues.map((i) => `${i.option}: ${i.message}`).join("; ")}`);
  await ctx.store.putSettings("callback", options, ctx.now());
  return options;
}

export async function listPatterns(ctx: EngineCtx) {
  return await ctx.store.listPatternGroups();
}

export async function getPatterns(ctx: EngineCtx, group: string): Promise<Record<string, string>> {
  const p = await ctx.store.getPatternGroup(group);
  if (!p) throw notFound(`Pattern group ${group} cannot be found`);
  return p;
}

export async function putPatterns(ctx: EngineCtx, group: string, body: unknown): Promise<Record<string, string>> {
  checkName(group, "Pattern group");
  assertObject(body, "Pattern group");
  const entries = Object.entries(body);
  if (entries.length > MAX_PATTERNS_PER_GROUP)
    throw badParameter(`Pattern group ${group} has more than ${MAX_PATTERNS_PER_GROUP} patterns`);
  const issues: string[] = [];
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    const err = typeof v === "string" ? checkPattern(v) : "must be a string";
    if (err) issues.push(`${k}: ${err}`);
    else out[k] = v as string;
  }
  if (issues.length) throw badParameter(`Invalid patterns for ${group}: ${issues.join("; ")}`);
  await ctx.store.putPatternGroup(group, out, ctx.now());
  return out;
}

export async function deletePatterns(ctx: EngineCtx, group: string): Promise<void> {
  await ctx.store.tx(async () => {
    await ctx.store.lockService(CONFIG_LOCK);
    if (!(await ctx.store.getPatternGroup(group))) throw notFound(`Pattern group ${group} cannot be found`);
    const users = (await ctx.store.listServices()).filter((s) => list(s.options._exceptions).includes(group));
    if (users.length)
      throw invalidOperation(
        `Pattern group ${group} cannot be deleted: it is used by ${users.map((s) => s.name).join(", ")} (_exceptions)`,
      );
    await ctx.store.deletePatternGroup(group);
  });
}
