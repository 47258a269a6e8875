// Read model of the Availability heatmap: every bucket of `days` local days, open or closed, with its capacity and
// bookings, from the very grid availability v2 answers from (lib/callback/availability bucketGrid).
import { DateTime } from "luxon";
import type { EngineCtx } from "../callback/context";
import { badParameter } from "../callback/errors";
import { bucketGrid, officeZone } from "../callback/availability";
import { serviceConfig } from "../callback/config";
import type { HeatmapQuery } from "./action-schemas";

export interface HeatmapData {
  service: string;
  /** The zone the days are days of, and the office zone of the service (its office hours or capacity plan). */
  zone: string;
  officeZone: string;
  bucketMinutes: number;
  /** [from, to) in epoch ms: midnight of the start day to midnight after the last day, in `zone`. */
  from: number;
  to: number;
  now: number;
  /** Per bucket, ascending (bucket i starts at start[i]): capacity 0 and open 0 when the office is closed. */
  start: number[];
  open: number[];
  capacity: number[];
  booked: number[];
}

export async function heatmapData(ctx: EngineCtx, q: HeatmapQuery): Promise<HeatmapData> {
  const cfg = await serviceConfig(ctx.store, q.service);
  const office = officeZone(cfg);
  const zone = q.tz ?? office;
  const day = DateTime.fromISO(q.start, { zone });
  if (!day.isValid) throw badParameter(`Invalid start: '${q.start}'`);
  const from = day.startOf("day").toMillis();
  const to = day.startOf("day").plus({ days: q.days }).toMillis();
  const g = await bucketGrid(ctx.store, cfg, from, to);
  return {
    service: cfg.name,
    zone,
    officeZone: office,
    bucketMinutes: cfg.bucketMinutes,
    from,
    to,
    now: ctx.now(),
    start: Array.from({ length: g.length }, (_, i) => g.first + i * g.size),
    open: Array.from(g.open),
    capacity: Array.from(g.capacity),
    booked: Array.from(g.booked),
  };
}
