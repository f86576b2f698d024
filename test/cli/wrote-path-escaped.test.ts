// The path given to -o (--out) as each command's "wrote …" line echoes it: a line break in it split
// the line and an ESC sequence drove the terminal, where the other lines that name a path given
// escape them (reportLines, escapeControl: "\u000a", "\u001b"). The --json outputs keep it raw.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, oneCliffRun, ROOT } from '../helpers/cli';

/** A file name with a line break and an ESC sequence in it (both allowed in a Linux file name). */
const HOSTILE = 'two\nlines\u001b[31mred';
const SHOWN = 'two\\u000alines\\u001b[31mred';

/** Not a control character left (C0, C1, DEL, the bidirectional overrides and isolates) but the lines' own breaks. */
function clean(out: string): void {
  expect(out).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069](?<!\n)/u);
}

describe('a path holding control characters, given to -o', () => {
  it("is escaped in every command's wrote line, which stays one line", () => {
    const { dir, db, runId } = oneCliffRun();
    const run = String(runId);
    const cases: string[][] = [
      ['export', run, '-o', join(dir, `policy ${HOSTILE}.json`)],
      ['policies', 'export', '1', '-o', join(dir, `stored ${HOSTILE}.json`)],
      ['policies', 'runtime', '-o', join(dir, `runtime ${HOSTILE}.mjs`)],
      ['metrics', run, '-o', join(dir, `metrics ${HOSTILE}.csv`)],
      ['qtable', run, '--csv', '-o', join(dir, `q ${HOSTILE}.csv`)],
      ['results', 'export', '1', '-o', join(dir, `lab ${HOSTILE}.aisle-results`)],
      ['schemas', '--out', join(dir, `schemas ${HOSTILE}`)],
      ['shop', 'export-mdp', join(ROOT, 'resources/experiments/shop-small.json'), '-o', join(dir, `shop ${HOSTILE}.mdp.json`)],
    ];
    for (const args of cases) {
      const r = aisle(args, { db });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      clean(r.stdout);
      const line = r.stdout.split('\n')[0]!;
      expect(line.startsWith('wrote '), `${args[0]}: ${line}`).toBe(true);
      expect(line, args.join(' ')).toContain(SHOWN);
    }
    // The files are where the paths as given say: only their echo is escaped.
    expect(readdirSync(dir).filter((f) => f.includes(HOSTILE))).toHaveLength(cases.length);
  });

  it('is given raw in --json', () => {
    const { dir, db, runId } = oneCliffRun();
    const path = join(dir, `metrics ${HOSTILE}.csv`);
    const r = aisle(['metrics', String(runId), '-o', path, '--json'], { db });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { path: string }).path).toBe(path);
  });
});
