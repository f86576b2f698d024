// `aisle ope` on a large logs file sat silent while it read it: 222 MB of Open Bandit rows, ~10 s
// before the bootstrap's bar, twice that with a logs: target (which reads the file again); `aisle
// logs mdp` ~10 s with nothing at all. On a terminal a line now says how far the reading is,
// `reading logs.csv: 43 % (95 of 222 MB) | 4 s` (until ope's bar takes its place); the readers tell
// it the bytes read as each chunk arrives.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesRead } from '../../src/cli/calibrate-progress';
import { readEvaluatedLogs, readLogsToFit, readTargetRows } from '../../src/cli/logged-data';
import { opeReadingLine } from '../../src/cli/ope-progress';
import { tempDir } from '../helpers/tmp';

function logs(): string {
  const lines = ['policy,item,position,click,pscore'];
  for (let i = 0; i < 3000; i++) lines.push(`${i % 2 ? 'random' : 'bts'},${i % 34},${1 + (i % 3)},${i % 97 === 0 ? 1 : 0},0.0294118`);
  return lines.join('\n') + '\n';
}

describe('aisle ope tells how far it has read the logs', () => {
  it('the rows evaluated, a logs: target’s rows and a fit’s, each read up to the file’s size', async () => {
    const path = join(tempDir(), 'logs.csv');
    writeFileSync(path, logs());
    const size = statSync(path).size;
    const evaluated: number[] = [];
    await readEvaluatedLogs(path, 'logs.csv', { where: { policy: 'random' } }, { choice: {}, label: '', fix: '' }, undefined, (b) => evaluated.push(b));
    expect(evaluated.length).toBeGreaterThan(0);
    expect(evaluated.at(-1)).toBe(size);
    const target: number[] = [];
    await readTargetRows(path, 'logs.csv', { where: { policy: 'bts' } }, undefined, (b) => target.push(b));
    expect(target.at(-1)).toBe(size);
    const fitted: number[] = [];
    await readLogsToFit(path, 'logs.csv', {}, {}, undefined, (b) => fitted.push(b));
    expect(fitted.at(-1)).toBe(size);
  });

  it('in words: the file, the share read and its megabytes, the seconds', () => {
    const MB = 1024 * 1024;
    expect(opeReadingLine('obd.csv', 95 * MB, 222 * MB, 4.6)).toBe('reading obd.csv: 42 % (95 of 222 MB) | 4 s');
    // A pipe has no size to read a share of.
    expect(bytesRead(95 * MB, 0)).toBe('95 MB');
  });
});
