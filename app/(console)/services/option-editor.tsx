"use client";
// The option editor of a service or of the global settings: the options grouped as the README's option table, each
// with an input of its type, its default greyed as the placeholder, its help text, and the server's error beside it.
// Read-only (monitor, supervisor): the values as text, no inputs.
import { useId, useMemo, useState, type ReactNode } from "react";
import { GROUP_LABELS, type EditorField, type EditorGroup, type FieldErrors, type ServicesByKind } from "@/lib/console/service-editor";
import styles from "./services.module.css";

export interface OptionEditorProps {
  fields: EditorField[];
  values: Record<string, string>;
  onChange?: (name: string, value: string) => void;
  errors?: FieldErrors;
  services?: ServicesByKind;
  readOnly?: boolean;
}

const GROUP_ORDER = Object.keys(GROUP_LABELS) as EditorGroup[];

let zonesCache: string[] | null = null;
const zones = () => (zonesCache ??= ["UTC", ...Intl.supportedValuesOf("timeZone")]);

export function OptionEditor({ fields, values, onChange, errors = {}, services, readOnly }: OptionEditorProps) {
  const [find, setFind] = useState("");
  const [onlySet, setOnlySet] = useState(false);
  const id = useId();
  const shown = useMemo(() => {
    const q = find.trim().toLowerCase();
    return fields.filter(
      (f) =>
        (!q || f.name.toLowerCase().includes(q) || f.description.toLowerCase().includes(q)) &&
        (!onlySet || (values[f.name] ?? "") !== "" || errors[f.name]),
    );
  }, [fields, find, onlySet, values, errors]);
  const groups = GROUP_ORDER.map((g) => ({ group: g, fields: shown.filter((f) => f.group === g) })).filter((g) => g.fields.length);
  const hasZones = fields.some((f) => f.type === "timezone");
  return (
    <div>
      <div className={styles.editorTools}>
        <label className={styles.inlineLabel}>
          Find an option
          <input type="search" value={find} onChange={(e) => setFind(e.target.value)} placeholder="name or help text" />
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={onlySet} onChange={(e) => setOnlySet(e.target.checked)} /> Only options that are set
        </label>
        <nav aria-label="Option groups" className={styles.groupNav}>
          {groups.map((g) => (
            <a key={g.group} href={`#${id}-${g.group}`}>
              {GROUP_LABELS[g.group]}
            </a>
          ))}
        </nav>
      </div>
      {groups.length === 0 && <p className="muted">No option matches “{find}”.</p>}
      {groups.map((g) => (
        <section key={g.group} className={styles.group} aria-labelledby={`${id}-${g.group}`}>
          <h2 id={`${id}-${g.group}`}>{GROUP_LABELS[g.group]}</h2>
          {g.fields.map((f) => (
            <OptionField
              key={f.name}
              field={f}
              value={values[f.name] ?? ""}
              error={errors[f.name]}
              onChange={onChange}
              services={services}
              readOnly={readOnly}
            />
          ))}
        </section>
      ))}
      {hasZones && !readOnly && <ZoneList />}
    </div>
  );
}

/** The suggestions of every time-zone input (`list="option-zones"`): once per page. */
export function ZoneList() {
  return (
    <datalist id="option-zones">
      {zones().map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}

/** One option's row: name, typed input (or its value as text), help, and the server's error. */
export function OptionField(props: {
  field: EditorField;
  value: string;
  error?: string;
  onChange?: (name: string, value: string) => void;
  services?: ServicesByKind;
  readOnly?: boolean;
  /** a narrow row (the Add New Service dialog): the help goes under the input */
  compact?: boolean;
  /** e.g. a Remove button after the input */
  after?: ReactNode;
}) {
  const { field: f, value, error, readOnly } = props;
  const base = useId();
  const inputId = `${base}-input`;
  const helpId = `${base}-help`;
  const errId = `${base}-err`;
  const set = (v: string) => props.onChange?.(f.name, v);
  const common = {
    id: inputId,
    "aria-describedby": error ? `${helpId} ${errId}` : helpId,
    "aria-invalid": error ? true : undefined,
  } as const;
  const defaultText = f.placeholder !== undefined ? `Default (${f.placeholder})` : "Not set";
  let control;
  if (readOnly) {
    control = (
      <span id={inputId} className={value ? styles.value : `${styles.value} muted`} aria-describedby={helpId}>
        {value || (f.placeholder !== undefined ? `default: ${f.placeholder}` : "not set")}
      </span>
    );
  } else if (f.type === "boolean" || f.type === "enum" || f.type === "service") {
    const choices =
      f.type === "boolean"
        ? ["true", "false"]
        : f.type === "enum"
          ? [...(f.values ?? [])]
          : [...(props.services?.[f.refKind as "callback"] ?? [])];
    // a stored value outside the list stays visible (and is reported by the server if it is wrong)
    if (value && !choices.includes(value) && !choices.includes(value.toLowerCase())) choices.unshift(value);
    const current = f.type === "service" || choices.includes(value) ? value : value.toLowerCase();
    control = (
      <select {...common} value={current} onChange={(e) => set(e.target.value)}>
        <option value="">{f.type === "service" ? `None (${f.refKind} service)` : defaultText}</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  } else if (f.type === "calendar" || f.type === "capacity" || f.type === "json") {
    control = <textarea {...common} rows={f.type === "calendar" ? 1 : 3} value={value} onChange={(e) => set(e.target.value)} />;
  } else {
    const numeric = f.type === "integer" || f.type === "number";
    control = (
      <input
        {...common}
        type={numeric ? "number" : f.type === "url" ? "url" : "text"}
        inputMode={numeric ? (f.type === "integer" ? "numeric" : "decimal") : undefined}
        step={f.type === "number" ? "any" : undefined}
        min={numeric ? f.min : undefined}
        max={numeric ? f.max : undefined}
        list={f.type === "timezone" ? "option-zones" : undefined}
        placeholder={
          f.placeholder !== undefined
            ? `default: ${f.placeholder}`
            : f.type === "timezone"
              ? "e.g. America/New_York"
              : f.type === "url"
                ? "https://…"
                : ""
        }
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    );
  }
  return (
    <div className={[props.compact ? styles.fieldCompact : styles.field, error ? styles.fieldBad : ""].join(" ")}>
      {readOnly ? (
        <span className={styles.name}>
          <code>{f.name}</code>
        </span>
      ) : (
        <label htmlFor={inputId} className={styles.name}>
          <code>{f.name}</code>
          {f.required && <span className={styles.required}> required</span>}
        </label>
      )}
      <div className={styles.control}>
        {control}
        {error && (
          <p id={errId} className={styles.error}>
            {f.name} {error}
          </p>
        )}
      </div>
      {props.after}
      <p id={helpId} className={styles.help}>
        {f.description}
        {f.type === "list" && " (comma-separated)"}
      </p>
    </div>
  );
}
