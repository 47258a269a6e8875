"use client";
// The filter bar: time window (presets or a custom range), states, services and customer number. Every change
// becomes a URL parameter; the page goes back to 1.
import { useEffect, useRef, useState } from "react";
import { DateTime } from "luxon";
import { STATES } from "@/lib/callback/states";
import { WINDOWS, type WindowPreset } from "@/lib/console/callbacks-params";
import type { ParamChange } from "./url-state";

export interface FilterValues {
  window: WindowPreset;
  from: string;
  to: string;
  states: string[];
  services: string[];
  number: string;
}

const toLocalInput = (iso: string | undefined, zone: string) => (iso ? DateTime.fromISO(iso, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : "");

export function Filters({
  values,
  services,
  zone,
  window: currentWindow,
  rangeError,
  onChange,
}: {
  values: FilterValues;
  services: string[];
  zone: string;
  /** the window the last answer covered (ISO), to start a custom range from it */
  window?: { from: string; to: string };
  rangeError: string | null;
  onChange: (c: ParamChange, mode?: "push" | "replace") => void;
}) {
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  return (
    <div className="filters" role="search" aria-label="Filter callbacks">
      <div>
        <label htmlFor="f-window">Time window</label>
        <select
          id="f-window"
          value={values.window}
          onChange={(e) => {
            const w = e.target.value as WindowPreset;
            // a custom range starts from the window on screen
            if (w === "custom")
              onChange({ window: w, from: toLocalInput(currentWindow?.from, zone), to: toLocalInput(currentWindow?.to, zone), page: null });
            else onChange({ window: w, from: null, to: null, page: null });
          }}
        >
          {Object.entries(WINDOWS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {values.window === "custom" && (
        <CustomRange
          key={`${values.from}|${values.to}`}
          from={values.from}
          to={values.to}
          error={rangeError}
          zone={zone}
          onChange={onChange}
        />
      )}
      <fieldset>
        <legend>State</legend>
        <div className="chips">
          {STATES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                checked={values.states.includes(s)}
                onChange={() => onChange({ state: toggle(values.states, s).join(","), page: null })}
              />
              {s}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <span className="label" aria-hidden="true">
          Services
        </span>
        <details className="menu">
          <summary>{values.services.length ? `Services: ${values.services.length} of ${services.length}` : "Services: all"}</summary>
          <div className="menu-body">
            {services.length === 0 && <p className="muted">No callback services are configured.</p>}
            {services.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={values.services.includes(s)}
                  onChange={() => onChange({ service: toggle(values.services, s).join(","), page: null })}
                />
                {s}
              </label>
            ))}
          </div>
        </details>
      </div>
      <NumberSearch value={values.number} onChange={onChange} />
      {(values.states.length > 0 || values.services.length > 0 || values.number) && (
        <button type="button" className="secondary" onClick={() => onChange({ state: null, service: null, number: null, page: null })}>
          Clear filters
        </button>
      )}
    </div>
  );
}

function CustomRange({
  from,
  to,
  error,
  zone,
  onChange,
}: {
  from: string;
  to: string;
  error: string | null;
  zone: string;
  onChange: (c: ParamChange) => void;
}) {
  const [f, setF] = useState(from);
  const [t, setT] = useState(to);
  return (
    <form
      className="filters"
      style={{ margin: 0 }}
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ window: "custom", from: f, to: t, page: null });
      }}
    >
      <div>
        <label htmlFor="f-from">From ({zone})</label>
        <input id="f-from" type="datetime-local" value={f} onChange={(e) => setF(e.target.value)} aria-describedby="f-range-error" />
      </div>
      <div>
        <label htmlFor="f-to">To ({zone})</label>
        <input id="f-to" type="datetime-local" value={t} onChange={(e) => setT(e.target.value)} aria-describedby="f-range-error" />
      </div>
      <button type="submit">Apply range</button>
      <p id="f-range-error" className="range-error" role={error ? "alert" : undefined}>
        {error ?? ""}
      </p>
    </form>
  );
}

/** The customer number search: applied as the user types (after a pause); `/` focuses it from anywhere. */
function NumberSearch({ value, onChange }: { value: string; onChange: (c: ParamChange, mode?: "push" | "replace") => void }) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // the URL changed under the field (back button, Clear filters): show what the URL says
  if (seen !== value) {
    setSeen(value);
    setText(value);
  }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (e.key !== "/" || el.closest("input, textarea, select, [contenteditable=true]")) return;
      e.preventDefault();
      input.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      clearTimeout(timer.current);
    };
  }, []);
  return (
    <div>
      <label htmlFor="f-number">Customer number</label>
      <input
        ref={input}
        id="f-number"
        type="search"
        inputMode="tel"
        placeholder="Digits, e.g. 617555"
        aria-keyshortcuts="/"
        title="Press / to search from anywhere on the page"
        value={text}
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => onChange({ number: v.trim() || null, page: null }, "replace"), 350);
        }}
      />
    </div>
  );
}
