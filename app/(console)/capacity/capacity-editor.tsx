"use client";
// The Capacity editor: a weekday × time grid of capacity values and a grid of dated exceptions, painted by
// selecting a rectangle (mouse drag or Shift+arrows) and typing a number; a week preview computed by the engine.
import { useMemo, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { capacityErrors, capacityOptions, cellTime, type CapacityModel } from "@/lib/console/capacity-model";
import { DAY_LABELS } from "@/lib/console/office-hours-model";
import { CellGrid, type Rect } from "../_schedule/cell-grid";
import { ZoneField } from "../_schedule/zone-field";
import { useUnsavedGuard } from "../use-unsaved-guard";
import { canonical, sendJson, SaveError } from "../_schedule/api";
import { ServicePicker } from "../_schedule/service-picker";
import { CapacityPreview, wash } from "./capacity-preview";
import { SaveBox, SaveStatus } from "../_schedule/save-bar";
import styles from "../_schedule/schedule.module.css";

const MAX_FILL = 1_000_000;

export function CapacityEditor(props: { service: string; services: string[]; initial: CapacityModel; canEdit: boolean }) {
  const router = useRouter();
  const [model, setModel] = useState(props.initial);
  const [saved, setSaved] = useState(() => canonical(capacityOptions(props.initial)));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  const [typed, setTyped] = useState<{ grid: "weekly" | "exceptions"; text: string } | null>(null);
  const [fill, setFill] = useState("");
  const [selection, setSelection] = useState<{ grid: "weekly" | "exceptions"; rect: Rect } | null>(null);
  const [newDate, setNewDate] = useState("");
  const readOnly = !props.canEdit;
  const options = useMemo(() => capacityOptions(model), [model]);
  const dirty = canonical(options) !== saved;
  useUnsavedGuard(dirty && !readOnly);
  const localErrors = capacityErrors(model);
  const errors: Record<string, string> = { ...serverErrors, ...localErrors };
  const hasErrors = Object.keys(localErrors).length > 0;
  const cols = 1440 / model.step;
  const top = Math.max(1, ...model.weekly.flatMap((v) => v ?? []), ...model.exceptions.flatMap((e) => e.values));

  function edit(next: Partial<CapacityModel>) {
    setModel((m) => ({ ...m, ...next }));
    setServerErrors({});
    setStatus("");
  }

  function fillRect(grid: "weekly" | "exceptions", rect: Rect, value: number) {
    if (readOnly) return;
    const put = (values: number[] | null) =>
      (values ?? Array<number>(cols).fill(0)).map((v, c) => (c >= rect.c0 && c <= rect.c1 ? value : v));
    if (grid === "weekly") edit({ weekly: model.weekly.map((v, r) => (r >= rect.r0 && r <= rect.r1 ? put(v) : v)) });
    else edit({ exceptions: model.exceptions.map((e, r) => (r >= rect.r0 && r <= rect.r1 ? { ...e, values: put(e.values) } : e)) });
    const cells = (rect.r1 - rect.r0 + 1) * (rect.c1 - rect.c0 + 1);
    setStatus(`Set ${cells} cell${cells === 1 ? "" : "s"} to ${value}.`);
  }

  const keyHandler =
    (grid: "weekly" | "exceptions") =>
    (e: KeyboardEvent, rect: Rect): boolean => {
      if (readOnly) return false;
      const buffer = typed?.grid === grid ? typed.text : "";
      if (/^\d$/.test(e.key)) {
        setTyped({ grid, text: (buffer + e.key).slice(0, 7) });
      } else if (e.key === "Backspace" && buffer) {
        setTyped({ grid, text: buffer.slice(0, -1) });
      } else if (e.key === "Enter" && buffer) {
        fillRect(grid, rect, Math.min(Number(buffer), MAX_FILL));
        setTyped(null);
      } else if (e.key === "Delete" || e.key === "Backspace") {
        fillRect(grid, rect, 0);
      } else if (e.key === "Escape" && buffer) {
        setTyped(null);
      } else return false;
      return true;
    };

  const save = useMutation({
    mutationFn: () => sendJson<Record<string, unknown>>("PUT", `/api/console/capacity/${encodeURIComponent(props.service)}`, { options }),
    onSuccess: (stored) => {
      setSaved(canonical(stored));
      setStatus(`Saved ${props.service}.`);
      router.refresh();
    },
    onError: (e) => {
      const fields: Record<string, string> = { _timezone: "zone", _max_capacity: "maxCapacity", _capacity_add: "exceptions" };
      const byField: Record<string, string> = {};
      for (const i of e instanceof SaveError ? e.issues : []) byField[fields[i.option] ?? "form"] = `${i.option}: ${i.message}`;
      setServerErrors(byField);
      setStatus(`Not saved: ${e.message}`);
    },
  });

  const cellView = (value: number) => {
    const w = wash(value, top);
    return { content: value, style: { background: w.background, color: w.color } };
  };
  const fillTarget = selection ?? { grid: "weekly" as const, rect: { r0: 0, r1: 0, c0: 0, c1: 0 } };
  const fillValue = Number(fill);
  const fillOk = fill.trim() !== "" && Number.isInteger(fillValue) && fillValue >= 0 && fillValue <= MAX_FILL;
  const describeSel = (s: typeof fillTarget) => {
    const rows =
      s.grid === "weekly"
        ? DAY_LABELS.slice(s.rect.r0, s.rect.r1 + 1)
        : model.exceptions.slice(s.rect.r0, s.rect.r1 + 1).map((e) => e.date);
    const days = rows.length > 1 ? `${rows[0]}–${rows[rows.length - 1]}` : rows[0];
    return `${days}, ${cellTime(s.rect.c0 * model.step)}–${cellTime((s.rect.c1 + 1) * model.step)}`;
  };

  const discard = () => {
    setModel(props.initial);
    setServerErrors({});
  };

  return (
    <>
      <div className={styles.bar}>
        <ServicePicker path="/capacity" kindLabel="Capacity" services={props.services} selected={props.service} dirty={dirty} />
        <ZoneField value={model.zone} onChange={(zone) => edit({ zone })} error={errors.zone} readOnly={readOnly} />
        <div className={styles.field}>
          <label htmlFor="max-capacity">Maximum capacity (caps every value)</label>
          <input
            id="max-capacity"
            inputMode="numeric"
            value={model.maxCapacity}
            placeholder="1000"
            readOnly={readOnly}
            onChange={(e) => edit({ maxCapacity: e.target.value })}
            aria-invalid={errors.maxCapacity ? true : undefined}
            aria-describedby={errors.maxCapacity ? "maxCapacity-error" : undefined}
          />
          {errors.maxCapacity && (
            <p id="maxCapacity-error" className={styles.fieldError}>
              {errors.maxCapacity}
            </p>
          )}
        </div>
        <SaveBox readOnly={readOnly} what="capacity" dirty={dirty} hasErrors={hasErrors} save={save} onDiscard={discard} />
      </div>
      <SaveStatus status={status} formError={errors.form} />

      <section className="card" aria-labelledby="weekly-h">
        <h2 id="weekly-h">Weekly capacity per {model.step === 60 ? "hour" : `${model.step} minutes`}</h2>
        <p className="hint">
          Capacity of every bucket starting in that {model.step === 60 ? "hour" : "period"} (wall-clock time in{" "}
          {model.zone || "the plan's zone"}).
          {!readOnly && " Select cells by dragging or with Shift+arrows, then type a number and press Enter (Delete sets 0)."}
        </p>
        {!readOnly && (
          <div className={styles.fillBox}>
            <div className={styles.field}>
              <label htmlFor="fill-value">Fill selection with</label>
              <input id="fill-value" inputMode="numeric" value={fill} onChange={(e) => setFill(e.target.value)} />
            </div>
            <button type="button" disabled={!fillOk} onClick={() => fillRect(fillTarget.grid, fillTarget.rect, fillValue)}>
              Fill {describeSel(fillTarget)}
            </button>
            {typed && (
              <span className={styles.dirty} aria-live="polite">
                Typing {typed.text || "…"}: Enter fills the selection, Esc cancels
              </span>
            )}
          </div>
        )}
        <CellGrid
          label={`Weekly capacity, ${model.zone}`}
          rows={[...DAY_LABELS]}
          cols={cols}
          headerEvery={Math.max(1, 60 / model.step)}
          colLabel={(c) => cellTime(c * model.step)}
          cellLabel={(r, c) => `${DAY_LABELS[r]} ${cellTime(c * model.step)}, capacity ${model.weekly[r]?.[c] ?? 0}`}
          cell={(r, c) => cellView(model.weekly[r]?.[c] ?? 0)}
          onKey={keyHandler("weekly")}
          onSelect={(rect) => setSelection({ grid: "weekly", rect })}
        />
      </section>

      <section className="card" aria-labelledby="exceptions-h">
        <h2 id="exceptions-h">Date exceptions</h2>
        <p className="hint">A date listed here uses its own row instead of its weekday (all zeros: closed that day).</p>
        {model.exceptions.length === 0 ? (
          <p className="muted">No date exceptions.</p>
        ) : (
          <CellGrid
            label={`Capacity on exception dates, ${model.zone}`}
            rows={model.exceptions.map((e) => e.date)}
            cols={cols}
            headerEvery={Math.max(1, 60 / model.step)}
            colLabel={(c) => cellTime(c * model.step)}
            cellLabel={(r, c) =>
              `${model.exceptions[r]?.date} ${cellTime(c * model.step)}, capacity ${model.exceptions[r]?.values[c] ?? 0}`
            }
            cell={(r, c) => cellView(model.exceptions[r]?.values[c] ?? 0)}
            onKey={keyHandler("exceptions")}
            onSelect={(rect) => setSelection({ grid: "exceptions", rect })}
          />
        )}
        {errors.exceptions && <p className={styles.fieldError}>{errors.exceptions}</p>}
        {model.exceptions.map((_, i) =>
          errors[`exceptions.${i}`] ? (
            <p key={i} className={styles.fieldError}>
              {errors[`exceptions.${i}`]}
            </p>
          ) : null,
        )}
        {!readOnly && (
          <div className={styles.fillBox}>
            <div className={styles.field}>
              <label htmlFor="new-exception">Exception date</label>
              <input id="new-exception" type="date" value={newDate} onChange={(e) => setNewDate(e.target.value)} />
            </div>
            <button
              type="button"
              className="secondary"
              disabled={!/^\d{4}-\d{2}-\d{2}$/.test(newDate) || model.exceptions.some((e) => e.date === newDate)}
              onClick={() => {
                // starts as a copy of that date's weekday, the usual base for a one-day change
                const weekday = (new Date(`${newDate}T12:00:00Z`).getUTCDay() + 6) % 7;
                const base = model.weekly[weekday] ?? Array<number>(cols).fill(0);
                edit({
                  exceptions: [...model.exceptions, { date: newDate, values: [...base] }].sort((a, b) => (a.date < b.date ? -1 : 1)),
                });
                setNewDate("");
              }}
            >
              Add exception
            </button>
            {model.exceptions.map((e) => (
              <button
                key={e.date}
                type="button"
                className="secondary"
                onClick={() => edit({ exceptions: model.exceptions.filter((x) => x !== e) })}
              >
                Remove {e.date}
              </button>
            ))}
          </div>
        )}
      </section>

      <CapacityPreview options={options} valid={!hasErrors} />
    </>
  );
}
