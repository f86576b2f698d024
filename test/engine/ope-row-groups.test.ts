// RowGroups (src/engine/ope/row-groups.ts), the typed hash table Units groups identical rows with,
// held equal to the nested Maps it replaced (key → reward → weight → group, SameValueZero keys): the
// same groups in the same order with the same counts and first-seen values, on rows from the
// engine's generator with ties, −0 beside 0, NaN, keys past 2³², and past the table's first growths.
import { describe, expect, it } from 'vitest';
import { RowGroups } from '../../src/engine/ope/row-groups';
import { Rng } from '../../src/engine/rng';

/** The grouping as Units did it before: nested number-keyed Maps. */
function mapGroups(rows: readonly (readonly [number, number, number])[]) {
  const index = new Map<number, Map<number, Map<number, number>>>();
  const out = { key: [] as number[], reward: [] as number[], weight: [] as number[], count: [] as number[], of: [] as number[] };
  for (const [key, r, w] of rows) {
    let byReward = index.get(key);
    if (!byReward) index.set(key, (byReward = new Map()));
    let byWeight = byReward.get(r);
    if (!byWeight) byReward.set(r, (byWeight = new Map()));
    let g = byWeight.get(w);
    if (g !== undefined) out.count[g]!++;
    else {
      byWeight.set(w, (g = out.key.length));
      out.key.push(key);
      out.reward.push(r);
      out.weight.push(w);
      out.count.push(1);
    }
    out.of.push(g);
  }
  return out;
}

/** A value from a few, so that rows repeat, with −0, NaN and an infinity among them. */
function value(rng: Rng, spread: number): number {
  const kind = rng.int(10);
  if (kind === 0) return -0;
  if (kind === 1) return 0;
  if (kind === 2) return NaN;
  if (kind === 3) return -Infinity;
  return Math.round(rng.next() * spread) / 4 - spread / 8;
}

describe('RowGroups', () => {
  it('groups rows as the nested Maps did: same groups, order, counts and first-seen values', () => {
    const rng = new Rng(23, 0);
    for (const [n, keys, spread] of [[0, 1, 1], [1, 1, 1], [50, 3, 2], [2000, 20, 4], [5000, 5000, 50], [20_000, 1e6, 400]] as const) {
      const rows = Array.from({ length: n }, () => {
        // Keys as Units makes them ((context · A + action) · K + fold), some past 2³².
        const key = rng.int(keys) + (rng.int(4) === 0 ? 2 ** 33 : 0);
        return [key, value(rng, spread), value(rng, spread)] as const;
      });
      const expected = mapGroups(rows);
      const groups = new RowGroups();
      const of = rows.map(([key, r, w]) => groups.add(key, r, w));
      const what = `${n} rows`;
      expect(of, what).toEqual(expected.of);
      expect(groups.size, what).toBe(expected.key.length);
      const size = groups.size;
      // Object.is: the first-seen −0 kept as −0, NaN as NaN.
      for (const column of ['key', 'reward', 'weight', 'count'] as const) {
        const got = Array.from(groups[column].subarray(0, size));
        got.forEach((v, g) => expect(Object.is(v, expected[column][g]), `${what}, ${column} of group ${g}: ${v} against ${expected[column][g]}`).toBe(true));
      }
    }
  });

  it('grows past its first capacity with every group still found', () => {
    const groups = new RowGroups();
    for (let round = 0; round < 2; round++) for (let i = 0; i < 10_000; i++) expect(groups.add(i, i / 7, 1)).toBe(i);
    expect(groups.size).toBe(10_000);
    expect(Array.from(groups.count.subarray(0, 3))).toEqual([2, 2, 2]);
  });
});
