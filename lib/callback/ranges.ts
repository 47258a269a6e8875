// Interval algebra on half-open ranges [start, end): wall-clock minutes of a day or epoch milliseconds alike.
// Office hours and capacity plans build their days with it; availability walks the results.

export type Range = readonly [number, number];

/** Appends [s, e) to ascending `out`, merging with the last range when they touch or overlap. */
export function pushMerged(out: Array<[number, number]>, s: number, e: number): void {
  if (s >= e) return;
  const last = out[out.length - 1];
  if (last && s <= last[1]) last[1] = Math.max(last[1], e);
  else out.push([s, e]);
}

/** Sorted, merged copy (touching ranges join: [0, 5) and [5, 9) → [0, 9)). Empty ranges are dropped. */
export function mergeRanges(ranges: readonly Range[]): Array<[number, number]> {
  const sorted = ranges.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) pushMerged(out, s, e);
  return out;
}

/** a minus b; both merged and ascending. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s0, e] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be <= s || bs >= e) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** Whether ms lies in one of the ranges. */
export const insideRanges = (ranges: readonly Range[], ms: number): boolean => ranges.some(([s, e]) => s <= ms && ms < e);
