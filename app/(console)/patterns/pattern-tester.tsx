"use client";
// The live tester: a number typed here goes to the engine's own number rules and pattern matching (the console
// route), so "refused" means what Start-Callback would answer, with its message.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { PatternGroupView, PatternTestResult } from "@/lib/console/patterns";
import { PatternTestInput } from "@/lib/console/admin-schemas";
import { sendJson } from "../send-json";
import { Field, describedBy } from "../form-field";
import styles from "./patterns.module.css";

const GLOBAL = "";

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function PatternTester({
  group,
  services,
  onResult,
}: {
  group: PatternGroupView;
  services: string[];
  onResult: (matching: string[]) => void;
}) {
  const [number, setNumber] = useState("");
  // the first service that uses the group: its number rules are the ones that apply to this group in practice
  const [service, setService] = useState(group.services[0] ?? GLOBAL);
  const input = { group: group.name, number: useDebounced(number, 250), ...(service ? { service } : {}) };
  const parsed = PatternTestInput.safeParse(input);
  const patternsKey = group.patterns.map((p) => `${p.name}=${p.regex}`).join("\n");
  const test = useQuery({
    queryKey: ["pattern-test", input.group, input.number, service, patternsKey],
    queryFn: () => sendJson<PatternTestResult>("POST", "/api/console/pattern-test", parsed.data),
    enabled: parsed.success,
    retry: false,
  });
  const result = parsed.success ? test.data : undefined;
  useEffect(() => onResult(result ? result.patterns.filter((p) => p.matches).map((p) => p.name) : []), [result, onResult]);
  const inputError = number.trim() && !parsed.success ? parsed.error.issues[0]?.message : undefined;
  const others = services.filter((s) => !group.services.includes(s));

  return (
    <section className="card" aria-labelledby="tester-title">
      <h2 id="tester-title">Tester</h2>
      <p className="hint">
        Type a customer number: the patterns of {group.name} that match it are highlighted, and the verdict is what Start-Callback would
        answer.
      </p>
      <div className={styles.testerRow}>
        <Field id="t-number" label="Customer number" error={inputError}>
          <input
            id="t-number"
            type="tel"
            autoComplete="off"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            placeholder="+1 617 555 0100"
            aria-invalid={!!inputError}
            aria-describedby={describedBy("t-number", inputError)}
          />
        </Field>
        <Field id="t-service" label="As Start-Callback on">
          <select id="t-service" value={service} onChange={(e) => setService(e.target.value)}>
            {group.services.length > 0 && (
              <optgroup label={`Services using ${group.name}`}>
                {group.services.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </optgroup>
            )}
            <option value={GLOBAL}>{group.name} alone, global number rules</option>
            {others.length > 0 && (
              <optgroup label="Services not using it">
                {others.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </Field>
      </div>
      <div aria-live="polite" className={styles.verdictArea}>
        {parsed.success && test.isPending && <p className="hint">Testing…</p>}
        {test.isError && parsed.success && (
          <p className={styles.refused} role="alert">
            The test failed: {test.error.message}{" "}
            <button type="button" className="secondary" onClick={() => void test.refetch()}>
              Retry
            </button>
          </p>
        )}
        {result && (
          <div className={result.refused ? styles.refused : styles.allowed} data-testid="verdict">
            <p className={styles.verdict}>
              <strong>{result.refused ? "Refused" : "Allowed"}</strong>{" "}
              {result.refused ? `— Start-Callback would answer 400: ${result.message}` : "— Start-Callback would accept this number."}
            </p>
            <p className="hint">
              Matched as <code>{result.normalized}</code>
              {result.normalized !== result.number.trim() && (
                <>
                  {" "}
                  (typed <code>{result.number}</code>)
                </>
              )}
              ; number rules of {result.rules.from}: default country {result.rules.defaultCountry}, + fixing {onOff(result.rules.fixPlus)},
              impossible numbers {refusedOrNot(result.rules.disallowImpossible)}, premium numbers{" "}
              {refusedOrNot(result.rules.disallowPremium)}. {matchSummary(result)}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}

const onOff = (b: boolean) => (b ? "on" : "off");
const refusedOrNot = (b: boolean) => (b ? "refused" : "allowed");

function matchSummary(r: PatternTestResult): string {
  const hits = r.patterns.filter((p) => p.matches).map((p) => p.name);
  if (hits.length === 0) return "No pattern of this group matches.";
  return `Matching pattern${hits.length > 1 ? "s" : ""}: ${hits.join(", ")}.`;
}
