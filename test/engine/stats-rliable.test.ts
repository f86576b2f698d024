// rliable's aggregates (Agarwal et al. 2021) and the summary row: IQM convention, stratified
// bootstrap, probability of improvement — each against a hand computation or a recomputation.
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import {
  aggregateIqm,
  aggregateMean,
  aggregateMedian,
  bootstrapMeanCI,
  interquartileMean,
  optimalityGap,
  probabilityOfImprovement,
  probabilityOfImprovementCI,
  stratifiedBootstrapCI,
  summarize,
} from '../../src/engine/stats';

const f64 = (...v: number[]) => Float64Array.from(v);

/** numpy.percentile's default (linear) on an ascending array. */
function percentile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < sorted.length ? sorted[k]! + (h - k) * (sorted[k + 1]! - sorted[k]!) : sorted[k]!;
}

/** scipy.stats.trim_mean(x, 0.25) written out: sort, cut int(0.25·n) from each end, average. */
function trimMean25(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.trunc(0.25 * sorted.length);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((s, v) => s + v, 0) / kept.length;
}

describe('interquartileMean (scipy trim_mean(x, 0.25), as rliable)', () => {
  it('[1..10]: cuts ⌊2.5⌋ = 2 from each end → mean of 3..8 = 5.5', () => {
    expect(interquartileMean(f64(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).toBe(5.5);
  });

  it('distinguishes the floor convention from ceil or fractional trimming (n = 10, i²)', () => {
    const squares = f64(100, 1, 81, 4, 64, 9, 49, 16, 36, 25); // i² for i = 1..10, shuffled
    // floor: cut 2 → (9+16+25+36+49+64)/6 = 199/6; ceil would cut 3 → 31.5; fractional → 32.5.
    expect(interquartileMean(squares)).toBeCloseTo(199 / 6, 14);
    expect(interquartileMean(squares)).toBeCloseTo(trimMean25(Array.from(squares)), 14);
  });

  it('n not divisible by 4: n = 5 cuts 1, n = 7 cuts 1, n = 3 cuts none; NaN left out', () => {
    expect(interquartileMean(f64(25, 1, 16, 4, 9))).toBeCloseTo(29 / 3, 14); // mean(4, 9, 16)
    expect(interquartileMean(f64(1, 2, 4, 8, 16, 32, 64))).toBeCloseTo(62 / 5, 14); // mean(2..32)
    expect(interquartileMean(f64(1, 2, 100))).toBeCloseTo(103 / 3, 14);
    expect(interquartileMean(f64(NaN, 25, 1, NaN, 16, 4, 9))).toBeCloseTo(29 / 3, 14);
    expect(interquartileMean(f64(NaN))).toBeNaN();
    const rng = new Rng(8);
    for (const n of [1, 2, 6, 11, 13, 50]) {
      const v = Array.from({ length: n }, () => rng.normal());
      expect(interquartileMean(Float64Array.from(v))).toBeCloseTo(trimMean25(v), 12);
    }
  });
});

describe('aggregates usable as the statistic', () => {
  const scores = [f64(1, 2, 3), f64(10, 20), f64(4)];
  it('mean and median are over per-task means; IQM and optimality gap pool all runs', () => {
    expect(aggregateMean(scores)).toBeCloseTo((2 + 15 + 4) / 3, 14);
    expect(aggregateMedian(scores)).toBe(4); // median of task means 2, 15, 4
    expect(aggregateIqm(scores)).toBeCloseTo((2 + 3 + 4 + 10) / 4, 14); // pooled 1,2,3,4,10,20: cut ⌊1.5⌋ = 1 each end
    expect(optimalityGap([f64(0.5, 1.5), f64(0.2)])).toBeCloseTo(1 - (0.5 + 1 + 0.2) / 3, 14);
    expect(optimalityGap([f64(50, 150)], 100)).toBe(25);
  });
});

describe('stratifiedBootstrapCI', () => {
  const rng = new Rng(21);
  const runs = Float64Array.from({ length: 15 }, () => rng.normal() * 2 + 1);

  it('with one task is the plain percentile bootstrap from the same index draws', () => {
    const draws = new Rng(6, Stream.bootstrap);
    const means: number[] = [];
    for (let b = 0; b < 2000; b++) {
      let sum = 0;
      for (let j = 0; j < runs.length; j++) sum += runs[draws.int(runs.length)]!;
      means.push(sum / runs.length);
    }
    means.sort((a, b) => a - b);
    const ci = stratifiedBootstrapCI([runs], aggregateMean, { seed: 6 });
    expect(ci.lo).toBeCloseTo(percentile(means, 0.025), 14);
    expect(ci.hi).toBeCloseTo(percentile(means, 0.975), 14);
    const plain = bootstrapMeanCI(runs, { seed: 6 });
    expect([ci.point, ci.lo, ci.hi]).toEqual([plain.mean, plain.lo, plain.hi]);
  });

  it('resamples within each task: two constant tasks give a zero-width interval, pooling would not', () => {
    // Task A's runs are all 0, task B's all 10. Every stratified resample keeps 4 runs of each,
    // so the mean over tasks is exactly 5 every time. Resampling the 8 runs as one pool mixes
    // them (some resamples draw six 10s) and gives a wide interval around 5.
    const a = f64(0, 0, 0, 0);
    const b = f64(10, 10, 10, 10);
    const stratified = stratifiedBootstrapCI([a, b], aggregateMean, { seed: 2 });
    expect(stratified).toEqual({ point: 5, lo: 5, hi: 5 });
    const pooled = bootstrapMeanCI(f64(...a, ...b), { seed: 2 });
    expect(pooled.lo).toBeLessThan(4);
    expect(pooled.hi).toBeGreaterThan(6);
  });

  it('with two tasks equals a recomputation drawing task by task in the documented order', () => {
    const taskA = f64(1, 5, 2, 9, 4);
    const taskB = f64(30, 10, 20);
    const draws = new Rng(13, Stream.bootstrap);
    const stats: number[] = [];
    for (let r = 0; r < 2000; r++) {
      const ra = Array.from(taskA, () => taskA[draws.int(taskA.length)]!);
      const rb = Array.from(taskB, () => taskB[draws.int(taskB.length)]!);
      stats.push(trimMean25([...ra, ...rb]));
    }
    stats.sort((x, y) => x - y);
    const ci = stratifiedBootstrapCI([taskA, taskB], aggregateIqm, { seed: 13, confidence: 0.8 });
    expect(ci.point).toBeCloseTo(trimMean25([...taskA, ...taskB]), 14);
    expect(ci.lo).toBeCloseTo(percentile(stats, 0.1), 12);
    expect(ci.hi).toBeCloseTo(percentile(stats, 0.9), 12);
  });

  it('contains the point estimate and is reproducible from the seed', () => {
    const tasks = [0, 1, 2].map((t) => Float64Array.from({ length: 10 }, () => rng.normal() + t));
    for (const statistic of [aggregateMean, aggregateIqm, aggregateMedian, optimalityGap]) {
      const ci = stratifiedBootstrapCI(tasks, statistic, { seed: 4 });
      expect(ci.lo).toBeLessThanOrEqual(ci.point);
      expect(ci.hi).toBeGreaterThanOrEqual(ci.point);
      expect(ci.hi).toBeGreaterThan(ci.lo);
      expect(stratifiedBootstrapCI(tasks, statistic, { seed: 4 })).toEqual(ci);
    }
  });
});

describe('probabilityOfImprovement', () => {
  it('is 1 when every x beats every y, 0 the other way round, 0.5 for identical runs', () => {
    expect(probabilityOfImprovement([f64(5, 6, 7)], [f64(1, 2)])).toBe(1);
    expect(probabilityOfImprovement([f64(1, 2)], [f64(5, 6, 7)])).toBe(0);
    expect(probabilityOfImprovement([f64(3, 1, 4, 1, 5)], [f64(3, 1, 4, 1, 5)])).toBe(0.5);
  });

  it('counts ties as ½', () => {
    expect(probabilityOfImprovement([f64(2)], [f64(2)])).toBe(0.5);
    expect(probabilityOfImprovement([f64(1, 2)], [f64(2)])).toBe(0.25); // S(1,2) = 0, S(2,2) = ½
  });

  it('2 × 3 by hand: x = [3, 1], y = [2, 3, 0] → 3.5 / 6', () => {
    // (3,2)=1 (3,3)=½ (3,0)=1 (1,2)=0 (1,3)=0 (1,0)=1
    expect(probabilityOfImprovement([f64(3, 1)], [f64(2, 3, 0)])).toBeCloseTo(7 / 12, 15);
    // P(X > Y) + P(Y > X) = 1.
    expect(probabilityOfImprovement([f64(2, 3, 0)], [f64(3, 1)])).toBeCloseTo(5 / 12, 15);
  });

  it('averages over tasks (each task weighs the same, whatever its run count)', () => {
    const p = probabilityOfImprovement([f64(5, 6, 7), f64(3, 1)], [f64(1), f64(2, 3, 0)]);
    expect(p).toBeCloseTo((1 + 7 / 12) / 2, 15);
    expect(() => probabilityOfImprovement([f64(1)], [f64(1), f64(2)])).toThrow(RangeError);
  });

  it('CI: recomputed from draws in the documented order (per task: X runs, then Y runs), contains the point', () => {
    const rng = new Rng(30);
    const x = [Float64Array.from({ length: 8 }, () => rng.normal() + 0.8), Float64Array.from({ length: 5 }, () => rng.normal())];
    const y = [Float64Array.from({ length: 6 }, () => rng.normal()), Float64Array.from({ length: 7 }, () => rng.normal())];
    const poi1 = (a: number[], b: number[]) => {
      let w = 0;
      for (const ai of a) for (const bj of b) w += ai > bj ? 1 : ai === bj ? 0.5 : 0;
      return w / (a.length * b.length);
    };
    const draws = new Rng(77, Stream.bootstrap);
    const stats: number[] = [];
    for (let r = 0; r < 2000; r++) {
      let sum = 0;
      for (let t = 0; t < 2; t++) {
        const rx = Array.from(x[t]!, () => x[t]![draws.int(x[t]!.length)]!);
        const ry = Array.from(y[t]!, () => y[t]![draws.int(y[t]!.length)]!);
        sum += poi1(rx, ry);
      }
      stats.push(sum / 2);
    }
    stats.sort((a, b) => a - b);
    const ci = probabilityOfImprovementCI(x, y, { seed: 77 });
    expect(ci.point).toBeCloseTo((poi1(Array.from(x[0]!), Array.from(y[0]!)) + poi1(Array.from(x[1]!), Array.from(y[1]!))) / 2, 14);
    expect(ci.lo).toBeCloseTo(percentile(stats, 0.025), 12);
    expect(ci.hi).toBeCloseTo(percentile(stats, 0.975), 12);
    expect(ci.lo).toBeLessThanOrEqual(ci.point);
    expect(ci.hi).toBeGreaterThanOrEqual(ci.point);
  });

  it('CI lies above 0.5 for a clearly better X', () => {
    const rng = new Rng(31);
    const x = [Float64Array.from({ length: 10 }, () => rng.normal() + 3)];
    const y = [Float64Array.from({ length: 10 }, () => rng.normal())];
    expect(probabilityOfImprovementCI(x, y, { seed: 1 }).lo).toBeGreaterThan(0.5);
  });
});

describe('summarize', () => {
  it('hand example: [2, 4, 4, 4, 5, 5, 7, 9] with NaN left out', () => {
    const s = summarize(f64(9, NaN, 2, 4, 4, 4, 5, NaN, 5, 7));
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(Math.sqrt(32 / 7), 14); // Σ(v − 5)² = 32, sample variance 32/7
    expect([s.min, s.max, s.median]).toEqual([2, 9, 4.5]);
    expect(s.iqm).toBe(4.5); // cut 2 each end: mean(4, 4, 5, 5)
  });

  it('one value: std is NaN; no values: n = 0 and NaN throughout', () => {
    const one = summarize(f64(3));
    expect([one.n, one.mean, one.median, one.iqm, one.min, one.max]).toEqual([1, 3, 3, 3, 3, 3]);
    expect(one.std).toBeNaN();
    const none = summarize(f64(NaN));
    expect(none.n).toBe(0);
    expect(none.mean).toBeNaN();
    expect(none.iqm).toBeNaN();
  });
});
