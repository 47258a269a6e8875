"use client";
// The action controls mounted into the Callbacks panel for roles that may act: the bar above the table (create,
// bulk cancel, reports) and the drawer's footer (reschedule, cancel). They read the panel through its contexts.
import type { Role } from "@/lib/auth/users";
import { BulkCancel, CallbackActions, CreateCallbackDialog, DownloadReports } from "./actions";
import { useCallbacksSelection, useOpenCallback } from "./callbacks-context";

export function CallbacksActionBar({ role, services }: { role: Role; services: string[] }) {
  const panel = useCallbacksSelection();
  const query = Object.fromEntries(new URLSearchParams(panel.query));
  const keys = query.keys ? query.keys.split(",").filter(Boolean) : [];
  return (
    <>
      <CreateCallbackDialog
        role={role}
        services={services}
        zone={panel.zone}
        onCreated={(id) => panel.done(`Callback ${id.slice(0, 8)} created.`)}
        open={panel.createOpen}
        onOpenChange={panel.setCreateOpen}
      />
      <BulkCancel
        role={role}
        selectedIds={panel.selectedIds}
        pageIds={panel.pageIds}
        query={query}
        zone={panel.zone}
        rangeLabel={panel.rangeLabel}
        onDone={(message) => {
          panel.clear();
          panel.done(message);
        }}
      />
      <DownloadReports role={role} query={query} zone={panel.zone} columns={keys} />
    </>
  );
}

export function DrawerActions({ role }: { role: Role }) {
  const open = useOpenCallback();
  const panel = useCallbacksSelection();
  if (!open) return null;
  const r = open.record;
  return (
    <CallbackActions
      id={r._id ?? ""}
      state={r._callback_state ?? ""}
      service={r._service_name ?? ""}
      role={role}
      zone={panel.zone}
      onDone={panel.done}
    />
  );
}
