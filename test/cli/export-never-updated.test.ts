// `aisle export` says how many states training never updated (the policy serves their first
// action there, a tie-break), terminal states aside, after "wrote …" and in --json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, oneCliffRun } from '../helpers/cli';

const CLIFF_GOAL = 47; // cliff.mdp.json's one terminal state

/** States whose actions all hold one value, counted here from the file's Q-table: the terminal one, and the others. */
function untouched(q: readonly number[][]): { terminal: boolean; others: number } {
  const flat = (row: readonly number[]) => row.every((v) => v === row[0]);
  return { terminal: flat(q[CLIFF_GOAL]!), others: q.filter((row, s) => s !== CLIFF_GOAL && flat(row)).length };
}

describe('aisle export: states training never updated', () => {
  it('says how many non-terminal states serve their first action, after "wrote …" and in --json', () => {
    const { dir, db, runId } = oneCliffRun();
    const file = join(dir, 'p.json');
    const r = aisle(['export', String(runId), '-o', file], { db });
    expect(r.code, r.stderr).toBe(0);
    const { q } = JSON.parse(readFileSync(file, 'utf8')) as { q: number[][] };
    const counted = untouched(q);
    // The goal is never updated, and is not counted: a service is never asked about it.
    expect(counted.terminal).toBe(true);
    expect(counted.others).toBeGreaterThan(0);
    const [wrote, note, ...rest] = r.stdout.split('\n');
    expect(wrote).toBe(`wrote ${file}: 48 states × 4 actions from run ${runId}`);
    expect(note).toBe(`${counted.others} of 47 states have every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates: the policy serves their first action there, a tie-break`);
    expect(rest).toEqual(['']);

    const json = aisle(['export', String(runId), '-o', join(dir, 'again.json'), '--json'], { db });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'tabular', states: 48, neverUpdated: { states: counted.others, of: 47, terminal: 1 } });
  });
});
