"use client";
// The Callbacks panel: filters in the URL, one server page of 250 refreshed live, and the drawer. Live updates
// never move rows under the pointer or the keyboard focus: while either is on the table, the rows on screen stay
// and the changes wait behind "Show".
import { useMemo, useRef, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import { DateTime, IANAZone } from "luxon";
import type { CallbacksPage, CallbacksQuery } from "@/lib/console/callbacks";
import { WINDOW_PHRASES, type WindowPreset, WINDOWS } from "@/lib/console/callbacks-params";
import { fetchJson } from "../fetch-json";
import { CallbacksTable } from "./callbacks-table";
import { CallbackDrawer } from "./callback-drawer";
import { Filters } from "./filters";
import { SelectionContext } from "./callbacks-context";
import { dataQuery, useUrlState, type ParamChange } from "./url-state";
import { ColumnsMenu, useColumnPrefs } from "./columns-menu";
import { Toast } from "../panel-states";

const LIVE_MS = 5000;
const list = (v: string | null) => (v ? v.split(",").filter(Boolean) : []);
const isWindow = (w: string | null): w is WindowPreset => !!w && w in WINDOWS;

/** Rows on one page that are new, changed or gone between two answers. */
function changedRows(a: CallbacksPage, b: CallbacksPage): number {
  const sig = (r: CallbacksPage["rows"][number]) => `${r.state}|${r.reason}|${r.desiredTime}|${r.number}|${JSON.stringify(r.extras)}`;
  const before = new Map(a.rows.map((r) => [r.id, sig(r)]));
  const after = new Set(b.rows.map((r) => r.id));
  let n = b.rows.filter((r) => before.get(r.id) !== sig(r)).length;
  for (const id of before.keys()) if (!after.has(id)) n++;
  return n;
}

export function CallbacksPanel({
  initial,
  initialKey,
  renderedAt,
  zone: serverZone,
  services,
  user,
  actionBar,
  drawerActions,
}: {
  initial: CallbacksPage;
  /** the data parameters the server rendered `initial` for */
  initialKey: string;
  renderedAt: number;
  zone: string;
  services: string[];
  user: string;
  /** controls for the selected rows (mounted by roles that may act on them) */
  actionBar?: ReactNode;
  /** controls for the callback open in the drawer */
  drawerActions?: ReactNode;
}) {
  const { params, change } = useUrlState();
  const key = dataQuery(params);
  const tz = params.get("tz");
  const zone = tz && IANAZone.isValidZone(tz) ? tz : serverZone;
  const sort = (params.get("sort") ?? "desired") as CallbacksQuery["sort"];
  const dir = params.get("dir") === "desc" ? "desc" : "asc";
  const windowPreset: WindowPreset = isWindow(params.get("window")) ? (params.get("window") as WindowPreset) : "today";
  const states = list(params.get("state"));
  const chosenServices = list(params.get("service"));
  const number = params.get("number") ?? "";
  const keysParam = params.get("keys");
  // one array per value: the table's columns are rebuilt (and its cells remounted) only when the keys change
  const keys = useMemo(() => list(keysParam), [keysParam]);
  const openId = params.get("open");

  const [paused, setPaused] = useState(false);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [frozen, setFrozen] = useState<{ key: string; data: CallbacksPage } | null>(null);
  const [toast, setToast] = useState("");
  const [createOpen, setCreateOpen] = useState(false);
  const prefs = useColumnPrefs(user);

  const apiQuery = new URLSearchParams(key);
  if (!apiQuery.has("tz")) apiQuery.set("tz", zone);
  const q = useQuery({
    queryKey: ["callbacks", key, zone],
    queryFn: () => fetchJson<CallbacksPage>(`/api/console/callbacks?${apiQuery}`),
    initialData: key === initialKey && zone === serverZone ? initial : undefined,
    initialDataUpdatedAt: renderedAt,
    staleTime: LIVE_MS - 500,
    refetchInterval: paused ? false : LIVE_MS,
  });
  const live = q.data;
  const frozenKey = `${key}|${zone}`;
  const held = frozen && frozen.key === frozenKey ? frozen.data : null;
  const shown = held ?? live;
  const pending = held && live && held !== live ? changedRows(held, live) : 0;
  // after an action, its result shows on the next answer even if the pointer is still in the zone
  const afterAction = useRef<number | null>(null);
  const hold = () => {
    if (afterAction.current !== null && q.dataUpdatedAt <= afterAction.current) return;
    afterAction.current = null;
    setFrozen((f) => (f && f.key === frozenKey ? f : live ? { key: frozenKey, data: live } : f));
  };
  // dialogs opened from the action bar are portals: their events bubble through React, not through the zone
  const holdInside = (e: { currentTarget: HTMLElement; target: EventTarget }) => {
    if (e.currentTarget.contains(e.target as Node)) hold();
  };
  const release = () => setFrozen(null);

  // a filter change starts a new selection; paging and sorting keep it
  const changeFilter = (c: ParamChange, mode?: "push" | "replace") => {
    setSelection({});
    change(c, mode);
  };
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const total = shown?.total ?? 0;
  const updated = DateTime.fromMillis(q.dataUpdatedAt || renderedAt, { zone }).toFormat("HH:mm:ss ZZZZ");
  const win = shown && !shown.error ? shown.window : null;
  const at = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat("ccc d LLL HH:mm");
  const rangeLabel = win ? `between ${at(win.from)} and ${at(win.to)} ${DateTime.fromISO(win.to, { zone }).toFormat("ZZZZ")}` : "";
  // an action's own result is shown at once, even under the pointer: the user asked for it
  const done = (message: string) => {
    afterAction.current = q.dataUpdatedAt;
    setFrozen(null);
    setToast(message);
  };

  return (
    <SelectionContext.Provider
      value={{
        selectedIds,
        clear: () => setSelection({}),
        pageIds: shown?.rows.map((r) => r.id) ?? [],
        query: key,
        zone,
        rangeLabel,
        done,
        createOpen,
        setCreateOpen,
      }}
    >
      <Filters
        values={{
          window: windowPreset,
          from: params.get("from") ?? "",
          to: params.get("to") ?? "",
          states,
          services: chosenServices,
          number,
        }}
        services={services}
        zone={zone}
        window={shown && !shown.error ? shown.window : undefined}
        rangeError={shown?.error ?? null}
        onChange={changeFilter}
      />
      {/* the hold zone covers the status bar and the action bar too: reaching for "Show" or an action must not
          release the rows on the way */}
      <div
        className="live-zone"
        onPointerEnter={holdInside}
        onPointerMove={holdInside}
        onPointerLeave={release}
        onFocus={holdInside}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) release();
        }}
      >
        <div className="statusbar">
          <span className="count" role="status">
            {!shown
              ? "Loading callbacks…"
              : shown.error
                ? "No callbacks found."
                : total === 0
                  ? "No callbacks found."
                  : `${total.toLocaleString("en-US")} callback(s) found`}
          </span>
          <span>
            {selectedIds.length.toLocaleString("en-US")} selected
            {selectedIds.length > 0 && (
              <>
                {" "}
                <button type="button" className="link" onClick={() => setSelection({})}>
                  Clear selection
                </button>
              </>
            )}
          </span>
          <span aria-live="polite">
            {pending > 0 && (
              <span className="pending">
                {pending} new or changed callback{pending === 1 ? "" : "s"} —{" "}
                <button type="button" className="link" onClick={() => live && setFrozen({ key: frozenKey, data: live })}>
                  Show
                </button>
              </span>
            )}
          </span>
          <span className="spacer" />
          {q.isError && shown ? (
            <span className="stale" role="status">
              Last updated {updated} — refresh failed, retrying
            </span>
          ) : (
            <span className="muted">{paused ? `Paused · last updated ${updated}` : `Live · updated ${updated}`}</span>
          )}
          <button type="button" className="secondary" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            Pause live
          </button>
          <ColumnsMenu user={user} prefs={prefs} keys={keys} onKeys={(k) => change({ keys: k.join(",") || null }, "replace")} />
        </div>
        {actionBar && (
          <div className="actionbar" role="group" aria-label="Actions">
            {actionBar}
          </div>
        )}
        <Toast message={toast} onDismiss={() => setToast("")} />
        {q.isError && !shown ? (
          <div className="card" role="alert">
            <p className="error">The callbacks could not be loaded: {q.error.message}</p>
            <button type="button" onClick={() => q.refetch()}>
              Retry
            </button>
          </div>
        ) : (
          <div className="table-wrap">
            <CallbacksTable
              rows={shown?.rows ?? []}
              loading={!shown}
              zone={zone}
              extraKeys={keys}
              showId={prefs.showId}
              sort={sort}
              dir={dir}
              onSort={(s) => change({ sort: s, dir: s === sort && dir === "asc" ? "desc" : "asc", page: null })}
              selection={selection}
              onSelectionChange={setSelection}
              onOpen={(id) => change({ open: id })}
              empty={
                shown?.error ? (
                  <>Fix the custom range above to see callbacks.</>
                ) : (
                  <>
                    No callbacks {WINDOW_PHRASES[windowPreset]}
                    {states.length || chosenServices.length || number ? " matching these filters" : ""}.{" "}
                    {windowPreset !== "next30d" && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => changeFilter({ window: "next30d", from: null, to: null, page: null })}
                      >
                        Look at the next 30 days
                      </button>
                    )}
                    {actionBar && (
                      <>
                        {windowPreset !== "next30d" ? " or " : " "}
                        <button type="button" className="link" onClick={() => setCreateOpen(true)}>
                          {windowPreset !== "next30d" ? "create one" : "Create one"}
                        </button>
                        .
                      </>
                    )}
                  </>
                )
              }
            />
          </div>
        )}
      </div>
      {shown && shown.pageCount > 1 && (
        <Pager
          page={shown.page}
          pageCount={shown.pageCount}
          total={total}
          pageSize={shown.pageSize}
          onPage={(p) => change({ page: p === 1 ? null : String(p) })}
        />
      )}
      {openId && (
        <CallbackDrawer
          key={openId}
          id={openId}
          zone={zone}
          live={!paused}
          onClose={() => change({ open: null }, "replace")}
          actions={drawerActions}
        />
      )}
    </SelectionContext.Provider>
  );
}

function Pager({
  page,
  pageCount,
  total,
  pageSize,
  onPage,
}: {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  onPage: (p: number) => void;
}) {
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(1)}>
        First
      </button>
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pageCount} · {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {total.toLocaleString("en-US")}
      </span>
      <button type="button" className="secondary" disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
        Next
      </button>
      <button type="button" className="secondary" disabled={page >= pageCount} onClick={() => onPage(pageCount)}>
        Last
      </button>
    </nav>
  );
}
