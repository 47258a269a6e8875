// Exception patterns: named regex groups, in RE2 syntax (README "Exception patterns"). RE2 matches in time
// linear in the input, so no pattern can hang the server; what RE2 cannot compile (backreferences, lookaround)
// is refused when the group is configured, and a pattern that still fails at run time rejects the number.
import { RE2JS } from "re2js";
import { log } from "../ops/logger";

const MAX_PATTERN_LENGTH = 500;
export const MAX_PATTERNS_PER_GROUP = 200;
/** Characters of a number that patterns see: numbers are short, so this only bounds the work of odd input. */
const MAX_TESTED_LENGTH = 256;
/** Compiled patterns kept at most; the cache is dropped whole when full (patterns change rarely). */
const CACHE_MAX = 5000;

const compiled = new Map<string, RE2JS>();

function compile(source: string): RE2JS {
  let re = compiled.get(source);
  if (!re) {
    re = RE2JS.compile(source);
    if (compiled.size >= CACHE_MAX) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** Returns why a pattern cannot be used, or null. */
export function checkPattern(source: string): string | null {
  if (typeof source !== "string" || source.length === 0) return "must be a non-empty regular expression";
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    compile(source);
  } catch (e) {
    return `is not a valid RE2 regular expression: ${(e as Error).message}`;
  }
  return null;
}

/**
 * Does `value` match the pattern anywhere (like RegExp.test)? Fails closed: a pattern that cannot be evaluated
 * (stored before it was validated, say) counts as a match, so the number is rejected rather than let through.
 */
export function safeTest(source: string, value: string): boolean {
  try {
    return compile(source).test(value.slice(0, MAX_TESTED_LENGTH));
  } catch (e) {
    log().warn({ pattern: source, err: e }, "pattern cannot be evaluated: number rejected");
    return true;
  }
}

/**
 * Names of the patterns of a group that refuse a number, in the group's order: each is tested on the number as
 * stored (`fixed`) and, when it differs, as sent (`raw`). Start, reschedule and the console's tester all ask this.
 */
export function matchingPatterns(patterns: Record<string, string>, raw: string, fixed: string): string[] {
  return Object.entries(patterns)
    .filter(([, re]) => safeTest(re, fixed) || (raw !== fixed && safeTest(re, raw)))
    .map(([name]) => name);
}
