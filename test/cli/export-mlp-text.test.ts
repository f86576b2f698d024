// `aisle export`'s line for a network policy counts its actions as the other kinds' lines do
// ("1,000 actions", "1 action"), where it wrote the bare number ("over 1000 actions", "over 1 actions").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function exportLine(items: number): string {
  const dir = tempDir();
  const db = join(dir, 'a.db');
  const exp = join(dir, 'linucb.json');
  const env = { id: 'shop', items, categories: 1, observation: 'vector', maxSteps: 2 };
  writeFileSync(exp, JSON.stringify({ format: 'aisle.experiment/v1', name: 'linucb', env, agent: { id: 'linucb' }, episodes: 1, seeds: 1 }));
  const run = aisle(['run', exp, '--json'], { db });
  expect(run.code, run.stderr).toBe(0);
  const runId = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs[0]!.runId;
  const ex = aisle(['export', String(runId), '-o', join(dir, 'policy.json')], { db });
  expect(ex.code, ex.stderr).toBe(0);
  return ex.stdout;
}

describe('aisle export of an mlp policy', () => {
  it('writes its number of actions grouped and in the singular for one', () => {
    expect(exportLine(1000)).toMatch(/: an mlp policy \(.+\) over 1,000 actions from run \d+\n$/);
    expect(exportLine(1)).toMatch(/: an mlp policy \(.+\) over 1 action from run \d+\n$/);
  });
});
