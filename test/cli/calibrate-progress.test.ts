// `aisle shop calibrate` on a large file sat silent: 197 MB of transactions with `--items 2000` took
// some 45 s without a word on the terminal. It now says where it is on stderr (a terminal only, not
// with --json): each of its two passes over the file, by the bytes read, then the grouping.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/cli/calibrate';
import { calibrationProgressLine, progressLine, type CalibrationProgress } from '../../src/cli/calibrate-progress';
import { tempDir } from '../helpers/tmp';
import { problemsOf } from '../helpers/validation-problems';

/** Three customers' purchases of items A–F, an hour and more apart now and then. */
function events(): string {
  const lines = ['ts,customer,invoice,item,qty,price'];
  let ts = 1_300_000_000;
  for (let i = 0; i < 400; i++) {
    ts += i % 7 === 0 ? 7200 : 60;
    lines.push(`${ts},c${i % 3},${Math.floor(i / 5)},${'ABCDEF'[(i * 5) % 6]},1,${(1 + (i % 6)).toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

describe('the calibration tells where it is', () => {
  it('each pass by the bytes read, up to the file size, then the grouping', async () => {
    const path = join(tempDir(), 'events.csv');
    writeFileSync(path, events());
    const size = statSync(path).size;
    const seen: CalibrationProgress[] = [];
    await calibrate(path, 'events.csv', { items: 6, categories: 2, gapMinutes: 60 }, undefined, (p) => seen.push(p));
    const reads = (pass: 1 | 2) => seen.flatMap((p) => (p.step === 'read' && p.pass === pass ? [p.bytes] : []));
    for (const pass of [1, 2] as const) {
      expect(reads(pass).length).toBeGreaterThan(0);
      expect(reads(pass).at(-1)).toBe(size);
      expect(seen.every((p) => p.step !== 'read' || p.size === size)).toBe(true);
    }
    const grouping = seen.findIndex((p) => p.step === 'group');
    expect(seen[grouping]).toEqual({ step: 'group', items: 6, categories: 2 });
    // In order: pass 1, pass 2, the grouping.
    expect(seen.findLastIndex((p) => p.step === 'read' && p.pass === 1)).toBeLessThan(seen.findIndex((p) => p.step === 'read' && p.pass === 2));
    expect(seen.findLastIndex((p) => p.step === 'read')).toBeLessThan(grouping);
  });

  it('a missing file is still named as such, not as a raw ENOENT from reading its size', async () => {
    const path = join(tempDir(), 'nope.csv');
    expect(await problemsOf(() => calibrate(path, 'nope.csv', { items: 6, categories: 2, gapMinutes: 60 }, undefined, () => {}))).toEqual([`nope.csv: file not found (${path}): check the path`]);
  });

  it('in words: the pass, the share of the file and its megabytes, the seconds; the grouping by its items and categories', () => {
    const MB = 1024 * 1024;
    expect(calibrationProgressLine('events.csv', { step: 'read', pass: 1, bytes: 85 * MB, size: 197 * MB }, 12.7)).toBe('calibrating events.csv: reading, pass 1 of 2, 43 % (85 of 197 MB) | 12 s');
    expect(calibrationProgressLine('events.csv', { step: 'group', items: 2000, categories: 20 }, 31)).toBe('calibrating events.csv: grouping 2,000 items into 20 co-purchase categories | 31 s');
  });

  it('draws nothing in the first half second, at most ten times a second after, and clears its line at the end', () => {
    let t = 0;
    const written: string[] = [];
    const line = progressLine((p: CalibrationProgress, s) => calibrationProgressLine('e.csv', p, s), { write: (s: string) => written.push(s), columns: 100 }, () => t);
    const p: CalibrationProgress = { step: 'read', pass: 1, bytes: 1, size: 2 };
    line.onProgress(p);
    t = 400;
    line.onProgress(p);
    expect(written).toEqual([]);
    t = 600;
    line.onProgress(p);
    t = 650;
    line.onProgress(p);
    expect(written).toEqual(['\rcalibrating e.csv: reading, pass 1 of 2, 50 % (0 of 1 MB) | 0 s\x1b[K']);
    line.release();
    expect(written.at(-1)).toBe('\r\x1b[K');
    // A calibration done before the line appeared leaves the terminal untouched.
    const quiet: string[] = [];
    const fast = progressLine((p: CalibrationProgress, s) => calibrationProgressLine('e.csv', p, s), { write: (s: string) => quiet.push(s) }, () => 0);
    fast.onProgress(p);
    fast.release();
    expect(quiet).toEqual([]);
  });
});
