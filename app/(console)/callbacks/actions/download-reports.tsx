"use client";
// Download Reports: the current view (every row of the filter), the cancelled-callbacks report with its
// parameters, and the latest bulk cancels' per-callback results. Plain links: the browser streams the file.
import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "luxon";
import type { Role } from "@/lib/auth/users";
import { CANCEL_REASONS } from "@/lib/console/action-schemas";
import type { BulkProgress } from "@/lib/console/actions";
import { canAct, getJson } from "./api";
import styles from "./actions.module.css";
import { ActionDialog, KeepButton } from "./action-dialog";

const nf = new Intl.NumberFormat("en-US");

export function DownloadReports({
  role,
  query,
  zone,
  columns = [],
}: {
  role: Role;
  query: Record<string, string | string[]>;
  /** the display zone the files' times and the report's days are in */
  zone: string;
  columns?: string[];
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<(typeof CANCEL_REASONS)[number]>("CANCELLED_BY_ADMIN");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [service, setService] = useState("");
  const recent = useQuery({
    queryKey: ["bulk-cancels"],
    queryFn: () => getJson<BulkProgress[]>("/api/console/bulk-cancel"),
    enabled: canAct(role) && open,
  });
  if (!canAct(role)) return null;
  const view = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) view.append(k, x);
  if (!view.has("tz")) view.set("tz", zone);
  if (columns.length) view.set("columns", columns.join(","));
  const cancelled = new URLSearchParams({ reason, tz: zone });
  if (start) cancelled.set("start", start);
  if (end) cancelled.set("end", end);
  if (service.trim()) cancelled.set("service", service.trim());
  return (
    <ActionDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <button type="button" className={styles.secondary}>
          Download reports…
        </button>
      }
    >
      <Dialog.Title>Download reports</Dialog.Title>
      <Dialog.Description className={styles.hint}>CSV files, times in {zone}.</Dialog.Description>
      <p>
        <a href={`/api/console/export/view?${view}`} download>
          Current view as CSV
        </a>{" "}
        <span className={styles.hint}>(every callback of the filter, all pages)</span>
      </p>
      <fieldset className={styles.fieldset}>
        <legend>Cancelled callbacks (from 30 days ago to 15 days ahead)</legend>
        <div className={styles.row}>
          <label>
            Reason
            <select value={reason} onChange={(e) => setReason(e.target.value as (typeof CANCEL_REASONS)[number])}>
              {CANCEL_REASONS.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" value={end} onChange={(e) => setEnd(e.target.value)} />
          </label>
          <label>
            Service
            <input value={service} onChange={(e) => setService(e.target.value)} placeholder="all" />
          </label>
        </div>
        <p>
          <a href={`/api/console/export/cancelled?${cancelled}`} download>
            Cancelled callbacks as CSV
          </a>
        </p>
      </fieldset>
      <h3>Latest bulk cancels</h3>
      {recent.isError && <p className={styles.error}>Could not load them: {recent.error.message}</p>}
      {recent.data?.length === 0 && <p className={styles.hint}>No bulk cancel yet.</p>}
      <ul>
        {recent.data?.map((op) => (
          <li key={op.operation} className={styles.status}>
            {DateTime.fromISO(op.started, { zone }).toFormat("d LLL HH:mm ZZZZ")} by {op.actor ?? "—"}: {nf.format(op.cancelled)} cancelled,{" "}
            {nf.format(op.skipped)} skipped, {nf.format(op.failed)} failed ({op.status}){" "}
            <a href={`/api/console/bulk-cancel/${op.operation}/csv`} download>
              results CSV
            </a>
          </li>
        ))}
      </ul>
      <div className={styles.buttons}>
        <KeepButton>Close</KeepButton>
      </div>
    </ActionDialog>
  );
}
