// CallbackService: the Genesys Widgets plugin that talks to the Callback API (schedule, availability), on our
// bus. Configuration is read from `window._genesys.widgets.callback` at each command, like the original.
import type { Bus, Options } from "./bus";

export interface CallbackConfig {
  dataURL?: string;
  serviceName?: string;
  apiVersion?: string;
  userData?: Options;
  ajaxTimeout?: number;
  apikey?: string;
}

/** A failed request: the server's GMS error body (code, phrase, message, availability…) plus the HTTP status (0: no answer). */
export interface ApiError {
  status: number;
  code?: number;
  phrase?: string;
  message: string;
  availability?: Record<string, number>;
}

export const NO_SCHEDULE_DATA = "No data found to schedule callback";
export const NO_QUERY = "No query parameters passed for callback availability service";

const str = (v: unknown) => (v == null ? "" : String(v));

/** The service's Callback URL: `dataURL`, plus `/<serviceName>` when one is given and the URL does not end with it. */
export function serviceUrl(cfg: CallbackConfig, serviceName?: unknown): string {
  const base = str(cfg.dataURL).replace(/\/+$/, "");
  const name = str(serviceName ?? cfg.serviceName);
  return name && !base.endsWith(`/${encodeURIComponent(name)}`) ? `${base}/${encodeURIComponent(name)}` : base;
}

/** One JSON request with the configured timeout and API key; resolves the parsed body (null when empty). */
export async function apiRequest(cfg: CallbackConfig, method: string, url: string, body?: Options): Promise<unknown> {
  const ms = Number(cfg.ajaxTimeout) > 0 ? Number(cfg.ajaxTimeout) : 3000;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  const headers: Record<string, string> = {};
  if (body) headers["content-type"] = "application/json";
  if (cfg.apikey) headers["x-api-key"] = cfg.apikey;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method, headers, body: body && JSON.stringify(body), signal: abort.signal });
    text = await res.text();
  } catch {
    const timedOut = abort.signal.aborted;
    throw {
      status: 0,
      phrase: timedOut ? "TIMEOUT" : "NETWORK_ERROR",
      message: timedOut ? `No answer from the callback service within ${ms} ms` : "The callback service cannot be reached",
    } satisfies ApiError;
  } finally {
    clearTimeout(timer);
  }
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text };
  }
  if (!res.ok)
    throw { ...(data as object), status: res.status, message: str((data as ApiError | null)?.message) || res.statusText } as ApiError;
  return data;
}

/** Schedule options → Start-Callback body: configured userData, then the option's userData, then the form fields. */
export function scheduleBody(cfg: CallbackConfig, o: Options): Options {
  const body: Options = { ...cfg.userData, ...(o.userData as Options | undefined) };
  for (const k of ["firstname", "lastname", "email", "subject"]) if (o[k] != null && o[k] !== "") body[k] = o[k];
  if (o.phonenumber != null && o.phonenumber !== "") body._customer_number = o.phonenumber;
  const desired = o.desiredTime ?? o.desiredtime; // the seed spells it both ways
  if (desired != null && desired !== "") body._desired_time = desired;
  return body;
}

/** Availability options → query (startDate, endDate | numberOfDays, maxTimeSlots); null when none is given. */
export function availabilityQuery(o: Options): URLSearchParams | null {
  const q = new URLSearchParams();
  const map: Array<[string, string]> = [
    ["startDate", "start"],
    ["endDate", "end"],
    ["numberOfDays", "number-of-days"],
    ["maxTimeSlots", "max-time-slots"],
  ];
  for (const [k, p] of map) if (o[k] != null && o[k] !== "") q.set(p, str(o[k]));
  return q.toString() ? q : null;
}

const isEmpty = (o: Options | undefined): o is undefined => !o || typeof o !== "object" || Object.keys(o).length === 0;

/**
 * Registers CallbackService.schedule and CallbackService.availability and publishes CallbackService.ready.
 * Rejections carry the seed's messages for missing input, else the ApiError; the matching error event too.
 * `version: 2` (ours) asks Availability v2: `{slots: [{utcTime, localTime, capacity, total}], durationMin, timezone}`.
 */
export function installCallbackService(bus: Bus, config: () => CallbackConfig): void {
  const plugin = bus.registerPlugin("CallbackService");
  const run = async (ok: string, fail: string, work: () => Promise<unknown>) => {
    try {
      const data = await work();
      plugin.publish(ok, data);
      return data;
    } catch (e) {
      plugin.publish(fail, e);
      throw e;
    }
  };
  plugin.registerCommand("schedule", (o) =>
    run("scheduled", "scheduleError", async () => {
      if (isEmpty(o)) throw NO_SCHEDULE_DATA;
      const cfg = config();
      return apiRequest(cfg, "POST", serviceUrl(cfg, o.serviceName), scheduleBody(cfg, o));
    }),
  );
  plugin.registerCommand("availability", (o) =>
    run("availableSlots", "availabilityError", async () => {
      const q = isEmpty(o) ? null : availabilityQuery(o);
      if (!o || !q) throw NO_QUERY;
      const cfg = config();
      const url = serviceUrl(cfg, o.serviceName);
      return apiRequest(cfg, "GET", `${Number(o.version) === 2 ? url.replace(/\/1\/service\//, "/2/service/") : url}/availability?${q}`);
    }),
  );
  plugin.publish("ready");
}
