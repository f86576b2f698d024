// Compare pairs two groups by seed when the design allows it (service/compare-statistics.ts,
// pairingOf): the same environment config, one run on each of the same 6+ seeds, so each seed's two
// runs shared the environment's random stream (common random numbers). Such a pair's verdict is the
// Wilcoxon signed-rank test of the per-seed differences; every other pair stays unpaired
// (Mann–Whitney) and says why. Checked on made-up values and on bandit runs through the service.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareStatistics, type CompareWork } from '../../src/main/service/compare-statistics';
import { compareRuns } from '../../src/main/service/compare';
import { cellVerdict, pairingLines, pairTest, withheldReasons, type ImprovementInput } from '../../src/shared/compare-text';
import type { CompareResult } from '../../src/shared/dto';
import { compareInput } from '../../src/cli/compare';
import { openService, type TestService } from '../helpers/service';

// Eight seeds whose environments differ far more than the agents do: each seed k sets a level 10 k,
// the row's agent is 1 above the column's on every seed (give or take 0.1).
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];
const column = SEEDS.map((k) => 10 * k);
const row = SEEDS.map((k) => 10 * k + 1 + 0.1 * Math.sin(k));

function work(finals: number[][], pairing: CompareWork['pairing'], direction: CompareWork['direction'] = 'higher'): CompareWork {
  return { band: 'ci95', seed: 0, series: finals.map(() => []), finals: finals.map((v) => Float64Array.from(v)), direction, ...(pairing ? { pairing } : {}) };
}

function reading(w: CompareWork): ImprovementInput {
  const stats = compareStatistics(structuredClone(w)); // cloneable, as for a worker
  return {
    groups: w.finals.map((values) => ({ final: { values: Array.from(values) } })) as unknown as CompareResult['groups'],
    improvement: stats.improvement,
    direction: w.direction === undefined ? 'higher' : w.direction,
  };
}

const oneEnvironment = (seeds: number[][]) => ({ seeds, environments: seeds.map(() => 'bandit') });

describe('compareStatistics, paired by seed', () => {
  it('pairs one environment and the same seeds: the signed-rank test gives the verdict the unpaired test cannot', () => {
    const paired = reading(work([row, column], oneEnvironment([SEEDS, SEEDS])));
    const cell = paired.improvement[0]![1]!;
    // Every difference positive: the exact signed-rank p is 2 / 2^8; the mean difference about 1.
    expect(cell.paired).toMatchObject({ pairs: 8, signedRankP: 2 / 256, exact: true, plus: 36, minus: 0 });
    expect(cell.paired!.mean).toBeCloseTo(1 + (0.1 * SEEDS.reduce((a, k) => a + Math.sin(k), 0)) / 8, 12);
    expect(cell.paired!.lo!).toBeGreaterThan(0.9);
    expect(cell.paired!.hi!).toBeLessThan(1.1);
    expect(cell.unpaired).toBeUndefined();
    // P(X > Y) hardly leaves ½ (a seed's level dwarfs the agents' difference), and Mann–Whitney sees nothing.
    expect(cell.lo).toBeLessThan(0.5);
    expect(cell.mannWhitneyP).toBeGreaterThan(0.5);
    expect(cellVerdict(paired, 0, 1)).toEqual({ verdict: 'better' });
    expect(cellVerdict(paired, 1, 0)).toEqual({ verdict: 'worse' });
    // The mirror reads column − row.
    expect(paired.improvement[1]![0]!.paired).toMatchObject({ mean: -cell.paired!.mean, lo: -cell.paired!.hi!, hi: -cell.paired!.lo!, plus: 0, minus: 36 });
    expect(pairTest(paired, 0, 1)).toEqual({ mannWhitneyP: cell.mannWhitneyP, signedRankP: 2 / 256, pairedSeeds: 8, holmP: 2 / 256, pairs: 1 });
    expect(pairingLines(paired)).toEqual([
      `A–B: paired by seed (8 pairs): Wilcoxon signed-rank p = 0.0078; mean difference A − B ${cell.paired!.mean.toFixed(3)} [${cell.paired!.lo!.toFixed(3)}, ${cell.paired!.hi!.toFixed(3)}] (Student's t 95 % CI)`,
    ]);
  });

  it('compares unpaired when pairing is turned off, as before: no verdict', () => {
    const off = reading(work([row, column], 'off'));
    const cell = off.improvement[0]![1]!;
    expect(cell.paired).toBeUndefined();
    expect(cell.unpaired).toBe('pairing turned off');
    expect(off.improvement[1]![0]!.unpaired).toBe('pairing turned off');
    expect(cellVerdict(off, 0, 1)).toEqual({});
    expect(pairTest(off, 0, 1)).toEqual({ mannWhitneyP: cell.mannWhitneyP, holmP: cell.mannWhitneyP, pairs: 1 });
    expect(pairingLines(off)).toEqual(['A–B: unpaired: Mann–Whitney (pairing turned off)']);
    // Without pairing information (a comparison made before pairing), neither field, nor a line.
    const before = reading(work([row, column], undefined));
    expect(Object.keys(before.improvement[0]![1]!).sort()).toEqual(['hi', 'lo', 'mannWhitneyP', 'p']);
    expect(pairingLines(before)).toEqual([]);
  });

  it('matches runs by seed, not by position', () => {
    const shuffled = [3, 0, 7, 5, 1, 6, 2, 4];
    const inOrder = reading(work([row, column], oneEnvironment([SEEDS, SEEDS]))).improvement[0]![1]!.paired!;
    const matched = reading(work([row, shuffled.map((k) => column[k]!)], oneEnvironment([SEEDS, shuffled]))).improvement[0]![1]!.paired!;
    expect(matched.mean).toBeCloseTo(inOrder.mean, 12);
    expect(matched.signedRankP).toBe(inOrder.signedRankP);
  });

  it('reads a metric better low the other way: a positive difference is worse', () => {
    const lower = reading(work([row, column], oneEnvironment([SEEDS, SEEDS]), 'lower'));
    expect(lower.improvement[0]![1]!.paired!.mean).toBeGreaterThan(0); // row − column, in the metric's units
    expect(cellVerdict(lower, 0, 1)).toEqual({ verdict: 'worse' });
    expect(cellVerdict(lower, 1, 0)).toEqual({ verdict: 'better' });
    const none = reading(work([row, column], oneEnvironment([SEEDS, SEEDS]), null));
    expect(cellVerdict(none, 0, 1)).toEqual({ verdict: 'higher' });
  });

  it('leaves a pair unpaired, saying why, when the design does not pair it', () => {
    const cases: [CompareWork['pairing'], number[][], string][] = [
      [{ seeds: [SEEDS, SEEDS], environments: ['bandit arms 10', 'bandit arms 5'] }, [row, column], 'different environments'],
      [oneEnvironment([SEEDS, SEEDS.map((k) => k + 1)]), [row, column], 'different seeds'],
      [oneEnvironment([SEEDS, SEEDS.slice(1)]), [row, column.slice(1)], 'different seeds'],
      [oneEnvironment([[0, 0, 1, 2, 3, 4, 5, 6], SEEDS]), [row, column], 'a repeated seed'],
      [oneEnvironment([SEEDS, SEEDS]), [row, [NaN, ...column.slice(1)]], 'a run without a final value'],
      [oneEnvironment([SEEDS.slice(0, 5), SEEDS.slice(0, 5)]), [row.slice(0, 5), column.slice(0, 5)], 'only 5 seeds; pairing needs 6'],
    ];
    for (const [pairing, finals, reason] of cases) {
      const result = reading(work(finals, pairing));
      expect(result.improvement[0]![1]!.paired).toBeUndefined();
      expect(result.improvement[0]![1]!.unpaired).toBe(reason);
      expect(result.improvement[1]![0]!.unpaired).toBe(reason);
      expect(pairingLines(result)).toEqual([`A–B: unpaired: Mann–Whitney (${reason})`]);
      expect(pairTest(result, 0, 1)?.signedRankP).toBeUndefined();
    }
  });

  it("corrects a paired pair's signed-rank p with the unpaired pairs' Mann–Whitney p by Holm's step-down", () => {
    // C runs another environment config: A–B paired, A–C and B–C not.
    const third = SEEDS.map((k) => 10 * k + 0.5);
    const result = reading(work([row, column, third], { seeds: [SEEDS, SEEDS, SEEDS], environments: ['e', 'e', 'other'] }));
    const [ab, ac, bc] = [pairTest(result, 0, 1)!, pairTest(result, 0, 2)!, pairTest(result, 1, 2)!];
    expect(ab.signedRankP).toBe(2 / 256);
    expect([ac.signedRankP, bc.signedRankP]).toEqual([undefined, undefined]);
    expect(ab.pairs).toBe(3);
    // Holm: the smallest of the three p-values times 3 (A–B's is far the smallest).
    expect(ab.holmP).toBeCloseTo(3 * (2 / 256), 12);
    expect(cellVerdict(result, 0, 1)).toEqual({ verdict: 'better' });
    expect(pairingLines(result)).toEqual([expect.stringMatching(/^A–B: paired by seed \(8 pairs\): Wilcoxon signed-rank p = 0\.0078; /), 'A–C, B–C: unpaired: Mann–Whitney (different environments)']);
    expect(withheldReasons(result)).toEqual([]);
  });

  it('withholds a paired verdict whose mean and ranks lean different ways, and says why', () => {
    // Eleven small positive differences and one large negative one: the ranks lean up (T⁺ = 66, T⁻ = 12:
    // p = 2 · 70 / 4096, the 70 sign patterns of 1..12 whose positive ranks sum to 12 or less), the mean down.
    const seeds = Array.from({ length: 12 }, (_, k) => k);
    const d = [...seeds.slice(0, 11).map((k) => 1 + 0.1 * k), -100];
    const base = seeds.map((k) => 10 * k);
    const result = reading(work([d.map((v, k) => base[k]! + v), base], oneEnvironment([seeds, seeds])));
    const cell = result.improvement[0]![1]!.paired!;
    expect(cell).toMatchObject({ plus: 66, minus: 12, signedRankP: 140 / 4096 });
    expect(cell.mean).toBeLessThan(0);
    const withheld = 'no verdict: the mean paired difference and the signed ranks lean different ways';
    expect(cellVerdict(result, 0, 1)).toEqual({ withheld });
    expect(cellVerdict(result, 1, 0)).toEqual({ withheld });
    expect(withheldReasons(result)).toEqual([withheld]);
  });
});

describe('compare.runs pairs bandit runs by seed', () => {
  let t: TestService;
  beforeEach(() => {
    t = openService({ workers: 2 });
  });
  afterEach(async () => {
    await t.close();
  });

  const bandit = (agent: Record<string, unknown>, seeds: number | number[], arms = 10) => ({
    format: 'aisle.experiment/v1',
    name: String(agent.id),
    env: { id: 'bandit-testbed', arms },
    agent,
    episodes: 1000,
    seeds,
  });

  it('gives UCB1 its verdict over epsilon-greedy paired, where the unpaired test withholds it', async () => {
    // 30 seeds of 1,000 pulls each: the testbed draws its arms from the seed, so a seed's two runs face the same arms.
    const ucb = await t.call('experiments.launch', { experiment: bandit({ id: 'ucb1', c: 2 }, 30) });
    const greedy = await t.call('experiments.launch', { experiment: bandit({ id: 'epsilon-greedy', epsilon: 0.1 }, 30) });
    await t.until([...ucb.runIds, ...greedy.runIds]);
    const ids = [ucb.experimentId, greedy.experimentId];

    const paired = compareRuns(t.store, compareInput(ids, {}));
    const cell = paired.improvement[0]![1]!;
    expect(cell.unpaired).toBeUndefined();
    expect(cell.paired).toMatchObject({ pairs: 30, exact: true });
    // Measured: UCB1 ends about 0.11 reward a pull above epsilon-greedy on the same arms, on 27 seeds of 30.
    expect(cell.paired!.mean).toBeGreaterThan(0.05);
    expect(cell.paired!.lo!).toBeGreaterThan(0);
    expect(cell.paired!.signedRankP).toBeLessThan(1e-5);
    expect(cellVerdict(paired, 0, 1)).toEqual({ verdict: 'better' });
    expect(cellVerdict(paired, 1, 0)).toEqual({ verdict: 'worse' });
    // P(X > Y) is the same either way: the seeds' arms spread the runs far more than the agents differ.
    expect(cell.lo).toBeLessThan(0.5);
    expect(cell.hi).toBeGreaterThan(0.5);
    expect(cell.mannWhitneyP).toBeGreaterThan(0.2);

    const unpaired = compareRuns(t.store, compareInput(ids, { unpaired: true }));
    const plain = unpaired.improvement[0]![1]!;
    expect(plain.paired).toBeUndefined();
    expect(plain.unpaired).toBe('pairing turned off');
    expect([plain.p, plain.lo, plain.hi, plain.mannWhitneyP]).toEqual([cell.p, cell.lo, cell.hi, cell.mannWhitneyP]);
    expect(cellVerdict(unpaired, 0, 1)).toEqual({});
    expect(pairingLines(unpaired)).toEqual(['A–B: unpaired: Mann–Whitney (pairing turned off)']);

    // The same groups on different seeds (by runs: 0–28 against 1–29) are not pairable.
    const shifted = compareRuns(t.store, compareInput([], { runs: [...ucb.runIds.slice(0, 29), ...greedy.runIds.slice(1)] }));
    expect(shifted.improvement[0]![1]!.unpaired).toBe('different seeds');
    expect(cellVerdict(shifted, 0, 1).verdict).toBeUndefined();
  }, 120_000);

  it('leaves groups on different environment settings unpaired', async () => {
    const ten = await t.call('experiments.launch', { experiment: { ...bandit({ id: 'ucb1', c: 2 }, 6), episodes: 50 } });
    const five = await t.call('experiments.launch', { experiment: { ...bandit({ id: 'epsilon-greedy', epsilon: 0.1 }, 6, 5), episodes: 50 } });
    await t.until([...ten.runIds, ...five.runIds]);
    const result = compareRuns(t.store, compareInput([ten.experimentId, five.experimentId], { finalWindow: 50 }));
    expect(result.environments).toEqual({ kind: 'settings', paths: ['env.arms'] });
    expect(result.improvement[0]![1]!.unpaired).toBe('different environments');
    expect(pairingLines(result)).toEqual(['A–B: unpaired: Mann–Whitney (different environments)']);
  }, 60_000);
});
