// Every option of a service or the global settings (README "Options") — type, default, one-line description. The single
// source for validation (admin API), the console's option editor and the README option table (checked by
// test/options-doc.test.ts).
import { z } from "zod";
import { IANAZone } from "luxon";
import { validateOfficeHoursOption } from "./office-hours-grammar";
import { validateCapacityOption } from "./capacity-grammar";
import { isUnset } from "./values";
import type { Duration } from "./time";
import { isCountryCode } from "./phone";

export type Scope = "callback" | "office-hours" | "capacity" | "settings";
export type OptionType =
  | "boolean"
  | "integer"
  | "number"
  | "string"
  | "list"
  | "url"
  | "enum"
  | "duration"
  | "timezone"
  | "country"
  | "service"
  | "calendar"
  | "capacity"
  | "json";

/** Where an option sits in the console's option editor (README "Options" groups). */
export const OPTION_GROUPS = ["general", "office-hours", "capacity", "limits", "execution", "notifications", "simulator"] as const;
export type OptionGroup = (typeof OPTION_GROUPS)[number];

export interface OptionDef {
  name: string;
  group: OptionGroup;
  /** For option families like `_bh_regular<n>`: the regex the name must match. */
  family?: RegExp;
  scopes: Scope[];
  type: OptionType;
  values?: readonly string[];
  min?: number;
  max?: number;
  default?: string | number | boolean;
  required?: boolean;
  description: string;
}

const CB: Scope[] = ["callback"];
const CB_SET: Scope[] = ["callback", "settings"];

export const OPTION_DEFS: OptionDef[] = [
  {
    name: "_service",
    scopes: ["callback", "office-hours", "capacity"],
    group: "general",
    type: "enum",
    values: ["callback", "office-hours", "capacity"],
    required: true,
    description: "What the service is: callback execution, office-hours calendar or capacity plan",
  },
  // callback service options
  {
    name: "_type",
    scopes: CB,
    group: "execution",
    type: "enum",
    values: ["builtin", "ors"],
    default: "builtin",
    description: "Execution kind: builtin = embedded call-center simulator, ors = external engine over HTTP",
  },
  { name: "_ors", scopes: CB, group: "execution", type: "url", description: "URL of the external execution engine (_type=ors)" },
  {
    name: "_business_hours_service",
    scopes: CB,
    group: "office-hours",
    type: "service",
    description: "Office-hours service checked for desired times",
  },
  {
    name: "_capacity_service",
    scopes: CB,
    group: "capacity",
    type: "service",
    description: "Capacity plan; else _max_request_by_time_bucket per bucket",
  },
  {
    name: "_request_time_bucket",
    scopes: CB,
    group: "capacity",
    type: "enum",
    values: ["5", "10", "15", "20", "30", "60", "120"],
    default: 5,
    description: "Bucket size in minutes",
  },
  {
    name: "_max_request_by_time_bucket",
    scopes: CB,
    group: "capacity",
    type: "integer",
    min: 0,
    default: 100,
    description: "Bucket capacity without a capacity service",
  },
  {
    name: "_request_execution_time_buffer",
    scopes: CB,
    group: "execution",
    type: "integer",
    min: 0,
    default: 120,
    description: "Seconds before the desired time at which a callback is handed to execution",
  },
  {
    name: "_request_queue_time_stat",
    scopes: CB,
    group: "general",
    type: "string",
    description: "EWT statistic; EWT = this service's own estimate in the immediate/scheduled rule",
  },
  {
    name: "_customer_lookup_keys",
    scopes: CB,
    group: "general",
    type: "list",
    default: "_customer_number",
    description: "Keys a client may query callbacks by",
  },
  {
    name: "_mandatory_customer_lookup_keys",
    scopes: CB,
    group: "general",
    type: "list",
    default: "_customer_number",
    description: "Keys required on Start-Callback",
  },
  {
    name: "_fix_plus_on_int_phone_numbers",
    scopes: CB_SET,
    group: "general",
    type: "boolean",
    default: true,
    description: "Add a missing + to international numbers",
  },
  {
    name: "_disallow_impossible_phone_numbers",
    scopes: CB,
    group: "general",
    type: "boolean",
    default: true,
    description: "Reject unparseable or impossible numbers for _default_country",
  },
  {
    name: "_disallow_premium_phone_numbers",
    scopes: CB,
    group: "general",
    type: "boolean",
    default: true,
    description: "Reject premium-rate numbers",
  },
  {
    name: "_default_country",
    scopes: CB,
    group: "general",
    type: "country",
    default: "US",
    description: "ISO 3166 alpha-2 country for national numbers",
  },
  {
    name: "_exceptions",
    scopes: CB,
    group: "general",
    type: "list",
    description: "Exception pattern groups; a matching number is rejected",
  },
  {
    name: "_enable_in_queue_checking",
    scopes: CB_SET,
    group: "limits",
    type: "enum",
    values: ["true", "strict", "false"],
    default: "true",
    description: "Open callbacks per number: true = max 2, strict = max 1, false = no check",
  },
  {
    name: "_max_queued_callbacks_per_service",
    scopes: CB,
    group: "limits",
    type: "integer",
    min: 0,
    description: "Cap on QUEUED callbacks of this service (40002)",
  },
  {
    name: "max_queued_callbacks_per_service",
    scopes: ["settings"],
    group: "limits",
    type: "integer",
    min: 0,
    description: "Default cap on QUEUED callbacks per service (40002)",
  },
  {
    name: "_throttle_callbacks_per_service_1",
    scopes: CB_SET,
    group: "limits",
    type: "integer",
    min: 0,
    default: 500,
    description: "At most N creations per _throttle_ttl_1 seconds (40003)",
  },
  {
    name: "_throttle_ttl_1",
    scopes: CB_SET,
    group: "limits",
    type: "integer",
    min: 1,
    default: 300,
    description: "First throttle window in seconds",
  },
  {
    name: "_throttle_callbacks_per_service_2",
    scopes: CB_SET,
    group: "limits",
    type: "integer",
    min: 0,
    default: 1000,
    description: "At most N creations per _throttle_ttl_2 seconds (40003)",
  },
  {
    name: "_throttle_ttl_2",
    scopes: CB_SET,
    group: "limits",
    type: "integer",
    min: 1,
    default: 3600,
    description: "Second throttle window in seconds",
  },
  {
    name: "_throttle_request_parameters",
    scopes: CB_SET,
    group: "limits",
    type: "list",
    default: "_customer_number",
    description: "Parameters counted per UTC day (40004)",
  },
  {
    name: "_throttle_request_parameters_limit",
    scopes: CB_SET,
    group: "limits",
    type: "integer",
    min: 0,
    default: 6,
    description: "Max creations per parameter value per UTC day",
  },
  {
    name: "_max_ors_submit_attempts",
    scopes: CB,
    group: "execution",
    type: "integer",
    min: 1,
    max: 100,
    default: 3,
    description: "Hand-off attempts before COMPLETED/SUBMIT_FAILED",
  },
  {
    name: "_ttl",
    scopes: CB,
    group: "limits",
    type: "integer",
    min: 1,
    default: 86400,
    description: "Seconds a record lives after its desired time; unfinished → FAIL_TIMEOUT_TTL",
  },
  {
    name: "_reject_past_desired_time",
    scopes: CB,
    group: "limits",
    type: "integer",
    min: 0,
    default: 300,
    description: "Seconds in the past a desired time is still taken as now (older → 40040)",
  },
  {
    name: "_reject_future_desired_time",
    scopes: CB,
    group: "limits",
    type: "duration",
    default: "1M",
    description: "How far ahead a desired time may be: <n>[s|m|h|d|M] (M = months; bare number = seconds)",
  },
  {
    name: "_overwritable_options",
    scopes: CB,
    group: "general",
    type: "list",
    description: "Options a request body may override (e.g. _ors,_target,_redirect)",
  },
  {
    name: "_redirect",
    scopes: CB,
    group: "general",
    type: "service",
    description: "Execute the request with another callback service instead",
  },
  { name: "_target", scopes: CB, group: "general", type: "string", description: "Routing target (stored, exported, passed to execution)" },
  { name: "_urs_virtual_queue", scopes: CB, group: "general", type: "string", description: "Virtual queue for callbacks" },
  { name: "_vq_for_outbound_calls", scopes: CB, group: "general", type: "string", description: "Virtual queue for outbound calls" },
  {
    name: "_urs_queued_ttl",
    scopes: CB,
    group: "execution",
    type: "integer",
    min: 1,
    default: 14400,
    description: "Max seconds waiting for an agent once QUEUED",
  },
  {
    name: "_wait_for_agent",
    scopes: CB,
    group: "execution",
    type: "boolean",
    default: false,
    description: "Call the customer only once an agent is reserved",
  },
  {
    name: "_wait_for_user_confirm",
    scopes: CB,
    group: "execution",
    type: "boolean",
    default: false,
    description: "Customer must confirm (press a key) before connecting",
  },
  {
    name: "_media_type",
    scopes: CB,
    group: "execution",
    type: "enum",
    values: ["voice", "chat"],
    default: "voice",
    description: "Media of the callback",
  },
  {
    name: "_booking_expiration_timeout",
    scopes: CB,
    group: "execution",
    type: "integer",
    min: 0,
    default: 30,
    description: "Seconds an access-number booking is held (user-originated scenarios)",
  },
  {
    name: "_max_time_to_wait_for_agent_on_the_call",
    scopes: CB,
    group: "execution",
    type: "integer",
    min: 1,
    default: 3600,
    description: "Max seconds a reached customer waits for an agent",
  },
  {
    name: "_agent_preview",
    scopes: CB,
    group: "execution",
    type: "boolean",
    default: false,
    description: "Show the callback to the agent before dialling",
  },
  {
    name: "_agent_preview_allow_reject",
    scopes: CB,
    group: "execution",
    type: "boolean",
    default: false,
    description: "Agent may reject the preview",
  },
  {
    name: "_agent_preview_timeout",
    scopes: CB,
    group: "execution",
    type: "integer",
    min: 0,
    default: 30,
    description: "Seconds the agent has to accept the preview",
  },
  {
    name: "_agent_preview_via_rp",
    scopes: CB,
    group: "execution",
    type: "boolean",
    default: false,
    description: "Deliver the preview through a routing point",
  },
  {
    name: "_agent_preview_timeout_set_notready",
    scopes: CB,
    group: "execution",
    type: "boolean",
    default: false,
    description: "Set the agent not-ready when the preview times out",
  },
  {
    name: "_agent_preview_set_notready_reason",
    scopes: CB,
    group: "execution",
    type: "string",
    description: "Not-ready reason used on preview timeout",
  },
  {
    name: "_agent_preview_set_notready_reason_key",
    scopes: CB,
    group: "execution",
    type: "string",
    description: "Key of the not-ready reason",
  },
  {
    name: "_agent_preview_set_notready_reason_attribute",
    scopes: CB,
    group: "execution",
    type: "string",
    description: "Attribute of the not-ready reason",
  },
  {
    name: "_enable_status_notification",
    scopes: CB,
    group: "notifications",
    type: "boolean",
    default: false,
    description: "POST state-change events to _status_notification_target",
  },
  {
    name: "_status_notification_target",
    scopes: CB,
    group: "notifications",
    type: "url",
    description: "URL receiving status notifications",
  },
  {
    name: "_paused",
    scopes: CB,
    group: "general",
    type: "boolean",
    default: false,
    description: "Pause the service: QUEUED → PAUSED, resumed → QUEUED",
  },
  // Simulator (ours): the builtin execution engine's call-center model.
  {
    name: "_sim_agents",
    scopes: CB,
    group: "simulator",
    type: "integer",
    min: 0,
    max: 1000,
    default: 3,
    description: "Simulator: agents serving this service",
  },
  {
    name: "_sim_speed",
    scopes: CB,
    group: "simulator",
    type: "number",
    min: 0.01,
    max: 10000,
    default: 1,
    description: "Simulator: time speed factor (10 = ten times faster than real time)",
  },
  {
    name: "_sim_answer_rate",
    scopes: CB,
    group: "simulator",
    type: "number",
    min: 0,
    max: 1,
    default: 0.8,
    description: "Simulator: probability the customer answers",
  },
  {
    name: "_sim_busy_rate",
    scopes: CB,
    group: "simulator",
    type: "number",
    min: 0,
    max: 1,
    default: 0.05,
    description: "Simulator: probability the line is busy",
  },
  {
    name: "_sim_answering_machine_rate",
    scopes: CB,
    group: "simulator",
    type: "number",
    min: 0,
    max: 1,
    default: 0.05,
    description: "Simulator: probability an answering machine picks up (rest: no answer)",
  },
  {
    name: "_sim_dial_seconds",
    scopes: CB,
    group: "simulator",
    type: "integer",
    min: 1,
    default: 15,
    description: "Simulator: mean seconds to reach the customer",
  },
  {
    name: "_sim_talk_seconds",
    scopes: CB,
    group: "simulator",
    type: "integer",
    min: 1,
    default: 180,
    description: "Simulator: mean conversation seconds",
  },
  {
    name: "_sim_preview_reject_rate",
    scopes: CB,
    group: "simulator",
    type: "number",
    min: 0,
    max: 1,
    default: 0.1,
    description: "Simulator: probability an agent rejects a preview",
  },
  { name: "_sim_seed", scopes: CB, group: "simulator", type: "integer", description: "Simulator: random seed for reproducible runs" },
  // office hours
  {
    name: "_timezone",
    scopes: ["office-hours", "capacity"],
    group: "general",
    type: "timezone",
    required: true,
    description: "IANA time zone of the calendar / plan",
  },
  {
    name: "_bh_regular<n>",
    family: /^_bh_regular\d*$/,
    scopes: ["office-hours"],
    group: "office-hours",
    type: "calendar",
    description: "Regular opening: DDD[-DDD] HH:mm-HH:mm (wraps week and midnight)",
  },
  {
    name: "_bh_add<n>",
    family: /^_bh_add\d*$/,
    scopes: ["office-hours"],
    group: "office-hours",
    type: "calendar",
    description: "Special opening: YYYY-MM-DD or yearly MM-DD, then HH:mm-HH:mm",
  },
  {
    name: "_bh_drop<n>",
    family: /^_bh_drop\d*$/,
    scopes: ["office-hours"],
    group: "office-hours",
    type: "calendar",
    description: "Closed date YYYY-MM-DD or yearly MM-DD, optional HH:mm-HH:mm",
  },
  {
    name: "_holiday<n>",
    family: /^_holiday\d*$/,
    scopes: ["office-hours"],
    group: "office-hours",
    type: "calendar",
    description: "Holiday: YYYY-MM-DD or yearly MM-DD, optional HH:mm-HH:mm",
  },
  {
    name: "_effective_dates<n>",
    family: /^_effective_dates\d*$/,
    scopes: ["office-hours"],
    group: "office-hours",
    type: "calendar",
    description: "YYYY-MM-DD to YYYY-MM-DD; closed outside all of them",
  },
  // capacity
  {
    name: "_capacity_<1-7>",
    family: /^_capacity_[1-7]$/,
    scopes: ["capacity"],
    group: "capacity",
    type: "capacity",
    description: 'Capacity per bucket for weekday N (1 = Monday): {"N": {"HHMM": n}}',
  },
  {
    name: "_capacity_add",
    scopes: ["capacity"],
    group: "capacity",
    type: "capacity",
    description: 'Date exceptions: {"YYYY-MM-DD": {"HHMM": n}}',
  },
  {
    name: "_max_capacity",
    scopes: ["capacity"],
    group: "capacity",
    type: "integer",
    min: 0,
    default: 1000,
    description: "Caps every capacity value",
  },
  // global settings
  {
    name: "returned-keys",
    scopes: ["settings"],
    group: "general",
    type: "list",
    default: "_desired_time,_callback_state,_callback_reason,_ors_session_id",
    description: "Keys returned by queries besides the always-returned ones",
  },
  {
    name: "filter-keys",
    scopes: ["settings"],
    group: "general",
    type: "list",
    default: "_callback_state,_callback_reason,_request_queue_time_stat,_request_ewt_service,_vq",
    description: "Extra filter params accepted by admin queue queries",
  },
  {
    name: "completed-retention",
    scopes: ["settings"],
    group: "general",
    type: "duration",
    default: "7d",
    description: "How long COMPLETED records are kept after _expiration_time",
  },
];

const byName = new Map(OPTION_DEFS.filter((d) => !d.family).map((d) => [d.name, d]));
const families = OPTION_DEFS.filter((d) => d.family);

export function findOption(name: string, scope: Scope): OptionDef | undefined {
  const d = byName.get(name) ?? families.find((f) => f.family!.test(name));
  return d && d.scopes.includes(scope) ? d : undefined;
}

const DURATION = /^(\d+)\s*([smhdM]?)$/;

/** Parses `<n>[s|m|h|d|M]` into {amount, unit}; a bare number means seconds. */
export function parseDuration(v: string): Duration | null {
  const m = DURATION.exec(v.trim());
  if (!m) return null;
  return { amount: Number(m[1]), unit: (m[2] || "s") as Duration["unit"] };
}

const SERVICE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TOKEN = /\$[A-Za-z0-9_.-]+\$/;
export const isServiceName = (s: string) => SERVICE_NAME.test(s);

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** The zod schema of one option: accepts GMS-style strings or JSON values, checks the type. */
function optionSchema(def: OptionDef, name: string = def.name): z.ZodType<unknown> {
  const asText = (v: unknown) => (typeof v === "string" ? v.trim() : String(v));
  switch (def.type) {
    case "boolean":
      return scalar.refine((v) => typeof v === "boolean" || /^(true|false)$/i.test(asText(v)), "must be true or false");
    case "integer":
    case "number":
      return scalar.superRefine((v, ctx) => {
        const t = asText(v);
        const n = typeof v === "number" ? v : t === "" ? NaN : Number(t);
        if (typeof v === "boolean" || !Number.isFinite(n) || (def.type === "integer" && !Number.isInteger(n)))
          return void ctx.addIssue({ code: "custom", message: `must be ${def.type === "integer" ? "an integer" : "a number"}` });
        if (def.min !== undefined && n < def.min) ctx.addIssue({ code: "custom", message: `must be >= ${def.min}` });
        if (def.max !== undefined && n > def.max) ctx.addIssue({ code: "custom", message: `must be <= ${def.max}` });
      });
    case "enum":
      return scalar.refine((v) => def.values!.includes(asText(v).toLowerCase()), `must be one of ${def.values!.join(", ")}`);
    case "duration":
      return scalar.refine((v) => parseDuration(asText(v)) !== null, "must be a duration <n>[s|m|h|d|M]");
    case "timezone":
      return z.string().refine((v) => IANAZone.isValidZone(v.trim()), "must be an IANA time zone such as America/New_York");
    case "country":
      return z.string().refine((v) => isCountryCode(v.trim().toUpperCase()), "must be an ISO 3166 alpha-2 country code such as US");
    case "service":
      return z.string().refine((v) => isServiceName(v.trim()), "must be a service name (1-64 of A-Z a-z 0-9 _ . -)");
    case "url":
      return z.string().refine((v) => /^https?:\/\/[^\s]+$/i.test(v.trim()) || v.includes("$"), "must be an http(s) URL");
    case "calendar":
      return z.string().superRefine((v, ctx) => {
        const err = validateOfficeHoursOption(name.replace(/<n>$/, ""), v);
        if (err) ctx.addIssue({ code: "custom", message: err });
      });
    case "capacity":
      return z.union([z.string(), z.record(z.string(), z.unknown())]).superRefine((v, ctx) => {
        const err = validateCapacityOption(name === "_capacity_<1-7>" ? "_capacity_1" : name, v);
        if (err) ctx.addIssue({ code: "custom", message: err });
      });
    case "list":
    case "string":
      return scalar;
    case "json":
      return z.unknown();
  }
}

export interface OptionIssue {
  option: string;
  message: string;
}

/**
 * Validates a flat option map for a scope. Unknown options are kept untouched; known ones are type-checked.
 * "" (or null) means "not set": always accepted, the default applies. Returns every problem, each naming its option.
 */
export function validateOptions(options: Record<string, unknown>, scope: Scope): OptionIssue[] {
  const issues: OptionIssue[] = [];
  for (const [name, value] of Object.entries(options)) {
    if (value === "" || value === null || value === undefined) continue;
    // a `$name$` token is resolved from each request's params: its type is checked then, not here
    if (scope === "callback" && typeof value === "string" && TOKEN.test(value)) continue;
    const def = findOption(name, scope);
    if (!def) continue;
    const r = optionSchema(def, name).safeParse(value);
    if (!r.success) issues.push({ option: name, message: r.error.issues.map((i) => i.message).join("; ") });
  }
  for (const def of OPTION_DEFS) {
    if (def.required && def.scopes.includes(scope) && !def.family && isUnset(options[def.name]))
      if (!(def.name === "_service" && scope === "settings")) issues.push({ option: def.name, message: "is required" });
  }
  return issues;
}

export { isUnset };

/** Option value as text ("" when unset); objects become their JSON text. */
export function optText(options: Record<string, unknown>, name: string): string {
  const v = options[name];
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v).trim();
}

/** Reads a typed option value with its default (service value, else settings fallback, else default). */
export function optValue(
  name: string,
  options: Record<string, unknown>,
  fallback?: Record<string, unknown>,
): string | number | boolean | undefined {
  const def = byName.get(name) ?? families.find((f) => f.family!.test(name));
  let raw = options[name];
  if (isUnset(raw) && fallback) raw = fallback[name];
  if (isUnset(raw)) return def?.default;
  if (!def) return typeof raw === "object" ? JSON.stringify(raw) : (raw as string | number | boolean);
  const t = typeof raw === "object" ? JSON.stringify(raw) : String(raw).trim();
  switch (def.type) {
    case "boolean":
      return typeof raw === "boolean" ? raw : /^true$/i.test(t);
    case "integer":
    case "number":
      return typeof raw === "number" ? raw : Number(t);
    case "enum":
      return t.toLowerCase();
    default:
      return t;
  }
}

export const list = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : String(v)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
