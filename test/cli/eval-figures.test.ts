// `aisle eval` prints an evaluation's mean length and metrics as the app's evaluate panel writes them
// (test/renderer/policy-evaluate-figures.test.ts): the length to 4 decimals, where it printed one
// (5.3 for 5.26), and the metrics as one column of the same decimals (coverage 0.0500 beside revenue
// 2.3338, where each was written alone: 0.05).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('aisle eval: the mean length and the metrics', () => {
  it('prints them with enough decimals, the metrics with the same number, each reading back as the --json value', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = join(dir, 'shop.json');
    writeFileSync(exp, JSON.stringify({ format: 'aisle.experiment/v1', name: 'shop', env: { id: 'shop' }, agent: { id: 'thompson' }, episodes: 50, seeds: 1 }));
    expect(aisle(['run', exp], { db }).code).toBe(0);
    const file = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', file], { db }).code).toBe(0);
    const json = aisle(['eval', file, '--episodes', '200', '--json'], { db });
    expect(json.code, json.stderr).toBe(0);
    const mc = (JSON.parse(json.stdout) as { monteCarlo: { meanLength: number; metrics: Record<string, number> } }).monteCarlo;
    const text = aisle(['eval', file, '--episodes', '200'], { db });
    expect(text.code, text.stderr).toBe(0);
    const flat = text.stdout.replace(/\s+/g, ' '); // wrapped to the terminal

    const length = /mean length ([0-9.]+)/.exec(flat)![1]!;
    expect(Math.abs(Number(length) - mc.meanLength)).toBeLessThanOrEqual(5e-5);
    expect(mc.meanLength % 0.1).not.toBeCloseTo(0, 6); // a length one decimal cannot hold, as 5.3 for 5.26 was

    const names = Object.keys(mc.metrics);
    expect(names).toContain('coverage');
    const printed = names.map((name) => new RegExp(`^  ${name.replace('/', '\\/')}: (\\S+)$`, 'm').exec(text.stdout)?.[1]);
    expect(printed.every((t) => t !== undefined)).toBe(true);
    // One column: every metric with the same decimals, and each within half the last of them of its value.
    const decimals = printed.map((t) => t!.split('.')[1]?.length ?? 0);
    expect(new Set(decimals)).toEqual(new Set([4]));
    names.forEach((name, i) => expect(Math.abs(Number(printed[i]!.replace(/,/g, '')) - mc.metrics[name]!)).toBeLessThanOrEqual(5e-5));
  });
});
