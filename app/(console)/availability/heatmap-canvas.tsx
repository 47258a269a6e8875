"use client";
// The heatmap itself: one canvas for every cell (30 days of 5-minute buckets are 8,640), drawn again only when
// the data or the width changes. Hover and keyboard focus move an outline and the tooltip, never the canvas.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { HeatmapData } from "@/lib/console/heatmap";
import { layoutHeatmap, type HeatmapLayout } from "@/lib/console/heatmap-layout";
import { cellFacts, cellSentence, FILL, HATCH, kindOf } from "./cells";
import styles from "./availability.module.css";

const LEFT = 92; // day labels
const TOP = 22; // hour labels
const GAP = 2; // between days

function rowHeight(rows: number) {
  return Math.max(12, Math.min(34, Math.floor(480 / Math.max(1, rows))));
}

function hourStep(cellsPerHour: number, cellW: number) {
  const hourW = cellsPerHour * cellW;
  // a label is about 36 px wide: keep a little air between them
  return hourW >= 48 ? 1 : hourW >= 24 ? 2 : hourW >= 16 ? 3 : 6;
}

function draw(canvas: HTMLCanvasElement, d: HeatmapData, l: HeatmapLayout, width: number) {
  const rh = rowHeight(l.rows.length);
  const height = TOP + l.rows.length * (rh + GAP);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext("2d");
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  const cw = (width - LEFT) / l.cols;
  g.font = "12px system-ui, sans-serif";
  g.fillStyle = "#545d70";
  g.textBaseline = "middle";
  l.rows.forEach((r, i) => g.fillText(r.label, 0, TOP + i * (rh + GAP) + rh / 2));
  const perHour = 60 / d.bucketMinutes;
  const step = hourStep(perHour, cw);
  g.textBaseline = "alphabetic";
  for (let h = 0; h < 24; h += step) g.fillText(`${String(h).padStart(2, "0")}:00`, LEFT + h * perHour * cw, TOP - 8);
  // closed cells: a light fill with diagonal hatching (distinct without colour), from one small pattern tile
  const tile = document.createElement("canvas");
  tile.width = tile.height = 6;
  const tg = tile.getContext("2d");
  let hatch: CanvasPattern | string = FILL.closed;
  if (tg) {
    tg.fillStyle = FILL.closed;
    tg.fillRect(0, 0, 6, 6);
    tg.strokeStyle = HATCH;
    tg.lineWidth = 1;
    tg.beginPath();
    tg.moveTo(0, 6);
    tg.lineTo(6, 0);
    tg.stroke();
    hatch = g.createPattern(tile, "repeat") ?? FILL.closed;
  }
  const past = d.now;
  for (let i = 0; i < d.start.length; i++) {
    const kind = kindOf(d, i);
    g.fillStyle = kind === "closed" ? hatch : FILL[kind];
    const x = LEFT + l.col[i] * cw;
    let y = TOP + l.row[i] * (rh + GAP);
    let h = rh;
    if (l.half[i]) {
      h = rh / 2;
      if (l.half[i] === 2) y += h;
    }
    // a hair between cells only where they are wide enough to keep it
    g.globalAlpha = d.start[i] + d.bucketMinutes * 60_000 <= past ? 0.4 : 1;
    g.fillRect(x, y, cw > 6 ? cw - 1 : cw, h);
  }
  g.globalAlpha = 1;
}

export function HeatmapCanvas({ data, onActive }: { data: HeatmapData; onActive?: (i: number | null) => void }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [active, setActive] = useState<number | null>(null);
  const [byKeyboard, setByKeyboard] = useState(false);
  const layout = useMemo(() => layoutHeatmap(data.start, data.bucketMinutes, data.zone), [data.start, data.bucketMinutes, data.zone]);
  const shown = active !== null && active < data.start.length ? active : null;

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!canvas.current || width <= LEFT) return;
    draw(canvas.current, data, layout, width);
    performance.mark("heatmap-drawn");
  }, [data, layout, width]);

  const rh = rowHeight(layout.rows.length);
  const cw = width > LEFT ? (width - LEFT) / layout.cols : 0;

  const choose = (i: number | null, keyboard: boolean) => {
    setActive(i);
    setByKeyboard(keyboard);
    onActive?.(i);
  };

  const cellAt = (x: number, y: number): number | null => {
    if (x < LEFT || y < TOP || cw === 0) return null;
    const col = Math.floor((x - LEFT) / cw);
    const r = Math.floor((y - TOP) / (rh + GAP));
    if (col >= layout.cols || r >= layout.rows.length || y - TOP - r * (rh + GAP) > rh) return null;
    const k = r * layout.cols + col;
    const i = layout.at[k];
    if (i < 0) return null;
    const lower = y - TOP - r * (rh + GAP) > rh / 2;
    return lower && layout.second[k] >= 0 ? layout.second[k] : i;
  };

  const onMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const i = cellAt(e.clientX - box.left, e.clientY - box.top);
    if (i !== active) {
      performance.mark("heatmap-hover");
      choose(i, false);
    }
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const n = data.start.length;
    if (n === 0) return;
    const cur = shown ?? 0;
    const sameColumn = (dr: number) => {
      const r = layout.row[cur] + dr;
      if (r < 0 || r >= layout.rows.length) return cur;
      const i = layout.at[r * layout.cols + layout.col[cur]];
      return i >= 0 ? i : cur;
    };
    const rowEdge = (last: boolean) => {
      let i = cur;
      while (last ? i + 1 < n && layout.row[i + 1] === layout.row[cur] : i > 0 && layout.row[i - 1] === layout.row[cur]) i += last ? 1 : -1;
      return i;
    };
    const next: Record<string, () => number> = {
      ArrowRight: () => Math.min(n - 1, cur + 1),
      ArrowLeft: () => Math.max(0, cur - 1),
      ArrowDown: () => sameColumn(1),
      ArrowUp: () => sameColumn(-1),
      Home: () => rowEdge(false),
      End: () => rowEdge(true),
    };
    const f = next[e.key];
    if (!f) return;
    e.preventDefault();
    choose(f(), true);
  };

  const facts = shown !== null ? cellFacts(data, shown) : null;
  const boxOf = (i: number) => {
    const half = layout.half[i];
    return {
      left: LEFT + layout.col[i] * cw,
      top: TOP + layout.row[i] * (rh + GAP) + (half === 2 ? rh / 2 : 0),
      width: Math.max(cw, 2),
      height: half ? rh / 2 : rh,
    };
  };
  const box = shown !== null && cw > 0 ? boxOf(shown) : null;
  const flip = box !== null && box.left > width - 260;

  return (
    <div
      ref={wrap}
      className={styles.heat}
      tabIndex={0}
      role="group"
      aria-roledescription="heatmap"
      aria-label={`Availability of ${data.service}, ${layout.rows.length} days by ${data.bucketMinutes}-minute buckets`}
      aria-describedby="heatmap-keys"
      onKeyDown={onKey}
      onFocus={() => shown === null && choose(firstOpen(data), true)}
      onBlur={() => byKeyboard && choose(null, false)}
      data-testid="heatmap"
    >
      <canvas ref={canvas} onPointerMove={onMove} onPointerLeave={() => !byKeyboard && choose(null, false)} aria-hidden="true" />
      {box && <div className={styles.outline} style={box} aria-hidden="true" />}
      {box && facts && (
        <div
          className={styles.tooltip}
          role="tooltip"
          data-testid="heatmap-tooltip"
          style={{
            top: box.top + box.height + 6,
            left: flip ? undefined : box.left,
            right: flip ? Math.max(0, width - box.left - box.width) : undefined,
          }}
        >
          <strong>{facts.time}</strong>
          {facts.officeTime && <span className={styles.office}>Office: {facts.officeTime}</span>}
          <dl>
            <dt>Status</dt>
            <dd>{facts.status}</dd>
            <dt>Capacity</dt>
            <dd>{facts.capacity}</dd>
            <dt>Booked</dt>
            <dd>{facts.booked}</dd>
            <dt>Remaining</dt>
            <dd>{facts.remaining}</dd>
          </dl>
        </div>
      )}
      <div className="visually-hidden" aria-live="polite">
        {byKeyboard && facts ? cellSentence(facts) : ""}
      </div>
    </div>
  );
}

/** Where keyboard focus lands first: the first open bucket, else the first one. */
function firstOpen(d: HeatmapData): number | null {
  if (d.start.length === 0) return null;
  const i = d.open.findIndex((o, k) => o === 1 && d.start[k] + d.bucketMinutes * 60_000 > d.now);
  return i >= 0 ? i : 0;
}
