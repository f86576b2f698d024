/**
 * The Q-tables screen's list of states where the two tables' greedy actions differ: each state's
 * greedy action in A and in B, and its Q values in both, cut to the largest few per table when
 * there are many actions (a shop's 1,000 made one row hundreds of lines tall), with a button per
 * state to list them all; the values of both tables written with one number of decimals. Every
 * differing state is listed; a long list is drawn only where its box is scrolled to (row-window.ts):
 * the "Show all" it had drew a 20,000-state table's 3,416 rows at once, some 60,000 elements.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { QTable } from '../../../shared/dto';
import { qValueColumnTexts, shownActions, TOP_VALUES, type Comparison, type ShownQRow } from './qtable-compare';
import { ScrollRegion } from './scroll-region';
import { rowHeights, rowStretches, type Stretch } from './row-window';

/** A state's Q values in one table: those `shown` (its top TOP_VALUES, see shownActions, unless all), written as `texts`, the greedy action in bold. */
function QRow({ count, shown, texts, actions, greedy }: { count: number; shown: readonly number[]; texts: readonly string[]; actions: readonly string[]; greedy: number }) {
  const hidden = count - shown.length;
  return (
    <span className="qrow" data-shown={shown.length}>
      {shown.map((i, k) => (
        <span key={i} className={i === greedy ? 'qrow-greedy' : undefined}>
          {actions[i]}: {texts[k]}
        </span>
      ))}
      {hidden > 0 && <span className="muted">… {hidden.toLocaleString('en-US')} more</span>}
    </span>
  );
}

/** Lists of up to this many states are drawn whole (the page's Find reaches each); a longer one only where it is scrolled to (see rowStretches). */
export const DRAWN_WHOLE = 100;
/** Pixels drawn beyond the box's view, above and below, so that a scroll of the wheel or a PageDown meets rows already drawn. */
const MARGIN = 600;
/** A row's height before any is measured: one of a 5-action table's is about 25 px, one of a shop's top 5 two lines more. */
const ROW_GUESS = 30;

/**
 * The list of differing states, `jumpTo` a state found by name (the screen's Find state): the list
 * scrolls to put its row under the header when it is one of them (windowed, the page's own Find
 * reaches only the rows drawn).
 */
export function DifferingStates({ a, b, cmp, jumpTo }: { a: QTable; b: QTable; cmp: Comparison; jumpTo?: { readonly row: number; readonly key: number } }) {
  // The states whose every Q value is shown (the rest show their top TOP_VALUES per table).
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const count = cmp.differing.length;
  const windowed = count > DRAWN_WHOLE;
  // The Q values of both columns with one number of decimals (qValueColumnTexts), so that they line up and A's compare with B's:
  // of every state listed, drawn or not, so that a column's decimals do not change as it scrolls.
  const rows = useMemo(() => {
    const column = (t: QTable, greedy: readonly number[]): ShownQRow[] => cmp.differing.map((s) => ({ row: t.q[s]!, shown: shownActions(t.q[s]!, opened.has(s)), greedy: greedy[s]! }));
    const [rowsA, rowsB] = [column(a, cmp.greedyA), column(b, cmp.greedyB)];
    const texts = qValueColumnTexts([...rowsA, ...rowsB]);
    return { rowsA, rowsB, textsA: texts.slice(0, count), textsB: texts.slice(count) };
  }, [a, b, cmp, opened, count]);

  const table = useRef<HTMLTableElement>(null);
  // The heights of the rows drawn so far, by their place in the list (a new comparison starts over).
  const heights = useRef({ cmp, measured: new Map<number, number>() });
  if (heights.current.cmp !== cmp) heights.current = { cmp, measured: new Map() };
  const measured = heights.current.measured;
  const [, setMeasures] = useState(0);
  // The box's scroll offset below the header, and its height (the CSS's max-height until it is read).
  const [view, setView] = useState({ top: 0, height: 420 });
  // The row holding the keyboard's focus (its "all values" button), drawn wherever it is scrolled to.
  const [focused, setFocused] = useState<number>();
  useEffect(() => {
    // The table's box is ScrollRegion's, its parent.
    const box = table.current?.parentElement;
    if (!windowed || !box) return;
    const read = () => setView({ top: box.scrollTop - (table.current?.tHead?.offsetHeight ?? 0), height: box.clientHeight });
    read();
    box.addEventListener('scroll', read, { passive: true });
    const resized = new ResizeObserver(read);
    resized.observe(box);
    return () => {
      box.removeEventListener('scroll', read);
      resized.disconnect();
    };
  }, [windowed]);
  // A state found by name: the row of the list to bring under its header, until it is drawn there.
  const pending = useRef<number>(undefined);
  useLayoutEffect(() => {
    const box = table.current?.parentElement;
    const k = jumpTo ? cmp.differing.indexOf(jumpTo.row) : -1;
    if (!box || k < 0) return;
    // Where the heights known put it; once drawn, its row corrects that (below).
    box.scrollTop = rowHeights(k, measured, ROW_GUESS).reduce((sum, h) => sum + h, 0);
    pending.current = k;
    if (windowed) setView({ top: box.scrollTop - (table.current?.tHead?.offsetHeight ?? 0), height: box.clientHeight });
  }, [jumpTo?.key]);
  // After each render, the heights of the rows drawn: where one differs from what was reckoned, the stretches are reckoned again.
  useLayoutEffect(() => {
    let changed = false;
    if (windowed) {
      for (const tr of table.current?.tBodies[0]?.rows ?? []) {
        const k = tr.dataset.k;
        if (k === undefined) continue;
        const height = tr.getBoundingClientRect().height;
        if (Math.abs((measured.get(Number(k)) ?? -1) - height) > 0.5) {
          measured.set(Number(k), height);
          changed = true;
        }
      }
    }
    if (changed) setMeasures((m) => m + 1);
    // The row found, once drawn: its top just under the sticky header, again until the rows above it are measured.
    const box = table.current?.parentElement;
    const wanted = pending.current === undefined ? undefined : table.current?.querySelector<HTMLElement>(`tbody tr[data-k="${pending.current}"]`);
    if (!box || !wanted) return;
    // The header's bottom in the window: the box's top and the header's height (the <thead> itself scrolls away; its cells stick).
    const head = box.getBoundingClientRect().top + box.clientTop + (table.current?.tHead?.offsetHeight ?? 0);
    box.scrollTop += wanted.getBoundingClientRect().top - head;
    if (!changed) pending.current = undefined;
  });
  // Reckoned at each render (a scroll, a height measured): a median of the heights and a walk down them, well under a millisecond for 20,000 rows.
  const stretches: Stretch[] = windowed ? rowStretches(rowHeights(count, measured, ROW_GUESS), view.top, view.height, MARGIN, focused) : [{ first: 0, end: count }];

  // Windowed, the columns' widths are set from every state listed (table-layout: fixed), not by the rows drawn: those
  // made the State column 18 px wider as a shop's seg3/c19/… scrolled into view, and the Q columns narrower, under the pointer.
  const columns = useMemo(() => {
    if (!windowed) return undefined;
    let label = 0;
    let action = 8; // "Greedy A"
    for (const s of cmp.differing) {
      label = Math.max(label, a.states[s]!.length);
      action = Math.max(action, a.actions[cmp.greedyA[s]!]!.length, b.actions[cmp.greedyB[s]!]!.length);
    }
    // A cell's padding is 8 px a side; "all values" (10 characters, in the smaller type) follows a state's name.
    const state = `calc(${label + (a.actions.length > TOP_VALUES + 1 ? 11 : 0)}ch + 16px)`;
    const greedy = `calc(${action + 1}ch + 16px)`;
    return { state, greedy, table: `calc(${state} + 2 * ${greedy} + 2 * 10em)` };
  }, [windowed, a, b, cmp]);

  if (count === 0) return <p className="muted">The greedy action is the same in every state.</p>;
  const cut = a.actions.length > TOP_VALUES + 1;
  const toggle = (s: number) =>
    setOpened((was) => {
      const next = new Set(was);
      if (!next.delete(s)) next.add(s);
      return next;
    });
  const row = (k: number) => {
    const s = cmp.differing[k]!;
    return (
      <tr key={s} data-k={k} {...(windowed ? { 'aria-rowindex': k + 2 } : {})}>
        <td>
          {a.states[s]}
          {cut && (
            <>
              {' '}
              <button type="button" className="link small" aria-expanded={opened.has(s)} onClick={() => toggle(s)} data-testid="qt-differing-all">
                {opened.has(s) ? `top ${TOP_VALUES}` : 'all values'}
              </button>
            </>
          )}
        </td>
        <td>{a.actions[cmp.greedyA[s]!]}</td>
        <td>{b.actions[cmp.greedyB[s]!]}</td>
        <td>
          <QRow count={a.actions.length} shown={rows.rowsA[k]!.shown} texts={rows.textsA[k]!} actions={a.actions} greedy={cmp.greedyA[s]!} />
        </td>
        <td>
          <QRow count={b.actions.length} shown={rows.rowsB[k]!.shown} texts={rows.textsB[k]!} actions={b.actions} greedy={cmp.greedyB[s]!} />
        </td>
      </tr>
    );
  };
  return (
    <>
      {cut && (
        <p className="hint" data-testid="qt-differing-top">
          Each state lists its {TOP_VALUES} largest Q values per table, largest first, of {a.actions.length.toLocaleString('en-US')} actions; “all values” lists every one for that state, largest first too.
        </p>
      )}
      <ScrollRegion label="States where the greedy actions differ" className="table-scroll tall">
        {/* Windowed, the table still tells a screen reader how many rows it has and where each drawn one is (aria-rowcount, aria-rowindex). */}
        <table
          ref={table}
          className="qt-differing"
          data-testid="qt-differing"
          data-rows={count}
          {...(columns ? { 'aria-rowcount': count + 1, style: { tableLayout: 'fixed', minWidth: columns.table } } : {})}
        >
          {columns && (
            <colgroup>
              <col style={{ width: columns.state }} />
              <col style={{ width: columns.greedy }} />
              <col style={{ width: columns.greedy }} />
              <col />
              <col />
            </colgroup>
          )}
          <thead>
            <tr {...(windowed ? { 'aria-rowindex': 1 } : {})}>
              <th>State</th>
              <th>Greedy A</th>
              <th>Greedy B</th>
              <th>{cut ? `Q in A, top ${TOP_VALUES} (greedy in bold)` : 'Q in A (greedy in bold)'}</th>
              <th>{cut ? `Q in B, top ${TOP_VALUES}` : 'Q in B'}</th>
            </tr>
          </thead>
          <tbody
            onFocus={(e) => {
              const k = (e.target as HTMLElement).closest('tr')?.dataset.k;
              if (k !== undefined) setFocused(Number(k));
            }}
            onBlur={(e) => {
              if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setFocused(undefined);
            }}
          >
            {/* One flat list of keyed rows: a row in a nested array of its stretch was drawn anew as a gap came before it
                (the list scrolled from its top), and the button in it lost the keyboard's focus. */}
            {stretches.flatMap((stretch, i) =>
              'gap' in stretch
                ? [
                    // A stretch of rows not drawn: its height keeps the scrollbar the whole list's.
                    <tr key={`gap-${i}`} className="row-gap" aria-hidden="true">
                      <td colSpan={5} style={{ height: stretch.gap, padding: 0, border: 0 }} />
                    </tr>,
                  ]
                : Array.from({ length: stretch.end - stretch.first }, (_, j) => row(stretch.first + j)),
            )}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
