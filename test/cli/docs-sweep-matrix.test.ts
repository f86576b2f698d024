// docs/cli.md's sweep ends with the matrix `aisle compare` prints: its cells must be written as the
// command writes them (improvementCellText: a probability and its interval with the same decimals),
// or the example teaches a format the command does not print.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameDecimals } from '../../src/shared/figures';
import { table } from '../../src/cli/context';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe("docs/cli.md's sweep comparison", () => {
  it('writes each cell, and lays out the table, as aisle compare does', () => {
    const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    const block = /## Sweeps[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, 'the sweep section has its comparison').toBeDefined();
    const matrix = block!.split('\n\n')[0]!;
    const [header, , ...rows] = matrix.split('\n');
    const letters = header!.trim().split(/\s+/);
    const cells = rows.map((row) => [row[0]!, ...[...row.slice(1).matchAll(/–|[\d.]+ \[[\d.]+, [\d.]+\](?: better| worse)?/g)].map((m) => m[0])]);
    expect(cells.map((r) => r.length)).toEqual(letters.map(() => letters.length + 1));
    // Each cell rewritten from its own numbers, as improvementCellText writes them.
    const rewritten = cells.map((r) =>
      r.map((cell) => {
        const m = /^([\d.]+) \[([\d.]+), ([\d.]+)\](.*)$/.exec(cell);
        if (!m) return cell;
        const [p, lo, hi] = sameDecimals([Number(m[1]), Number(m[2]), Number(m[3])]);
        return `${p} [${lo}, ${hi}]${m[4]}`;
      }),
    );
    expect(cells).toEqual(rewritten);
    expect(matrix).toBe(table(['', ...letters], cells));
  });

  it('is what the sweep it names prints, figure for figure, on a fresh database', () => {
    // The section says what it ran: the quickstart swept over alpha and epsilon, on a fresh database.
    const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
    const block = /## Sweeps[\s\S]*?```\n([\s\S]*?)```/.exec(doc)![1]!;
    const matrix = block.split('\n\n')[0]!;
    const sweep = aisle(['run', join(ROOT, 'resources/experiments/quickstart.json'), '--set', 'agent.alpha=0.1,0.5', '--set', 'agent.epsilon=0.05,0.2'], {
      db: join(tempDir(), 'a.db'),
      env: { COLUMNS: '100' },
    });
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toContain(`\n${matrix}\n\nevery pair: unpaired: Mann–Whitney (only 5 seeds; pairing needs 6)\n\nsettings that differ: agent.alpha, agent.epsilon\n`);
  });
});
