// Read models and actions of the console's Configured Services pages: the list (kind, references both ways, today's
// callbacks, paused), one service's option editor, the global settings' editor, and the admin actions on them.
// Every write goes through the configuration verbs the admin API uses (putService, deleteService, putSettings).
import { DateTime } from "luxon";
import type { CallbackStore } from "../../db/callback-store";
import { callbacksPerService } from "../../db/services-queries";
import type { EngineCtx } from "../callback/context";
import { REFERENCE_KIND, REFERENCE_OPTIONS, putService, putSettings, serviceIssues, CONFIG_LOCK } from "../callback/config-admin";
import { badParameter, invalidOperation, notFound } from "../callback/errors";
import { OPTION_DEFS, findOption, isServiceName, optText, validateOptions, type OptionIssue, type Scope } from "../callback/options";
import type { EditorField, FieldErrors, Ref, ServiceKind, ServicesByKind } from "./service-editor";

export interface ServiceListRow {
  name: string;
  kind: string;
  paused: boolean;
  references: Ref[];
  referencedBy: Ref[];
  callbacksToday: number;
}

/** The services a service's options name, option by option (set, untokenised values only). */
function referencesOf(options: Record<string, unknown>): Ref[] {
  return REFERENCE_OPTIONS.map((option) => ({ option, service: optText(options, option) })).filter(
    (r) => r.service && !r.service.includes("$"),
  );
}

/** Which services name `name`, and through which option. */
function referrers(refs: Map<string, Ref[]>, name: string): Ref[] {
  return [...refs].flatMap(([other, rs]) =>
    other === name ? [] : rs.filter((r) => r.service === name).map((r) => ({ service: other, option: r.option })),
  );
}

const referenceMap = (services: Array<{ name: string; options: Record<string, unknown> }>) =>
  new Map(services.map((s) => [s.name, referencesOf(s.options)]));

/** Every configured service, sorted by name; "today" is the local day of `zone` at `now`. */
export async function servicesOverview(store: CallbackStore, now: number, zone: string) {
  const services = await store.listServices();
  const day = DateTime.fromMillis(now, { zone }).startOf("day");
  const counts = await callbacksPerService(store, day.toMillis(), day.plus({ days: 1 }).toMillis());
  const refs = referenceMap(services);
  const rows: ServiceListRow[] = services
    .map((s) => ({
      name: s.name,
      kind: s.kind,
      paused: s.kind === "callback" && /^true$/i.test(optText(s.options, "_paused")),
      references: refs.get(s.name) ?? [],
      referencedBy: referrers(refs, s.name),
      callbacksToday: counts.get(s.name) ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { rows, day: day.toFormat("ccc d LLL yyyy"), zone };
}
export type ServicesOverview = Awaited<ReturnType<typeof servicesOverview>>;

function fieldOf(def: (typeof OPTION_DEFS)[number], name = def.name): EditorField {
  const f: EditorField = { name, group: def.group, type: def.type, description: def.description };
  if (def.values) f.values = def.values;
  if (def.min !== undefined) f.min = def.min;
  if (def.max !== undefined) f.max = def.max;
  if (def.default !== undefined) f.placeholder = String(def.default);
  if (def.required) f.required = true;
  if (REFERENCE_KIND[name]) f.refKind = REFERENCE_KIND[name];
  return f;
}

/**
 * The inputs of the editor for a scope: every option of the schema in that scope (but `_service`, which is the kind),
 * one input per option of a family that the map holds (`_bh_regular1`, …), and the unknown options it keeps.
 */
export function editorFields(scope: Scope, options: Record<string, unknown>): EditorField[] {
  const fields = OPTION_DEFS.filter((d) => d.scopes.includes(scope) && !d.family && d.name !== "_service").map((d) => fieldOf(d));
  const known = new Set(fields.map((f) => f.name));
  const extra = Object.keys(options)
    .filter((k) => k !== "_service" && !known.has(k))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  for (const name of extra) {
    const def = findOption(name, scope);
    fields.push(
      def ? fieldOf(def, name) : { name, group: "other", type: "string", description: "Not an option of this kind: kept as it is" },
    );
  }
  return fields;
}

/** Option values as the editor's text inputs hold them ("" = not set; objects as their JSON). */
const optionTexts = (options: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.keys(options).map((k) => [k, optText(options, k)]));

async function servicesByKind(store: CallbackStore): Promise<ServicesByKind> {
  const out: ServicesByKind = { callback: [], "office-hours": [], capacity: [] };
  for (const s of await store.listServices()) out[s.kind as ServiceKind]?.push(s.name);
  return out;
}

/** One service's editor: its options as text, its inputs, what names it, and the services the pickers offer. */
export async function serviceEditor(store: CallbackStore, name: string) {
  const s = await store.getService(name);
  if (!s) return null;
  return {
    name,
    kind: s.kind as ServiceKind,
    options: optionTexts(s.options),
    fields: editorFields(s.kind as Scope, s.options),
    referencedBy: referrers(referenceMap(await store.listServices()), name),
    services: await servicesByKind(store),
  };
}
export type ServiceEditor = NonNullable<Awaited<ReturnType<typeof serviceEditor>>>;

export async function settingsEditor(store: CallbackStore) {
  const options = (await store.getSettings("callback")) ?? {};
  return { options: optionTexts(options), fields: editorFields("settings", options) };
}

// ---- actions (admin) ----

const refusal = (what: string, issues: OptionIssue[]) =>
  badParameter(`${what}: ${issues.map((i) => `${i.option}: ${i.message}`).join("; ")}`, {
    properties: Object.fromEntries(issues.map((i) => [i.option, i.message])) satisfies FieldErrors,
  });

/** An editor's map: "" means "not set" and is left out, so the default applies (as the admin API reads it). */
const setOnly = (options: Record<string, string>) => Object.fromEntries(Object.entries(options).filter(([, v]) => v.trim() !== ""));

async function writeService(ctx: EngineCtx, name: string, map: Record<string, unknown>, create: boolean) {
  if (!isServiceName(name))
    throw refusal("Invalid service name", [{ option: "name", message: "use 1-64 characters of A-Z a-z 0-9 _ . -" }]);
  return await ctx.store.tx(async () => {
    await ctx.store.lockService(CONFIG_LOCK);
    const existing = await ctx.store.getService(name);
    if (create && existing) throw refusal("Service exists", [{ option: "name", message: `a service named ${name} already exists` }]);
    if (!create && !existing) throw notFound(`Service ${name} cannot be found`);
    if (existing && optText(map, "_service") !== existing.kind)
      throw invalidOperation(`Service ${name} is a ${existing.kind} service: its kind cannot change here`);
    const issues = await serviceIssues(ctx, map);
    if (issues.length) throw refusal(`Invalid service configuration for ${name}`, issues);
    return await putService(ctx, name, map);
  });
}

/**
 * Replaces (or, with `create`, adds) a service from the editor's texts; a refusal names each bad option in
 * `properties`. A value the editor left as it was keeps its stored form (a capacity object stays an object).
 */
export async function saveService(ctx: EngineCtx, name: string, options: Record<string, string>, create: boolean) {
  const stored = create ? {} : ((await ctx.store.getService(name))?.options ?? {});
  const map = Object.fromEntries(
    Object.entries(setOnly(options)).map(([k, v]) => [k, k in stored && optText(stored, k) === v.trim() ? stored[k] : v]),
  );
  return await writeService(ctx, name, map, create);
}

/** Pauses or resumes a callback service: sets `_paused` and keeps every other option. */
export async function setPaused(ctx: EngineCtx, name: string, paused: boolean) {
  return await ctx.store.tx(async () => {
    await ctx.store.lockService(CONFIG_LOCK);
    const s = await ctx.store.getService(name);
    if (!s) throw notFound(`Service ${name} cannot be found`);
    if (s.kind !== "callback") throw invalidOperation(`Service ${name} is a ${s.kind} service: only callback services pause`);
    return await putService(ctx, name, { ...s.options, _paused: paused ? "true" : "false" });
  });
}

/** A copy of a service under a new name (refused when that name is taken or invalid). */
export async function duplicateService(ctx: EngineCtx, from: string, to: string) {
  return await ctx.store.tx(async () => {
    await ctx.store.lockService(CONFIG_LOCK);
    const s = await ctx.store.getService(from);
    if (!s) throw notFound(`Service ${from} cannot be found`);
    return await writeService(ctx, to, s.options, true);
  });
}

export async function saveSettings(ctx: EngineCtx, options: Record<string, string>) {
  const map = setOnly(options);
  const issues = validateOptions(map, "settings");
  if (issues.length) throw refusal("Invalid callback settings", issues);
  return await putSettings(ctx, map);
}
