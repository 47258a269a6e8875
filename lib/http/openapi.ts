// The OpenAPI 3.1 document of /genesys (README "API reference"), built from the routing table (lib/http/routes.ts:
// every route, its method, path parameters and access), the zod schemas the admin handlers parse bodies with, the
// option definitions (lib/callback/options.ts) and the error table (CODES in lib/callback/errors.ts). The prose
// below (summaries, query parameters, answers) is the only hand-written part; a route without it is an error.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Access, Router } from "./router";
import { CODES, EXC, CallbackError, type ErrorCode, type ErrorExtras } from "../callback/errors";
import { OPTION_DEFS, type OptionDef, type Scope } from "../callback/options";
import { STATES } from "../callback/state";
import { BulkCancelBody } from "../callback/bulk-cancel";
import { ReportBody } from "../callback/report";
import { ForgetBody } from "../callback/forget";
import { UserBody } from "../auth/users-admin";
import { ROLES } from "../auth/users";
import pkg from "../../package.json";

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });
const int = (description: string, extra: Schema = {}): Schema => ({ type: "integer", description, ...extra });
const ISO = "ISO 8601 with an offset (`2026-12-01T15:00:00.000Z`, `-0500`)";

/** A zod schema as JSON Schema (draft 2020-12, which OpenAPI 3.1 uses), as the client sends it. */
function fromZod(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Schema;
  return json;
}

// ---- errors: every code of CODES, with an example body made by CallbackError itself ----

/** An example message (and extras) per code; a Record, so a code added to CODES without one fails the type-check. */
const ERROR_EXAMPLES: Record<ErrorCode, { message: string; extras?: ErrorExtras; when: string }> = {
  401: { message: "Authentication required: HTTP Basic credentials of a console user", when: "no or wrong credentials / API key" },
  403: { message: "Role 'admin' or higher is required; user 'ann' has role 'monitor'", when: "the user's role is too low" },
  404: { message: "No such resource: GET /genesys/1/nothing", when: "unknown route" },
  405: { message: "Method PATCH is not allowed on /genesys/1/ping", when: "known route, other method (with `Allow`)" },
  413: { message: "Request body too large (max 16384 bytes)", when: "console sign-in body too large" },
  429: { message: "Too many sign-in attempts; try again in 60 s", when: "sign-in throttling (with `Retry-After`)" },
  40001: {
    message: "There is already 2 or more Callbacks QUEUED for this number, please refer to _enable_in_queue_checking for detail.",
    extras: { properties: { max_queued: 2 } },
    when: "in-queue checking: the number already has open callbacks",
  },
  40002: { message: "Limit of queued callbacks for sales is reached.", when: "queued callbacks per service" },
  40003: { message: "Limit of queued callbacks for sales is reached for interval 300s.", when: "throttle per interval" },
  40004: {
    message:
      "Callback for _customer_number=+16175550123 rejected because previous callbacks for this parameter were requested for more than 6 " +
      "times today.",
    when: "throttle per parameter value per UTC day",
  },
  40010: { message: "Missing parameter: _customer_number", when: "missing or invalid parameter, malformed body, bad number" },
  40020: { message: "Request already cancelled or completed : [8d3c…]", when: "not allowed in this state; bad filter" },
  40030: { message: "Callback 8d3c… cannot be found", when: "callback (400) or configured resource (404) not found" },
  40040: { message: "Desired time 2026-01-01T10:00:00.000Z is in the past", when: "desired time outside the allowed window" },
  40050: {
    message: '{"status":"closed","reason":"closed_day_of_week"}',
    extras: { exception: EXC.service, availability: { "2026-12-01T14:00:00.000Z": 5, "2026-12-01T14:15:00.000Z": 5 } },
    when: "office closed at the desired time (+ `availability` proposals)",
  },
  40051: {
    message: "Too many requests at desired time [2026-12-01T15:00:00.000Z, 2026-12-01T15:15:00.000Z]. Proposing time slots.",
    extras: { availability: { "2026-12-01T14:45:00.000Z": 3, "2026-12-01T15:15:00.000Z": 5 } },
    when: "time bucket full (+ `availability` proposals)",
  },
  50004: { message: "Capacity service plan cannot be found", when: "capacity service missing or misconfigured" },
  50005: { message: "Office-hours service office cannot be found", when: "office-hours service missing or misconfigured" },
  50006: {
    message: "Callback 8d3c… reached maximum attempts to submit to ORS reached (3)",
    extras: { properties: { id: "8d3c…", "max-attempts": 3 } },
    when: "hand-off to execution failed too often",
  },
  50020: { message: "Storage error, please retry", when: "database failure" },
  50030: { message: "Cancel of callback 8d3c… failed in execution: timeout", when: "execution engine failure" },
  50040: { message: "Redirect to other failed", when: "redirected service failed" },
  50050: {
    message: "Error processing callback internal error",
    extras: { properties: { message: "internal error" } },
    when: "unexpected error (detail only in the server log)",
  },
};

const ALL_CODES = Object.keys(CODES).map(Number) as ErrorCode[];

function errorComponents(): { schema: Schema; examples: Record<string, Schema>; table: string } {
  const examples: Record<string, Schema> = {};
  const rows: string[] = [];
  for (const code of ALL_CODES) {
    const { status, phrase } = CODES[code];
    const ex = ERROR_EXAMPLES[code];
    examples[`E${code}`] = { summary: `${code} ${phrase}`, value: new CallbackError(code, ex.message, ex.extras).toBody() };
    rows.push(`| ${code} | ${status} | ${phrase} | ${ex.when} |`);
  }
  const schema: Schema = {
    type: "object",
    description: "The GMS 8.5.2+ error body of every failure. `properties` and `availability` only where the code defines them.",
    required: ["code", "phrase", "message", "exception"],
    properties: {
      code: int("The error code: a GMS code, or the HTTP status for refusals at the edge", { enum: ALL_CODES }),
      phrase: str("The code's phrase", { enum: [...new Set(ALL_CODES.map((c) => CODES[c].phrase))] }),
      message: str("What went wrong, for people (40050: a JSON string with `status` and `reason`)"),
      exception: str("The GMS exception class, kept for clients that read it", { enum: [...new Set(Object.values(EXC))] }),
      properties: { type: "object", description: "40001 `max_queued`, 50006 `id` and `max-attempts`, 50050 `message`" },
      availability: {
        type: "object",
        description: '40050 / 40051: proposed open slots, `{"<slot start ISO>": <remaining capacity>}`',
        additionalProperties: { type: "integer" },
      },
    },
  };
  const table = ["| code | HTTP | phrase | when |", "|---|---|---|---|", ...rows].join("\n");
  return { schema, examples, table };
}

// ---- service options, from the option definitions ----

function optionSchema(def: OptionDef): Schema {
  const base: Schema = { description: def.description };
  if (def.default !== undefined) base.default = def.default;
  switch (def.type) {
    case "boolean":
      return { ...base, type: ["boolean", "string"], examples: [true, "false"] };
    case "integer":
    case "number":
      return {
        ...base,
        type: [def.type, "string"],
        ...(def.min !== undefined && { minimum: def.min }),
        ...(def.max !== undefined && { maximum: def.max }),
      };
    case "enum": {
      const values = def.values ?? [];
      // the JSON forms the option also accepts: 15 for "15", true for "true"
      const typed = values.flatMap((v): Array<number | boolean> =>
        /^\d+$/.test(v) ? [Number(v)] : v === "true" || v === "false" ? [v === "true"] : [],
      );
      return { ...base, enum: [...values, ...typed] };
    }
    case "duration":
      return { ...base, type: ["string", "integer"], pattern: "^\\d+\\s*[smhdM]?$" };
    case "capacity":
      return { ...base, type: ["string", "object"] };
    case "json":
      return base;
    default:
      return { ...base, type: "string" };
  }
}

function optionsSchema(scope: Scope, title: string): Schema {
  const properties: Record<string, Schema> = {};
  const patternProperties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const def of OPTION_DEFS) {
    if (!def.scopes.includes(scope)) continue;
    if (def.name === "_service") properties._service = { const: scope, description: def.description };
    else if (def.family) patternProperties[def.family.source] = optionSchema(def);
    else properties[def.name] = optionSchema(def);
    if (def.required && !(def.name === "_service" && scope === "settings")) required.push(def.name);
  }
  return {
    type: "object",
    title,
    description:
      'Option values may be strings (as in GMS configuration) or JSON values; "" means not set (the default applies). Unknown options ' +
      "are kept.",
    properties,
    ...(Object.keys(patternProperties).length > 0 && { patternProperties }),
    ...(required.length > 0 && { required }),
    additionalProperties: true,
  };
}

// ---- the other schemas ----

const flat = (description: string): Schema => ({ type: "string", description });
const STATE = { type: "string", enum: [...STATES] };

function schemas(gmsError: Schema): Record<string, Schema> {
  return {
    GmsError: gmsError,
    CallbackRecord: {
      type: "object",
      description:
        "A callback as returned by queries: the always-returned keys, the `returned-keys` setting and the lookup keys. Values are strings.",
      properties: {
        _id: str("Callback id"),
        _service_name: str("Its callback service"),
        _desired_time: str("When the customer wants the call (UTC)", { format: "date-time" }),
        _callback_state: { ...STATE, description: "State" },
        _callback_reason: str("Why it is in this state (e.g. COMPLETED/CANCELLED)"),
        _expiration_time: str("When the record expires (UTC)", { format: "date-time" }),
        _customer_number: str("Customer phone number"),
        _url: str("This callback's URL"),
        _ors_session_id: str("Execution session id"),
      },
      additionalProperties: { type: "string" },
    },
    StartCallbackRequest: {
      type: "object",
      description:
        "A flat GMS parameter map. Any other key is stored as a property of the callback (numbers and booleans as their text). URL " +
        "query parameters count too; body parameters win.",
      properties: {
        _customer_number: flat("Phone number to call (required unless `_mandatory_customer_lookup_keys` says otherwise)"),
        _desired_time: flat(`When to call; absent = as soon as possible. ${ISO}`),
        _callback_state: flat("Force the initial state"),
        _urs_virtual_queue: flat("Virtual queue for the callback"),
        _request_queue_time_stat: flat("EWT statistic"),
        _id: flat("Id of a COMPLETED callback to redial: its properties are copied, then this body is merged over them"),
        _ors: flat("Execution engine URL (only if listed in `_overwritable_options`)"),
        _target: flat("Routing target (only if listed in `_overwritable_options`)"),
        _redirect: flat("Service to execute with instead (only if listed in `_overwritable_options`)"),
      },
      additionalProperties: { type: "string" },
      examples: [{ _customer_number: "+16175550123", _desired_time: "2026-12-01T15:00:00.000Z", customer_name: "Ada" }],
    },
    StartCallbackAnswer: {
      type: "object",
      required: ["_id"],
      description: "Scheduled: only `_id`. Immediate: also the confirmation dialog, under both the GMS and the older names.",
      properties: {
        _id: str("The new callback's id"),
        _dialog_id: str("0"),
        _action: str("ConfirmationDialog"),
        _text: str("You will receive the call shortly"),
        _ok_title: str("Ok"),
        ID: str("Older clients: `_dialog_id`"),
        Action: str("Older clients: `_action`"),
        Text: str("Older clients: `_text`"),
        OkTitle: str("Older clients: `_ok_title`"),
      },
    },
    UpdateCallbackRequest: {
      type: "object",
      description:
        'Properties to update (`""` removes one). `_id`, `_service_name`, `_url`, `_time_scheduled`, `_expiration_time` and ' +
        "`_desired_time` are ignored.",
      properties: {
        _new_desired_time: flat(`Reschedule (SCHEDULED callbacks only), checked like a start. ${ISO}`),
        _callback_state: { ...STATE, description: "Progress reported by an external execution engine (legal transitions only)" },
        _callback_reason: flat("Reason that goes with `_callback_state`"),
        _ors_session_id: flat("Execution session id"),
        _customer_number: flat("New number, validated like on start"),
      },
      additionalProperties: { type: "string" },
      examples: [{ _new_desired_time: "2026-12-01T16:00:00.000Z", note: "call after 11" }],
    },
    AvailabilityV1: {
      type: "object",
      description: 'Open slots in ascending order: `{"<slot start ISO>": <remaining capacity>}`; closed and full slots are left out.',
      additionalProperties: { type: "integer" },
      examples: [{ "2026-12-01T14:00:00.000Z": 5, "2026-12-01T14:15:00.000Z": 3 }],
    },
    AvailabilityV2: {
      type: "object",
      required: ["slots", "durationMin", "timezone"],
      properties: {
        slots: {
          type: "array",
          items: {
            type: "object",
            properties: {
              utcTime: str("Slot start, UTC", { format: "date-time" }),
              localTime: str("Slot start in `timezone`, `yyyy-MM-ddTHH:mm:ss.SSS`"),
              capacity: int("Remaining capacity (0 only with `report-busy`)"),
              total: int("Capacity of the slot"),
            },
          },
        },
        durationMin: int("Slot length in minutes"),
        timezone: str("IANA zone of `localTime`"),
      },
    },
    QueuePosition: {
      type: "object",
      properties: {
        _position: int("1 = next"),
        _total_waiting: int("QUEUED callbacks of the service"),
        _eta: str("Expected time to reach an agent", { format: "date-time" }),
        ewt: int("Estimated waiting time in seconds"),
        _agent_ready_threshold_passed: { type: "boolean", description: "Expected to reach an agent within the execution buffer" },
      },
    },
    HelperAnswer: {
      oneOf: [
        {
          title: "Office hours",
          type: "object",
          properties: {
            service: str("Service name"),
            timezone: str("IANA zone"),
            days: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  date: str("Local date"),
                  open: { type: "array", items: { type: "object", properties: { start: str("UTC"), end: str("UTC") } } },
                  closedReason: str("Why the day is closed", { enum: ["closed_day_of_week", "closed_holiday", "closed_no_match"] }),
                },
              },
            },
          },
        },
        {
          title: "Capacity",
          type: "object",
          properties: {
            service: str("Service name"),
            timezone: str("IANA zone"),
            periods: {
              type: "array",
              items: {
                type: "object",
                properties: { start: str("UTC"), end: str("UTC"), localStart: str("Local start"), capacity: int("Per bucket") },
              },
            },
          },
        },
      ],
    },
    PhoneNumber: {
      type: "object",
      properties: {
        number: str("As given"),
        country: str("Country used to parse it"),
        e164: str("E.164 form"),
        national: str("National format"),
        international: str("International format"),
        type: str("libphonenumber type (MOBILE, FIXED_LINE, PREMIUM_RATE, …)"),
        "is-valid": { type: "boolean" },
        "is-possible": { type: "boolean" },
        "is-premium": { type: "boolean" },
        region: str("Region of the number"),
      },
    },
    CallbackServiceOptions: optionsSchema("callback", "callback service"),
    OfficeHoursServiceOptions: optionsSchema("office-hours", "office-hours service"),
    CapacityServiceOptions: optionsSchema("capacity", "capacity service"),
    ServiceOptions: {
      description: "A service's flat option map; `_service` says which kind.",
      oneOf: [ref("CallbackServiceOptions"), ref("OfficeHoursServiceOptions"), ref("CapacityServiceOptions")],
    },
    CallbackSettings: optionsSchema("settings", "global callback settings"),
    PatternGroup: {
      type: "object",
      description: 'Named exception patterns in RE2 syntax: `{"<pattern name>": "<regex>"}`',
      additionalProperties: { type: "string" },
      examples: [{ premium: "^\\+33(8|9)" }],
    },
    User: {
      type: "object",
      properties: {
        username: str("User name"),
        role: { type: "string", enum: [...ROLES] },
        created: str("Creation time", { format: "date-time" }),
      },
    },
    UserRequest: fromZod(UserBody),
    BulkCancelRequest: { ...fromZod(BulkCancelBody), examples: [{ reason: "CANCELLED_BY_ADMIN", ids: ["8d3c…"] }] },
    BulkCancelSummary: {
      type: "object",
      properties: {
        operation: str("Operation id"),
        status: str("State of the operation", { enum: ["running", "completed", "failed"] }),
        reason: str("CANCELLED_BY_ADMIN"),
        actor: str("Who started it"),
        started: str("Start time", { format: "date-time" }),
        finished: str("End time", { format: "date-time" }),
        total: int("Callbacks selected"),
        cancelled: int("Cancelled"),
        skipped: int("Left as they are (PROCESSING, COMPLETED)"),
        failed: int("Could not be cancelled"),
        results: {
          type: "array",
          items: {
            type: "object",
            properties: {
              _id: str("Callback id"),
              status: str("Outcome", { enum: ["cancelled", "skipped", "failed"] }),
              message: str("Why"),
            },
          },
        },
      },
    },
    ReportRequest: fromZod(ReportBody),
    ForgetRequest: fromZod(ForgetBody),
    ForgetResult: {
      type: "object",
      properties: {
        success: { type: "array", items: { type: "object", additionalProperties: { type: "string" } } },
        errors: {
          type: "array",
          items: {
            type: "object",
            properties: { code: int("40020"), phrase: str("INVALID_OPERATION"), _id: str("Callback id"), message: str("Why") },
          },
        },
      },
    },
  };
}

// ---- operations: the hand-written part, keyed by the routing table's "METHOD path" ----

interface Param {
  name: string;
  description: string;
  schema?: Schema;
  required?: boolean;
  explode?: boolean;
}
interface Answer {
  status: number;
  description: string;
  schema?: Schema;
  csv?: boolean;
  headers?: Record<string, string>;
}
interface Op {
  id: string;
  tag: string;
  summary: string;
  description?: string;
  params?: Record<string, string>; // path parameter descriptions beyond the defaults
  query?: Param[];
  body?: { schema: Schema; form?: "flat" | "text-lists" };
  answers: Answer[];
  errors: Array<ErrorCode | [ErrorCode, number]>;
}

const PATH_PARAMS: Record<string, string> = {
  service: "Callback service name",
  id: "Callback id",
  name: "Service name",
  group: "Exception pattern group",
  operation: "Bulk cancel operation id",
};

const q = (name: string, description: string, schema: Schema = { type: "string" }, extra: Partial<Param> = {}): Param => ({
  name,
  description,
  schema,
  ...extra,
});
const LOOKUP: Param[] = [
  q("_customer_number", "Lookup key (default `_customer_lookup_keys`); a number is matched after `+` fixing. Alias `customer_number`"),
  q("operand", "How several lookup keys combine", { type: "string", enum: ["AND", "OR"], default: "AND" }),
  q("_callback_state", "`STATE` or `!STATE`"),
  q("scheduled_after", `Only callbacks whose \`_desired_time\` is at or after this time, ${ISO}`),
  q("scheduled_before", `Only callbacks whose \`_desired_time\` is before this time, ${ISO}`),
];
const RANGE: Param[] = [
  q("start", `Range start (default now), ${ISO}`),
  q("end", "Range end (exclusive)"),
  q("number-of-days", "Range length in days instead of `end`", { type: "integer", minimum: 1 }),
  q("max-time-slots", "At most this many slots", { type: "integer", minimum: 1 }),
];
const ok = (description: string, schema?: Schema): Answer => ({ status: 200, description, schema });
const NOT_FOUND_404: [ErrorCode, number] = [40030, 404];
const RECORDS = { type: "array", items: ref("CallbackRecord") };

const OPS: Record<string, Op> = {
  "POST /genesys/1/service/callback/:service": {
    id: "startCallback",
    tag: "Callbacks",
    summary: "Start-Callback",
    description:
      "Creates a callback, scheduled (`_desired_time`) or immediate. Checked in GMS order: service, mandatory keys, overwritable " +
      "options and `$token$`s, `_redirect`, number, desired-time window, office hours, bucket capacity, duplicates, limits.",
    body: { schema: ref("StartCallbackRequest"), form: "flat" },
    answers: [ok("Accepted", ref("StartCallbackAnswer"))],
    errors: [40001, 40002, 40003, 40004, 40010, 40030, NOT_FOUND_404, 40040, 40050, 40051, 50004, 50005, 50006, 50040],
  },
  "GET /genesys/1/service/callback/:service": {
    id: "queryCallbacksOfService",
    tag: "Callbacks",
    summary: "Query callbacks of a service by lookup properties",
    query: LOOKUP,
    answers: [ok("Matching callbacks", RECORDS)],
    errors: [40010, 40020, NOT_FOUND_404],
  },
  "GET /genesys/1/service/callback": {
    id: "queryCallbacks",
    tag: "Callbacks",
    summary: "Query callbacks by id or lookup properties",
    query: [q("_id", "A callback id: answers `[record]`"), ...LOOKUP],
    answers: [ok("Matching callbacks", RECORDS)],
    errors: [40010, 40020, 40030],
  },
  "GET /genesys/1/service/callback/:service/availability": {
    id: "availabilityV1",
    tag: "Availability",
    summary: "Availability v1",
    description: "Without `end` and `number-of-days` the range runs to the end of the start's day in the office time zone.",
    query: [q("timestamp", "Alias of `start`"), ...RANGE],
    answers: [ok("Open slots", ref("AvailabilityV1"))],
    errors: [40010, NOT_FOUND_404, 40050, 50004, 50005],
  },
  "GET /genesys/2/service/callback/:service/availability": {
    id: "availabilityV2",
    tag: "Availability",
    summary: "Availability v2",
    query: [
      ...RANGE,
      q("start-ms", "Range start in epoch milliseconds", { type: "integer" }),
      q("end-ms", "Range end in epoch milliseconds", { type: "integer" }),
      q("timezone", "IANA zone for date-only or zone-less `start`/`end` and for `localTime` (default: the office zone)"),
      q("report-busy", "Include full slots (capacity 0)", { type: "boolean" }),
    ],
    answers: [ok("Slots", ref("AvailabilityV2"))],
    errors: [40010, NOT_FOUND_404, 40050, 50004, 50005],
  },
  "GET /genesys/1/service/callback/:service/:id": {
    id: "getCallback",
    tag: "Callbacks",
    summary: "Query a callback by id",
    answers: [ok("The callback, in an array as GMS clients expect", RECORDS)],
    errors: [40030],
  },
  "PUT /genesys/1/service/callback/:service/:id": {
    id: "updateCallback",
    tag: "Callbacks",
    summary: "Reschedule or update a callback",
    body: { schema: ref("UpdateCallbackRequest"), form: "flat" },
    answers: [ok("Updated: `{}`", { type: "object" })],
    errors: [40010, 40020, 40030, 40040, 40050, 40051, 50004, 50005, 50006],
  },
  "DELETE /genesys/1/service/callback/:service/:id": {
    id: "cancelCallback",
    tag: "Callbacks",
    summary: "Cancel-Callback",
    description: "Only callbacks that are not COMPLETED. A handed-over callback's cancel goes to execution first.",
    query: [q("discard_ors_failure", "Cancel even when execution fails to", { type: "boolean" })],
    answers: [{ status: 200, description: "Cancelled (no body)" }],
    errors: [40020, 40030, 50030],
  },
  "POST /genesys/1/service/:name/check-queue-position": {
    id: "checkQueuePosition",
    tag: "Callbacks",
    summary: "Check queue position",
    params: { name: "Callback id" },
    description: "For a QUEUED callback: its position by original enqueue time, and the estimated wait.",
    answers: [ok("Position and EWT", ref("QueuePosition"))],
    errors: [40020, 40030],
  },
  "GET /genesys/1/service/:name/check-queue-position": {
    id: "checkQueuePositionGet",
    tag: "Callbacks",
    summary: "Check queue position (GET)",
    params: { name: "Callback id" },
    answers: [ok("Position and EWT", ref("QueuePosition"))],
    errors: [40020, 40030],
  },
  "GET /genesys/1/service/:name": {
    id: "helperService",
    tag: "Helper services",
    summary: "Office-hours calendar or capacity plan",
    params: { name: "An office-hours or capacity service" },
    query: [
      q("start", `Range start (default now), ${ISO}`),
      q("end", "Range end"),
      q("number-of-days", "Range length in days", { type: "integer", minimum: 1 }),
      q("timezone", "IANA zone of the answer"),
    ],
    answers: [ok("Open ranges per local day, or capacity per period", ref("HelperAnswer"))],
    errors: [40010, NOT_FOUND_404, 50004, 50005],
  },
  "GET /genesys/1/phonenumber": {
    id: "phoneNumber",
    tag: "Helper services",
    summary: "Parse and check a phone number",
    query: [q("number", "The number", { type: "string" }, { required: true }), q("country", "ISO 3166 alpha-2 (default US)")],
    answers: [ok("The number's forms and checks", ref("PhoneNumber"))],
    errors: [40010],
  },
  "GET /genesys/1/ping": {
    id: "ping",
    tag: "Service",
    summary: "Ping",
    description: "A trivial answer: the server is up. Never needs an API key.",
    answers: [ok("Up", { type: "object", properties: { ok: { type: "boolean" } } })],
    errors: [],
  },
  "POST /genesys/1/ping": {
    id: "pingPost",
    tag: "Service",
    summary: "Ping with a body",
    description: "Reads and parses a body: the benchmark's POST baseline.",
    body: { schema: { type: "object", additionalProperties: { type: "string" } }, form: "flat" },
    answers: [
      ok("Up, with the number of body keys", { type: "object", properties: { ok: { type: "boolean" }, keys: { type: "integer" } } }),
    ],
    errors: [40010],
  },
  "GET /genesys/openapi.json": {
    id: "openApiDocument",
    tag: "Service",
    summary: "This OpenAPI document",
    description: "Never needs an API key. Cached by clients for 10 minutes; revalidate with `If-None-Match`.",
    answers: [ok("OpenAPI 3.1 document", { type: "object" }), { status: 304, description: "Not modified (matching `If-None-Match`)" }],
    errors: [50050],
  },
  "GET /genesys/1/admin/services": {
    id: "listServices",
    tag: "Admin: configuration",
    summary: "List services",
    answers: [ok("Every service and its options", { type: "object", additionalProperties: ref("ServiceOptions") })],
    errors: [],
  },
  "GET /genesys/1/admin/services/:name": {
    id: "getService",
    tag: "Admin: configuration",
    summary: "Get a service",
    answers: [ok("The option map", ref("ServiceOptions"))],
    errors: [NOT_FOUND_404],
  },
  "PUT /genesys/1/admin/services/:name": {
    id: "putService",
    tag: "Admin: configuration",
    summary: "Create or replace a service",
    description: "Validated per option; a 400 names every bad option. Changes take effect immediately.",
    body: { schema: ref("ServiceOptions") },
    answers: [ok("The stored option map", ref("ServiceOptions"))],
    errors: [40010, 40020],
  },
  "DELETE /genesys/1/admin/services/:name": {
    id: "deleteService",
    tag: "Admin: configuration",
    summary: "Delete a service",
    description: "Refused (40020) while another service refers to it (`_business_hours_service`, `_capacity_service`, `_redirect`).",
    answers: [{ status: 200, description: "Deleted" }],
    errors: [40020, NOT_FOUND_404],
  },
  "GET /genesys/1/admin/settings/callback": {
    id: "getSettings",
    tag: "Admin: configuration",
    summary: "Get the global callback settings",
    answers: [ok("The settings", ref("CallbackSettings"))],
    errors: [],
  },
  "PUT /genesys/1/admin/settings/callback": {
    id: "putSettings",
    tag: "Admin: configuration",
    summary: "Replace the global callback settings",
    body: { schema: ref("CallbackSettings") },
    answers: [ok("The stored settings", ref("CallbackSettings"))],
    errors: [40010],
  },
  "GET /genesys/1/admin/patterns": {
    id: "listPatterns",
    tag: "Admin: configuration",
    summary: "List exception pattern groups",
    answers: [ok("Every group", { type: "object", additionalProperties: ref("PatternGroup") })],
    errors: [],
  },
  "GET /genesys/1/admin/patterns/:group": {
    id: "getPatterns",
    tag: "Admin: configuration",
    summary: "Get an exception pattern group",
    answers: [ok("The group", ref("PatternGroup"))],
    errors: [NOT_FOUND_404],
  },
  "PUT /genesys/1/admin/patterns/:group": {
    id: "putPatterns",
    tag: "Admin: configuration",
    summary: "Create or replace an exception pattern group",
    body: { schema: ref("PatternGroup") },
    answers: [ok("The stored group", ref("PatternGroup"))],
    errors: [40010],
  },
  "DELETE /genesys/1/admin/patterns/:group": {
    id: "deletePatterns",
    tag: "Admin: configuration",
    summary: "Delete an exception pattern group",
    description: "Refused (40020) while a service's `_exceptions` uses it.",
    answers: [{ status: 200, description: "Deleted" }],
    errors: [40020, NOT_FOUND_404],
  },
  "GET /genesys/1/admin/users": {
    id: "listUsers",
    tag: "Admin: configuration",
    summary: "List console users",
    answers: [ok("Users and roles (never password data)", { type: "array", items: ref("User") })],
    errors: [],
  },
  "PUT /genesys/1/admin/users/:name": {
    id: "putUser",
    tag: "Admin: configuration",
    summary: "Create or update a console user",
    params: { name: "User name (1-64 of A-Z a-z 0-9 _ . @ -)" },
    description: "A new user needs a password. The last admin cannot lose the admin role.",
    body: { schema: ref("UserRequest") },
    answers: [ok("The user", { type: "object", properties: { username: { type: "string" }, role: { type: "string", enum: [...ROLES] } } })],
    errors: [40010, 40020],
  },
  "DELETE /genesys/1/admin/users/:name": {
    id: "deleteUser",
    tag: "Admin: configuration",
    summary: "Delete a console user",
    params: { name: "User name" },
    description: "You cannot delete yourself, nor the last admin.",
    answers: [{ status: 200, description: "Deleted" }],
    errors: [40020, NOT_FOUND_404],
  },
  "GET /genesys/1/admin/callback/queues": {
    id: "queues",
    tag: "Admin: callbacks",
    summary: "Outstanding callbacks per service",
    description: "Extra query parameters may filter by the keys of the `filter-keys` setting. A window over 31 days is refused (40020).",
    query: [
      q("target", "One service (default: all)"),
      q("start_time", `Window start on \`_desired_time\` (default now − 15 min), ${ISO}`),
      q("end_time", `Window end (default now + 24 h), ${ISO}`),
      q("states", "Comma-separated states (default: all but COMPLETED)"),
      q("max", "At most this many per queue", { type: "integer", minimum: 1, maximum: 10000, default: 500 }),
    ],
    answers: [ok('`{"<service>": [records]}`', { type: "object", additionalProperties: RECORDS })],
    errors: [40010, 40020],
  },
  "GET /genesys/1/admin/callback/watermarks": {
    id: "watermarks",
    tag: "Admin: callbacks",
    summary: "Callbacks in execution per service",
    query: [
      q(
        "service_name",
        "Services to count (repeat the parameter; default: all)",
        { type: "array", items: { type: "string" } },
        { explode: true },
      ),
    ],
    answers: [
      ok("QUEUED, ROUTING, PROCESSING or PAUSED callbacks", {
        type: "object",
        properties: { total: { type: "integer" }, services: { type: "object", additionalProperties: { type: "integer" } } },
      }),
    ],
    errors: [],
  },
  "POST /genesys/1/admin/callback/cancel": {
    id: "bulkCancel",
    tag: "Admin: callbacks",
    summary: "Bulk cancel",
    description:
      'By `ids` or by `filter` (as for the queues). PROCESSING and COMPLETED callbacks are skipped. `"wait": false` answers 202 at ' +
      "once; poll the `Location`.",
    body: { schema: ref("BulkCancelRequest"), form: "text-lists" },
    answers: [
      ok("Done: the summary with per-item results", ref("BulkCancelSummary")),
      {
        status: 202,
        description: "Started (`wait: false`): the running summary",
        schema: ref("BulkCancelSummary"),
        headers: { location: "The summary's URL" },
      },
    ],
    errors: [40010, 40020],
  },
  "GET /genesys/1/admin/callback/cancel/:operation": {
    id: "bulkCancelSummary",
    tag: "Admin: callbacks",
    summary: "Summary of a bulk cancel",
    query: [q("format", "Answer format", { type: "string", enum: ["json", "csv"], default: "json" })],
    answers: [{ status: 200, description: "The stored summary (CSV: `_id,status,message`)", schema: ref("BulkCancelSummary"), csv: true }],
    errors: [40010, NOT_FOUND_404],
  },
  "POST /genesys/1/admin/callback/reportcancelled": {
    id: "reportCancelled",
    tag: "Admin: callbacks",
    summary: "Export cancelled callbacks (CSV)",
    description:
      "Callbacks COMPLETED with `callback_reason` whose `_desired_time` is within now − 30 days … now + 15 days, as a streamed " +
      "`report.csv`.",
    body: { schema: ref("ReportRequest"), form: "text-lists" },
    answers: [
      { status: 200, description: "CSV attachment", csv: true },
      { status: 204, description: "Nothing to report" },
    ],
    errors: [40010],
  },
  "POST /genesys/1/admin/callback/ops/delete": {
    id: "forgetCallbacks",
    tag: "Admin: callbacks",
    summary: "Forget callbacks (GDPR)",
    description: "Deletes SCHEDULED or COMPLETED callbacks by id or number and blanks the personal data of their events.",
    body: { schema: ref("ForgetRequest"), form: "text-lists" },
    answers: [ok("Per-item results", ref("ForgetResult"))],
    errors: [40010],
  },
};

// ---- assembly ----

function content(schema: Schema | undefined, csv = false): Schema | undefined {
  if (!schema && !csv) return undefined;
  const out: Schema = {};
  if (schema) out["application/json"] = { schema };
  if (csv) out["text/csv"] = { schema: { type: "string" } };
  return out;
}

function errorResponses(codes: Array<ErrorCode | [ErrorCode, number]>): Record<string, Schema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) {
    const [code, status] = Array.isArray(c) ? c : [c, CODES[c].status];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, Schema> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.map((c) => `${c} ${CODES[c].phrase}`).join(", "),
      content: {
        "application/json": {
          schema: ref("GmsError"),
          examples: Object.fromEntries(list.map((c) => [`E${c}`, { $ref: `#/components/examples/E${c}` }])),
        },
      },
    };
  }
  return out;
}

function operation(method: string, path: string, access: Access): Schema {
  const op = OPS[`${method} ${path}`];
  const pathParams = [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: op?.params?.[name] ?? PATH_PARAMS[name],
    schema: { type: "string" },
  }));
  if (method === "OPTIONS")
    return {
      operationId: `preflight${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
      tags: ["CORS"],
      summary: "CORS preflight",
      description: "204 with `Access-Control-Allow-*` for an `Origin` listed in `CORS_ORIGINS`, without a grant otherwise.",
      ...(pathParams.length > 0 && { parameters: pathParams }),
      security: [],
      responses: { "204": { description: "Preflight answer" } },
      "x-scalar-ignore": true, // documented, but kept out of the reference page's list
    };
  if (!op) throw new Error(`${method} ${path} is in the routing table but not described in lib/http/openapi.ts`);
  const query = (op.query ?? []).map((p) => ({
    name: p.name,
    in: "query",
    description: p.description,
    required: p.required ?? false,
    schema: p.schema ?? { type: "string" },
    ...(p.explode && { style: "form", explode: true }),
  }));
  let security: Schema[];
  let description = op.description ?? "";
  const codes = [...op.errors];
  if (access === "open") security = [];
  else if (access === "api-key") {
    security = [{}, { apiKey: [] }, { apiKeyQuery: [] }];
    codes.push(401, 50020, 50050);
  } else {
    security = [{ basicAuth: [] }];
    description = `Role: **${access}** or higher.${description ? `\n\n${description}` : ""}`;
    codes.push(401, 403, 429, 50020, 50050);
  }
  const responses: Record<string, Schema> = {};
  for (const a of op.answers) {
    const c = content(a.schema, a.csv);
    responses[String(a.status)] = {
      description: a.description,
      ...(c && { content: c }),
      ...(a.headers && {
        headers: Object.fromEntries(Object.entries(a.headers).map(([k, d]) => [k, { description: d, schema: { type: "string" } }])),
      }),
    };
  }
  Object.assign(responses, errorResponses([...new Set(codes)]));
  let requestBody: Schema | undefined;
  if (op.body) {
    const media: Schema = { "application/json": { schema: op.body.schema } };
    if (op.body.form === "flat") {
      media["application/x-www-form-urlencoded"] = { schema: op.body.schema };
      media["multipart/form-data"] = { schema: op.body.schema };
    } else if (op.body.form === "text-lists")
      media["application/x-www-form-urlencoded"] = {
        schema: {
          type: "object",
          description: "Lists as comma-separated text (or JSON), objects as JSON text",
          additionalProperties: { type: "string" },
        },
      };
    requestBody = { required: false, content: media };
  }
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(description && { description }),
    ...(pathParams.length + query.length > 0 && { parameters: [...pathParams, ...query] }),
    ...(requestBody && { requestBody }),
    security,
    responses,
    ...(access !== "open" && access !== "api-key" && { "x-required-role": access }),
  };
}

const INTRO = `The GMS-compatible Callback API of this server, and its admin API.

- **Public API** (\`/genesys/1/service/…\`): open like GMS, unless the server sets \`API_KEYS\`: then send a key in
  \`x-api-key\` (or the \`apikey\` parameter). Bodies may be JSON, \`application/x-www-form-urlencoded\` or
  \`multipart/form-data\`. Browsers on other sites need their origin in \`CORS_ORIGINS\`.
- **Admin API** (\`/genesys/1/admin/…\`): HTTP Basic credentials of a console user with the role each operation names
  (monitor < supervisor < admin).

Times in answers are ISO 8601 UTC; inputs accept any ISO 8601 with an offset.

## Errors

Every failure answers the GMS error body (\`GmsError\`). Each operation lists the codes it can answer; all codes:

`;

/** The document for a routing table (every route; throws for a route without a description or a stale description). */
export function openApiDocument(router: Router): Schema {
  const errors = errorComponents();
  const table = router.table();
  const known = new Set(table.map((r) => `${r.method} ${r.path}`));
  const paths: Record<string, Record<string, Schema>> = {};
  for (const { method, path, access } of table) {
    const key = path.replace(/:(\w+)/g, "{$1}");
    (paths[key] ??= {})[method.toLowerCase()] = operation(method, path, access);
  }
  const stale = Object.keys(OPS).filter((k) => !known.has(k));
  if (stale.length) throw new Error(`Described but not routed: ${stale.join(", ")}`);
  return {
    openapi: "3.1.1",
    info: { title: "Callback Service API", version: pkg.version, description: INTRO + errors.table },
    servers: [{ url: "/", description: "This server" }],
    tags: [
      { name: "Callbacks", description: "Start, query, update and cancel callbacks" },
      { name: "Availability", description: "Open time slots" },
      { name: "Helper services", description: "Office-hours calendars, capacity plans, phone numbers" },
      { name: "Service", description: "Ping and this document" },
      { name: "Admin: configuration", description: "Services, settings, exception patterns, users" },
      { name: "Admin: callbacks", description: "Queues, watermarks, bulk cancel, reports, GDPR delete" },
    ],
    paths,
    components: {
      securitySchemes: {
        basicAuth: { type: "http", scheme: "basic", description: "A console user's name and password" },
        apiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "Needed only when the server sets API_KEYS" },
        apiKeyQuery: { type: "apiKey", in: "query", name: "apikey", description: "The same key as a query parameter" },
      },
      schemas: schemas(errors.schema),
      examples: errors.examples,
    },
  };
}

let cache: { router: Router; body: string; etag: string } | undefined;

/** GET /genesys/openapi.json: built once per routing table, then served from memory with an ETag. */
export function openApiResponse(router: Router, req: Request): Response {
  if (cache?.router !== router) {
    const body = JSON.stringify(openApiDocument(router));
    cache = { router, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
  }
  const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=600", etag: cache.etag };
  if (req.headers.get("if-none-match") === cache.etag) return new Response(null, { status: 304, headers });
  return new Response(cache.body, { status: 200, headers });
}
