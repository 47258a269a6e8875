"use client";
// The callbacks table (TanStack Table): server-sorted and server-paged, rows selectable, a row opens the drawer.
import { useMemo, type KeyboardEvent } from "react";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState, type OnChangeFn } from "@tanstack/react-table";
import type { CallbacksPage, CallbacksQuery } from "@/lib/console/callbacks";
import { formatPhone, formatTime, relativeTime } from "@/lib/console/format";
import { StateBadge } from "./state-badge";
import { useNow } from "./use-now";

type Row = CallbacksPage["rows"][number];
type SortKey = CallbacksQuery["sort"];

const SKELETON_ROWS = 8;

export function CallbacksTable({
  rows,
  loading,
  zone,
  extraKeys,
  showId,
  sort,
  dir,
  onSort,
  selection,
  onSelectionChange,
  onOpen,
  empty,
}: {
  rows: Row[];
  loading: boolean;
  zone: string;
  extraKeys: string[];
  showId: boolean;
  sort: SortKey;
  dir: "asc" | "desc";
  onSort: (s: SortKey) => void;
  selection: RowSelectionState;
  onSelectionChange: OnChangeFn<RowSelectionState>;
  onOpen: (id: string) => void;
  empty: React.ReactNode;
}) {
  const columns = useMemo<Array<ColumnDef<Row> & { meta?: { sort?: SortKey; className?: string } }>>(
    () => [
      {
        id: "select",
        meta: { className: "select" },
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select every callback on this page"
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select callback ${row.id}`}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
            onClick={(e) => e.stopPropagation()}
            onKeyDown={(e) => e.stopPropagation()}
          />
        ),
      },
      ...(showId
        ? [
            {
              id: "id",
              header: "Service ID",
              meta: { sort: "id" as const },
              cell: ({ row }: { row: { original: Row } }) => <code title={row.original.id}>{row.original.id}</code>,
            },
          ]
        : []),
      {
        id: "state",
        header: "State",
        meta: { sort: "state" },
        cell: ({ row }) => <StateBadge state={row.original.state} reason={row.original.reason} />,
      },
      {
        id: "desired",
        header: "Desired Callback Time",
        meta: { sort: "desired", className: "num" },
        cell: ({ row }) => (
          <>
            <time dateTime={row.original.desiredTime}>{formatTime(row.original.desiredTime, zone)}</time>
            <RelativeHint iso={row.original.desiredTime} />
          </>
        ),
      },
      {
        id: "number",
        header: "Phone Number",
        meta: { sort: "number", className: "num" },
        cell: ({ row }) => <PhoneNumber e164={row.original.number} />,
      },
      { id: "service", header: "Service Name", meta: { sort: "service" }, cell: ({ row }) => row.original.service },
      ...extraKeys.map((k): ColumnDef<Row> => ({
        id: `key:${k}`,
        header: k,
        cell: ({ row }) => row.original.extras[k] ?? <span className="muted">—</span>,
      })),
    ],
    [zone, extraKeys, showId],
  );
  // TanStack Table returns fresh functions each render; this component is left to plain React rendering
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableRowSelection: true,
    state: { rowSelection: selection },
    onRowSelectionChange: onSelectionChange,
  });

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, id: string) => {
    if (e.key === "Enter" && e.target === e.currentTarget) {
      e.preventDefault();
      onOpen(id);
    }
  };

  return (
    <table aria-label="Callbacks" aria-busy={loading}>
      <thead>
        {table.getHeaderGroups().map((hg) => (
          <tr key={hg.id}>
            {hg.headers.map((h) => {
              const meta = (h.column.columnDef as { meta?: { sort?: SortKey; className?: string } }).meta;
              const sorted = meta?.sort && meta.sort === sort ? dir : null;
              return (
                <th
                  key={h.id}
                  scope="col"
                  className={meta?.className}
                  aria-sort={meta?.sort ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined}
                >
                  {meta?.sort ? (
                    <button type="button" className="sort" onClick={() => onSort(meta.sort!)}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : " ↕"}</span>
                    </button>
                  ) : (
                    flexRender(h.column.columnDef.header, h.getContext())
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {loading
          ? Array.from({ length: SKELETON_ROWS }, (_, i) => (
              <tr key={i} aria-hidden="true">
                {columns.map((c, j) => (
                  <td key={c.id ?? j}>
                    <span className="skeleton-bar" style={{ width: j === 0 ? 14 : 60 + ((i * 7 + j * 13) % 60) }} />
                  </td>
                ))}
              </tr>
            ))
          : table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                className="row"
                data-id={row.id}
                tabIndex={0}
                data-selected={row.getIsSelected() || undefined}
                aria-label={
                  `${row.original.state} callback for ${formatPhone(row.original.number) || "no number"}, ` +
                  `${formatTime(row.original.desiredTime, zone)}, ${row.original.service}`
                }
                onClick={() => onOpen(row.id)}
                onKeyDown={(e) => onRowKey(e, row.id)}
              >
                {row.getVisibleCells().map((cell) => {
                  const meta = (cell.column.columnDef as { meta?: { className?: string } }).meta;
                  return (
                    <td
                      key={cell.id}
                      className={meta?.className}
                      onClick={cell.column.id === "select" ? (e) => e.stopPropagation() : undefined}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
        {!loading && rows.length === 0 && (
          <tr>
            <td colSpan={columns.length} className="empty">
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** "in 12 minutes", refreshed each half minute; its own component so the table's columns stay the same meanwhile. */
function RelativeHint({ iso }: { iso: string }) {
  const now = useNow();
  return <span className="hint">{now === null ? " " : relativeTime(iso, now)}</span>;
}

/** Formatted for reading; copying it gives the E.164 value. */
function PhoneNumber({ e164 }: { e164: string | null }) {
  if (!e164) return <span className="muted">—</span>;
  return (
    <span
      title={e164}
      onCopy={(e) => {
        e.clipboardData.setData("text/plain", e164);
        e.preventDefault();
      }}
    >
      {formatPhone(e164)}
    </span>
  );
}
