// What one heatmap cell says and how it is coloured: shared by the canvas, its tooltip and the table view, so the
// three always agree.
import { DateTime } from "luxon";
import type { HeatmapData } from "@/lib/console/heatmap";

export type CellKind = "closed" | "none" | "full" | "r1" | "r25" | "r50" | "r75" | "free";

/** Remaining share of capacity in six steps; closed (office hours) and open without capacity apart. */
export function kindOf(d: HeatmapData, i: number): CellKind {
  if (!d.open[i]) return "closed";
  const cap = d.capacity[i];
  if (cap <= 0) return "none";
  const remaining = Math.max(0, cap - d.booked[i]);
  if (remaining === 0) return "full";
  if (remaining === cap) return "free";
  const share = remaining / cap;
  return share < 0.25 ? "r1" : share < 0.5 ? "r25" : share < 0.75 ? "r50" : "r75";
}

// a single-hue scale (light = free, dark = full): readable without colour vision, and on a greyscale print
export const KINDS: Array<{ kind: CellKind; label: string; fill: string }> = [
  { kind: "free", label: "All free", fill: "#d9e5fc" },
  { kind: "r75", label: "75–99 % free", fill: "#a9c3f4" },
  { kind: "r50", label: "50–74 % free", fill: "#779de9" },
  { kind: "r25", label: "25–49 % free", fill: "#4673db" },
  { kind: "r1", label: "1–24 % free", fill: "#2447a8" },
  { kind: "full", label: "Full", fill: "#0f1b38" },
  { kind: "none", label: "No capacity", fill: "#c9ced8" },
  { kind: "closed", label: "Closed", fill: "#f1f2f5" },
];
export const FILL = Object.fromEntries(KINDS.map((k) => [k.kind, k.fill])) as Record<CellKind, string>;
export const HATCH = "#a7aebd";

const t = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone, locale: "en-US" });

/** `Tue 2 Dec, 09:30–09:35 EST` */
export function slotTime(d: HeatmapData, i: number, zone: string): string {
  const a = t(d.start[i], zone);
  const b = t(d.start[i] + d.bucketMinutes * 60_000, zone);
  return `${a.toFormat("ccc d LLL, HH:mm")}–${b.toFormat("HH:mm")} ${a.toFormat("ZZZZ")}`;
}

/** `09:30 EST` */
export const clockTime = (ms: number, zone: string) => t(ms, zone).toFormat("HH:mm ZZZZ");

export interface CellFacts {
  time: string;
  officeTime: string | null;
  status: string;
  capacity: number;
  booked: number;
  remaining: number;
}

export function cellFacts(d: HeatmapData, i: number): CellFacts {
  const kind = kindOf(d, i);
  const capacity = d.capacity[i];
  return {
    time: slotTime(d, i, d.zone),
    officeTime: d.officeZone === d.zone ? null : `${clockTime(d.start[i], d.officeZone)} (${d.officeZone})`,
    status: kind === "closed" ? "Closed" : kind === "none" ? "Open, no capacity" : kind === "full" ? "Full" : "Open",
    capacity,
    booked: d.booked[i],
    remaining: Math.max(0, capacity - d.booked[i]),
  };
}

/** One sentence for the tooltip's screen-reader twin. */
export function cellSentence(f: CellFacts): string {
  const office = f.officeTime ? ` (office ${f.officeTime})` : "";
  return `${f.time}${office}: ${f.status}, capacity ${f.capacity}, booked ${f.booked}, remaining ${f.remaining}`;
}
