// Exception patterns (SPEC §4.5): named regex groups. Compiled safely: length limits, a star-height check
// that refuses nested quantifiers at configuration time, and a time limit on every match at run time,
// so a pathological pattern can never hang the server.
import vm from "node:vm";

export const MAX_PATTERN_LENGTH = 500;
export const MAX_PATTERNS_PER_GROUP = 200;

/** Returns an error message for a regex that is unsafe or invalid, or null. */
export function checkPattern(source: string): string | null {
  if (typeof source !== "string" || source.length === 0) return "must be a non-empty regular expression";
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(source);
  } catch (e) {
    return `is not a valid regular expression: ${(e as Error).message}`;
  }
  if (hasNestedQuantifier(source)) return "has a nested quantifier such as (a+)+ that can backtrack catastrophically";
  return null;
}

/** Detects a quantified group that itself contains a quantifier (star height > 1). */
function hasNestedQuantifier(src: string): boolean {
  const stack: boolean[] = []; // per open group: does it contain a quantifier?
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") { i++; markQuant(src[i + 1]); continue; }
    if (inClass) { if (c === "]") { inClass = false; markQuant(src[i + 1]); } continue; }
    if (c === "[") { inClass = true; continue; }
    if (c === "(") { stack.push(false); continue; }
    if (c === ")") {
      const inner = stack.pop() ?? false;
      const next = src[i + 1];
      if (inner && isQuant(next, src[i + 2])) return true;
      if (inner && stack.length) stack[stack.length - 1] = true;
      markQuant(next);
      continue;
    }
    markQuant(src[i + 1]);
  }
  return false;
  function isQuant(c?: string, d?: string) {
    return c === "*" || c === "+" || (c === "{" && d !== undefined && /\d/.test(d));
  }
  function markQuant(next?: string) {
    if (stack.length && (next === "*" || next === "+" || next === "{")) stack[stack.length - 1] = true;
  }
}

const ctx = vm.createContext({ re: /x/, s: "" });
const script = new vm.Script("re.test(s)");
const compiled = new Map<string, RegExp>();

/** Tests `value` against a pattern with a 50 ms limit; a pattern that times out counts as no match (logged). */
export function safeTest(source: string, value: string): boolean {
  let re = compiled.get(source);
  if (!re) {
    try {
      re = new RegExp(source);
    } catch {
      return false;
    }
    if (compiled.size > 5000) compiled.clear();
    compiled.set(source, re);
  }
  re.lastIndex = 0;
  ctx.re = re;
  ctx.s = value.slice(0, 256);
  try {
    return script.runInContext(ctx, { timeout: 50 }) === true;
  } catch {
    console.error(`[patterns] pattern timed out and was skipped: ${source}`);
    return false;
  }
}
