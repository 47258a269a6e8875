"use client";
// The Office Hours editor: weekly ranges on a week grid (drag or keys) and as text per day, special openings,
// holidays, effective dates and the zone; a week preview of the unsaved options computed by the engine.
import { useMemo, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import {
  DAY_LABELS,
  hhmm,
  officeHoursErrors,
  officeHoursOptionList,
  officeHoursOptions,
  paintWeekly,
  weeklyRanges,
  type DatedEntry,
  type OfficeHoursModel,
} from "@/lib/console/office-hours-model";
import { CellGrid, type Rect } from "../_schedule/cell-grid";
import { ZoneField } from "../_schedule/zone-field";
import { useUnsavedGuard } from "../use-unsaved-guard";
import { canonical, sendJson, SaveError } from "../_schedule/api";
import { ServicePicker } from "../_schedule/service-picker";
import { OfficeHoursPreview } from "./office-hours-preview";
import { SaveBox, SaveStatus } from "../_schedule/save-bar";
import styles from "../_schedule/schedule.module.css";

const STEP = 30;
const COLS = 1440 / STEP;

type Coverage = "open" | "partial" | "closed";

function coverage(ranges: ReadonlyArray<readonly [number, number]>, from: number, to: number): Coverage {
  let covered = 0;
  for (const [s, e] of ranges) covered += Math.max(0, Math.min(e, to) - Math.max(s, from));
  return covered === 0 ? "closed" : covered >= to - from ? "open" : "partial";
}

export function OfficeHoursEditor(props: { service: string; services: string[]; initial: OfficeHoursModel; canEdit: boolean }) {
  const router = useRouter();
  const [model, setModel] = useState(props.initial);
  const [saved, setSaved] = useState(() => canonical(officeHoursOptions(props.initial)));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  const readOnly = !props.canEdit;
  const options = useMemo(() => officeHoursOptions(model), [model]);
  const dirty = canonical(options) !== saved;
  useUnsavedGuard(dirty && !readOnly);
  const errors = { ...serverErrors, ...officeHoursErrors(model) };
  const hasErrors = Object.keys(officeHoursErrors(model)).length > 0;
  const ranges = useMemo(() => weeklyRanges(model.weekly), [model.weekly]);

  function edit(next: Partial<OfficeHoursModel>) {
    setModel((m) => ({ ...m, ...next }));
    setServerErrors({});
    setStatus("");
  }

  function paint(sel: Rect, open: boolean) {
    if (readOnly) return;
    const cells = [];
    for (let r = sel.r0; r <= sel.r1; r++) cells.push({ day: r, from: sel.c0 * STEP, to: (sel.c1 + 1) * STEP });
    edit({ weekly: paintWeekly(model.weekly, cells, open) });
  }

  const isOpen = (r: number, c: number) => coverage(ranges[r] ?? [], c * STEP, (c + 1) * STEP) === "open";

  function onKey(e: KeyboardEvent, sel: Rect): boolean {
    if (readOnly) return false;
    if (e.key === " " || e.key === "Enter") paint(sel, !isOpen(sel.r0, sel.c0));
    else if (e.key === "o" || e.key === "O") paint(sel, true);
    else if (e.key === "c" || e.key === "C" || e.key === "Delete" || e.key === "Backspace") paint(sel, false);
    else return false;
    return true;
  }

  const save = useMutation({
    mutationFn: () =>
      sendJson<Record<string, unknown>>("PUT", `/api/console/office-hours/${encodeURIComponent(props.service)}`, { options }),
    onSuccess: (stored) => {
      setSaved(canonical(stored));
      setStatus(`Saved ${props.service}.`);
      router.refresh();
    },
    onError: (e) => {
      const byField: Record<string, string> = {};
      const fields = new Map(officeHoursOptionList(model).map((o) => [o.name, o.field.split(" ")[0]!]));
      for (const i of e instanceof SaveError ? e.issues : []) byField[fields.get(i.option) ?? "form"] = `${i.option}: ${i.message}`;
      setServerErrors(byField);
      setStatus(`Not saved: ${e.message}`);
    },
  });

  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`${key}-error`} className={styles.fieldError}>
        {errors[key]}
      </p>
    ) : null;
  const described = (key: string) => (errors[key] ? { "aria-invalid": true, "aria-describedby": `${key}-error` } : {});

  const discard = () => {
    setModel(props.initial);
    setServerErrors({});
  };

  return (
    <>
      <div className={styles.bar}>
        <ServicePicker path="/office-hours" kindLabel="Office-hours" services={props.services} selected={props.service} dirty={dirty} />
        <ZoneField value={model.zone} onChange={(zone) => edit({ zone })} error={errors.zone} readOnly={readOnly} />
        <SaveBox readOnly={readOnly} what="office hours" dirty={dirty} hasErrors={hasErrors} save={save} onDiscard={discard} />
      </div>
      <SaveStatus status={status} formError={errors.form} />

      <section className="card" aria-labelledby="weekly-h">
        <h2 id="weekly-h">Regular weekly hours</h2>
        <p className="hint">
          {readOnly
            ? "Open half-hours are filled. Arrow keys move through the grid."
            : "Drag across cells to open them (start on an open cell to close). " +
              "Keyboard: arrows move, Shift+arrows select, Space toggles, O opens, C closes."}{" "}
          Times are wall-clock times in {model.zone || "the office zone"}.
        </p>
        <CellGrid
          label={`Regular weekly hours, ${model.zone}`}
          rows={[...DAY_LABELS]}
          cols={COLS}
          headerEvery={2}
          colLabel={(c) => hhmm(c * STEP)}
          cellLabel={(r, c) => {
            const cov = coverage(ranges[r] ?? [], c * STEP, (c + 1) * STEP);
            return `${DAY_LABELS[r]} ${hhmm(c * STEP)}, ${cov === "partial" ? "partly open" : cov}`;
          }}
          cell={(r, c) => ({ className: styles[coverage(ranges[r] ?? [], c * STEP, (c + 1) * STEP)] })}
          onKey={onKey}
          onDrag={(sel, first) => paint(sel, !isOpen(first.r, first.c))}
        />
        <div className={styles.dayInputs}>
          {DAY_LABELS.map((day, i) => (
            <div key={day} className={styles.field}>
              <label htmlFor={`weekly-${i}`}>{day} ranges</label>
              <input
                id={`weekly-${i}`}
                value={model.weekly[i] ?? ""}
                readOnly={readOnly}
                placeholder="closed"
                onChange={(e) => edit({ weekly: model.weekly.map((w, j) => (j === i ? e.target.value : w)) })}
                {...described(`weekly.${i}`)}
              />
              {fieldError(`weekly.${i}`)}
            </div>
          ))}
        </div>
      </section>

      <div className={styles.columns}>
        <DatedList
          title="Special openings"
          id="openings"
          noun="Opening"
          entries={model.openings}
          rangesLabel="open ranges"
          emptyText="No special openings."
          readOnly={readOnly}
          errors={errors}
          onChange={(openings) => edit({ openings })}
          blank={{ date: "", ranges: "09:00-17:00" }}
        />
        <DatedList
          title="Holidays and closures"
          id="holidays"
          noun="Holiday"
          entries={model.holidays}
          rangesLabel="closed ranges (empty: all day)"
          emptyText="No holidays."
          readOnly={readOnly}
          errors={errors}
          onChange={(holidays) => edit({ holidays })}
          blank={{ date: "", ranges: "", option: "_holiday" as const }}
        />
        <section className="card" aria-labelledby="effective-h">
          <h2 id="effective-h">Effective dates</h2>
          <p className="hint">When set, the office is closed outside all of these date ranges.</p>
          {model.effective.length === 0 && <p className="muted">Always effective.</p>}
          {model.effective.map((e, i) => (
            <div key={i} className={styles.entry}>
              <div className={styles.field}>
                <label htmlFor={`effective-${i}-from`}>From</label>
                <input
                  id={`effective-${i}-from`}
                  type="date"
                  value={e.from}
                  readOnly={readOnly}
                  onChange={(ev) => edit({ effective: model.effective.map((x, j) => (j === i ? { ...x, from: ev.target.value } : x)) })}
                  {...described(`effective.${i}`)}
                />
              </div>
              <div className={styles.field}>
                <label htmlFor={`effective-${i}-to`}>To</label>
                <input
                  id={`effective-${i}-to`}
                  type="date"
                  value={e.to}
                  readOnly={readOnly}
                  onChange={(ev) => edit({ effective: model.effective.map((x, j) => (j === i ? { ...x, to: ev.target.value } : x)) })}
                  {...described(`effective.${i}`)}
                />
              </div>
              {!readOnly && (
                <button type="button" className="secondary" onClick={() => edit({ effective: model.effective.filter((_, j) => j !== i) })}>
                  Remove {e.from || "range"}
                </button>
              )}
              {fieldError(`effective.${i}`)}
            </div>
          ))}
          {!readOnly && (
            <button type="button" className="secondary" onClick={() => edit({ effective: [...model.effective, { from: "", to: "" }] })}>
              Add effective date range
            </button>
          )}
        </section>
      </div>

      <OfficeHoursPreview options={options} valid={!hasErrors} />
    </>
  );
}

function DatedList<T extends DatedEntry>(props: {
  title: string;
  id: string;
  /** "Holiday", "Opening": names each entry's fields. */
  noun: string;
  entries: T[];
  rangesLabel: string;
  emptyText: string;
  readOnly: boolean;
  errors: Record<string, string>;
  onChange: (entries: T[]) => void;
  blank: T;
}) {
  const { id, entries, readOnly, errors } = props;
  const set = (i: number, patch: Partial<DatedEntry>) => props.onChange(entries.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{props.title}</h2>
      <p className="hint">Date as YYYY-MM-DD, or MM-DD for every year; ranges as HH:mm-HH:mm, comma-separated.</p>
      {entries.length === 0 && <p className="muted">{props.emptyText}</p>}
      {entries.map((e, i) => {
        const key = `${id}.${i}`;
        const aria = errors[key] ? { "aria-invalid": true, "aria-describedby": `${key}-error` } : {};
        return (
          <div key={i} className={styles.entry}>
            <div className={styles.field}>
              <label htmlFor={`${id}-${i}-date`}>
                {props.noun} {i + 1} date
              </label>
              <input
                id={`${id}-${i}-date`}
                value={e.date}
                readOnly={readOnly}
                placeholder="YYYY-MM-DD or MM-DD"
                onChange={(ev) => set(i, { date: ev.target.value })}
                {...aria}
              />
            </div>
            <div className={styles.field}>
              <label htmlFor={`${id}-${i}-ranges`}>
                {props.noun} {i + 1} {props.rangesLabel}
              </label>
              <input
                id={`${id}-${i}-ranges`}
                value={e.ranges}
                readOnly={readOnly}
                onChange={(ev) => set(i, { ranges: ev.target.value })}
                {...aria}
              />
            </div>
            {!readOnly && (
              <button type="button" className="secondary" onClick={() => props.onChange(entries.filter((_, j) => j !== i))}>
                Remove {e.date || "entry"}
              </button>
            )}
            {errors[key] && (
              <p id={`${key}-error`} className={styles.fieldError}>
                {errors[key]}
              </p>
            )}
          </div>
        );
      })}
      {!readOnly && (
        <button type="button" className="secondary" onClick={() => props.onChange([...entries, props.blank])}>
          Add {props.noun.toLowerCase()}
        </button>
      )}
    </section>
  );
}
