// The app's Off-policy results table: whether an estimate's interval covers what the target really
// got, '–' (as `aisle ope` writes it) for an estimate without an interval.
import { createElement, createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OpeResults } from '../../src/renderer/src/components/ope-results';
import { coversText } from '../../src/shared/figures';
import type { LogsEvaluation } from '../../src/shared/dto';

describe('coversText', () => {
  it('says neither yes nor no for an estimate without an interval (SNIPS where no evaluated row has weight)', () => {
    // It read 'no' beside that estimate's '–' figures; over the browser-mode host its NaN ends arrive as null.
    expect(coversText({ lo: Number.NaN, hi: Number.NaN }, 0.1)).toBe('–');
    expect(coversText({ lo: null, hi: null } as unknown as { lo: number; hi: number }, 0.1)).toBe('–');
  });

  it("says whether an interval covers the truth, IPS's [0, 0] included", () => {
    expect(coversText({ lo: 0, hi: 0 }, 0.1)).toBe('no');
    expect(coversText({ lo: 0, hi: 0 }, 0)).toBe('yes');
    expect(coversText({ lo: 0.05, hi: 0.15 }, 0.15)).toBe('yes');
    expect(coversText({ lo: 0.05, hi: 0.15 }, 0.2)).toBe('no');
  });
});

describe('OpeResults', () => {
  it("writes '–' under Covers the truth for SNIPS without an interval, 'no' for IPS's [0, 0]", () => {
    // The rows of item 0 evaluating the policy of the rows of item 1: no row has weight.
    const interval = (point: number, lo: number, hi: number) => ({ point, lo, hi });
    const result = {
      rows: 100,
      actions: 4,
      contexts: 2,
      rowsRead: 400,
      rowsKept: 100,
      logged: interval(0.1, 0.05, 0.15),
      columns: { action: 'item', reward: 'click', propensity: 'pscore', context: 'position' },
      fitWarnings: [],
      targets: [
        {
          spec: 'logs:item=1',
          name: 'the logging policy of the rows where item = 1',
          truth: { ...interval(0.1, 0.05, 0.15), rows: 100 },
          estimates: { ips: interval(0, 0, 0), snips: interval(Number.NaN, Number.NaN, Number.NaN), dm: interval(0.1, 0.08, 0.12), dr: interval(0.1, 0.08, 0.12) },
          diagnostics: { meanWeight: 0, effectiveSampleSize: 0, maxWeight: 0, rowsWithWeight: 0, unsupportedMass: 1 },
          warnings: [],
        },
      ],
    } as unknown as LogsEvaluation;
    const html = renderToStaticMarkup(createElement(OpeResults, { result, confidence: 0.95, rowsText: null, stale: false, headingRef: createRef<HTMLHeadingElement>() }));
    const covers = [...html.matchAll(/data-testid="ope-covers">([^<]*)</g)].map((m) => m[1]);
    expect(covers).toEqual(['no', '–', 'yes', 'yes']);
  });
});

describe('the intervals chart', () => {
  const interval = (point: number, lo: number, hi: number) => ({ point, lo, hi });
  const evaluation = (dr: { point: number; lo: number; hi: number }) =>
    ({
      rows: 10_000,
      actions: 34,
      contexts: 3,
      rowsRead: 40_000,
      rowsKept: 10_000,
      logged: interval(0.0046, 0.0034, 0.0059),
      columns: { action: 'item', reward: 'click', propensity: 'pscore', context: 'position' },
      fitWarnings: [],
      targets: [
        {
          spec: 'bandit.json',
          name: 'the policy in bandit.json (always 7)',
          estimates: { ips: interval(0.0034, 0, 0.0102), snips: interval(0.0032, 0, 0.0099), dm: interval(0.0031, 1.01e-7, 0.0103), dr },
          diagnostics: { meanWeight: 1.074, effectiveSampleSize: 316, maxWeight: 34, rowsWithWeight: 316, unsupportedMass: 0 },
          warnings: [],
        },
      ],
    }) as unknown as LogsEvaluation;
  const chart = (result: LogsEvaluation) => {
    const html = renderToStaticMarkup(createElement(OpeResults, { result, confidence: 0.95, rowsText: null, stale: false, headingRef: createRef<HTMLHeadingElement>() }));
    const [lo, hi] = /data-scale="([^"]+)"/.exec(html)![1]!.split(' ').map(Number) as [number, number];
    return { lo, hi, ticks: [...html.matchAll(/class="ope-chart-tick"[^>]*>([^<]*)</g)].map((m) => m[1]) };
  };

  it("does not start a click rate's axis a margin below 0 for a DR end a hair below it", () => {
    // Open Bandit's men's rows, random logs, a policy always showing item 7: DR's low end is
    // −4.4e-8 (its table writes 0.0000), and the axis read from −0.00052, a click rate below 0.
    const { lo, hi, ticks } = chart(evaluation(interval(0.00298, -4.4147695552015856e-8, 0.00987)));
    expect(lo).toBe(-4.4147695552015856e-8);
    expect(hi).toBeGreaterThan(0.0103);
    expect(ticks).toEqual(['0', '0.0108']);
  });

  it('keeps the margin below 0 for a clearly negative end, and at 0 for ends all ≥ 0', () => {
    const negative = chart(evaluation(interval(0.003, -0.004, 0.0099)));
    expect(negative.lo).toBeLessThan(-0.004);
    expect(negative.ticks[0]).toMatch(/^-0\.00\d+$/);
    const positive = chart(evaluation(interval(0.003, 0, 0.0099)));
    expect(positive.lo).toBe(0);
    expect(positive.ticks).toEqual(['0', '0.0108']);
  });
});
