// Query parameters of the edge: numbers are checked here, so `?limit=1.5` is a 400 and never reaches SQL.
import { badParameter } from "../callback/errors";

/** An optional integer parameter within [min, max]; absent or empty → `fallback`; anything else → 400 40010. */
export function intQuery(params: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw badParameter(`Invalid ${name}: '${raw}'. Expected an integer from ${min} to ${max}`);
  return n;
}
