// The Callbacks panel's vocabulary, shared by the read model and the browser (no engine or database imports).
export const WINDOWS = {
  last24h: "Last 24 Hours",
  last7d: "Last 7 Days",
  last30d: "Last 30 Days",
  today: "Today",
  next24h: "Next 24 Hours",
  next7d: "Next 7 Days",
  next30d: "Next 30 Days",
  custom: "Custom range",
} as const;
export type WindowPreset = keyof typeof WINDOWS;

export const RANGE_MESSAGES = {
  order: "The start of the range must be before its end.",
  tooLong: "A custom range can span at most one month.",
  missing: "A custom range needs a start and an end.",
} as const;

/** How the empty state names a window: "No callbacks in the next 7 days." */
export const WINDOW_PHRASES: Record<WindowPreset, string> = {
  last24h: "in the last 24 hours",
  last7d: "in the last 7 days",
  last30d: "in the last 30 days",
  today: "today",
  next24h: "in the next 24 hours",
  next7d: "in the next 7 days",
  next30d: "in the next 30 days",
  custom: "in this range",
};
