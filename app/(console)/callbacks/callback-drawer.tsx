"use client";
// The callback drawer: every property, the desired time in the display and the office zone, and the event
// timeline. Its footer is where the actions the user's role allows are mounted (`actions`).
import type { ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import type { CallbackDrawer as Detail } from "@/lib/console/callbacks";
import { formatFullTime, formatPhone, formatTime } from "@/lib/console/format";
import { fetchJson } from "../fetch-json";
import { OpenCallbackContext, useOpenCallback } from "./callbacks-context";
import { StateBadge } from "./state-badge";

const FIRST_KEYS = ["_id", "_service_name", "_callback_state", "_callback_reason", "_customer_number", "_desired_time"];
const TIME_KEYS = new Set(["_desired_time", "_time_scheduled", "_expiration_time"]);

export function CallbackDrawer({
  id,
  zone,
  live,
  onClose,
  actions,
}: {
  id: string;
  zone: string;
  live: boolean;
  onClose: () => void;
  actions?: ReactNode;
}) {
  const q = useQuery({
    queryKey: ["callback", id],
    queryFn: () => fetchJson<Detail>(`/api/console/callbacks/${encodeURIComponent(id)}`),
    refetchInterval: live ? 5000 : false,
    retry: (n, e) => n < 1 && !/HTTP 404/.test(e.message),
  });
  const d = q.data;
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="drawer-overlay" />
        <Dialog.Content
          className="drawer"
          aria-describedby="drawer-summary"
          onCloseAutoFocus={(e) => {
            // back to the callback's row (there is no trigger button); the body when the row is not on screen
            e.preventDefault();
            document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`)?.focus();
          }}
        >
          <header>
            <Dialog.Title asChild>
              <h2>
                Callback <code>{id.slice(0, 8)}</code>
              </h2>
            </Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="secondary">
                Close
              </button>
            </Dialog.Close>
          </header>
          <div className="drawer-body">
            <div id="drawer-summary">
              {d ? (
                <Summary d={d} zone={zone} />
              ) : q.isError ? (
                <div role="alert">
                  <p className="error">
                    {/HTTP 404/.test(q.error.message)
                      ? "This callback no longer exists."
                      : `Could not load this callback: ${q.error.message}`}
                  </p>
                  <button type="button" onClick={() => q.refetch()}>
                    Retry
                  </button>
                </div>
              ) : (
                <p aria-busy="true">
                  <span className="skeleton-bar" style={{ width: 220 }} />
                </p>
              )}
            </div>
            {d && (
              <OpenCallbackContext.Provider value={d}>
                <Properties zone={zone} />
                <Timeline zone={zone} />
              </OpenCallbackContext.Provider>
            )}
          </div>
          {d && actions && (
            <footer>
              <OpenCallbackContext.Provider value={d}>
                <div className="drawer-actions" data-slot="callback-actions">
                  {actions}
                </div>
              </OpenCallbackContext.Provider>
            </footer>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Summary({ d, zone }: { d: Detail; zone: string }) {
  const r = d.record;
  const desired = r._desired_time ?? "";
  return (
    <>
      <p>
        <StateBadge state={r._callback_state ?? ""} reason={r._callback_reason} /> · {r._service_name} ·{" "}
        {formatPhone(r._customer_number ?? null)}
      </p>
      <dl className="props">
        <dt>Desired time (display, {zone})</dt>
        <dd>
          <time dateTime={desired}>{formatTime(desired, zone)}</time>
        </dd>
        <dt>Desired time (office, {d.officeZone})</dt>
        <dd>
          <time dateTime={desired}>{formatTime(desired, d.officeZone)}</time>
        </dd>
      </dl>
    </>
  );
}

function Properties({ zone }: { zone: string }) {
  const d = useOpenCallback()!;
  const keys = Object.keys(d.record).sort((a, b) => {
    const [ia, ib] = [FIRST_KEYS.indexOf(a), FIRST_KEYS.indexOf(b)];
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
  return (
    <section aria-labelledby="drawer-props">
      <h3 id="drawer-props">Properties</h3>
      <dl className="props">
        {keys.map((k) => (
          <div key={k} style={{ display: "contents" }}>
            <dt>{k}</dt>
            <dd>
              {TIME_KEYS.has(k) ? (
                <>
                  {formatFullTime(d.record[k]!, zone)} <span className="hint">{d.record[k]}</span>
                </>
              ) : k === "_customer_number" ? (
                <>
                  {formatPhone(d.record[k]!)} <span className="hint">{d.record[k]}</span>
                </>
              ) : (
                d.record[k]
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function describe(e: Detail["events"][number]): string {
  const from = typeof e.details?.from === "string" ? e.details.from : null;
  switch (e.type) {
    case "accepted":
      return "Accepted";
    case "state":
      return from ? `${from} → ${e.state}` : `State ${e.state}`;
    case "cancelled":
      return "Cancelled";
    case "rescheduled":
      return "Rescheduled";
    case "handoff":
      return "Handed off";
    case "handoff_failed":
      return "Hand-off failed";
    case "notification_dropped":
      return "Status notification dropped";
    default:
      return e.type.replaceAll("_", " ");
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** An event detail for reading: times in the display zone, other values as they are. */
const detailText = (v: unknown, zone: string) =>
  typeof v === "string" ? (ISO_TIME.test(v) ? formatFullTime(v, zone) : v) : JSON.stringify(v);

function Timeline({ zone }: { zone: string }) {
  const d = useOpenCallback()!;
  return (
    <section aria-labelledby="drawer-timeline">
      <h3 id="drawer-timeline">Timeline</h3>
      {d.events.length === 0 ? (
        <p className="muted">No events recorded for this callback.</p>
      ) : (
        <ol className="timeline">
          {d.events.map((e) => {
            const rest = Object.entries(e.details ?? {}).filter(([k]) => k !== "from");
            return (
              <li key={e.id}>
                <span className="when">
                  <time dateTime={e.time}>{formatFullTime(e.time, zone)}</time>
                </span>
                <strong>{describe(e)}</strong>
                {e.state && e.type !== "state" ? (
                  <>
                    {" "}
                    <StateBadge state={e.state} />
                  </>
                ) : null}
                {e.reason ? <span className="reason">{e.reason}</span> : null}
                {e.actor ? <span className="muted"> · by {e.actor}</span> : null}
                {rest.length > 0 && (
                  <span className="hint">{rest.map(([k, v]) => `${k.replaceAll("_", " ")}: ${detailText(v, zone)}`).join(" · ")}</span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
