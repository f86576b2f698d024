/**
 * A states × actions heatmap on one canvas, virtualised: the canvas is only as tall as the visible
 * window and draws just the rows in view, so a table of 100,000 states scrolls as smoothly as one of
 * 48. Cells are coloured on a sequential (viridis) or diverging (red to blue through a neutral, 0
 * in the middle: white in the light scheme, dark grey in the dark one) scale, show their value when there is room, and a dot marks the greedy action of each row;
 * flagged rows get a red bar in the label gutter. Labels, header and empty cells take the light or
 * dark scheme's colours, and so does the diverging scale (divergingStops); viridis is the same in both. After every draw the canvas's
 * `data-drawn` counter goes up (tests wait on it), as in LineChart. From the keyboard it is one tab
 * stop whose focused cell the arrow keys move (heatmap-keys.ts), ringed on the canvas and announced
 * in words ("state 12, action up: -3.5") by a live region, as the readout shows it.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useChartTheme, useColorScheme } from '../color-scheme';
import { CHART_FONT_FAMILY, type ColorScheme } from './chart-colors';
import { fmt } from '../format';
import { movedCell, scrolledTo, type Cell } from './heatmap-keys';

export interface HeatScale {
  readonly kind: 'sequential' | 'diverging';
  /** The values' range. */
  readonly lo: number;
  readonly hi: number;
  /**
   * The colours' range, when a few outlying values lie beyond it (see fences): values outside take
   * the end colours, so a cliff's −100s do not squeeze every other cell into one colour.
   */
  readonly from?: number;
  readonly to?: number;
}

/** Values a sequential scale colours over at least this many before it sets outliers aside. */
const FENCE_MIN_VALUES = 16;

/**
 * Tukey's far-out fences, Q1 − 3·IQR and Q3 + 3·IQR, within [lo, hi]: the colour range when some
 * values lie beyond them (undefined when none does, or the middle half is a single value).
 */
function fences(values: Float64Array, lo: number, hi: number): { from: number; to: number } | undefined {
  if (values.length < FENCE_MIN_VALUES) return undefined;
  values.sort(); // a typed array sorts numerically, natively: 1.6M values took ~1.4 s as a number[] with a comparator
  const at = (q: number) => {
    const i = q * (values.length - 1);
    const k = Math.floor(i);
    return values[k]! + (values[Math.min(k + 1, values.length - 1)]! - values[k]!) * (i - k);
  };
  const q1 = at(0.25);
  const q3 = at(0.75);
  const iqr = q3 - q1;
  if (!(iqr > 0)) return undefined;
  const from = Math.max(lo, q1 - 3 * iqr);
  const to = Math.min(hi, q3 + 3 * iqr);
  return from > lo || to < hi ? { from, to } : undefined;
}

const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const RED_BLUE = ['#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac'];
/**
 * The diverging scale on the dark panel: lightness runs the other way, from a dark neutral at 0 (a shade above the panel,
 * #181b1f, and below an empty cell's #4a515a) out to the light ends, so the large differences are the ones that stand out,
 * as on the light panel, and the many cells near 0 (a B − A of two similar runs) lie quiet. With the light scheme's stops
 * they were near white (#f7f7f7, lightness 97) on the dark page, the table's most glaring cells the least different ones.
 * Lightness (CIE L*) 75, 55, 40, 25, 20 at 0, then 29, 45, 61, 77: about as far from 0 on either side.
 */
const RED_BLUE_DARK = ['#f4a582', '#d6604d', '#a63a32', '#5e2a27', '#2b3037', '#1f4766', '#2d6fa3', '#4a9bd1', '#92c5de'];

/** The colour stops of a scale in a scheme, lowest value first. */
export function scaleStops(kind: HeatScale['kind'], scheme: ColorScheme): readonly string[] {
  if (kind === 'sequential') return VIRIDIS;
  return scheme === 'dark' ? RED_BLUE_DARK : RED_BLUE;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** 256 fill colours along the stops, each with a text colour that stays legible on it. */
function lookupTable(stops: readonly string[]): { fill: string[]; text: string[] } {
  const rgb = stops.map(hexToRgb);
  const fill: string[] = [];
  const text: string[] = [];
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (rgb.length - 1);
    const k = Math.min(Math.floor(t), rgb.length - 2);
    const f = t - k;
    const c = rgb[k]!.map((v, j) => Math.round(v + (rgb[k + 1]![j]! - v) * f)) as [number, number, number];
    fill.push(`rgb(${c[0]}, ${c[1]}, ${c[2]})`);
    text.push(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 150 ? '#1d2125' : '#ffffff');
  }
  return { fill, text };
}

// Viridis reads on either scheme: one table, read (never written) by both.
const SEQUENTIAL = lookupTable(VIRIDIS);
const LUTS = {
  light: { sequential: SEQUENTIAL, diverging: lookupTable(RED_BLUE) },
  dark: { sequential: SEQUENTIAL, diverging: lookupTable(RED_BLUE_DARK) },
};

export function gradientCss(kind: HeatScale['kind'], scheme: ColorScheme): string {
  return `linear-gradient(to right, ${scaleStops(kind, scheme).join(', ')})`;
}

/** The scale covering `tables` (several tables share one scale so their colours compare). */
export function scaleOf(kind: HeatScale['kind'], tables: readonly (readonly (readonly number[])[])[]): HeatScale {
  let lo = Infinity;
  let hi = -Infinity;
  let cells = 0;
  for (const t of tables) for (const row of t) cells += row.length;
  const values = new Float64Array(kind === 'sequential' ? cells : 0);
  let n = 0;
  for (const t of tables) {
    for (const row of t) {
      for (const v of row) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (kind === 'sequential') values[n++] = v;
      }
    }
  }
  if (!Number.isFinite(lo)) return { kind, lo: kind === 'diverging' ? -1 : 0, hi: 1 };
  if (kind === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return { kind, lo: -m, hi: m };
  }
  if (lo === hi) return { kind, lo: lo - 1, hi: hi + 1 };
  const fenced = fences(values.subarray(0, n), lo, hi);
  return fenced ? { kind, lo, hi, ...fenced } : { kind, lo, hi };
}

function lutIndex(v: number, scale: HeatScale): number {
  const [lo, hi] = [scale.from ?? scale.lo, scale.to ?? scale.hi];
  const t = (v - lo) / (hi - lo);
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}

/**
 * A cell's value at the decimals its size leaves room for. Only zero reads 0.00: a value that
 * would round to it (a difference B − A of −0.001 between near-equal Q values) is coloured, so it
 * shows its first significant digit and its sign, "-0.001", or "-4e-5" below 0.001 where the
 * decimals would not fit the cell (the hover gives 4 significant digits).
 */
export function cellText(v: number): string {
  const a = Math.abs(v);
  if (!Number.isFinite(v)) return fmt(v);
  if (a === 0) return '0.00';
  // Below 0.01, one significant digit: 0.0068 reads 0.007 beside 0.0035's 0.004, not 0.01.
  if (a < 0.01) return a >= 0.001 ? v.toPrecision(1) : v.toExponential(0);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  const text = v.toFixed(digits);
  // A value that rounds up past a magnitude is written as that magnitude's are: −9.99985 reads −10.0
  // beside −10.6, not −10.00, which looked like another kind of value.
  return digits > 0 && Math.abs(Number(text)) >= (digits === 2 ? 10 : 100) ? v.toFixed(digits - 1) : text;
}

const CELL_H = 18;
const HEADER_H = 22;
const FONT = `11px ${CHART_FONT_FAMILY}`;

/** What ScrollGroup reads and sets of a member (an element; a plain object in tests). */
export type Scrollable = Pick<HTMLElement, 'scrollTop' | 'scrollLeft'>;

/**
 * Heatmaps that scroll together: Q-tables A and B and their difference, one states × actions grid
 * each. Scrolling one to a cell took the others nowhere, and the same cell had to be found three
 * times. A member's scroll moves the rest to its offsets. Their own scroll events, which come a
 * frame later, are the group's echo and move nothing: before, an echo that came after the first
 * member had moved again (keys pressed within one frame: PageUp, then Ctrl+End) carried the older
 * offset back to it, and the view snapped back from the last row to the first.
 */
export class ScrollGroup<T extends Scrollable = HTMLElement> {
  private readonly members = new Set<T>();
  /** The offsets the group last gave a member, whose scroll event is then its echo (the offsets as the member took them). */
  private readonly given = new Map<T, { top: number; left: number }>();

  add(el: T): () => void {
    this.members.add(el);
    return () => {
      this.members.delete(el);
      this.given.delete(el);
    };
  }

  moved(from: T): void {
    const given = this.given.get(from);
    this.given.delete(from);
    if (given && given.top === from.scrollTop && given.left === from.scrollLeft) return; // the echo of the group's own move
    for (const m of this.members) {
      if (m === from) continue;
      if (m.scrollTop === from.scrollTop && m.scrollLeft === from.scrollLeft) continue;
      if (m.scrollTop !== from.scrollTop) m.scrollTop = from.scrollTop;
      if (m.scrollLeft !== from.scrollLeft) m.scrollLeft = from.scrollLeft;
      // Read back: a shorter member takes less than it was given.
      this.given.set(m, { top: m.scrollTop, left: m.scrollLeft });
    }
  }
}

/**
 * The height a box's horizontal scrollbar takes from its view: its height less its view's and its
 * borders'. 0 with none, or with scrollbars that overlay the content (macOS).
 */
function sideBarHeight(el: HTMLElement): number {
  const style = getComputedStyle(el);
  return Math.max(0, Math.round(el.offsetHeight - el.clientHeight - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth)));
}

export interface HeatmapProps {
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  /** values[row][col] */
  readonly values: readonly (readonly number[])[];
  readonly scale: HeatScale;
  /** The marked column of each row (the greedy action), or -1. */
  readonly marks?: readonly number[];
  readonly flagged?: ReadonlySet<number>;
  /** Accessible name of the heatmap. */
  readonly label: string;
  readonly testId?: string;
  readonly maxHeight?: number;
  /** Other heatmaps of the same grid this one scrolls with (ScrollGroup). */
  readonly scrollGroup?: ScrollGroup;
  /** A row to bring into view and make the keyboard's (a state found by name); `key` tells one request from the next. */
  readonly jumpTo?: { readonly row: number; readonly key: number };
}

interface Layout {
  gutter: number;
  cellW: number;
  /** A value's centre from its cell's left (valueCells). */
  textX: number;
  showValues: boolean;
  width: number;
  total: number;
  view: number;
}

/** The greedy action's dot: its radius and its centre's inset from the cell's top right corner. */
const DOT = { r: 3, inset: 6 } as const;

/**
 * Where a cell's value is centred (from the cell's left) and how wide a cell of values is, for the
 * widest column name and value: the value keeps 3 px clear of the greedy dot in a marked table
 * (found in a visual review of Q-tables, whose dots touched or covered their values' last digit).
 * Centred at half the cell less 3 px in a 44 px cell, as before, a five-character value ("-12.5")
 * ended at the dot and a six-character one ("-0.001") ran under it.
 */
export function valueCells(colWidest: number, valueWidest: number, marked: boolean): { cellW: number; textX: number } {
  // The dot's left edge (its stroke included) and 3 px of air before it: what a marked cell's value keeps clear of.
  const dotRoom = marked ? DOT.inset + DOT.r + 0.5 + 3 : 0;
  const cellW = Math.ceil(Math.min(90, Math.max(44, colWidest + 10, valueWidest + 6 + dotRoom)));
  return { cellW, textX: (cellW - dotRoom) / 2 };
}

function measure(rows: readonly string[], cols: readonly string[], marked: boolean, maxHeight: number): Layout {
  const ctx = document.createElement('canvas').getContext('2d');
  if (ctx) ctx.font = FONT;
  const width = (s: string) => (ctx ? ctx.measureText(s).width : s.length * 6.5);
  let widest = 0;
  for (let i = 0; i < rows.length && i < 5000; i++) widest = Math.max(widest, width(rows[i]!));
  const gutter = Math.ceil(Math.min(180, Math.max(40, widest + 14)));
  const colWidest = cols.reduce((m, c) => Math.max(m, width(c)), 0);
  const showValues = cols.length <= 24;
  // Sized for a six-character value (cellText's "-0.001", "-12345"), not the values at hand: a table's cells keep
  // their width as its checkpoints play.
  const valueWidest = width('-0.001');
  const cells = valueCells(colWidest, valueWidest, marked);
  const cellW = showValues ? cells.cellW : Math.max(14, Math.min(28, Math.ceil(colWidest + 6)));
  const total = HEADER_H + rows.length * CELL_H;
  return { gutter, cellW, textX: cells.textX, showValues, width: gutter + cols.length * cellW, total, view: Math.min(total, maxHeight) };
}

function ellipsis(ctx: CanvasRenderingContext2D, s: string, max: number): string {
  if (ctx.measureText(s).width <= max) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${s.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo)}…`;
}

/** A cell in words, as the keyboard's focus announces it and the readout shows it. */
function cellWords(rows: readonly string[], cols: readonly string[], values: HeatmapProps['values'], marks: HeatmapProps['marks'], { row, col }: Cell): string {
  return `state ${rows[row]}, action ${cols[col]}: ${fmt(values[row]?.[col] ?? NaN, 4)}${marks?.[row] === col ? ' (greedy)' : ''}`;
}

/** The focus ring on a cell: dark outside, light inside, so it shows on either end of both scales. */
function ringCell(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#111';
  ctx.strokeRect(x + 1, y + 1, w - 3, h - 3);
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#fff';
  ctx.strokeRect(x + 2.5, y + 2.5, w - 6, h - 6);
}

export function Heatmap({ rows, cols, values, scale, marks, flagged, label, testId, maxHeight = 440, scrollGroup, jumpTo }: HeatmapProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef(0);
  const [hover, setHover] = useState<{ row: number; col: number } | null>(null);
  // The keyboard's cell (kept while the heatmap is left, as a grid keeps it), within the table when it shrinks.
  const [cursor, setCursor] = useState<Cell>({ row: 0, col: 0 });
  const [focused, setFocused] = useState(false);
  const [announced, setAnnounced] = useState('');
  // The height of the box's side-scrollbar (0 without one, or with overlay scrollbars): see sideBarHeight.
  const [sideBar, setSideBar] = useState(0);
  const marked = marks !== undefined;
  const layout = useMemo(() => measure(rows, cols, marked, maxHeight), [rows, cols, marked, maxHeight]);
  const theme = useChartTheme();
  const scheme = useColorScheme();
  const cell = useMemo(() => ({ row: Math.max(0, Math.min(cursor.row, rows.length - 1)), col: Math.max(0, Math.min(cursor.col, cols.length - 1)) }), [cursor, rows.length, cols.length]);

  const draw = useCallback(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const { gutter, cellW, textX, showValues, width, view } = layout;
    // The canvas is the box's view, not the table: it stays in place (sticky) while the box scrolls,
    // and only the rows and columns in view are painted, at the scroll's offset. A shop's 1,000
    // actions made a canvas ~28,000 px wide, every pixel of which was cleared and composited at each
    // scroll. (A box not laid out yet, of width 0, takes the table's width.)
    const box = scroller.current;
    const top = box?.scrollTop ?? 0;
    const left = box?.scrollLeft ?? 0;
    const shownWidth = Math.min(width, box && box.clientWidth > 0 ? box.clientWidth : width);
    if (el.width !== Math.round(shownWidth * dpr) || el.height !== Math.round(view * dpr)) {
      el.width = Math.round(shownWidth * dpr);
      el.height = Math.round(view * dpr);
      el.style.width = `${shownWidth}px`;
      el.style.height = `${view}px`;
    }
    // Drawn in the table's coordinates, shifted by the scroll: x = gutter + c · cellW as before.
    ctx.setTransform(dpr, 0, 0, dpr, -left * dpr, 0);
    ctx.clearRect(left, 0, shownWidth, view);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    const first = Math.max(0, Math.floor(top / CELL_H));
    const last = Math.min(rows.length - 1, Math.ceil((top + view - HEADER_H) / CELL_H));
    const firstCol = Math.max(0, Math.floor((left - gutter) / cellW));
    const lastCol = Math.min(cols.length - 1, Math.ceil((left + shownWidth - gutter) / cellW));
    const lut = LUTS[scheme][scale.kind];

    ctx.save();
    ctx.beginPath();
    ctx.rect(0, HEADER_H, width, view - HEADER_H);
    ctx.clip();
    for (let r = first; r <= last; r++) {
      const y = HEADER_H + r * CELL_H - top;
      const row = values[r] ?? [];
      ctx.textAlign = 'center';
      for (let c = firstCol; c <= lastCol; c++) {
        const v = row[c] ?? NaN;
        const x = gutter + c * cellW;
        const k = lutIndex(v, scale);
        ctx.fillStyle = Number.isFinite(v) ? lut.fill[k]! : theme.missing;
        ctx.fillRect(x, y, cellW - 1, CELL_H - 1);
        if (showValues) {
          ctx.fillStyle = Number.isFinite(v) ? lut.text[k]! : theme.label;
          ctx.fillText(cellText(v), x + textX, y + CELL_H / 2);
        }
        if (marks?.[r] === c) {
          ctx.beginPath();
          ctx.arc(x + cellW - DOT.inset, y + DOT.inset, DOT.r, 0, 2 * Math.PI);
          ctx.fillStyle = '#111';
          ctx.fill();
          ctx.lineWidth = 1;
          ctx.strokeStyle = '#fff';
          ctx.stroke();
        }
      }
    }
    if (focused && rows.length > 0 && cols.length > 0 && cell.row >= first && cell.row <= last) ringCell(ctx, gutter + cell.col * cellW, HEADER_H + cell.row * CELL_H - top, cellW, CELL_H);
    // The state labels stay at the box's left edge, over the cells scrolled beneath them: a table
    // of 200 actions scrolled sideways had left its rows unnamed.
    ctx.fillStyle = theme.background;
    ctx.fillRect(left, HEADER_H, gutter, view - HEADER_H);
    ctx.textAlign = 'right';
    for (let r = first; r <= last; r++) {
      const y = HEADER_H + r * CELL_H - top;
      const isFlagged = flagged?.has(r) ?? false;
      ctx.fillStyle = isFlagged ? theme.flagged : theme.label;
      ctx.fillText(ellipsis(ctx, rows[r]!, gutter - 14), left + gutter - 6, y + CELL_H / 2);
      if (isFlagged) ctx.fillRect(left, y + 2, 4, CELL_H - 4);
    }
    ctx.restore();

    ctx.fillStyle = theme.header;
    ctx.fillRect(0, 0, width, HEADER_H);
    ctx.fillStyle = theme.headerText;
    ctx.textAlign = 'center';
    for (let c = firstCol; c <= lastCol; c++) {
      const x = gutter + c * cellW;
      ctx.fillText(ellipsis(ctx, cols[c]!, cellW - 2), x + cellW / 2, HEADER_H / 2);
    }
    ctx.fillStyle = theme.header;
    ctx.fillRect(left, 0, gutter, HEADER_H);
    ctx.fillStyle = theme.headerText;
    ctx.textAlign = 'right';
    ctx.fillText('state', left + gutter - 6, HEADER_H / 2);
    el.dataset.drawn = String(Number(el.dataset.drawn ?? '0') + 1);
  }, [layout, rows, cols, values, scale, marks, flagged, theme, scheme, focused, cell]);

  useLayoutEffect(draw, [draw]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  // A side-scrollbar comes and goes with the table's width and the box's.
  useLayoutEffect(() => {
    if (scroller.current) setSideBar(sideBarHeight(scroller.current));
  }, [layout]);
  // The canvas is the box's width: a box that grows or shrinks (the window, the figures' grid) is drawn again.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      setSideBar(sideBarHeight(el));
      cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(draw);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [draw]);

  useEffect(() => {
    const el = scroller.current;
    return el && scrollGroup ? scrollGroup.add(el) : undefined;
  }, [scrollGroup]);

  // A state asked for by name: its row at the top of the view (as far as the table allows), ringed as the keyboard's.
  useEffect(() => {
    const el = scroller.current;
    if (!jumpTo || !el || jumpTo.row < 0 || jumpTo.row >= rows.length) return;
    setCursor((c) => ({ row: jumpTo.row, col: c.col }));
    el.scrollTop = jumpTo.row * CELL_H; // its scroll event moves the group's others (onScroll)
    // Only a new request (its key) moves the view, not a new table.
  }, [jumpTo?.key]);

  const onScroll = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(draw);
    if (scroller.current) scrollGroup?.moved(scroller.current);
  };

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    // The canvas stays in the box's view: the scroll's offset gives the table's coordinates.
    const onLabels = e.clientX - rect.left < layout.gutter; // the state labels, which stay over the cells scrolled beneath
    const x = e.clientX - rect.left + (scroller.current?.scrollLeft ?? 0);
    const y = e.clientY - rect.top;
    const col = onLabels ? -1 : Math.floor((x - layout.gutter) / layout.cellW);
    const row = Math.floor((y - HEADER_H + (scroller.current?.scrollTop ?? 0)) / CELL_H);
    setHover(y < HEADER_H || col < 0 || col >= cols.length || row < 0 || row >= rows.length ? null : { row, col });
  };

  const focusCell = (next: Cell) => {
    setCursor(next);
    setAnnounced(cellWords(rows, cols, values, marks, next));
    // Scrolled into view below the sticky header (the scroll redraws it), and across when the table is wider than its box.
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = scrolledTo(el.scrollTop, layout.view - HEADER_H, next.row * CELL_H, CELL_H);
    // Cells show right of the state labels, which stay in place: a cell is in view when its left
    // edge, less the labels', is within the scroll.
    el.scrollLeft = scrolledTo(el.scrollLeft, el.clientWidth - layout.gutter, next.col * layout.cellW, layout.cellW);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = movedCell(cell, e.key, { rows: rows.length, cols: cols.length, page: Math.floor((layout.view - HEADER_H) / CELL_H) }, e);
    if (!next) return;
    e.preventDefault(); // the box's own scrolling by these keys would move the view away from the cell
    focusCell(next);
  };

  const onFocus = () => {
    setFocused(true);
    if (rows.length > 0 && cols.length > 0) setAnnounced(cellWords(rows, cols, values, marks, cell));
  };

  // Hovered, else the keyboard's cell while the heatmap has focus.
  const shown = hover ?? (focused && rows.length > 0 && cols.length > 0 ? cell : null);
  const shownValue = shown && values[shown.row]?.[shown.col];
  return (
    <div className="heatmap-box">
      <div
        ref={scroller}
        className="heatmap-scroll"
        // A table taller than the view scrolls in a box of the view's height (its 1 px borders
        // added), and of its side-scrollbar's when the table is wider than its figure: the rows and
        // the keys' screen of them are the view's. Capped at the view alone, the scrollbar covered
        // the view's last row, where PageDown and Ctrl+End left the focused cell, and scrolled to the
        // end the canvas (held inside the table's height) rose by the scrollbar's height, taking the
        // actions' header out of sight. A shorter table is not capped: the scrollbar adds to the
        // box's height instead of hiding a row (a one-row table shrank to a line).
        style={{ maxHeight: layout.total > layout.view ? layout.view + 2 + sideBar : undefined }}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={() => setFocused(false)}
        tabIndex={0}
        // An application: a screen reader in browse mode would keep the arrow keys, which move the cell here.
        role="application"
        aria-roledescription="heatmap"
        aria-label={`${label}: ${rows.length} states × ${cols.length} actions${marks ? ', greedy actions marked with a dot' : ''}; arrow keys move from cell to cell`}
        data-testid={testId}
        data-rows={rows.length}
        data-cols={cols.length}
      >
        {/* The table's size, which the box scrolls over; the canvas, its view's size, sticks in view within it. */}
        <div style={{ width: layout.width }}>
          <canvas ref={canvas} className="heatmap-canvas" onMouseMove={onMove} onMouseLeave={() => setHover(null)} onClick={() => hover && focusCell(hover)} />
          <div style={{ height: layout.total - layout.view, width: 1 }} />
        </div>
      </div>
      <div className="heatmap-readout small muted" aria-live="off" data-testid={testId ? `${testId}-readout` : undefined}>
        {shown && shownValue !== undefined ? (
          <>
            <strong>{rows[shown.row]}</strong> × <strong>{cols[shown.col]}</strong> = {fmt(shownValue, 4)}
            {marks?.[shown.row] === shown.col ? ' · greedy' : ''}
          </>
        ) : (
          'Point at a cell, or focus the heatmap and use the arrow keys, to read its value.'
        )}
      </div>
      {/* The keyboard's cell in words, said as it moves (the readout, which follows the pointer too, is not announced). */}
      <div className="sr-only" aria-live="polite" data-testid={testId ? `${testId}-cell` : undefined}>
        {focused ? announced : ''}
      </div>
    </div>
  );
}

export function HeatLegend({ scale, caption, testId }: { scale: HeatScale; caption: string; testId?: string }) {
  const scheme = useColorScheme();
  return (
    <div className="heat-legend small" data-testid={testId} data-lo={scale.lo} data-hi={scale.hi} data-from={scale.from} data-to={scale.to}>
      <span className="muted">{caption}</span>
      <span className="num">{scale.from !== undefined && scale.from > scale.lo ? `≤ ${fmt(scale.from)}` : fmt(scale.lo)}</span>
      <span className="heat-legend-bar" style={{ background: gradientCss(scale.kind, scheme) }} aria-hidden="true" />
      <span className="num">{scale.to !== undefined && scale.to < scale.hi ? `≥ ${fmt(scale.to)}` : fmt(scale.hi)}</span>
      {scale.kind === 'diverging' && <span className="muted">({scheme === 'dark' ? 'dark grey' : 'white'} = 0)</span>}
      {scale.from !== undefined && (
        <span className="muted" data-testid={testId ? `${testId}-outliers` : undefined}>
          (values {fmt(scale.lo)} to {fmt(scale.hi)}: a few far from the rest take the end colours)
        </span>
      )}
    </div>
  );
}
