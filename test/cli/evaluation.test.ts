// `aisle run --set evaluation.every=…`: the greedy evaluation's metric in `aisle metrics` and
// `aisle show`, at the evaluation episodes only; and its bad values, refused with exit 2.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const seedToy = join(ROOT, 'resources/experiments/seed-toy.json');

describe('aisle run with evaluation', () => {
  it('records eval/greedy_return every `every` episodes and at the last, shown by metrics and show', () => {
    const db = join(tempDir(), 'e.db');
    const run = aisle(['run', seedToy, '--episodes', '45', '--seeds', '1', '--set', 'evaluation.every=20', '--set', 'evaluation.episodes=3'], { db });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('eval/greedy_return');

    const csv = aisle(['metrics', '1', '--metric', 'eval/greedy_return', 'eval/greedy_return_std'], { db });
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('episode,eval/greedy_return,eval/greedy_return_std');
    const evaluated = rows.slice(1).filter((line) => !line.endsWith(',,')).map((line) => Number(line.split(',')[0]));
    expect(evaluated).toEqual([19, 39, 44]);

    const show = aisle(['show', '1'], { db });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^eval {2}greedy policy every 20 episodes and at the last, 3 episodes each/m);
    expect(show.stdout).toMatch(/^eval\/greedy_return +\S+/m);
  });

  it('refuses an evaluation count that is not a whole number ≥ 1, naming the field', () => {
    const db = join(tempDir(), 'bad.db');
    for (const [sets, message] of [
      [['evaluation.every=0'], 'evaluation.every: must be a whole number ≥ 1, got 0'],
      [['evaluation.every=1.5'], 'evaluation.every: must be a whole number ≥ 1, got 1.5'],
      [['evaluation.every=5', 'evaluation.episodes=0'], 'evaluation.episodes: must be a whole number in [1, 100,000], got 0'],
      [['evaluation.episodes=3'], 'evaluation.every: is required'],
    ] as const) {
      const r = aisle(['run', seedToy, '--episodes', '10', ...sets.flatMap((set) => ['--set', set])], { db });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});
