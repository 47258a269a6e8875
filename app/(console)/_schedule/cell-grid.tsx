"use client";
// A days × time grid of focusable cells shared by the Office Hours and Capacity editors: arrow keys move (Shift
// extends a rectangle), Home/End go to the row's ends, the mouse drags a rectangle. What a key or a drag does to
// the selected cells is the editor's business (open/close, fill with a number).
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import styles from "./schedule.module.css";

export interface Rect {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

interface Cell {
  r: number;
  c: number;
}

const rectOf = (a: Cell, b: Cell): Rect => ({
  r0: Math.min(a.r, b.r),
  r1: Math.max(a.r, b.r),
  c0: Math.min(a.c, b.c),
  c1: Math.max(a.c, b.c),
});
const inRect = (x: Rect, r: number, c: number) => r >= x.r0 && r <= x.r1 && c >= x.c0 && c <= x.c1;

export function CellGrid(props: {
  label: string;
  rows: string[];
  cols: number;
  /** Column header text (shown every `headerEvery` columns). */
  colLabel: (c: number) => string;
  headerEvery: number;
  /** Accessible name of a cell, e.g. "Monday 09:00, open". */
  cellLabel: (r: number, c: number) => string;
  cell: (r: number, c: number) => { className?: string; content?: ReactNode; style?: React.CSSProperties };
  /** A key the grid does not use itself, with the current selection; return true when handled. */
  onKey?: (e: KeyboardEvent, sel: Rect) => boolean;
  /** A finished mouse drag (from its first cell). */
  onDrag?: (sel: Rect, first: Cell) => void;
  /** The selection changed (by keys or mouse). */
  onSelect?: (sel: Rect) => void;
  rowHeader?: (r: number) => ReactNode;
}) {
  const { rows, cols, onDrag, onSelect } = props;
  const [anchor, setAnchor] = useState<Cell>({ r: 0, c: 0 });
  const [focus, setFocus] = useState<Cell>({ r: 0, c: 0 });
  const [dragFrom, setDragFrom] = useState<Cell | null>(null);
  const ref = useRef<HTMLTableElement>(null);
  const sel = rectOf(anchor, focus);
  const fr = Math.min(focus.r, rows.length - 1);
  const fc = Math.min(focus.c, cols - 1);

  useEffect(() => {
    if (!dragFrom) return;
    const up = () => {
      setDragFrom(null);
      onDrag?.(rectOf(anchor, focus), dragFrom);
    };
    window.addEventListener("mouseup", up);
    return () => window.removeEventListener("mouseup", up);
  }, [dragFrom, anchor, focus, onDrag]);

  function moveTo(next: Cell, extend: boolean) {
    const r = Math.max(0, Math.min(rows.length - 1, next.r));
    const c = Math.max(0, Math.min(cols - 1, next.c));
    const nextAnchor = extend ? anchor : { r, c };
    // focus first: the cell's focus handler collapses the selection, which the states below then set right
    ref.current?.querySelector<HTMLElement>(`[data-cell="${r}-${c}"]`)?.focus();
    setFocus({ r, c });
    setAnchor(nextAnchor);
    onSelect?.(rectOf(nextAnchor, { r, c }));
  }

  function keyDown(e: KeyboardEvent) {
    const moves: Record<string, Cell> = {
      ArrowUp: { r: fr - 1, c: fc },
      ArrowDown: { r: fr + 1, c: fc },
      ArrowLeft: { r: fr, c: fc - 1 },
      ArrowRight: { r: fr, c: fc + 1 },
      Home: { r: fr, c: 0 },
      End: { r: fr, c: cols - 1 },
    };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      moveTo(m, e.shiftKey);
      return;
    }
    if (props.onKey?.(e, sel)) e.preventDefault();
  }

  return (
    <div className={styles.gridWrap}>
      <table
        ref={ref}
        role="grid"
        aria-label={props.label}
        aria-multiselectable="true"
        className={styles.grid}
        onKeyDown={keyDown}
        style={{ "--cols": cols } as React.CSSProperties}
      >
        <thead>
          <tr>
            <th scope="col" className={styles.corner}>
              <span className="visually-hidden">Day</span>
            </th>
            {Array.from({ length: cols }, (_, c) => (
              <th key={c} scope="col" className={styles.colHead} aria-label={props.colLabel(c)}>
                {c % props.headerEvery === 0 ? props.colLabel(c) : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((label, r) => (
            <tr key={label}>
              <th scope="row" className={styles.rowHead}>
                {props.rowHeader ? props.rowHeader(r) : label}
              </th>
              {Array.from({ length: cols }, (_, c) => {
                const x = props.cell(r, c);
                const selected = inRect(sel, r, c);
                return (
                  <td
                    key={c}
                    role="gridcell"
                    data-cell={`${r}-${c}`}
                    tabIndex={r === fr && c === fc ? 0 : -1}
                    aria-selected={selected}
                    aria-label={props.cellLabel(r, c)}
                    className={`${styles.cell} ${x.className ?? ""} ${selected ? styles.selected : ""}`}
                    style={x.style}
                    onMouseDown={(e) => {
                      if (e.button !== 0) return;
                      e.preventDefault();
                      const at = { r, c };
                      (e.currentTarget as HTMLElement).focus();
                      const from = e.shiftKey ? anchor : at;
                      setAnchor(from);
                      setFocus(at);
                      setDragFrom(at);
                      onSelect?.(rectOf(from, at));
                    }}
                    onMouseEnter={() => {
                      if (!dragFrom) return;
                      setFocus({ r, c });
                      onSelect?.(rectOf(anchor, { r, c }));
                    }}
                    onFocus={() => {
                      // Tab or a click lands here: a fresh one-cell selection
                      if (r === fr && c === fc) return;
                      setAnchor({ r, c });
                      setFocus({ r, c });
                      onSelect?.({ r0: r, r1: r, c0: c, c1: c });
                    }}
                  >
                    {x.content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
