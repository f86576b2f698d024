/**
 * The Q-tables screen's list of states where the two tables' greedy actions differ: each state's
 * greedy action in A and in B, and its Q values in both, cut to the largest few per table when
 * there are many actions (a shop's 1,000 made one row hundreds of lines tall), with a button per
 * state to list them all; the values of both tables written with one number of decimals.
 */
import { useState } from 'react';
import type { QTable } from '../../../shared/dto';
import { qValueColumnTexts, shownActions, TOP_VALUES, type Comparison, type ShownQRow } from './qtable-compare';
import { ScrollRegion } from './scroll-region';

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

export function DifferingStates({ a, b, cmp }: { a: QTable; b: QTable; cmp: Comparison }) {
  const [limit, setLimit] = useState(100);
  // The states whose every Q value is shown (the rest show their top TOP_VALUES per table).
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  if (cmp.differing.length === 0) return <p className="muted">The greedy action is the same in every state.</p>;
  const shown = cmp.differing.slice(0, limit);
  // The Q values of both columns with one number of decimals (qValueColumnTexts), so that they line up and A's compare with B's.
  const column = (t: QTable, greedy: readonly number[]): ShownQRow[] => shown.map((s) => ({ row: t.q[s]!, shown: shownActions(t.q[s]!, opened.has(s)), greedy: greedy[s]! }));
  const [rowsA, rowsB] = [column(a, cmp.greedyA), column(b, cmp.greedyB)];
  const texts = qValueColumnTexts([...rowsA, ...rowsB]);
  const [textsA, textsB] = [texts.slice(0, shown.length), texts.slice(shown.length)];
  const cut = a.actions.length > TOP_VALUES + 1;
  const toggle = (s: number) =>
    setOpened((was) => {
      const next = new Set(was);
      if (!next.delete(s)) next.add(s);
      return next;
    });
  return (
    <>
      {cut && (
        <p className="hint" data-testid="qt-differing-top">
          Each state lists its {TOP_VALUES} largest Q values per table, largest first, of {a.actions.length.toLocaleString('en-US')} actions; “all values” lists every one for that state, largest first too.
        </p>
      )}
      <ScrollRegion label="States where the greedy actions differ" className="table-scroll tall">
        <table className="qt-differing" data-testid="qt-differing">
          <thead>
            <tr>
              <th>State</th>
              <th>Greedy A</th>
              <th>Greedy B</th>
              <th>{cut ? `Q in A, top ${TOP_VALUES} (greedy in bold)` : 'Q in A (greedy in bold)'}</th>
              <th>{cut ? `Q in B, top ${TOP_VALUES}` : 'Q in B'}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s, k) => (
              <tr key={s}>
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
                  <QRow count={a.actions.length} shown={rowsA[k]!.shown} texts={textsA[k]!} actions={a.actions} greedy={cmp.greedyA[s]!} />
                </td>
                <td>
                  <QRow count={b.actions.length} shown={rowsB[k]!.shown} texts={textsB[k]!} actions={b.actions} greedy={cmp.greedyB[s]!} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {cmp.differing.length > limit && (
        <button type="button" onClick={() => setLimit(cmp.differing.length)}>
          Show all {cmp.differing.length.toLocaleString('en-US')} states
        </button>
      )}
    </>
  );
}
