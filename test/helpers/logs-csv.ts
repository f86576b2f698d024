// Synthetic logged bandit feedback for the off-policy tests (service and e2e): two logging policies
// over four items at two slate positions, a uniform one (propensity 0.25) and an ε-greedy one that
// favours hats at position 1 and shoes at position 2, with clicks drawn from a known model.
import { holdoutRows } from '../../src/engine/ope/data';
import { Rng } from '../../src/engine/rng';

export const ITEMS = ['bags', 'hats', 'shoes', 'socks'] as const;
/** Click probability per item (ITEMS order) at position 1; position 2 gets 0.6 of it. */
const CLICK = [0.1, 0.3, 0.2, 0.05];
/** The ε-greedy policy's favourite item per position, and its ε. */
const FAVOURITE: Record<number, string> = { 1: 'hats', 2: 'shoes' };
const EPSILON = 0.3;
/** Its propensities: the favourite (1 − ε + ε/4) and each other item (ε/4), as the logs write them. */
const P_FAVOURITE = 0.775;
const P_OTHER = 0.075;

export const HEADER = 'policy,ts,item,position,page,click,pscore';

export interface LogRow {
  policy: 'uniform' | 'greedy';
  item: string;
  position: number;
  page: 'home' | 'cart';
  click: number;
  pscore: number;
}

/** `rows` rows alternating between the policies (uniform first), positions alternating in pairs. */
export function syntheticRows(rows: number, seed = 1): LogRow[] {
  const rng = new Rng(seed, 0);
  const out: LogRow[] = [];
  for (let i = 0; i < rows; i++) {
    const policy = i % 2 === 0 ? 'uniform' : 'greedy';
    const position = 1 + (Math.floor(i / 2) % 2);
    let item: string;
    let pscore: number;
    if (policy === 'uniform') {
      item = ITEMS[rng.int(ITEMS.length)]!;
      pscore = 0.25;
    } else {
      const favourite = FAVOURITE[position]!;
      item = rng.nextDouble() < EPSILON ? ITEMS[rng.int(ITEMS.length)]! : favourite;
      pscore = item === favourite ? P_FAVOURITE : P_OTHER;
    }
    const click = rng.bernoulli(CLICK[ITEMS.indexOf(item as (typeof ITEMS)[number])]! * (position === 1 ? 1 : 0.6)) ? 1 : 0;
    out.push({ policy, item, position, page: rng.int(2) === 0 ? 'home' : 'cart', click, pscore });
  }
  return out;
}

/** The rows as a logs CSV (a `ts` column of distinct values: too many to list as a filter). */
export function logsCsv(rows: readonly LogRow[]): string {
  return `${HEADER}\n${rows.map((r, i) => `${r.policy},${1_700_000_000 + i},${r.item},${r.position},${r.page},${r.click},${r.pscore}`).join('\n')}\n`;
}

/** Which of n rows a holdout of 1 in k sets aside (the engine's holdoutRows, on rows numbered 0..n − 1). */
export function heldOut(n: number, k: number): boolean[] {
  const rows = Float64Array.from({ length: n }, (_, i) => i);
  const data = { actionLabels: ['a'], contextLabels: [''], action: new Int32Array(n), context: new Int32Array(n), reward: rows, propensity: new Float64Array(n).fill(1) };
  const held = new Set(holdoutRows(data, k, 'holdout').reward);
  return Array.from({ length: n }, (_, i) => held.has(i));
}
