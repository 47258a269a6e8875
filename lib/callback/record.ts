// Callback records on the wire: exact GMS keys, values as strings, absent values omitted.
import type { CallbackRow } from "../../db/store";
import { iso } from "./time";

/** The customer number as typed, a property kept beside the stored (E.164) `_customer_number`. */
export const TYPED_NUMBER = "_customer_number_typed";

/** Keys a client cannot set as plain properties: they are the record's own fields or control parameters. */
export const RECORD_KEYS = new Set([
  "_id",
  "_service_name",
  "_customer_number",
  "_desired_time",
  "_callback_state",
  "_callback_reason",
  "_time_scheduled",
  "_expiration_time",
  "_ors_session_id",
  "_url",
  "url",
  "desired_time",
  "_new_desired_time",
  TYPED_NUMBER,
]);

const ALWAYS_RETURNED = [
  "_id",
  "_desired_time",
  "_service_name",
  "_callback_state",
  "_expiration_time",
  "_customer_number",
  "_url",
  "_callback_reason",
];

export const callbackUrl = (service: string, id: string) => `/genesys/1/service/callback/${service}/${id}`;

/** A property value as stored: strings as-is, numbers/booleans as their text, objects as their JSON text. */
export function propText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}

export function propsOf(row: CallbackRow): Record<string, string> {
  return JSON.parse(row.props) as Record<string, string>;
}

/** The full record, as Query-by-ID and the admin APIs return it (plus the legacy `url`/`desired_time` older GMS clients read). */
export function toRecord(row: CallbackRow, legacy = true): Record<string, string> {
  const out: Record<string, string> = { ...propsOf(row) };
  out._id = row.id;
  out._service_name = row.service_name;
  if (row.customer_number !== null) out._customer_number = row.customer_number;
  out._desired_time = iso(row.desired_time);
  out._callback_state = row.state;
  if (row.reason) out._callback_reason = row.reason;
  out._time_scheduled = iso(row.time_scheduled);
  out._expiration_time = iso(row.expiration_time);
  if (row.ors_session_id) out._ors_session_id = row.ors_session_id;
  out._url = callbackUrl(row.service_name, row.id);
  if (legacy) {
    out.url = `/1/service/callback/${row.service_name}/${row.id}`;
    out.desired_time = out._desired_time;
  }
  return out;
}

/** A subset of the record: the always-returned keys, then `extra` keys (returned-keys, lookup keys) when present. */
export function pickRecord(row: CallbackRow, extra: string[]): Record<string, string> {
  const full = toRecord(row);
  const out: Record<string, string> = {};
  for (const k of [...ALWAYS_RETURNED, ...extra, "url", "desired_time"]) if (full[k] !== undefined) out[k] = full[k];
  return out;
}
