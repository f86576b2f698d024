// The learning curves' focused y axis (Compare, Run detail): fitted to the curves after their
// first tenth, only when that shows them at least twice as tall, with the cut-off stretches found
// for the chart to mark.
import { describe, expect, it } from 'vitest';
import { clippedStretches, focusedYRange, focusNote } from '../../src/renderer/src/components/y-range';

const xs = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A cliff-like return: −2,500 at the start, settling at `end` by episode 20 of 200. */
const cliff = (end: number) => xs(200).map((i) => (i < 20 ? -2500 + ((2500 + end) * i) / 20 : end + Math.sin(i) * 3));

describe('focusedYRange', () => {
  it('fits two cliff curves ending at −50 and −24 after their transient, rounded out, and counts what it cuts off', () => {
    const series = [
      { x: xs(200), y: cliff(-50) },
      { x: xs(200), y: cliff(-24) },
    ];
    const f = focusedYRange(series)!;
    expect(f).not.toBeNull();
    // Tail: −53 to −21 (±3 of noise); padded by 5 % of 32 and rounded out to a step of 5.
    expect(f.min).toBe(-55);
    expect(f.max).toBeUndefined(); // nothing lies above the curves: chart.js fits that end
    expect(f.fullMin).toBe(-2500);
    expect(f.fullMax).toBeCloseTo(-21, 0);
    // Both curves' first points, down to where they pass −55.
    const below = (end: number) => cliff(end).filter((v) => v < -55).length;
    expect(f.clipped).toBe(below(-50) + below(-24));
    expect(f.lastClippedX).toBe(19);
  });

  it('keeps the bands of the lines inside the axis after the transient', () => {
    const y = cliff(-50);
    const f = focusedYRange([{ x: xs(200), y, lo: y.map((v) => v - 40), hi: y.map((v) => v + 10) }])!;
    expect(f.min).toBeLessThanOrEqual(-53 - 40);
    expect(f.min).toBeGreaterThan(-200);
  });

  it('fits the lines alone where their bands are too wide for any focus (a t band of two seeds), and says the bands run past it', () => {
    const y = cliff(-50);
    // A band ±1,500 around the tail: with it the tail would span 3,000 of the full 4,500, no focus.
    const f = focusedYRange([{ x: xs(200), y, lo: y.map((v) => v - 1500), hi: y.map((v) => v + 1500) }])!;
    expect(f).not.toBeNull();
    // The lines' tail, −53 to −47, padded and rounded out as without bands.
    expect(f.min).toBe(-54);
    expect(f.max).toBe(-46);
    expect(f.bandsClipped).toBe(true);
    // A band that fits keeps the axis around it, and is not said to run past it.
    const narrow = focusedYRange([{ x: xs(200), y, lo: y.map((v) => v - 40), hi: y.map((v) => v + 10) }])!;
    expect(narrow.bandsClipped).toBe(false);
  });

  it('leaves a faint raw curve out of the fit (its spikes are cut off, not the smoothed line)', () => {
    const raw = cliff(-50).map((v, i) => (i % 10 === 5 ? v - 100 : v));
    const f = focusedYRange([
      { x: xs(200), y: raw, faint: true },
      { x: xs(200), y: cliff(-50) },
    ])!;
    // Tail −53 to −47: padded by 5 % of 6 and rounded out to a step of 1.
    expect(f.min).toBe(-54);
    expect(f.clipped).toBe(cliff(-50).filter((v) => v < -54).length); // the faint curve's points are not counted
  });

  it('is null where the full range serves as well: a steady rise, a flat tail, one point, no spread', () => {
    expect(focusedYRange([{ x: xs(100), y: xs(100) }])).toBeNull(); // the tail is 90 % of the range
    const epsilon = xs(100).map((i) => Math.max(0.05, 1 - i / 5)); // at its floor from episode 5 on
    expect(focusedYRange([{ x: xs(100), y: epsilon }])).toBeNull();
    expect(focusedYRange([{ x: [3], y: [7] }])).toBeNull();
    expect(focusedYRange([{ x: xs(10), y: xs(10).map(() => 4) }])).toBeNull();
    expect(focusedYRange([])).toBeNull();
  });

  it('is null for a tail that varies only in float32 rounding (a constant stored as float32, read as bucket means)', () => {
    // The myopic oracle's coverage on shop fatigue: 0.18 while its window fills, then 0.2, stored as
    // float32 and averaged per bucket and smoothed, 0.199999965 to 0.200000003: the axis was fitted to
    // that noise, 0.199999965 to 0.200000005, and drew a climb where the value stood still.
    const f32 = Math.fround(0.2);
    const y = xs(2000).map((i) => (i < 200 ? 0.18 : i < 300 ? f32 - 3.5e-8 * (1 - (i - 200) / 100) : f32 - (i % 3) * 1e-9));
    expect(focusedYRange([{ x: xs(2000), y }])).toBeNull();
    // A tail that does vary, by a part in 100,000 of its size, is still focused.
    const real = xs(2000).map((i) => (i < 200 ? 0.18 : 0.2 + (i % 2) * 2e-6));
    expect(focusedYRange([{ x: xs(2000), y: real }])).not.toBeNull();
  });

  it('focuses at the top too: a loss that starts high', () => {
    const loss = xs(1000).map((i) => (i < 50 ? 100 - i * 1.9 : 5 + (i % 7) * 0.1));
    const f = focusedYRange([{ x: xs(1000), y: loss }])!;
    expect(f.min).toBeUndefined();
    expect(f.max).toBeGreaterThanOrEqual(5.6);
    expect(f.max).toBeLessThan(7);
    expect(f.lastClippedX).toBeLessThan(50);
  });

  it('measures the transient on the x axis, whatever it counts (a downsampled curve of bucket means)', () => {
    const x = xs(100).map((i) => i * 1000);
    const y = x.map((e) => (e < 5000 ? -2000 : -10 - (e % 3000) / 1000));
    const f = focusedYRange([{ x, y }])!;
    expect(f.min).toBe(-12.5);
    expect(f.clipped).toBe(5);
    expect(f.lastClippedX).toBe(4000);
  });

  it('rounds a small decimal range to its step without float noise', () => {
    const y = xs(100).map((i) => (i < 5 ? 10 : 0.31 + (i % 2) * 0.02));
    const f = focusedYRange([{ x: xs(100), y }])!;
    expect(f.max).toBe(0.335); // 0.33 + 5 % of 0.02, up to a step of 0.005
    expect(f.min).toBeUndefined();
  });

  it('ignores gaps (NaN) in a curve', () => {
    const y = cliff(-50).map((v, i) => (i % 4 === 0 ? NaN : v));
    expect(focusedYRange([{ x: xs(200), y }])!.min).toBe(-54);
  });
});

describe('clippedStretches', () => {
  it('gives each line’s runs beyond the axis with their side, leaving faint curves out', () => {
    const series = [
      { x: [0, 1, 2, 3, 4, 5], y: [-9, -8, 0, 0, 9, 0] },
      { x: [0, 1, 2], y: [-9, -9, -9], faint: true },
      { x: [0, 1, 2], y: [9, -9, 0] },
    ];
    expect(clippedStretches(series, -5, 5)).toEqual([
      { series: 0, from: 0, to: 1, side: 'below' },
      { series: 0, from: 4, to: 4, side: 'above' },
      { series: 2, from: 0, to: 0, side: 'above' },
      { series: 2, from: 1, to: 1, side: 'below' },
    ]);
  });
  it('finds none without set ends', () => {
    expect(clippedStretches([{ x: [0, 1], y: [-1e9, 1e9] }], undefined, undefined)).toEqual([]);
  });
});

describe('focusNote', () => {
  it('says what lies beyond the axis and the full range', () => {
    const f = { min: -55, max: undefined, fullMin: -2500, fullMax: -21.5, clipped: 37, lastClippedX: 19, bandsClipped: false };
    expect(focusNote(f)).toBe('The y axis fits the curves after their first tenth: 37 points of the curves, the last at episode 19, lie beyond it (marked on its edge); all values span -2,500 to -21.5.');
    expect(focusNote({ ...f, clipped: 0 })).toContain('first tenth: only bands or raw values lie beyond it; all values span');
    expect(focusNote({ ...f, clipped: 1, lastClippedX: 4 })).toContain('first tenth: 1 point of the curves, at episode 4, lies beyond it (marked on its edge);');
    expect(focusNote({ ...f, bandsClipped: true })).toContain('(marked on its edge); the lines alone set it, and the bands run past it where they reach further; all values span');
  });
  it('names a whole episode where the last point beyond is a bucket of episodes, whose x is their mean', () => {
    // Compare's curves of long runs are buckets: episodes 28 and 29 make one point at x 28.5.
    const f = { min: -55, max: undefined, fullMin: -1082.3, fullMax: 3.414, clipped: 15, lastClippedX: 28.5, bandsClipped: false };
    expect(focusNote(f)).toContain('15 points of the curves, the last around episode 29, lie beyond it');
  });
});

describe('focusedYRange of a metric stored at a few episodes', () => {
  it('does not focus lines of a few points (greedy evaluations: each one a measurement, not a transient)', () => {
    // Two seeds' eval/greedy_return at episodes 19, 39 and 59: a first evaluation far above the others.
    const series = [
      { x: [19, 39, 59], y: [6.3, 1.92, 1.9] },
      { x: [19, 39, 59], y: [-2.5, 1.9, 1.88] },
    ];
    expect(focusedYRange(series)).toBeNull();
    // The same shape over 20 evaluations is a curve again, its first tenth a transient.
    const many = xs(20).map((i) => 20 * i + 19);
    expect(focusedYRange([{ x: many, y: many.map((_, i) => (i === 0 ? 6.3 : 1.9 + 0.01 * i)) }])).not.toBeNull();
  });
});

describe('focusedYRange of lines of different lengths', () => {
  it('fits a line that ends within the axis’s first tenth by its own tail, not leaving it wholly beyond the axis', () => {
    // Compare of a group trained 600 episodes beside one of 30,000 (bucketed to 200 points each):
    // the short one's tail, about 2, lay below the long one's focused axis (5 ± 0.5), all of it
    // pressed onto the axis's edge under the other's line.
    const long = { x: xs(200).map((i) => i * 150), y: xs(200).map((i) => (i < 5 ? -20 : 5 + Math.sin(i) * 0.5)) };
    const short = { x: xs(200).map((i) => i * 3), y: xs(200).map((i) => (i < 20 ? -20 : 2 + Math.sin(i) * 0.2)) };
    const f = focusedYRange([long, short])!;
    expect(f).not.toBeNull();
    // Both tails inside: the short one's from its 20th point (1.8 to 2.2) and the long one's (4.5 to 5.5).
    expect(f.min).toBeLessThanOrEqual(1.8);
    expect(f.min).toBeGreaterThan(-20);
    const inside = (v: number) => v >= f.min! && (f.max === undefined || v <= f.max);
    expect(short.y.slice(20).every(inside)).toBe(true);
    expect(long.y.slice(20).every(inside)).toBe(true);
    // Only the two transients lie beyond it.
    expect(f.clipped).toBe(5 + 20);
  });
});
