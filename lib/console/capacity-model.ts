// The Capacity editor's model of a capacity service — a value per weekday and cell (an hour, or a finer step when
// the plan has keys like 0930) plus dated exceptions — and its exact way back to the `_capacity_N` /
// `_capacity_add` JSON. Loading goes through the engine's parser (capacity-grammar.ts). Client-safe.
import { parseCapacityPlan, validateCapacityOption, type DaySchedule } from "../callback/capacity-grammar";

export interface CapacityModel {
  zone: string;
  /** `_max_capacity` as typed ("" = the default). */
  maxCapacity: string;
  /** Minutes per cell: 60, or the finest step the stored keys need. */
  step: number;
  /** Monday … Sunday: a value per cell; null = no `_capacity_N` (0 all day). */
  weekly: Array<number[] | null>;
  exceptions: Array<{ date: string; values: number[] }>;
  /** Whether the service stored its schedules as JSON text (GMS configuration style) or as objects. */
  asText: boolean;
  /** Options the editor does not own (kept as they are on save). */
  extra: Record<string, unknown>;
}

const OWNED = /^(_timezone|_service|_capacity_[1-7]|_capacity_add|_max_capacity)$/;
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const pad2 = (n: number) => String(n).padStart(2, "0");
export const cellTime = (minute: number) => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;

function cellsOf(schedule: DaySchedule, step: number): number[] {
  const out: number[] = [];
  let i = 0;
  let c = 0;
  for (let m = 0; m < 1440; m += step) {
    while (i < schedule.length && schedule[i]!.minute <= m) c = schedule[i++]!.capacity;
    out.push(c);
  }
  return out;
}

/** Model of a stored option map; throws the engine's error when it does not parse. */
export function capacityModel(options: Record<string, unknown>): CapacityModel {
  // the editor shows the values as written: the cap applies when the engine evaluates, not in the grid
  const plan = parseCapacityPlan({ ...options, _max_capacity: Number.MAX_SAFE_INTEGER });
  parseCapacityPlan(options); // and the real map must parse too (a bad _max_capacity)
  const schedules = [...plan.weekly.slice(1), ...plan.exceptions.values()];
  let step = 60;
  for (const s of schedules) for (const p of s ?? []) step = gcd(step, p.minute % 60 || 60);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!OWNED.test(k)) extra[k] = v;
  const max = options._max_capacity;
  return {
    zone: plan.zone,
    maxCapacity: max === undefined || max === null ? "" : String(max),
    step,
    weekly: plan.weekly.slice(1).map((s) => (s ? cellsOf(s, step) : null)),
    exceptions: [...plan.exceptions].map(([date, s]) => ({ date, values: cellsOf(s, step) })),
    asText: [1, 2, 3, 4, 5, 6, 7, "add"].every((d) => typeof options[`_capacity_${d}`] !== "object" || options[`_capacity_${d}`] === null),
    extra,
  };
}

/** Change points of one day, in time order: a key where the value changes (0 before the first key is implicit). */
function dayPoints(values: number[], step: number): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let prev = 0;
  values.forEach((v, i) => {
    if (v === prev) return;
    const m = i * step;
    out.push([`${pad2(Math.floor(m / 60))}${pad2(m % 60)}`, v]);
    prev = v;
  });
  return out;
}

type Nested = Array<[string, Array<[string, number]>]>;

// JSON text written by hand: an object would list "0800" after "1200" (integer-like keys go first in JS)
const jsonText = (v: Nested) =>
  `{${v.map(([k, pts]) => `${JSON.stringify(k)}:{${pts.map(([t, n]) => `"${t}":${n}`).join(",")}}`).join(",")}}`;
const jsonObject = (v: Nested) => Object.fromEntries(v.map(([k, pts]) => [k, Object.fromEntries(pts)]));

/** The flat option map to store (with `_service`). */
export function capacityOptions(m: CapacityModel): Record<string, unknown> {
  const out: Record<string, unknown> = { ...m.extra, _service: "capacity", _timezone: m.zone.trim() };
  const enc = (v: Nested) => (m.asText ? jsonText(v) : jsonObject(v));
  m.weekly.forEach((values, i) => {
    if (values) out[`_capacity_${i + 1}`] = enc([[String(i + 1), dayPoints(values, m.step)]]);
  });
  if (m.exceptions.length) out._capacity_add = enc(m.exceptions.map((e) => [e.date.trim(), dayPoints(e.values, m.step)]));
  if (m.maxCapacity.trim() !== "") out._max_capacity = m.maxCapacity.trim();
  return out;
}

/** Field errors (`zone`, `maxCapacity`, `exceptions.<i>`), with the engine's own validator. */
export function capacityErrors(m: CapacityModel): Record<string, string> {
  const errors: Record<string, string> = {};
  const zoneErr = m.zone.trim() === "" ? "Choose a time zone" : validateCapacityOption("_timezone", m.zone.trim());
  if (zoneErr) errors.zone = zoneErr;
  const maxErr = validateCapacityOption("_max_capacity", m.maxCapacity.trim());
  if (maxErr) errors.maxCapacity = maxErr;
  const seen = new Set<string>();
  m.exceptions.forEach((e, i) => {
    const date = e.date.trim();
    const err = seen.has(date) ? `${date} is listed twice` : validateCapacityOption("_capacity_add", { [date]: {} });
    if (err) errors[`exceptions.${i}`] = err;
    seen.add(date);
  });
  return errors;
}
