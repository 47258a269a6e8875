"use client";
// The Sample panel: pick a service and an operation, fill the fields, Send. The browser itself sends the request to
// the public API (same origin, no console cookie), and the panel shows that exact request, a curl command that
// repeats it, and the response as received, with the time it took. The last exchanges stay for this browser session.
import { DateTime } from "luxon";
import { useId, useMemo, useState, useSyncExternalStore } from "react";
import {
  buildRequest,
  EMPTY_FIELDS,
  FIELDS,
  OPERATIONS,
  toCurl,
  type Operation,
  type SampleFields,
  type SampleRequest,
} from "@/lib/console/sample-request";
import { SlotPicker } from "../callbacks/actions/slot-picker";
import { Field } from "../form-field";
import styles from "./sample.module.css";

interface SampleResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
  ms: number;
  /** The request never got an answer (network failure): what the browser said. */
  failure?: string;
}
interface Exchange {
  at: string;
  op: Operation;
  request: SampleRequest;
  response: SampleResponse;
}

const HISTORY_KEY = "sample-history";
const HISTORY_MAX = 8;
const opLabel = (op: Operation) => OPERATIONS.find((o) => o.id === op)?.label ?? op;

// The history lives in sessionStorage (this tab, this session), read as an external store: the server render and
// the first client render both see none, then the browser's own.
const historyListeners = new Set<() => void>();
const historyStore = {
  subscribe(fn: () => void) {
    historyListeners.add(fn);
    return () => historyListeners.delete(fn);
  },
  snapshot: () => sessionStorage.getItem(HISTORY_KEY),
  serverSnapshot: () => null,
  save(list: Exchange[]) {
    try {
      sessionStorage.setItem(HISTORY_KEY, JSON.stringify(list));
    } catch {
      // storage full or off: nothing is kept
    }
    for (const fn of historyListeners) fn();
  },
};
/** What the history keeps: an API key is a secret, so it is never written to the browser's storage. */
function withoutKey(e: Exchange): Exchange {
  if (!("x-api-key" in e.request.headers)) return e;
  return { ...e, request: { ...e.request, headers: { ...e.request.headers, "x-api-key": "(not kept)" } } };
}
function parseHistory(raw: string | null): Exchange[] {
  try {
    const v = JSON.parse(raw ?? "[]") as unknown;
    return Array.isArray(v) ? (v as Exchange[]) : [];
  } catch {
    return [];
  }
}
const noSubscription = () => () => {};

function idIn(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { _id?: unknown })._id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

async function send(r: SampleRequest): Promise<SampleResponse> {
  const t0 = performance.now();
  try {
    // credentials omitted: the request carries what a client's would, not the console's session cookie
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, credentials: "omit", cache: "no-store" });
    const text = await res.text();
    const ms = Math.round(performance.now() - t0);
    let body = text;
    try {
      if (text) body = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: shown as received
    }
    return { status: res.status, statusText: res.statusText, headers: [...res.headers.entries()], body, ms };
  } catch (e) {
    return { status: 0, statusText: "", headers: [], body: "", ms: Math.round(performance.now() - t0), failure: (e as Error).message };
  }
}

export function SamplePanel({
  services,
  initialService,
  keysRequired,
}: {
  services: string[];
  initialService: string;
  keysRequired: boolean;
}) {
  const [op, setOp] = useState<Operation>("start-now");
  const [f, setF] = useState<SampleFields>({ service: initialService, ...EMPTY_FIELDS });
  const [day, setDay] = useState(() => DateTime.now().toISODate() ?? "");
  const [current, setCurrent] = useState<Exchange | null>(null);
  const rawHistory = useSyncExternalStore(historyStore.subscribe, historyStore.snapshot, historyStore.serverSnapshot);
  const history = useMemo(() => parseHistory(rawHistory), [rawHistory]);
  const [sending, setSending] = useState(false);
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "",
  );
  const [note, setNote] = useState("");
  /** A history entry is on view: its request is shown instead of the one the form would send. */
  const [fromHistory, setFromHistory] = useState(false);
  const set = <K extends keyof SampleFields>(k: K, v: SampleFields[K]) => {
    setF((x) => ({ ...x, [k]: v }));
    setFromHistory(false);
  };
  const shown = FIELDS[op];
  // the availability fields: free text, blank for the API's default, which the hint names
  const hinted = (id: string, key: "start" | "days" | "maxSlots" | "timezone", label: string, hint: string, numeric = false) => (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        inputMode={numeric ? "numeric" : undefined}
        value={f[key]}
        onChange={(e) => set(key, e.target.value)}
        aria-describedby={`${id}-hint`}
      />
    </Field>
  );
  const request = useMemo(() => (origin ? buildRequest(op, f, origin) : null), [op, f, origin]);
  const missing = !f.service ? "Choose a service" : shown.includes("id") && !f.id.trim() ? "Enter a callback id" : "";

  const onSend = async () => {
    if (!request || missing) return;
    setSending(true);
    setNote("");
    setFromHistory(false);
    const response = await send(request);
    const exchange: Exchange = { at: new Date().toISOString(), op, request, response };
    setCurrent(exchange);
    historyStore.save([withoutKey(exchange), ...history].slice(0, HISTORY_MAX));
    setSending(false);
    const id = op.startsWith("start") && response.status === 200 ? idIn(response.body) : undefined;
    if (id) {
      set("id", id);
      setNote(`The new callback's id ${id} is now in the Id field, ready for a query, reschedule or cancel.`);
    }
  };

  return (
    <div className={styles.layout}>
      <form
        className="card"
        aria-labelledby="sample-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          void onSend();
        }}
      >
        <h2 id="sample-form-title">Build a request</h2>
        {services.length === 0 ? (
          <p className="hint">No callback service is configured: add one under Configured Services first.</p>
        ) : (
          <>
            <div className={styles.row2}>
              <Field id="s-service" label="Service">
                <select id="s-service" value={f.service} onChange={(e) => set("service", e.target.value)}>
                  {services.map((s) => (
                    <option key={s}>{s}</option>
                  ))}
                </select>
              </Field>
              <Field id="s-op" label="Operation">
                <select id="s-op" value={op} onChange={(e) => (setOp(e.target.value as Operation), setFromHistory(false))}>
                  {OPERATIONS.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            {shown.includes("id") && (
              <Field id="s-id" label="Callback id (_id)">
                <input id="s-id" value={f.id} onChange={(e) => set("id", e.target.value)} autoComplete="off" spellCheck={false} />
              </Field>
            )}
            {shown.includes("number") && (
              <Field id="s-number" label="Customer number (_customer_number)">
                <input
                  id="s-number"
                  type="tel"
                  value={f.number}
                  onChange={(e) => set("number", e.target.value)}
                  placeholder="+1 617 555 0100"
                  autoComplete="off"
                />
              </Field>
            )}
            {shown.includes("desiredTime") && (
              <DesiredTime
                service={f.service}
                label={op === "reschedule" ? "New desired time (_new_desired_time)" : "Desired time (_desired_time)"}
                value={f.desiredTime}
                onChange={(v) => set("desiredTime", v)}
                day={day}
                onDay={setDay}
              />
            )}
            {shown.includes("range") && (
              <div className={styles.row3}>
                {hinted("s-start", "start", "start", "ISO date or time; blank: now")}
                {hinted("s-days", "days", "number-of-days", "blank: to the end of that day", true)}
                {hinted("s-max", "maxSlots", "max-time-slots", "blank: all", true)}
              </div>
            )}
            {shown.includes("timezone") && hinted("s-tz", "timezone", "timezone", "IANA name, e.g. Europe/Paris; blank: the office zone")}
            {shown.includes("properties") && <Properties rows={f.properties} onChange={(rows) => set("properties", rows)} />}
            <Field
              id="s-key"
              label="API key (x-api-key)"
              hint={
                keysRequired ? "This server requires an API key on the public API." : "Not required on this server (API_KEYS is not set)."
              }
            >
              <input
                id="s-key"
                value={f.apiKey}
                onChange={(e) => set("apiKey", e.target.value)}
                autoComplete="off"
                spellCheck={false}
                aria-describedby="s-key-hint"
              />
            </Field>
            <div className={styles.sendRow}>
              <button type="submit" disabled={sending || !!missing || !request}>
                {sending ? "Sending…" : "Send"}
              </button>
              {missing && <span className="hint">{missing}</span>}
            </div>
          </>
        )}
      </form>
      <div className={styles.results}>
        {fromHistory && current ? (
          <RequestView request={current.request} title={`Request sent at ${timeOf(current.at)}`} />
        ) : (
          request && <RequestView request={request} title="HTTP request" />
        )}
        <ResponseView exchange={current} note={fromHistory ? "" : note} />
        <History history={history} current={current} onPick={(e) => (setCurrent(e), setFromHistory(true))} />
      </div>
    </div>
  );
}

/** An ISO time as this browser's local time, so the value sent can be checked at a glance. */
function readable(iso: string): string | undefined {
  const t = DateTime.fromISO(iso.trim());
  return iso.trim() && t.isValid ? `That is ${t.toLocal().toFormat("ccc d LLL yyyy, HH:mm ZZZZ")} (your browser's zone)` : undefined;
}

function DesiredTime(props: {
  service: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  day: string;
  onDay: (d: string) => void;
}) {
  return (
    <>
      <Field id="s-desired" label={props.label} hint={readable(props.value) ?? "ISO 8601 with an offset, or pick a free slot below"}>
        <input
          id="s-desired"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder="2026-05-28T15:30:00.000Z"
          autoComplete="off"
          spellCheck={false}
          aria-describedby="s-desired-hint"
        />
      </Field>
      <details className={styles.slots}>
        <summary>Pick a free slot</summary>
        <SlotPicker service={props.service} date={props.day} onDate={props.onDay} value={props.value} onChange={props.onChange} />
      </details>
    </>
  );
}

function Properties({ rows, onChange }: { rows: SampleFields["properties"]; onChange: (rows: SampleFields["properties"]) => void }) {
  const base = useId();
  const update = (i: number, k: "key" | "value", v: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  return (
    <fieldset className={styles.fieldset}>
      <legend>Extra properties</legend>
      {rows.length === 0 && <p className="hint">None: add key/value pairs the callback should carry (user data).</p>}
      {rows.map((r, i) => (
        <div key={i} className={styles.propRow}>
          <Field id={`${base}-k${i}`} label={`Key ${i + 1}`}>
            <input id={`${base}-k${i}`} value={r.key} onChange={(e) => update(i, "key", e.target.value)} autoComplete="off" />
          </Field>
          <Field id={`${base}-v${i}`} label={`Value ${i + 1}`}>
            <input id={`${base}-v${i}`} value={r.value} onChange={(e) => update(i, "value", e.target.value)} autoComplete="off" />
          </Field>
          <button
            type="button"
            className="secondary"
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
            aria-label={`Remove property ${i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, { key: "", value: "" }])}>
        Add a property
      </button>
    </fieldset>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
      onBlur={() => setCopied(false)}
    >
      {copied ? "Copied" : label}
    </button>
  );
}

function RequestView({ request, title }: { request: SampleRequest; title: string }) {
  const curl = toCurl(request);
  return (
    <section className="card" aria-labelledby="req-title">
      <h2 id="req-title">{title}</h2>
      <p className={styles.requestLine}>
        <strong>{request.method}</strong> <code>{request.url}</code>
      </p>
      <dl className={styles.headers} aria-label="Request headers">
        {Object.entries(request.headers).map(([k, v]) => (
          <div key={k}>
            <dt>{k}:</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {request.body !== undefined && (
        <pre className={styles.code} aria-label="Request body">
          {request.body}
        </pre>
      )}
      <div className={styles.curlHead}>
        <h3 id="curl-title">curl</h3>
        <CopyButton text={curl} label="Copy curl command" />
      </div>
      <pre className={styles.code} aria-labelledby="curl-title" data-testid="curl">
        {curl}
      </pre>
    </section>
  );
}

function statusClass(status: number) {
  return status >= 200 && status < 300 ? styles.ok : styles.bad;
}

function ResponseView({ exchange, note }: { exchange: Exchange | null; note: string }) {
  return (
    <section className="card" aria-labelledby="res-title" aria-live="polite">
      <h2 id="res-title">Response</h2>
      {!exchange && <p className="hint">Nothing sent yet: fill the request and press Send.</p>}
      {exchange?.response.failure && (
        <p className={styles.bad} role="alert">
          No response: {exchange.response.failure} (after {exchange.response.ms} ms)
        </p>
      )}
      {exchange && !exchange.response.failure && (
        <>
          <p className={styles.statusLine}>
            <span className={`${styles.status} ${statusClass(exchange.response.status)}`} data-testid="response-status">
              {exchange.response.status} {exchange.response.statusText}
            </span>{" "}
            <span className="muted">
              {opLabel(exchange.op)} · {exchange.response.ms} ms
            </span>
          </p>
          {note && <p className="hint">{note}</p>}
          <details className={styles.responseHeaders}>
            <summary>Headers ({exchange.response.headers.length})</summary>
            <dl className={styles.headers}>
              {exchange.response.headers.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}:</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </details>
          {exchange.response.body ? (
            <pre className={styles.code} aria-label="Response body" data-testid="response-body">
              {exchange.response.body}
            </pre>
          ) : (
            <p className="hint">No body.</p>
          )}
        </>
      )}
    </section>
  );
}

const timeOf = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });

function History({ history, current, onPick }: { history: Exchange[]; current: Exchange | null; onPick: (e: Exchange) => void }) {
  return (
    <section className="card" aria-labelledby="hist-title">
      <h2 id="hist-title">History</h2>
      {history.length === 0 ? (
        <p className="hint">The last {HISTORY_MAX} exchanges of this browser session appear here.</p>
      ) : (
        <ol className={styles.history}>
          {history.map((h) => (
            <li key={h.at + h.request.url}>
              <button
                type="button"
                className={styles.historyItem}
                aria-current={h.at === current?.at ? "true" : undefined}
                onClick={() => onPick(h)}
              >
                <span className={`${styles.status} ${statusClass(h.response.status)}`}>{h.response.failure ? "—" : h.response.status}</span>
                <span>
                  {opLabel(h.op)} <span className="muted">{h.request.method}</span>
                </span>
                <span className="muted">
                  {timeOf(h.at)} · {h.response.ms} ms
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
