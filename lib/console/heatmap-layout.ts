// Where each bucket of the Availability heatmap sits: one row per local day, one column per bucket of the day by
// its local wall-clock start. On the day clocks go back, the repeated hour's two passes share their columns as the
// top and bottom halves of the cells; on the day they go forward, the skipped hour's columns stay empty.
// Client-safe (luxon only): the browser lays out what the read route answered.
import { DateTime, IANAZone } from "luxon";

export interface HeatmapLayout {
  rows: Array<{ date: string; label: string }>;
  cols: number;
  row: Int32Array;
  col: Int32Array;
  /** 0: the whole cell; 1: its top half (first pass of a repeated hour); 2: its bottom half (second pass). */
  half: Uint8Array;
  /** Bucket index at row * cols + col (the first pass where two share it), and the second pass there, or -1. */
  at: Int32Array;
  second: Int32Array;
}

export function layoutHeatmap(start: number[], bucketMinutes: number, zone: string): HeatmapLayout {
  const z = IANAZone.create(zone);
  const offsets = new Map<number, number>();
  // offsets per UTC hour, the start of any hour holding a change resolved per bucket
  const offAt = (h: number) => {
    let o = offsets.get(h);
    if (o === undefined) offsets.set(h, (o = z.offset(h * 36e5)));
    return o;
  };
  const cols = Math.round(1440 / bucketMinutes);
  const n = start.length;
  const dayOf = new Int32Array(n);
  const col = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = Math.floor(start[i] / 36e5);
    const a = offAt(h);
    const local = start[i] + (a === offAt(h + 1) ? a : z.offset(start[i])) * 60_000;
    const day = Math.floor(local / 864e5);
    dayOf[i] = day;
    col[i] = Math.min(cols - 1, Math.floor((local - day * 864e5) / 60_000 / bucketMinutes));
  }
  const first = n ? dayOf[0] : 0;
  const days = n ? dayOf[n - 1] - first + 1 : 0;
  const rows = Array.from({ length: days }, (_, r) => {
    const d = DateTime.fromMillis((first + r) * 864e5, { zone: "utc", locale: "en-US" });
    return { date: d.toISODate() ?? "", label: d.toFormat("ccc d LLL") };
  });
  const row = new Int32Array(n);
  const half = new Uint8Array(n);
  const at = new Int32Array(days * cols).fill(-1);
  const second = new Int32Array(days * cols).fill(-1);
  for (let i = 0; i < n; i++) {
    row[i] = dayOf[i] - first;
    const k = row[i] * cols + col[i];
    if (at[k] < 0) at[k] = i;
    else {
      half[at[k]] = 1;
      half[i] = 2;
      second[k] = i;
    }
  }
  return { rows, cols, row, col, half, at, second };
}
