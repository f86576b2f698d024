// The logs reader keeps its columns in fixed-size blocks joined once at the end (row-blocks.ts),
// where it doubled each array and copied it as rows came: the rows parsed must be the same, row for
// row, for any count, in particular around a block's boundary (and around the old arrays' doubling
// points, 1024·2^k rows, where a copy could have lost or shifted a row).
import { describe, expect, it } from 'vitest';
import { parseLogLines, parseLogLinesToFit, parseTargetRowLines } from '../../src/engine/ope/csv';
import { BLOCK_ROWS, BlockColumn } from '../../src/engine/ope/row-blocks';

describe('BlockColumn', () => {
  it('joins every value pushed, in order, for counts around its blocks', () => {
    for (let n = 0; n <= 13; n++) {
      const column = new BlockColumn(Float64Array, 4);
      const values = Array.from({ length: n }, (_, i) => i * 1.5 - 3);
      for (const v of values) column.push(v);
      expect(column.length).toBe(n);
      const joined = column.joined();
      expect(joined).toBeInstanceOf(Float64Array);
      expect(Array.from(joined)).toEqual(values);
      // Joined once: the blocks are dropped as they are copied.
      expect(column.length).toBe(0);
      expect(column.joined().length).toBe(0);
    }
  });

  it('maps each value through the ranks given as it joins', () => {
    const column = new BlockColumn(Int32Array, 3);
    const ids = [0, 1, 2, 1, 0, 2, 2];
    for (const id of ids) column.push(id);
    const rank = Int32Array.from([2, 0, 1]);
    expect(Array.from(column.joined(rank))).toEqual(ids.map((id) => rank[id]));
  });
});

/** Row i of a logs file: an action and context whose labels sort as numbers, a reward and a propensity, all a function of i. */
const row = (i: number) => ({ action: (i * 7) % 13, context: i % 3, reward: i % 5, propensity: ((i % 10) + 1) / 10 });

function* logLines(n: number, propensityOf: (i: number) => string = (i) => String(row(i).propensity)): Generator<string> {
  yield 'item,position,click,pscore';
  for (let i = 0; i < n; i++) {
    const r = row(i);
    yield `${r.action},${r.context},${r.reward},${propensityOf(i)}`;
  }
}

/** The first index in 0…n-1 where `got` differs from `want(i)`, or -1: a whole column compared without building millions of assertions. */
function firstDifference(got: ArrayLike<number>, n: number, want: (i: number) => number): number {
  if (got.length !== n) return -2;
  for (let i = 0; i < n; i++) if (got[i] !== want(i)) return i;
  return -1;
}

// Around the old doubling points (1024, 2048) and around the blocks' (BLOCK_ROWS, twice it).
const COUNTS = [1, 1023, 1024, 1025, 2049, BLOCK_ROWS - 1, BLOCK_ROWS, BLOCK_ROWS + 1, 2 * BLOCK_ROWS + 1];

describe('the logs reader, across block boundaries', () => {
  it('parses every row, in order, for an evaluation', async () => {
    for (const n of COUNTS) {
      const read = await parseLogLines(logLines(n), 'logs.csv');
      expect(read.rowsKept, `${n} rows`).toBe(n);
      // The labels in numeric order: every action among the first 13 rows (7i mod 13 takes each value once).
      const actions = Array.from({ length: Math.min(n, 13) }, (_, i) => row(i).action).sort((a, b) => a - b);
      expect(read.actionLabels).toEqual(actions.map(String));
      expect(firstDifference(read.action, n, (i) => read.actionLabels.indexOf(String(row(i).action))), `action, ${n} rows`).toBe(-1);
      expect(firstDifference(read.context, n, (i) => read.contextLabels.indexOf(String(row(i).context))), `context, ${n} rows`).toBe(-1);
      expect(firstDifference(read.reward, n, (i) => row(i).reward), `reward, ${n} rows`).toBe(-1);
      expect(firstDifference(read.propensity, n, (i) => row(i).propensity), `propensity, ${n} rows`).toBe(-1);
    }
  });

  it("keeps each row's line for a fit", async () => {
    for (const n of [BLOCK_ROWS - 1, BLOCK_ROWS + 1]) {
      const read = await parseLogLinesToFit(logLines(n), 'logs.csv');
      expect(firstDifference(read.lines!, n, (i) => i + 2), `lines, ${n} rows`).toBe(-1);
      expect(firstDifference(read.reward, n, (i) => row(i).reward), `reward, ${n} rows`).toBe(-1);
    }
  });

  it("drops a target's propensities when a row past a block lacks one, and keeps its rows", async () => {
    const n = BLOCK_ROWS + 2;
    const read = await parseTargetRowLines(
      logLines(n, (i) => (i === BLOCK_ROWS + 1 ? '' : String(row(i).propensity))),
      'logs.csv',
    );
    expect(read.propensity).toBeNull();
    expect(firstDifference(read.reward, n, (i) => row(i).reward)).toBe(-1);
  });
});
