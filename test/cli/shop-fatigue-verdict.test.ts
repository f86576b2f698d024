// What the "shop fatigue: myopic oracle" preset's description and docs/shop-results.md promise about
// Compare's verdict, held against `aisle compare`: over both presets' 10 seeds, Q-learning is better
// on the last 100 sessions; on 5 seeds those 100 sessions leave no verdict, and a final window of 500
// gives one. The figures are those the description writes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aisle, ROOT } from '../helpers/cli';

interface Compared {
  groups: { label: string; runIds: number[]; final: { mean: number; values: number[] } }[];
  verdicts: ({ verdict: string | null; withheld?: string } | null)[][];
}

const presets = join(ROOT, 'resources/experiments');
let dir = '';
let db = '';

function compare(args: string[]): Compared {
  const r = aisle(['compare', ...args, '--json'], { db });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Compared;
}

describe('shop fatigue: Q-learning against the myopic oracle, as the preset says', () => {
  beforeAll(() => {
    // One database for both tests (tempDir's folders go after each test).
    dir = mkdtempSync(join(tmpdir(), 'aisle-test-'));
    db = join(dir, 'a.db');
    for (const file of ['shop-fatigue.json', 'shop-fatigue-myopic.json']) {
      const r = aisle(['run', join(presets, file), '--json'], { db });
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const description = () => (JSON.parse(readFileSync(join(presets, 'shop-fatigue-myopic.json'), 'utf8')) as { description: string }).description;

  it('10 seeds, last 100 sessions: better, with the means the description gives', () => {
    const c = compare(['1', '2']);
    expect(c.groups.map((g) => g.runIds.length)).toEqual([10, 10]);
    expect(c.verdicts[0]![1]!.verdict).toBe('better');
    const [q, oracle] = c.groups.map((g) => g.final.mean.toFixed(2));
    expect(description()).toContain(`Q-learning earns ${q} clicks per session against the oracle's ${oracle}`);
    const ends = c.groups[0]!.final.values;
    expect(description()).toContain(`end anywhere from ${Math.min(...ends).toFixed(1)} to ${Math.max(...ends).toFixed(1)}`);
  });

  it('5 seeds: no verdict on the last 100 sessions, better on the last 500', () => {
    const five = ['--runs', '1-5', '11-15'];
    const narrow = compare(five);
    expect(narrow.groups.map((g) => g.runIds.length)).toEqual([5, 5]);
    expect(narrow.verdicts[0]![1]!.verdict).toBeNull();
    const wide = compare([...five, '--final-window', '500']);
    expect(wide.verdicts[0]![1]!.verdict).toBe('better');
    const [q, oracle] = wide.groups.map((g) => g.final.mean.toFixed(2));
    expect(description()).toContain(`the last 500 give ${q} against ${oracle} and the verdict better`);
  });
});
