// The reports about one thing fitted to the terminal (100 characters off a terminal, or COLUMNS),
// as the tables of the other commands are (terminal-width.test.ts, terminal-width-lists.test.ts):
// `aisle eval`'s sentences (a policy's provenance, the Monte-Carlo and exact results), `aisle
// policies show`'s provenance and `aisle show`'s verdict, checkpoints and an MDP's summary ran
// past a 60-column terminal. Wrapping moves words only: read back, a narrow output holds the words
// of the output at an unlimited width, in order; --json is the same at any width.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/display-width';
import { aisle, ROOT } from '../helpers/cli';

// One database for every test (tempDir's folders go after each test).
const dir = mkdtempSync(join(tmpdir(), 'aisle-width-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'a.db');
const quickstart = join(ROOT, 'resources/experiments/quickstart.json');

beforeAll(() => {
  // Run 1: a shop (its fifty parameters, an exact verdict); run 2: the cliff (an inline MDP's summary).
  for (const file of [join(ROOT, 'resources/experiments/shop-fatigue.json'), quickstart]) {
    const r = aisle(['run', file, '--episodes', '30', '--seeds', '1'], { db });
    expect(r.code, r.stderr).toBe(0);
  }
  for (const id of ['1', '2']) expect(aisle(['export', id, '-o', join(dir, `p${id}.json`)], { db }).code).toBe(0);
}, 120_000);

function output(args: string[], columns: string): string {
  const r = aisle(args, { db, env: { COLUMNS: columns } });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');

const COMMANDS: [string, string[]][] = [
  ['aisle eval (a shop policy, on the environment it was trained on)', ['eval', join(dir, 'p1.json'), '--episodes', '20']],
  ['aisle eval (a cliff policy, --env)', ['eval', join(dir, 'p2.json'), '--env', quickstart, '--episodes', '20']],
  ['aisle policies show', ['policies', 'show', '2']],
  ['aisle show (a shop run)', ['show', '1']],
  ['aisle show (a run on an inline MDP)', ['show', '2']],
];

describe('reports on a 60-column terminal', () => {
  for (const [what, args] of COMMANDS) {
    it(`${what}: every line within 60 columns, every word kept, in order`, () => {
      const wide = output(args, '100000');
      // Without wrapping, some line is wider: the test checks something.
      expect(Math.max(...wide.split('\n').map(displayWidth))).toBeGreaterThan(60);
      const narrow = output(args, '60');
      for (const line of narrow.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
      expect(words(narrow)).toEqual(words(wide));
      // A wrapped sentence's next lines start under its first word: `policies show`'s under the value, `show`'s verdict under its indent.
      if (args[0] === 'policies') expect(narrow).toMatch(/\ntrained {6}run 2 of [^\n]*\n {13}\S/);
      if (args[0] === 'show') expect(narrow).toMatch(/\n {2}Far from optimal:[^\n]*\n {2}\S/);
    });
  }

  it('--json is the same at any width', () => {
    for (const [, args] of COMMANDS) expect(output(['--json', ...args], '40')).toBe(output(['--json', ...args], '100000'));
  });
});
