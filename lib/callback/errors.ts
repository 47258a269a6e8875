// One error model: the engine throws CallbackError; only the HTTP edge turns it into a GMS body.

export const EXC = {
  number: "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber",
  service: "com.genesyslab.gsg.services.callback.CallbackServiceException",
  availability: "com.genesyslab.gsg.services.callback.CallbackExceptionAvailability",
  unavailable: "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionServiceUnavailable",
  invalidOperation: "com.genesyslab.gsg.services.callback.CallbackExceptionInvalidOperation",
  base: "com.genesyslab.gsg.services.callback.CallbackException",
} as const;

export const CODES = {
  // HTTP-level refusals of the edge, in the same body shape (GMS defines no body for them)
  401: { status: 401, phrase: "UNAUTHORIZED", exception: EXC.base },
  403: { status: 403, phrase: "FORBIDDEN", exception: EXC.base },
  404: { status: 404, phrase: "NOT_FOUND", exception: EXC.base },
  405: { status: 405, phrase: "METHOD_NOT_ALLOWED", exception: EXC.base },
  413: { status: 413, phrase: "PAYLOAD_TOO_LARGE", exception: EXC.base },
  429: { status: 429, phrase: "TOO_MANY_REQUESTS", exception: EXC.base },
  40001: { status: 429, phrase: "TOO_MANY_REQUESTS_FOR_NUMBER", exception: EXC.unavailable },
  40002: { status: 429, phrase: "SERVICE_QUEUE_LIMIT", exception: EXC.unavailable },
  40003: { status: 429, phrase: "SERVICE_RATE_LIMIT", exception: EXC.unavailable },
  40004: { status: 429, phrase: "PARAMETER_DAILY_LIMIT", exception: EXC.unavailable },
  40010: { status: 400, phrase: "BAD_PARAMETER", exception: EXC.base },
  40020: { status: 400, phrase: "INVALID_OPERATION", exception: EXC.invalidOperation },
  40030: { status: 400, phrase: "NOT_FOUND", exception: EXC.base },
  40040: { status: 400, phrase: "INVALID_DESIRED_TIME", exception: EXC.base },
  40050: { status: 400, phrase: "OFFICE_CLOSED", exception: EXC.service },
  40051: { status: 400, phrase: "NO_AVAILABILITY", exception: EXC.availability },
  50004: { status: 500, phrase: "CAPACITY_SERVICE_ERROR", exception: EXC.base },
  50005: { status: 500, phrase: "CALENDAR_SERVICE_ERROR", exception: EXC.base },
  50006: { status: 500, phrase: "MAX_SUBMIT_ATTEMPTS", exception: EXC.base },
  50020: { status: 500, phrase: "STORAGE_ERROR", exception: EXC.base },
  50030: { status: 500, phrase: "EXECUTION_ERROR", exception: EXC.base },
  50040: { status: 500, phrase: "REDIRECT_ERROR", exception: EXC.base },
  50050: { status: 500, phrase: "INTERNAL_ERROR", exception: EXC.base },
} as const;

export type ErrorCode = keyof typeof CODES;

export interface ErrorExtras {
  status?: number; // override the table's HTTP status (e.g. 404 for an unknown service)
  exception?: string; // override the table's exception class
  properties?: Record<string, unknown>;
  availability?: Record<string, number>;
}

export class CallbackError extends Error {
  readonly code: ErrorCode;
  readonly extras: ErrorExtras;
  constructor(code: ErrorCode, message: string, extras: ErrorExtras = {}) {
    super(message);
    this.name = "CallbackError";
    this.code = code;
    this.extras = extras;
  }
  get status(): number {
    return this.extras.status ?? CODES[this.code].status;
  }
  /** The GMS 8.5.2+ error body. `properties`/`availability` only when set (never an empty `properties`). */
  toBody(): Record<string, unknown> {
    const def = CODES[this.code];
    const body: Record<string, unknown> = {
      code: this.code,
      phrase: def.phrase,
      message: this.message,
      exception: this.extras.exception ?? def.exception,
    };
    if (this.extras.properties && Object.keys(this.extras.properties).length > 0) body.properties = this.extras.properties;
    if (this.extras.availability) body.availability = this.extras.availability;
    return body;
  }
}

export const badParameter = (message: string, extras?: ErrorExtras) => new CallbackError(40010, message, extras);
export const invalidOperation = (message: string, extras?: ErrorExtras) => new CallbackError(40020, message, extras);
/** A refusal at the edge (401, 403, 404 route, 405, 413, 429): the GMS body shape with the HTTP status as code. */
export const refused = (status: 401 | 403 | 404 | 405 | 413 | 429, message: string) => new CallbackError(status, message);
/** A configured resource (service, pattern group, user, bulk operation) that does not exist: 404 with 40030. */
export const notFound = (message: string, extras?: ErrorExtras) => new CallbackError(40030, message, { status: 404, ...extras });
