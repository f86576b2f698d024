// Compare's metric= that not every compared run records (metric=zzz, a DQN's loss beside a
// Q-learning run) was asked for as it was: the comparison answered 400 (a failed request in the
// browser's console) and the screen showed the refusal alone. The screen now asks for return
// instead (compare.runs' unrecordedMetric) and names it as window=, band= or study= are named.
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';
import { askedMetric, COMPARE_VALUE_KEYS, metricValueKey } from '../../src/renderer/src/screens/compare';
import { commands } from '../../src/shared/contract';

const line = (address: string, metrics: readonly string[]) => unreadIds(new URLSearchParams(address), {}, { ...COMPARE_VALUE_KEYS, metric: metricValueKey(metrics) });

describe('Compare names a metric= its runs do not all record', () => {
  it('names it with the metrics it takes and return shown instead', () => {
    expect(line('experiments=1&metric=zzz', ['length', 'return', 'train/epsilon'])).toBe(
      'Left out of this address: metric=zzz (“zzz” is not a metric every compared run records: metric takes one of length, return, train/epsilon, such as metric=length; return is shown instead).',
    );
  });

  it('reads every metric the runs record, and no metric at all as return', () => {
    for (const raw of ['length', 'return', 'train/epsilon']) expect(line(`experiments=1&metric=${encodeURIComponent(raw)}`, ['length', 'return', 'train/epsilon'])).toBeNull();
    expect(line('experiments=1', ['return'])).toBeNull();
    expect(line('experiments=1&metric=', ['return'])).toBeNull();
  });

  it('with return alone to take, it is its own example', () => {
    expect(line('runs=3&metric=train/loss', ['return'])).toBe(
      'Left out of this address: metric=train/loss (“train/loss” is not a metric every compared run records: metric takes return, the one metric they all record, such as metric=return; it is shown instead).',
    );
  });
});

describe('a metric= longer than the contract takes (a pasted or cut link)', () => {
  it('asks for return, which the contract takes, and names the address’s value cut', () => {
    const long = 'm'.repeat(300);
    expect(askedMetric(long)).toBe('return');
    // It was asked as it was: compare.runs refused it with a 400, and the comparison failed.
    expect(commands['compare.runs'].safeParse({ runIds: [1, 2], metric: askedMetric(long) }).success).toBe(true);
    expect(line(`runs=1,2&metric=${long}`, ['length', 'return'])).toBe(
      `Left out of this address: metric=${'m'.repeat(60)}… (“${'m'.repeat(60)}…” is not a metric every compared run records: metric takes one of length, return, such as metric=length; return is shown instead).`,
    );
    for (const raw of ['train/loss', 'm'.repeat(200)]) expect(askedMetric(raw)).toBe(raw);
    expect(askedMetric(null)).toBe('return');
    expect(askedMetric('')).toBe('return');
  });
});
