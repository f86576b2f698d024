// The weights' line wrote the largest weight with two decimals and their mean with three, so a
// largest weight equal to the mean read below it: Open Bandit's men's random rows with "uf0" as the
// action gave "weights: mean 11.333, largest 11.33", in `aisle ope` and on the Off-policy screen
// alike. The largest now has the mean's decimals there, and in the effective-sample-size warning.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement, createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OpeResults } from '../../src/renderer/src/components/ope-results';
import type { LogsEvaluation } from '../../src/shared/dto';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe("the importance weights' line", () => {
  it('aisle ope writes the largest weight with the decimals of the mean, never below it', () => {
    // Three actions, each logged with propensity 0.03: uniform weighs every row (1/3) / 0.03 = 11.111….
    const dir = tempDir('aisle-ope-weights-');
    const file = join(dir, 'logs.csv');
    writeFileSync(file, `item,click,pscore\n${Array.from({ length: 30 }, (_, i) => `${'abc'[i % 3]},${i % 4 === 0 ? 1 : 0},0.03`).join('\n')}\n`);
    const r = aisle(['ope', file, '--target', 'uniform', '--resamples', '10'], { db: join(dir, 'never.db') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('weights: mean 11.111, largest 11.111, effective sample size 30 of 30 rows');
  });

  it('the Off-policy screen writes it so too', () => {
    const interval = (point: number) => ({ point, lo: point, hi: point });
    const result = {
      rows: 10_000,
      actions: 3,
      contexts: 3,
      rowsRead: 40_000,
      rowsKept: 10_000,
      logged: interval(0.0046),
      columns: { action: 'uf0', reward: 'click', propensity: 'pscore', context: 'position' },
      fitWarnings: [],
      targets: [
        {
          spec: 'uniform',
          name: 'uniform over 3 actions',
          estimates: { ips: interval(0.0521), snips: interval(0.0046), dm: interval(0.0024), dr: interval(0.0024) },
          diagnostics: { meanWeight: 11.333333, effectiveSampleSize: 10_000, maxWeight: 11.333333, rowsWithWeight: 10_000, unsupportedMass: 0 },
          warnings: [],
        },
      ],
    } as unknown as LogsEvaluation;
    const html = renderToStaticMarkup(createElement(OpeResults, { result, confidence: 0.95, rowsText: null, stale: false, headingRef: createRef<HTMLHeadingElement>() }));
    expect(html).toContain('Weights: mean 11.333, largest 11.333, effective sample size 10,000 of 10,000 rows');
  });
});
