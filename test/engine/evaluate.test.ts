/**
 * The Monte-Carlo evaluation's mean, spread and interval (evaluate.ts), on one-step environments
 * whose returns the test knows.
 */
import { describe, expect, it } from 'vitest';
import type { Env, StepResult } from '../../src/engine/env';
import { MIN_ROLLOUT_EPISODES, rollout } from '../../src/engine/evaluate';
import { Rng, Stream } from '../../src/engine/rng';
import { discrete } from '../../src/engine/spaces';
import { studentT975 } from '../../src/engine/stats/describe';

/** One step per episode paying base + a draw: Bernoulli(0.5), or N(0, 1). */
class OneStep implements Env<number> {
  readonly id = 'one-step';
  readonly observationSpace = discrete(1);
  readonly actionSpace = discrete(1);
  readonly episodeMetricNames = [] as const;
  readonly paid: number[] = [];
  private rng = new Rng(0, Stream.env);
  private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: true, truncated: false };
  constructor(
    private readonly base: number,
    private readonly draw: 'bernoulli' | 'normal',
  ) {}
  reset(seed?: number): number {
    if (seed !== undefined) this.rng = new Rng(seed, Stream.env);
    return 0;
  }
  step(): StepResult<number> {
    this.result.reward = this.base + (this.draw === 'bernoulli' ? (this.rng.bernoulli(0.5) ? 1 : 0) : this.rng.normal());
    this.paid.push(this.result.reward);
    return this.result;
  }
  episodeMetrics(): void {}
}

/** The sample standard deviation, two-pass in exact-enough arithmetic (the base subtracted first). */
function sd(values: readonly number[], base: number): number {
  const xs = values.map((v) => v - base);
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

describe('rollout', () => {
  it('measures the spread of large returns exactly (Σx² − n·x̄² would cancel to noise at 1e9 ± 0.5)', () => {
    const env = new OneStep(1e9, 'bernoulli');
    const report = rollout(env, () => 0, 1000, 7);
    const expected = sd(env.paid, 1e9);
    expect(expected).toBeGreaterThan(0.45);
    expect(report.stdReturn).toBeCloseTo(expected, 6);
    const half = (studentT975(999) * expected) / Math.sqrt(1000);
    expect(report.ci95[1] - report.ci95[0]).toBeCloseTo(2 * half, 3);
    expect(report.meanReturn).toBe(env.paid.reduce((s, x) => s + x, 0) / 1000);
  });

  it("gives Student's t interval, not a normal one: with 2 episodes it is 12.7 standard errors wide each way", () => {
    const env = new OneStep(0, 'normal');
    const report = rollout(env, () => 0, 2, 3);
    const [a, b] = env.paid as [number, number];
    const se = Math.abs(a - b) / Math.SQRT2 / Math.SQRT2; // sd of two values is |a − b|/√2, over √2
    expect(report.stdReturn).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
    expect(report.ci95[1] - report.meanReturn).toBeCloseTo(12.7062047362 * se, 9);
  });

  it('covers the true mean about 95 % of the time with few episodes (a normal interval: 81 % with 3)', () => {
    let covered = 0;
    const trials = 2000;
    for (let seed = 0; seed < trials; seed++) {
      const { ci95 } = rollout(new OneStep(0, 'normal'), () => 0, 3, seed);
      if (ci95[0] <= 0 && 0 <= ci95[1]) covered++;
    }
    // Binomial(2000, 0.95): sd ≈ 0.0049; 0.81 would be 28 sd away.
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.97);
  });

  it('with a gamma below 1 also gives the discounted returns (Σ γ^t r_t), their mean and interval; with gamma 1 none', () => {
    // Three steps an episode paying 1, 2 and 4, plus a N(0, 1) draw on the last.
    const paid: number[] = [];
    const rng = new Rng(5, Stream.env);
    let t = 0;
    const env: Env<number> = {
      id: 'three-steps',
      observationSpace: discrete(1),
      actionSpace: discrete(1),
      episodeMetricNames: [],
      reset: () => ((t = 0), 0),
      step: () => {
        t++;
        const reward = t === 1 ? 1 : t === 2 ? 2 : 4 + rng.normal();
        if (t === 3) paid.push(reward);
        return { observation: 0, reward, terminated: t === 3, truncated: false };
      },
      episodeMetrics: () => {},
    };
    const report = rollout(env, () => 0, 200, 0, 0.5);
    const discounted = paid.map((last) => 1 + 2 * 0.5 + last * 0.25);
    const mean = discounted.reduce((a, b) => a + b, 0) / discounted.length;
    expect(report.discounted!.gamma).toBe(0.5);
    expect(report.discounted!.meanReturn).toBeCloseTo(mean, 12);
    expect(report.discounted!.stdReturn).toBeCloseTo(sd(paid, 4) * 0.25, 10);
    const half = (studentT975(199) * report.discounted!.stdReturn) / Math.sqrt(200);
    expect(report.discounted!.ci95[0]).toBeCloseTo(mean - half, 10);
    expect(report.discounted!.ci95[1]).toBeCloseTo(mean + half, 10);
    // The undiscounted mean is the plain sum's, as before.
    expect(report.meanReturn).toBeCloseTo(3 + paid.reduce((a, b) => a + b, 0) / 200, 12);
    expect(rollout(env, () => 0, 2, 0).discounted).toBeUndefined();
    expect(() => rollout(env, () => 0, 2, 0, 1.5)).toThrow(/gamma must be from 0 to 1, got 1.5/);
  });

  it(`refuses fewer than ${MIN_ROLLOUT_EPISODES} episodes (one has no spread to make an interval of)`, () => {
    expect(() => rollout(new OneStep(0, 'normal'), () => 0, 1, 0)).toThrow(/episodes must be a whole number ≥ 2, got 1/);
  });
});

describe('studentT975', () => {
  it("is scipy's t.ppf(0.975, ν) from the table and from the expansion beyond it", () => {
    // scipy.stats.t.ppf(0.975, ν)
    const scipy: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [30, 2.0422724563012378],
      [31, 2.039513446396408],
      [50, 2.008559112100761],
      [100, 1.9839715185235518],
      [1000, 1.9623390808264083],
    ];
    for (const [df, q] of scipy) expect(Math.abs(studentT975(df) - q)).toBeLessThan(5e-8);
    expect(studentT975(1e9)).toBeCloseTo(1.959963984540054, 8); // the normal's
    expect(() => studentT975(0)).toThrow(RangeError);
  });
});
