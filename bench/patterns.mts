// Exception patterns: a catastrophic-backtracking pattern against a non-matching input, RE2 (what the server
// runs) vs the JavaScript engine (what it ran before, under a time limit). `npx tsx bench/patterns.mts`
import { safeTest } from "../lib/callback/patterns";

const pattern = "^(a+)+$";
for (const n of [20, 24, 256]) {
  const input = "a".repeat(n) + "!";
  let t = performance.now();
  for (let i = 0; i < 100; i++) safeTest(pattern, input);
  const re2 = (performance.now() - t) / 100;
  let js = "skipped (exponential)";
  if (n <= 24) {
    t = performance.now();
    new RegExp(pattern).test(input);
    js = `${(performance.now() - t).toFixed(1)} ms`;
  }
  console.log(`n=${n}: RE2 ${re2.toFixed(3)} ms per match; JS RegExp ${js}`);
}
