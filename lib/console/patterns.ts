// The console's Patterns panel: the exception-pattern groups with the services that use them, the tester, and the
// edits. Edits go through the admin API's verbs (putPatterns validates every regex as the engine compiles it); the
// tester asks the same number rules and pattern matching that Start-Callback applies.
import type { EngineCtx } from "../callback/context";
import { CallbackError, badParameter, notFound } from "../callback/errors";
import { deletePatterns, getPatterns, listPatterns, putPatterns } from "../callback/config-admin";
import { numberRulesOf, serviceConfig, settingsOf } from "../callback/config";
import { checkCustomerNumber, numberIdentity, type NumberRules } from "../callback/phone";
import { checkPattern, matchingPatterns } from "../callback/patterns";
import { checkExceptions } from "../callback/start";
import { list } from "../callback/options";
import type { NewGroupInput, PatternInput, PatternTestInput } from "./admin-schemas";

export interface PatternGroupView {
  name: string;
  patterns: Array<{ name: string; regex: string }>;
  /** Callback services whose `_exceptions` name this group. */
  services: string[];
}

export async function patternGroups(ctx: EngineCtx): Promise<{ groups: PatternGroupView[]; callbackServices: string[] }> {
  const services = (await ctx.store.listServices()).filter((s) => s.kind === "callback");
  const groups = Object.entries(await listPatterns(ctx)).map(([name, patterns]) => ({
    name,
    patterns: Object.entries(patterns).map(([n, regex]) => ({ name: n, regex })),
    services: services.filter((s) => list(s.options._exceptions).includes(name)).map((s) => s.name),
  }));
  return { groups, callbackServices: services.map((s) => s.name) };
}
export type PatternGroups = Awaited<ReturnType<typeof patternGroups>>;

/** A regex the engine cannot compile is refused naming the field, so the form shows it beside the regex. */
function assertRegex(regex: string): void {
  const why = checkPattern(regex);
  if (why) throw badParameter(`The regular expression ${why}`);
}

/** Adds or replaces (renames) one pattern of an existing group; the group keeps its order. */
export async function savePattern(ctx: EngineCtx, group: string, input: PatternInput) {
  assertRegex(input.regex);
  const current = await getPatterns(ctx, group);
  const from = input.previous ?? input.name;
  if (input.previous !== undefined && !(input.previous in current)) throw notFound(`Pattern ${input.previous} of ${group} cannot be found`);
  if (input.name !== input.previous && input.name in current) throw badParameter(`The group already has a pattern named ${input.name}`);
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(current)) next[k === from ? input.name : k] = k === from ? input.regex : v;
  next[input.name] = input.regex; // a new pattern goes last
  return await putPatterns(ctx, group, next);
}

export async function removePattern(ctx: EngineCtx, group: string, name: string) {
  const current = await getPatterns(ctx, group);
  if (!(name in current)) throw notFound(`Pattern ${name} of ${group} cannot be found`);
  const next = { ...current };
  delete next[name];
  return await putPatterns(ctx, group, next);
}

/** A new group with its first pattern; an existing group of that name is never overwritten. */
export async function createGroup(ctx: EngineCtx, input: NewGroupInput) {
  assertRegex(input.regex);
  if (await ctx.store.getPatternGroup(input.group)) throw badParameter(`A pattern group named ${input.group} already exists`);
  return await putPatterns(ctx, input.group, { [input.name]: input.regex });
}

export const removeGroup = async (ctx: EngineCtx, group: string) => await deletePatterns(ctx, group);

export interface PatternTestResult {
  number: string;
  /** The number as Start-Callback stores and matches it (also when the number rules refuse it first). */
  normalized: string;
  rules: NumberRules & { from: string };
  /** Every pattern of the group, and whether it matches this number. */
  patterns: Array<{ name: string; regex: string; matches: boolean }>;
  /** Would Start-Callback refuse this number (for the chosen service, or with this group alone)? */
  refused: boolean;
  /** The engine's own error message when refused. */
  message: string | null;
}

/**
 * What Start-Callback would do with `number`: the number rules (fixing, impossible, premium) of the chosen service
 * or of the global settings, then this group's patterns — and, for a service, every group that service uses.
 */
export async function testPatterns(ctx: EngineCtx, input: PatternTestInput): Promise<PatternTestResult> {
  const patterns = await getPatterns(ctx, input.group);
  const cfg = input.service ? await serviceConfig(ctx.store, input.service) : undefined;
  const rules = cfg?.numberRules ?? numberRulesOf({}, await settingsOf(ctx.store));
  const from = cfg ? `service ${cfg.name}` : "the global defaults";
  let message: string | null = null;
  try {
    await checkExceptions(ctx, cfg ? cfg.exceptions : [input.group], input.number, checkCustomerNumber(input.number, rules));
  } catch (e) {
    if (!(e instanceof CallbackError)) throw e;
    message = e.message;
  }
  const normalized = numberIdentity(input.number, rules);
  const matching = new Set(matchingPatterns(patterns, input.number, normalized));
  return {
    number: input.number,
    normalized,
    rules: { ...rules, from },
    patterns: Object.entries(patterns).map(([name, regex]) => ({ name, regex, matches: matching.has(name) })),
    refused: message !== null,
    message,
  };
}
