// Inputs of the console's action routes: parsed at the edge with these schemas, and the same schemas drive the
// dialogs' forms (react-hook-form), so a field's error reads the same in the browser and from the server.
// Client-safe: zod and luxon only, nothing that reaches the database.
import { IANAZone } from "luxon";
import { z } from "zod";

const zone = z.string().refine((s) => IANAZone.isValidZone(s), { message: "Unknown time zone" });
const isoTime = z.iso.datetime({ offset: true, message: "Expected a date and time with its offset" });
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Expected a date as YYYY-MM-DD" });

export const CreateCallbackInput = z.object({
  service: z.string().trim().min(1, { message: "Choose a service" }).max(200),
  customerNumber: z.string().trim().min(1, { message: "Enter the customer's number" }).max(64),
  /** ISO 3166 alpha-2 country of a national number; "" or absent → the service's `_default_country`. */
  country: z
    .string()
    .trim()
    .regex(/^([A-Za-z]{2})?$/, { message: "Expected a two-letter country code" })
    .optional(),
  /** Absent → now (an immediate callback, handed over at once). */
  desiredTime: isoTime.optional(),
  properties: z
    .record(
      z
        .string()
        .trim()
        .min(1, { message: "A property needs a name" })
        .max(100)
        .regex(/^[^\s]+$/, { message: "A property name has no spaces" }),
      z.string().max(2000),
    )
    .refine((p) => Object.keys(p).length <= 50, { message: "At most 50 properties" })
    .optional(),
});
export type CreateCallbackInput = z.infer<typeof CreateCallbackInput>;

export const RescheduleInput = z.object({ desiredTime: isoTime });
export type RescheduleInput = z.infer<typeof RescheduleInput>;

/** The Callbacks panel's URL parameters as an object (what `useSearchParams` holds). */
const PanelQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const BulkCancelInput = z.union([
  z.strictObject({ ids: z.array(z.string().min(1).max(200)).min(1, { message: "Select at least one callback" }).max(100_000) }),
  z.strictObject({ query: PanelQuery, tz: zone.optional() }),
]);
export type BulkCancelInput = z.infer<typeof BulkCancelInput>;

export const AvailabilityQuery = z.object({
  service: z.string().min(1).max(200),
  date: localDate,
  /** The zone `date` is a day of; absent → the service's office zone. */
  tz: zone.optional(),
});
export type AvailabilityQuery = z.infer<typeof AvailabilityQuery>;

export const HEATMAP_MAX_DAYS = 30;

/** The Availability heatmap: `days` local days from `start` (a date in `tz`, absent → the office zone). */
export const HeatmapQuery = z.object({
  service: z.string().min(1).max(200),
  start: localDate,
  days: z.coerce
    .number()
    .int({ message: "Expected a whole number of days" })
    .min(1, { message: "At least 1 day" })
    .max(HEATMAP_MAX_DAYS, { message: `At most ${HEATMAP_MAX_DAYS} days` }),
  tz: zone.optional(),
});
export type HeatmapQuery = z.infer<typeof HeatmapQuery>;

export const CANCEL_REASONS = ["CANCELLED_BY_ADMIN", "CANCELLED"] as const;

export const CancelledReportQuery = z.object({
  reason: z.enum(CANCEL_REASONS).default("CANCELLED_BY_ADMIN"),
  /** Comma-separated property names; absent → the report's default columns. */
  columns: z.string().max(4000).optional(),
  /** Local dates in `tz`, both days included; the report itself covers 30 days back to 15 days ahead. */
  start: localDate.optional(),
  end: localDate.optional(),
  service: z.string().min(1).max(200).optional(),
  tz: zone.default("UTC"),
});
export type CancelledReportQuery = z.infer<typeof CancelledReportQuery>;

/** Extra columns of the current-view CSV (the panel's configurable keys), comma-separated. */
export const ViewExportColumns = z
  .string()
  .max(4000)
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean)
      .slice(0, 50),
  );

/** An option editor's values: option name → text ("" = not set, the default applies). */
const OptionTexts = z.record(z.string().min(1).max(200), z.string().max(100_000)).refine((o) => Object.keys(o).length <= 500, {
  message: "At most 500 options",
});

export const ServiceOptionsInput = z.object({ options: OptionTexts });
export type ServiceOptionsInput = z.infer<typeof ServiceOptionsInput>;

export const NewServiceInput = z.object({ name: z.string().trim().min(1, { message: "Enter a name" }).max(64), options: OptionTexts });
export type NewServiceInput = z.infer<typeof NewServiceInput>;

export const PauseInput = z.object({ paused: z.boolean() });
export type PauseInput = z.infer<typeof PauseInput>;

export const DuplicateInput = z.object({ name: z.string().trim().min(1, { message: "Enter a name" }).max(64) });
export type DuplicateInput = z.infer<typeof DuplicateInput>;
