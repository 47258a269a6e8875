"use client";
// Bulk cancel of the selected rows, or of every callback of the current filter: a confirmation with the exact
// count and services, then a live progress bar while the engine works in the background; results as CSV.
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Role } from "@/lib/auth/users";
import type { BulkCancelInput } from "@/lib/console/action-schemas";
import type { BulkPreview, BulkProgress } from "@/lib/console/actions";
import { canAct, getJson, postJson, refreshCallbacks } from "./api";
import styles from "./actions.module.css";
import { ActionDialog, KeepButton } from "./action-dialog";

const nf = new Intl.NumberFormat("en-US");
const plural = (n: number) => `${nf.format(n)} ${n === 1 ? "callback" : "callbacks"}`;
const summary = (p: BulkProgress) =>
  `${nf.format(p.cancelled)} cancelled, ${nf.format(p.skipped)} skipped (PROCESSING or completed), ${nf.format(p.failed)} failed`;

type Done = (message: string) => void;

export function BulkCancel({
  role,
  selectedIds,
  pageIds,
  query,
  zone,
  rangeLabel,
  onDone = () => {},
}: {
  role: Role;
  selectedIds: string[];
  /** the rows of the page on screen */
  pageIds: string[];
  /** the Callbacks panel's URL parameters (its filter) */
  query: Record<string, string | string[]>;
  /** the display zone the filter's window is read in */
  zone: string;
  /** the window in words, e.g. "between Tue 2 Dec 09:00 and Wed 3 Dec 09:00 EST" */
  rangeLabel: string;
  /** what happened, in words, once a bulk cancel has finished */
  onDone?: Done;
}) {
  const [target, setTarget] = useState<{ input: BulkCancelInput; scope: string } | null>(null);
  const [operation, setOperation] = useState<string | null>(null);
  if (!canAct(role)) return null;
  return (
    <div className={styles.contents}>
      <button
        type="button"
        className={styles.dangerOutline}
        disabled={selectedIds.length === 0}
        onClick={() => setTarget({ input: { ids: selectedIds }, scope: "(the selected rows)" })}
      >
        Cancel selected ({nf.format(selectedIds.length)})
      </button>
      <button
        type="button"
        className={styles.dangerOutline}
        disabled={pageIds.length === 0}
        onClick={() => setTarget({ input: { ids: pageIds }, scope: "(the rows of this page)" })}
      >
        Cancel this page ({nf.format(pageIds.length)})
      </button>
      <button
        type="button"
        className={styles.dangerOutline}
        onClick={() => setTarget({ input: { query, tz: zone }, scope: `${rangeLabel} (all pages of the current filter)` })}
      >
        Cancel All Callbacks in Current Time Range
      </button>
      {target && <Confirm target={target.input} scope={target.scope} onClose={() => setTarget(null)} onStarted={setOperation} />}
      {operation && <Progress key={operation} operation={operation} onDone={onDone} />}
    </div>
  );
}

function Confirm({
  target: withZone,
  scope,
  onClose,
  onStarted,
}: {
  target: BulkCancelInput;
  scope: string;
  onClose: () => void;
  onStarted: (operation: string) => void;
}) {
  const preview = useQuery({
    queryKey: ["bulk-preview", withZone],
    queryFn: () => postJson<BulkPreview>("/api/console/bulk-cancel/preview", withZone),
  });
  const start = useMutation({
    mutationFn: () => postJson<{ operation: string; total: number }>("/api/console/bulk-cancel", withZone),
    onSuccess: (r) => {
      onStarted(r.operation);
      onClose();
    },
  });
  const p = preview.data;
  const toCancel = p ? p.total - p.processing - p.completed : 0;
  const services = p?.services.map((s) => (p.services.length > 1 ? `${s.service} (${nf.format(s.count)})` : s.service)).join(", ");
  return (
    <ActionDialog open onOpenChange={(o) => !o && onClose()}>
      <Dialog.Title>{p ? `Cancel ${plural(toCancel)}?` : "Counting the callbacks…"}</Dialog.Title>
      <Dialog.Description asChild>
        <div>
          {preview.isPending && <p>Counting what this would cancel…</p>}
          {preview.isError && (
            <p className={styles.error} role="alert">
              Could not count them: {preview.error.message}
            </p>
          )}
          {p && (
            <p>
              Cancel {plural(p.total)} of {services || "no service"}
              {` ${scope}`}? PROCESSING callbacks are left alone
              {p.processing ? ` (${nf.format(p.processing)} now)` : ""}
              {p.completed ? `; ${nf.format(p.completed)} already completed are skipped` : ""}. Cancelled callbacks are completed as
              CANCELLED_BY_ADMIN and cannot be restored.
            </p>
          )}
        </div>
      </Dialog.Description>
      {start.isError && (
        <p className={styles.error} role="alert">
          Not started: {start.error.message}
        </p>
      )}
      <div className={styles.buttons}>
        <KeepButton>Keep them</KeepButton>
        <button type="button" className={styles.danger} disabled={!p || toCancel <= 0 || start.isPending} onClick={() => start.mutate()}>
          {p ? `Cancel ${plural(toCancel)}` : "Cancel"}
        </button>
      </div>
    </ActionDialog>
  );
}

function Progress({ operation, onDone }: { operation: string; onDone: Done }) {
  const client = useQueryClient();
  const progress = useQuery({
    queryKey: ["bulk-cancel", operation],
    queryFn: async () => {
      const p = await getJson<BulkProgress>(`/api/console/bulk-cancel/${operation}`);
      const before = client.getQueryData<BulkProgress>(["bulk-cancel", operation]);
      // announced once, when the operation is seen finishing (not on a later refetch of the finished one)
      if (p.status !== "running" && before?.status !== p.status) {
        await refreshCallbacks(client);
        await client.invalidateQueries({ queryKey: ["bulk-cancels"] });
        onDone(`Bulk cancel ${p.status === "failed" ? "stopped" : "done"}: ${summary(p)}.`);
      }
      return p;
    },
    refetchInterval: (q) => (q.state.data?.status === "running" || !q.state.data ? 500 : false),
  });
  const p = progress.data;
  if (!p) return <span className={styles.status}>Starting the bulk cancel…</span>;
  const done = p.cancelled + p.skipped + p.failed;
  const elapsed = (progress.dataUpdatedAt - Date.parse(p.started)) / 1000;
  // a whole range is read in the background first: its size is known once the count appears
  const finding = p.status === "running" && p.total === 0;
  const left = p.status === "running" && done > 0 ? Math.round(((p.total - done) * elapsed) / done) : null;
  return (
    <div className={styles.progressLine} aria-live="polite">
      {finding ? (
        <progress className={styles.progress} aria-label="Bulk cancel progress" />
      ) : (
        <progress className={styles.progress} max={p.total || 1} value={done} aria-label="Bulk cancel progress" />
      )}
      <span className={styles.status}>
        {finding
          ? "Finding the callbacks of the range…"
          : p.status === "running"
            ? `${nf.format(done)} of ${nf.format(p.total)} done${left !== null ? `, about ${left} s left` : ""}`
            : `${p.status === "failed" ? "Stopped" : "Done"}: ${summary(p)}`}
      </span>
      {p.status !== "running" && (
        <a href={`/api/console/bulk-cancel/${operation}/csv`} download>
          Download the results (CSV)
        </a>
      )}
    </div>
  );
}
