// The Sample panel's requests: each public API operation as the exact HTTP request a client sends (method, URL,
// headers, body), and that request as a curl command. Client-safe and pure, so what the page shows is what it sends.

export const OPERATIONS = [
  { id: "start-now", label: "Start-Callback, immediate" },
  { id: "start-scheduled", label: "Start-Callback, scheduled" },
  { id: "query-id", label: "Query by id" },
  { id: "query-number", label: "Query by number" },
  { id: "availability-v1", label: "Availability v1" },
  { id: "availability-v2", label: "Availability v2" },
  { id: "reschedule", label: "Reschedule" },
  { id: "cancel", label: "Cancel" },
  { id: "queue-position", label: "Queue position" },
] as const;
export type Operation = (typeof OPERATIONS)[number]["id"];

/** Which fields an operation reads; the panel shows only these. */
export const FIELDS: Record<Operation, ReadonlyArray<"number" | "desiredTime" | "properties" | "id" | "range" | "timezone">> = {
  "start-now": ["number", "properties"],
  "start-scheduled": ["number", "desiredTime", "properties"],
  "query-id": ["id"],
  "query-number": ["number"],
  "availability-v1": ["range"],
  "availability-v2": ["range", "timezone"],
  reschedule: ["id", "desiredTime", "properties"],
  cancel: ["id"],
  "queue-position": ["id"],
};

export interface SampleFields {
  service: string;
  number: string;
  desiredTime: string;
  properties: Array<{ key: string; value: string }>;
  id: string;
  /** Availability: start (ISO or date), number of days, max time slots; blank → the API's default. */
  start: string;
  days: string;
  maxSlots: string;
  timezone: string;
  apiKey: string;
}

/** Every field but the service, blank. */
export const EMPTY_FIELDS: Omit<SampleFields, "service"> = {
  number: "",
  desiredTime: "",
  properties: [],
  id: "",
  start: "",
  days: "",
  maxSlots: "",
  timezone: "",
  apiKey: "",
};

export interface SampleRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const seg = encodeURIComponent;

function query(params: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v.trim() !== ""));
  const s = q.toString();
  return s ? `?${s}` : "";
}

function propertiesOf(rows: SampleFields["properties"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key.trim()) out[r.key.trim()] = r.value;
  return out;
}

/** The request an operation sends, against the API at `origin`. Blank fields are left out, as a client would. */
export function buildRequest(op: Operation, f: SampleFields, origin: string): SampleRequest {
  const cb = `${origin}/genesys/1/service/callback/${seg(f.service)}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (f.apiKey.trim()) headers["x-api-key"] = f.apiKey.trim();
  const withBody = (method: "POST" | "PUT", url: string, body: Record<string, string>): SampleRequest => ({
    method,
    url,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body, null, 2),
  });
  const props = propertiesOf(f.properties);
  const number: Record<string, string> = f.number.trim() ? { _customer_number: f.number.trim() } : {};
  const desired = f.desiredTime.trim();
  switch (op) {
    case "start-now":
      return withBody("POST", cb, { ...props, ...number });
    case "start-scheduled":
      return withBody("POST", cb, { ...props, ...number, ...(desired ? { _desired_time: desired } : {}) });
    case "query-id":
      return { method: "GET", url: `${cb}/${seg(f.id.trim())}`, headers };
    case "query-number":
      return { method: "GET", url: `${cb}${query({ _customer_number: f.number })}`, headers };
    case "availability-v1":
      return {
        method: "GET",
        url: `${cb}/availability${query({ start: f.start, "number-of-days": f.days, "max-time-slots": f.maxSlots })}`,
        headers,
      };
    case "availability-v2":
      return {
        method: "GET",
        url: `${origin}/genesys/2/service/callback/${seg(f.service)}/availability${query({
          start: f.start,
          "number-of-days": f.days,
          "max-time-slots": f.maxSlots,
          timezone: f.timezone,
        })}`,
        headers,
      };
    case "reschedule":
      return withBody("PUT", `${cb}/${seg(f.id.trim())}`, { ...props, ...(desired ? { _new_desired_time: desired } : {}) });
    case "cancel":
      return { method: "DELETE", url: `${cb}/${seg(f.id.trim())}`, headers };
    case "queue-position":
      return { method: "GET", url: `${origin}/genesys/1/service/${seg(f.id.trim())}/check-queue-position`, headers };
  }
}

/** POSIX shell single quotes: nothing inside is interpreted; a ' is closed, escaped and reopened. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function toCurl(r: SampleRequest): string {
  const lines = [`curl -i -X ${r.method} ${sh(r.url)}`];
  for (const [k, v] of Object.entries(r.headers)) lines.push(`  -H ${sh(`${k}: ${v}`)}`);
  if (r.body !== undefined) lines.push(`  --data-raw ${sh(r.body)}`);
  return lines.join(" \\\n");
}
