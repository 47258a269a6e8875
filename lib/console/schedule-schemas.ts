// Inputs of the Office Hours and Capacity editors' routes. Client-safe: zod only.
import { z } from "zod";

const options = z.record(z.string(), z.unknown()).refine((o) => Object.keys(o).length <= 500, { message: "At most 500 options" });

/** Unsaved options and the week to evaluate them for (any date of it; the week starts on its Monday). */
export const SchedulePreviewInput = z.object({
  options,
  week: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Expected a date as YYYY-MM-DD" }),
});
export type SchedulePreviewInput = z.infer<typeof SchedulePreviewInput>;

export const ScheduleSaveInput = z.object({ options });
export type ScheduleSaveInput = z.infer<typeof ScheduleSaveInput>;
