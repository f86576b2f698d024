/**
 * Compare's wording, shared by the app's Compare screen, `aisle compare` and its Markdown report:
 * a group's name in the legend, the seeds of a group, rliable's verdict on the probability of
 * improvement (P(X > Y), or P(X < Y) for a metric better low), the caution when groups have few runs, the
 * note when they do not share one environment, and the final-performance and improvement tables' cells
 * (their figures' decimals: figures.ts).
 */
import type { CompareGroup, CompareResult, PairedDifference, PartialRun, RunStatus } from './dto';
import { directionWords, type MetricDirection } from '../engine/metric-direction';
import { holmAdjust, mannWhitneyTest } from '../engine/stats/mann-whitney';
import { andList, counted, fmt, middleCut, plural } from './text';
import { COMPARE_DIGITS, estimateColumns, intervalText, meanAndInterval, sameDecimals } from './figures';

const STOPPED: Record<RunStatus, string> = {
  queued: 'queued',
  running: 'still training',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  paused: 'paused',
};

/**
 * The columns of an experiment's name in Compare's chips and chart legend, cut in the middle
 * (middleCut) so a sweep's experiments keep the "(alpha=…, epsilon=…)" that tells them apart; the
 * whole name is the chip's tooltip, and the legend item's on hover.
 */
export const COMPARE_NAME = 40;

/**
 * A group's label as the chart's legend shows it: its experiments' names cut as the chips cut them,
 * what follows whole. The label is "names · agent", with twins' settings after it (labelGroups in
 * service/compare.ts), so its last " · " ends the names: cutting the whole label kept its end and
 * cut a sweep's settings, which stand before " · agent".
 */
export function legendLabel(label: string): string {
  const at = label.lastIndexOf(' · ');
  return at < 0 ? middleCut(label, COMPARE_NAME) : middleCut(label.slice(0, at), COMPARE_NAME) + label.slice(at);
}

/**
 * The final window in words, "last 100,000 episodes", grouped as the app's other counts are (the
 * app's Final performance, `aisle compare`'s first line and the Markdown report once read "last 100000").
 */
export function lastEpisodesText(finalWindow: number): string {
  return `last ${counted(finalWindow, 'episode')}`;
}

/** How far a run that stopped early got, and why: "4,000 of 10,000 episodes, cancelled". */
export function partialProgress(r: PartialRun): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(r.episodesDone)} of ${plural(r.episodesTotal, 'episode', n(r.episodesTotal))}, ${STOPPED[r.status]}`;
}

/** Why runs repeating a configuration and seed count once (Compare's note, `aisle compare`'s). */
export const REPEATS_TEXT =
  'Counted once: these runs repeat a configuration and seed already compared (the experiment was launched again). Training is deterministic, ' +
  'so each is the same sample as the run it repeats; counting both would make the intervals look surer than the seeds allow.';

/**
 * Why a group's final figures mix stages of training when some of its runs stopped early (the
 * runs follow, one a line).
 */
export function partialRunsText(count: number, finalWindow: number): string {
  const one = count === 1;
  return (
    `${one ? 'One run has' : `${count} runs have`} not played all ${one ? 'its' : 'their'} episodes: a curve ends where its run stopped (the band ` +
    `beyond is over fewer seeds), and the final value is the mean of the ${lastEpisodesText(finalWindow)} it stored, earlier in training than a ` +
    'finished run’s. Compare finished runs, or leave these out, for like with like.'
  );
}

/** Seeds as "0–4" when contiguous (three or more), else listed. */
export function seedList(seeds: readonly number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  const contiguous = sorted.length > 2 && sorted.every((s, i) => i === 0 || s === sorted[i - 1]! + 1);
  return contiguous ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}

/** rliable's reading of P(X > Y): meaningful when the whole interval lies on one side of ½. */
export function verdict(lo: number, hi: number): 'better' | 'worse' | undefined {
  if (lo > 0.5) return 'better';
  if (hi < 0.5) return 'worse';
  return undefined;
}

/** C(a + b, a): the orderings of a runs against b, each as likely as the next when the groups do not differ. */
function orderings(a: number, b: number): number {
  let ways = 1;
  for (let k = 1; k <= a; k++) ways = (ways * (b + k)) / k;
  return ways;
}

/** The level of the verdict, as of the 95 % interval it reads. */
const VERDICT_LEVEL = 0.05;

/**
 * Why P(row > column) gets no verdict of better or worse whatever its interval, or undefined. A
 * group of one run has no spread, and groups on different environments compare tasks. Below
 * FEW_RUNS runs in either group the percentile bootstrap interval of P(X > Y) is too narrow to
 * read. In a simulation with normal scores and no real difference (2,000 comparisons per size,
 * 2,000 resamples each; docs/app.md, Compare, "How sure the intervals are"), its whole interval fell
 * on one side of ½ in 33 % of comparisons of 2 runs against 2, 21 % of 3 against 3, 14 % of 2
 * against 8, 11 % of 3 against 10 and of 4 against 30, and 6 % of 4 against 4, where a 95 % interval
 * should in 5 %; it covered the true P(X > Y) 81 % of the time at 3 against 3 and 83–92 % at 4
 * against 4. From 5 runs a group, the interval alone read better or worse in 8.7 % of comparisons
 * of 5 against 5, 10 % of 5 against 30, 5.1–5.3 % of 10 against 10 and 20 against 20: so a verdict
 * also needs the pair's test (cellVerdict, pairTest), which brought 5 against 5 to 2.9 % and
 * 10 against 10 to 3.9 %, and any false verdict in a matrix of 3, 5 or 10 groups of 5 or 10 runs to
 * at most 5.1 % (the interval alone: 16–85 %). The exact two-sided Mann–Whitney test, whose
 * smallest p-value (complete separation) is 2 / C(a + b, a), still names the groups that could not
 * reach the 5 % level even then (3 against 3); from 5 runs a group they always can (2 / C(10, 5) =
 * 0.008), alone: after Holm's correction over more pairs, see familyOutOfReachText.
 */
export function verdictWithheld(a: number, b: number, environments?: CompareResult['environments']): string | undefined {
  const fewest = Math.min(a, b);
  if (fewest < 2) return `no verdict: a group has ${plural(fewest, 'run')}, too few to tell a difference from chance`;
  if (environments?.kind === 'tasks') return 'no verdict: the groups run on different environments, so this compares tasks, not agents';
  const p = 2 / orderings(Math.min(a, b), Math.max(a, b));
  if (p > VERDICT_LEVEL) {
    return (
      `no verdict: ${a} against ${b} runs cannot reach the 5 % level; even if every run of one group beat every run of the other, ` +
      `the exact two-sided Mann–Whitney p would be ${p.toFixed(3)}`
    );
  }
  if (fewest < FEW_RUNS) {
    return (
      `no verdict: ${a} against ${b} runs is too few for the bootstrap interval; with fewer than ${FEW_RUNS} runs in a group it read better or worse ` +
      'in 6–14 % of simulated comparisons with no real difference, not 5 %'
    );
  }
  return undefined;
}

/**
 * The environments as they bear on the pair i, j: the comparison's, except that two groups on one
 * environment (by their configs' env.id) compare agents even when a third group runs on another.
 * The whole comparison's "tasks" withheld every verdict, the pair of cliff runs beside a shop run
 * too, and said of it that "the groups run on different environments". A group without its config
 * (a result from before configs were sent) is read as the comparison says.
 */
function pairEnvironments(result: ImprovementInput, i: number, j: number): CompareResult['environments'] {
  const { environments } = result;
  if (environments?.kind !== 'tasks') return environments;
  const envId = (g: number): unknown => (result.groups[g] as Partial<Pick<CompareGroup, 'config'>> | undefined)?.config?.env.id;
  const [a, b] = [envId(i), envId(j)];
  return typeof a === 'string' && a === b ? undefined : environments;
}

/**
 * What the improvement matrix's cells are read from: the groups, the matrix, their environments,
 * and the metric's direction (absent: higher is better, as a comparison stored before directions).
 */
export type ImprovementInput = Pick<CompareResult, 'groups' | 'improvement' | 'environments'> & Partial<Pick<CompareResult, 'direction'>>;

/**
 * A cell's word: "better" or "worse" for a metric with a better direction; for one without (an
 * episode's length on a tabular MDP, ε), the same interval says only "higher" or "lower".
 */
export type CellWord = 'better' | 'worse' | 'higher' | 'lower';

/**
 * How many of a group's runs have a final value to count: a run whose final window holds none of
 * the metric's values (a DQN run cancelled before its first update, for `train/loss`) has NaN
 * there (null once sent as JSON). The statistics leave those out, so the "one run" and "too few
 * runs" rules count the others only.
 */
export function finalRuns(final: { readonly values: readonly (number | null)[] }): number {
  let n = 0;
  for (const v of final.values) if (hasFinal(v)) n++;
  return n;
}

/** Whether a run's final value counts (see finalRuns): not NaN, nor the null NaN becomes in JSON. */
function hasFinal(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && !Number.isNaN(v);
}

/** A group's runs as the tables count them: "3", or "2 of 3" when a run has no final value (finalRuns). */
export function runsCountText(g: Pick<CompareGroup, 'runIds' | 'final'>): string {
  const counted = finalRuns(g.final);
  return counted < g.runIds.length ? `${counted} of ${g.runIds.length}` : String(g.runIds.length);
}

/**
 * The runs with no finite value of the metric in their final window (a run stopped long after its
 * last greedy evaluation, one that never recorded the metric: DQN's loss before its first update, or
 * one whose values there all overflowed float32 to ±∞), which the final values and their statistics
 * leave out; undefined when every run has one.
 */
export function withoutFinalText(result: Pick<CompareResult, 'groups' | 'metric' | 'finalWindow'>): string | undefined {
  const runs = result.groups.flatMap((g) => g.runIds.filter((_, i) => !hasFinal(g.final.values[i])));
  if (runs.length === 0) return undefined;
  const one = runs.length === 1;
  const named = one ? `Run ${runs[0]} has` : `Runs ${runs.slice(0, 10).join(', ')}${runs.length > 10 ? ` and ${runs.length - 10} more` : ''} have`;
  return (
    `${named} no finite value of ${result.metric} in ${one ? 'its' : 'their'} ${lastEpisodesText(result.finalWindow)}: left out of the final values and their statistics ` +
    `(the runs column counts the others); widen the final window to take in ${one ? 'its' : 'their'} last value, or compare a metric every episode records.`
  );
}

/** A cell's verdict (cellVerdict), or why it has none. */
export interface CellReading {
  readonly verdict?: CellWord;
  readonly withheld?: string;
}

/**
 * The verdict on result.improvement[i][j] (or, for a metric without direction, its plain reading), or
 * why there is none: verdictWithheld's reasons, or the pair's test (pairTest) not holding at 5 %
 * after Holm's correction though the interval lies on one side of ½. The interval alone, read pair
 * by pair, gave 10 groups with no real difference some false verdict in most comparisons (the
 * statistics review: 15 of 20); the test holds the whole matrix's chance of one at 5 %.
 */
export function cellVerdict(result: ImprovementInput, i: number, j: number): CellReading {
  const paired = result.improvement[i]?.[j]?.paired;
  if (paired) return pairedVerdict(result, paired, pairTest(result, i, j)!);
  const withheld = verdictWithheld(finalRuns(result.groups[i]!.final), finalRuns(result.groups[j]!.final), pairEnvironments(result, i, j));
  if (withheld) return { withheld };
  const cell = result.improvement[i]![j]!;
  const v = verdict(cell.lo, cell.hi);
  if (!v) return {};
  const test = pairTest(result, i, j)!;
  if (!(test.holmP < VERDICT_LEVEL)) return { withheld: `no verdict: ${pairTestText(test)}, not below ${VERDICT_LEVEL}` };
  return result.direction === null ? { verdict: v === 'better' ? 'higher' : 'lower' } : { verdict: v };
}

/**
 * The verdict of a pair paired by seed (CompareResult.improvement's `paired`): the signed-rank test
 * decides, after Holm's correction with the other pairs' tests, and the sign of the mean difference
 * row − column says which way (for a metric better low, a negative one is better), whatever the
 * interval of P(X > Y) (which compares runs of different seeds, and so carries the seeds' spread the
 * pairing cancels). No verdict when the mean and the ranks lean different ways; "no verdict" with its
 * p when the difference's t interval leaves out 0 but the test does not hold; no word when neither.
 */
function pairedVerdict(result: ImprovementInput, paired: PairedDifference, test: PairTest): CellReading {
  const bySign = Math.sign(paired.mean);
  if (!(test.holmP < VERDICT_LEVEL)) {
    const excludesZero = paired.lo !== null && paired.hi !== null && (paired.lo > 0 || paired.hi < 0);
    return excludesZero ? { withheld: `no verdict: ${pairTestText(test)}, not below ${VERDICT_LEVEL}` } : {};
  }
  if (bySign === 0 || bySign !== Math.sign(paired.plus - paired.minus)) {
    return { withheld: 'no verdict: the mean paired difference and the signed ranks lean different ways' };
  }
  const higher = bySign > 0;
  if (result.direction === null) return { verdict: higher ? 'higher' : 'lower' };
  return { verdict: higher === (result.direction !== 'lower') ? 'better' : 'worse' };
}

/**
 * The test behind a pair's verdict: its two-sided Mann–Whitney p-value (CompareResult.improvement's
 * mannWhitneyP) and that p adjusted by Holm's step-down correction over the `pairs` of the
 * comparison that can get a verdict (the pairs verdictWithheld leaves: which they are depends on the
 * groups' sizes and environments only, never on the values, so leaving the others out of the family
 * keeps its error rate). A verdict needs holmP < 0.05: then, with no real difference between any
 * groups, the chance of any false verdict in the matrix is at most 5 %, whatever the number of groups.
 */
export interface PairTest {
  readonly mannWhitneyP: number;
  /**
   * For a pair paired by seed (CompareResult.improvement's `paired`), the two-sided Wilcoxon
   * signed-rank p of its per-seed differences and the seeds paired: then the p that holmP adjusts.
   */
  readonly signedRankP?: number;
  readonly pairedSeeds?: number;
  readonly holmP: number;
  readonly pairs: number;
}

/** Each comparison's tests, worked out once (a matrix's cells ask for them one by one). */
const familyTests = new WeakMap<ImprovementInput, (PairTest | undefined)[][]>();

/** The pair's test (see PairTest), or undefined when the pair can get no verdict whatever its values (verdictWithheld). */
export function pairTest(result: ImprovementInput, i: number, j: number): PairTest | undefined {
  let tests = familyTests.get(result);
  if (!tests) {
    tests = holmFamily(result);
    familyTests.set(result, tests);
  }
  return i < j ? tests[i]?.[j] : tests[j]?.[i];
}

function holmFamily(result: ImprovementInput): (PairTest | undefined)[][] {
  const runs = result.groups.map((g) => finalRuns(g.final));
  // A pair paired by seed can always get a verdict (it has MIN_PAIRS seeds or more); the others as verdictWithheld says.
  const family: { i: number; j: number; mannWhitneyP: number; paired?: PairedDifference }[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const paired = result.improvement[i]?.[j]?.paired;
      if (paired || verdictWithheld(runs[i]!, runs[j]!, pairEnvironments(result, i, j)) === undefined) {
        family.push({ i, j, mannWhitneyP: mannWhitneyP(result, i, j), ...(paired ? { paired } : {}) });
      }
    }
  }
  const holm = holmAdjust(family.map((f) => f.paired?.signedRankP ?? f.mannWhitneyP));
  const tests = runs.map((): (PairTest | undefined)[] => []);
  family.forEach(({ i, j, mannWhitneyP, paired }, k) => {
    const signedRank = paired ? { signedRankP: paired.signedRankP, pairedSeeds: paired.pairs } : {};
    tests[i]![j] = { mannWhitneyP, ...signedRank, holmP: holm[k]!, pairs: family.length };
  });
  return tests;
}

/** The pair's p-value as the service computed it, or, for a comparison made before it did, from the groups' final values. */
function mannWhitneyP(result: ImprovementInput, i: number, j: number): number {
  const stored = result.improvement[i]?.[j]?.mannWhitneyP;
  if (typeof stored === 'number') return stored;
  const values = (g: number) => result.groups[g]!.final.values.map((v: number | null) => v ?? NaN);
  return mannWhitneyTest(values(i), values(j)).p;
}

/**
 * When no pair of the comparison can get a verdict whatever its runs, why, and what would let one:
 * Holm's first step needs some pair's p below 0.05 / pairs, and no pair of a against b runs gets a
 * p below 2 / C(a + b, a) (every run of one group beating every run of the other; ties only raise
 * it). Ten groups of 5 runs make 45 pairs, whose threshold (0.0011) lies below 5 against 5's
 * smallest p (0.0079): no verdict anywhere, however the groups differ. Undefined when some pair can
 * reach it, or when fewer than 2 pairs can get a verdict (a lone pair's level is 0.05 itself).
 */
export function familyOutOfReachText(result: ImprovementInput): string | undefined {
  const runs = result.groups.map((g) => finalRuns(g.final));
  let pairs = 0;
  let best = { p: Infinity, a: 0, b: 0, paired: false };
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const [a, b] = [Math.min(runs[i]!, runs[j]!), Math.max(runs[i]!, runs[j]!)];
      const paired = result.improvement[i]?.[j]?.paired;
      if (!paired && verdictWithheld(a, b, pairEnvironments(result, i, j)) !== undefined) continue;
      pairs++;
      // Paired: every seed's difference of one sign, 2 / 2^n (signed-rank); else a complete separation.
      const p = paired ? 2 / 2 ** paired.pairs : 2 / orderings(a, b);
      if (p < best.p) best = paired ? { p, a: paired.pairs, b: paired.pairs, paired: true } : { p, a, b, paired: false };
    }
  }
  if (pairs < 2 || best.p < VERDICT_LEVEL / pairs) return undefined;
  if (best.paired) {
    let seeds = best.a;
    while (2 / 2 ** seeds >= VERDICT_LEVEL / pairs) seeds++;
    return (
      `No verdict is possible in this matrix: ${pairs} pairs of groups can get one, and Holm's correction over them needs some pair's p below ${pValueText(VERDICT_LEVEL / pairs)}, ` +
      `but even if every seed's difference had one sign, ${best.a} seeds paired would give p = ${pValueText(best.p)} (two-sided exact Wilcoxon signed-rank). ` +
      `Compare fewer groups at once, or give each group ${seeds}+ seeds.`
    );
  }
  // Groups of `best.a` runs each (the smaller of the best pair: an 8-run group beside a 5-run one
  // does not make 5-run groups reach further), and the runs a group that these pairs need.
  const groups = mostGroupsForVerdicts(best.a);
  let seeds = FEW_RUNS;
  while (2 / orderings(seeds, seeds) >= VERDICT_LEVEL / pairs) seeds++;
  return (
    `No verdict is possible in this matrix: ${pairs} pairs of groups can get one, and Holm's correction over them needs some pair's p below ${pValueText(VERDICT_LEVEL / pairs)}, ` +
    `but even if every run of one group beat every run of the other, ${best.a} against ${best.b} runs would give p = ${pValueText(best.p)} (two-sided exact Mann–Whitney). ` +
    `Compare at most ${groups} groups at once (with ${best.a} runs each), or give each group ${seeds}+ seeds.`
  );
}

/** A p-value in two significant digits ("0.031", "0.0004", "1"), more where two would round it to the 0.05 it is read against. */
function pValueText(p: number): string {
  const two = Number(p.toPrecision(2));
  return two === VERDICT_LEVEL && p !== VERDICT_LEVEL ? p.toPrecision(4) : String(two);
}

/** "p = 0.031, 0.27 after Holm's correction over 45 pairs (two-sided Mann–Whitney)"; "p = 0.031 (two-sided Mann–Whitney)" for a lone pair. */
export function pairTestText(test: PairTest): string {
  const holm = test.pairs > 1 ? `, ${pValueText(test.holmP)} after Holm's correction over ${test.pairs} pairs` : '';
  if (test.signedRankP !== undefined) return `p = ${pValueText(test.signedRankP)}${holm} (two-sided Wilcoxon signed-rank, paired by seed over ${test.pairedSeeds} seeds)`;
  return `p = ${pValueText(test.mannWhitneyP)}${holm} (two-sided Mann–Whitney)`;
}

/** ">" for the improvement P(X > Y), "<" for a metric better low, whose improvement is P(X < Y). */
export function improvementSign(direction: MetricDirection | undefined): '>' | '<' {
  return direction === 'lower' ? '<' : '>';
}

/** The matrix's corner, what its cells are: "P(row > column)", "P(row < column)" for a metric better low. */
export function improvementHeader(direction: MetricDirection | undefined): string {
  return `P(row ${improvementSign(direction)} column)`;
}

/**
 * The metric as a heading names it, with its direction unless it is the usual one: "gini (lower is
 * better)", "length (no better direction)", and "return" (higher is better) as it always read.
 */
export function metricHeading(result: Pick<CompareResult, 'metric'> & Partial<Pick<CompareResult, 'direction'>>): string {
  return result.direction === 'higher' ? result.metric : metricWithDirection(result.metric, result.direction);
}

/** A metric with its direction in words, as the app's metric picker lists it: "gini (lower is better)"; the bare name when the direction is not known. */
export function metricWithDirection(metric: string, direction: MetricDirection | undefined): string {
  return direction === undefined ? metric : `${metric} (${directionWords(direction)})`;
}

/**
 * P(row > column) rounded to `digits` so that each pair adds up to 1 as shown: P(j > i) is exactly
 * 1 − P(i > j) (ties count ½), but rounding both halves up (0.625 and 0.375 to 0.63 and 0.38)
 * shows 1.01; the cell below the diagonal is read as 1 minus its mirror's rounded value.
 */
export function pairedProbability(improvement: CompareResult['improvement'], i: number, j: number, digits: number): number {
  const round = (x: number) => Number(x.toFixed(digits));
  return i < j ? round(improvement[i]![j]!.p) : round(1 - round(improvement[j]![i]!.p));
}

/** What the improvement matrix leaves uncoloured, for its legend in the app and the CLI (the app adds where each cell says why). */
export const NO_VERDICT_TEXT =
  "A verdict also needs the pair's two-sided Mann–Whitney test to hold at the 5 % level after Holm's correction over the pairs that can get one, " +
  'so that with no real difference anywhere a matrix reads better or worse in at most 5 % of comparisons, however many groups it has (the interval ' +
  'alone did in 20 % of simulated comparisons of 3 groups of 5 runs, 85 % of 10 groups). ' +
  "A pair paired by seed is read instead by the Wilcoxon signed-rank test of its seeds' differences, in the same correction, and their mean's sign. " +
  'No verdict is given when a group has fewer than 2 runs, when the groups run on different environments, or when a group has fewer than 5 runs: ' +
  'then the bootstrap interval is too narrow, and with no real difference it read better or worse in 6 % (4 runs against 4) to 33 % (2 against 2) ' +
  'of simulated comparisons, not 5 %.';

/** Below this many runs in a group, the improvement matrix gives no verdict (see verdictWithheld) and says why (fewRunsCaution). */
export const FEW_RUNS = 5;

/**
 * The fewest seeds a pair of groups is paired on (service/compare-statistics.ts, pairingOf): the
 * signed-rank test's smallest two-sided p is 2 / 2^n (every difference of one sign), 0.0625 with 5
 * pairs, which can never reach the 5 % level; with 6, 0.031. Below it the pair stays unpaired, where
 * 5 runs against 5 can still reach it (Mann–Whitney's 0.008).
 */
export const MIN_PAIRS = 6;

/**
 * Said wherever seeds are chosen (the New experiment form's seeds field, the presets, `aisle run
 * --seeds`): an experiment of fewer seeds trains, but Compare will give its groups no verdict.
 */
export const SEEDS_FOR_VERDICTS =
  `Compare's verdicts (better or worse) need ${FEW_RUNS} or more runs per group, and more to compare many groups at once ` +
  `(${[FEW_RUNS, FEW_RUNS + 1, FEW_RUNS + 2].map((runs, i) => `${runs}${i === 0 ? ' runs a group' : ''} for up to ${mostGroupsForVerdicts(runs)}${i === 0 ? ' groups' : ''}`).join(', ')}): ` +
  `give ${FEW_RUNS}+ seeds to compare`;

/**
 * The most groups of `runs` runs each among which a pair can still get a verdict: Holm's correction
 * over the k(k − 1)/2 pairs asks a pair's p below 0.05 / pairs, and the smallest exact Mann–Whitney
 * p of `runs` against `runs` (every run of one group beyond every run of the other) is 2 / C(2·runs, runs).
 */
export function mostGroupsForVerdicts(runs: number): number {
  const smallest = 2 / orderings(runs, runs);
  let groups = 1;
  while (smallest < VERDICT_LEVEL / (((groups + 1) * groups) / 2)) groups++;
  return groups;
}

/**
 * Below this many runs in a group, Compare says how far its bootstrap intervals (IQM, P(X > Y)) fall
 * short of 95 %. Simulated with normal scores (2,000 trials, 1,000 resamples each): the IQM's
 * percentile bootstrap interval covered the true IQM 48 % of the time with 2 runs, 75 % with 3, 87 %
 * with 4, 89 % with 5, 91 % with 6 and 7, and 93–94 % from 8 to 20 runs; the interval of P(X > Y)
 * 67 % (2 against 2), 81 % (3 against 3), 83–92 % (4 against 4), 89–92 % (5 against 5), 90–94 % from 6
 * against 6. The mean's Student's t interval covered 94–96 % at every size.
 */
export const FEW_RUNS_BOOTSTRAP = 8;

/**
 * Beside the final figures when some group has fewer than FEW_RUNS_BOOTSTRAP runs (see hasFewRuns),
 * naming the probability of improvement as the matrix does for the metric: P(X < Y) for one better
 * low (improvementSign), where it once said P(X > Y) whatever the metric.
 */
export function fewRunsIntervalsText(direction: MetricDirection | undefined): string {
  const p = `P(X ${improvementSign(direction)} Y)`;
  return (
    `With fewer than ${FEW_RUNS_BOOTSTRAP} runs in a group, the bootstrap intervals (IQM, ${p}) cover the truth less often than 95 %: ` +
    "in a simulation with normal scores, the IQM's about 50 % of the time with 2 runs, 75 % with 3, 87 % with 4, 90 % with 5 to 7 (93–94 % from 8 runs on), " +
    `${p}'s 67 % with 2 runs against 2, 81 % with 3 against 3, 83–92 % with 4 against 4: ` +
    'a bootstrap can only recombine the runs there are.'
  );
}

/** Whether some group has fewer than FEW_RUNS_BOOTSTRAP runs. */
export function hasFewRuns(runsPerGroup: readonly number[]): boolean {
  return runsPerGroup.some((n) => n < FEW_RUNS_BOOTSTRAP);
}

/**
 * A caution when some group has fewer than FEW_RUNS runs, or null. The bootstrap interval of
 * P(row > column) is [1, 1] whenever every run of one group beats every run of the other, however
 * few runs there are; the exact two-sided Mann–Whitney p-value of that complete separation (either
 * group beating the other), 2 / C(a + b, a), says how weak the evidence still is (2 against 2 runs:
 * 1/3). Two-sided, as the verdict's test (verdictWithheld) is: the two texts sit side by side.
 */
export function fewRunsCaution(runsPerGroup: readonly number[]): string | null {
  const sizes = runsPerGroup.filter((n) => n > 0);
  if (sizes.length < 2 || !sizes.some((n) => n < FEW_RUNS)) return null;
  const [a, b] = [...sizes].sort((x, y) => x - y) as [number, number];
  // Either group beating the other in every run: C(a + b, a) / 2 ways, a half when C is odd (1 against
  // 2: 3 orderings, 1 in 1.5), which rounding to 1 in 2 would set against the p = 0.667 beside it.
  const ways = orderings(a, b) / 2;
  const p = 1 / ways;
  return (
    `Few runs: the smallest groups here have ${a} and ${b}. Even if every run of one beat every run of the other, the chance of such a ` +
    `split with no real difference would be 1 in ${ways.toLocaleString('en-US', { maximumFractionDigits: 1 })} (p = ${p < 0.001 ? p.toExponential(1) : p.toFixed(3)}, ` +
    // A group of one run has no spread to resample: its cell writes no interval (probabilityTexts), not [1, 1].
    `two-sided exact Mann–Whitney), and ${a < 2 ? 'a group of one run has no interval at all' : 'the bootstrap interval would still read [1, 1]'}. No verdict of better or worse is given below ${FEW_RUNS} runs a group: run at least ${FEW_RUNS} seeds per group.`
  );
}

/** CompareResult.environments in words, for the app and the CLI (undefined: one environment). */
export function environmentsText(result: Pick<CompareResult, 'environments' | 'metric'>): string | undefined {
  const e = result.environments;
  if (!e) return undefined;
  if (e.kind === 'tasks') {
    return (
      `These groups run on different environments (${e.ids.join(', ')}): a ${result.metric} in one is not on the scale of another, ` +
      'so the shared axis, the ranking and the probability of improvement compare tasks, not agents. Compare agents on one environment.'
    );
  }
  return `These groups' environments differ in ${e.paths.join(', ')}: every difference in ${result.metric} is the environment's as well as the agent's.`;
}

/**
 * When the groups trained for different numbers of episodes (CompareResult.trainingLengths), why
 * their final values are not like with like, and what to do (undefined: they trained as long).
 * Each final value is a mean over a run's last episodes, so one group's sits after 1,500 episodes
 * of learning and another's after 10,000: the longer run has had more time to improve, and the
 * config diff's `episodes` row alone does not say so.
 */
export function trainingLengthsText(result: Pick<CompareResult, 'trainingLengths' | 'finalWindow'>): string | undefined {
  const lengths = result.trainingLengths;
  if (!lengths || lengths.length < 2) return undefined;
  return (
    `These groups trained for different numbers of episodes (${andList(lengths.map((x) => fmt(x)))}): the final value, a run's mean over its ${lastEpisodesText(result.finalWindow)}, ` +
    'sits at a different point of training in each group, so a difference is partly how long each trained. Compare them at a common episode count: ' +
    'rerun the groups with the same number of episodes.'
  );
}

/**
 * For each configuration a greedy evaluation's metric splits by its runs' evaluation settings
 * (CompareResult.evaluationSplits), why, one line each naming the group a training metric shows and
 * the settings that differ (an empty list: no split). The config hash leaves evaluation out (it does not change
 * training), so two experiments alike but for it are one group on `return`; on eval/… a run
 * evaluated otherwise than another of its seed is not the same sample, and was dropped as its repeat.
 */
export function evaluationSplitsText(result: Pick<CompareResult, 'evaluationSplits' | 'metric'>): string[] {
  return (result.evaluationSplits ?? []).map(({ label, settings }) => {
    const each = settings.map((s) => `every ${counted(s.every, 'episode')}, ${counted(s.episodes, 'episode')} each`);
    return (
      `The runs of “${label}” evaluated the greedy policy with different settings (${each.join('; ')}): they train alike (the config hash leaves ` +
      `evaluation out), but ${result.metric} is measured otherwise in each, so each setting is a group of its own here and a run repeats only a run ` +
      'of its seed evaluated alike. Evaluate them alike to compare them as one group.'
    );
  });
}

/** When the final window reaches past the runs' episodes, what it averages then (undefined: it does not). */
export function finalWindowNote(result: Pick<CompareResult, 'finalWindow' | 'episodes'>): string | undefined {
  const e = result.episodes;
  if (!e) return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  if (result.finalWindow >= e.longest) return `the window is as long as the longest run here (${n(e.longest)} ${e.longest === 1 ? 'episode' : 'episodes'}) or longer: each run's final value is the mean over all its episodes`;
  if (result.finalWindow > e.shortest) return `the window is longer than the shortest run here (${n(e.shortest)} ${e.shortest === 1 ? 'episode' : 'episodes'}): such a run's final value is the mean over all its episodes`;
  return undefined;
}

/** What the command's figures are, its first line: the metric, the final window, the intervals' methods and the bootstrap's seed. */
export function compareHeading(result: Pick<CompareResult, 'metric' | 'finalWindow'> & Partial<Pick<CompareResult, 'direction'>>, seed: number): string {
  return (
    `${metricHeading(result)}: a run's final value is its mean over its ${lastEpisodesText(result.finalWindow)}; 95 % CIs: Student's t for the mean, ` +
    `percentile bootstrap for the IQM and P(X ${improvementSign(result.direction)} Y) (rliable, 2,000 resamples, seed ${seed})`
  );
}

/** The matrix's cells, each off the diagonal: P(row ≷ column), its interval, and which way a run ends. */
const chanceOf = (sign: '>' | '<', side: 'above' | 'below') =>
  `P(row ${sign} column) with its 95 % bootstrap CI: the chance that a run of the row's group ends ${side} a run of the column's`;

/** How a cell's interval is read, after the word(s) it may say. */
const ONE_SIDE = 'when the whole interval lies on one side of 0.5 and the pair\'s test agrees (below), "no verdict" when the runs cannot tell.';

/** How the command and the report read the improvement matrix of a metric better high (the app's longer hint says the same beside its table). */
export const IMPROVEMENT_LEGEND = `${chanceOf('>', 'above')} (rliable's probability of improvement); "better" or "worse" ${ONE_SIDE}`;

/**
 * How the command and the report read the improvement matrix: IMPROVEMENT_LEGEND for a metric better
 * high; for one better low the chance of ending below; for one without direction the chance of
 * ending above, read as higher or lower and never as better or worse.
 */
export function improvementLegend(result: Pick<CompareResult, 'metric'> & Partial<Pick<CompareResult, 'direction'>>): string {
  if (result.direction === undefined || result.direction === 'higher') return IMPROVEMENT_LEGEND;
  if (result.direction === 'lower') {
    return `${chanceOf('<', 'below')}, as a lower ${result.metric} is better (rliable's probability of improvement); "better" or "worse" ${ONE_SIDE}`;
  }
  return `${chanceOf('>', 'above')}; ${result.metric} has no better direction, so no cell says better or worse, only "higher" or "lower" ${ONE_SIDE}`;
}

/** Groups are named A, B, … in the command's and the report's tables (labels can be long). */
export const groupLetter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `G${i + 1}`);

/**
 * The final-performance table's rows after the groups' names: runs, seeds, mean, its CI, IQM, its
 * CI; the means and their intervals with one number of decimals down the table, and the IQMs and
 * theirs with one (estimateColumns).
 */
export function finalPerformanceRows(groups: readonly Pick<CompareGroup, 'runIds' | 'seeds' | 'final'>[]): string[][] {
  const column = (point: 'mean' | 'iqm') =>
    estimateColumns(
      groups.map(({ final: f }) => ({ point: f[point], lo: point === 'mean' ? f.meanLo : f.iqmLo, hi: point === 'mean' ? f.meanHi : f.iqmHi, runs: finalRuns(f) })),
    );
  const [means, iqms] = [column('mean'), column('iqm')];
  return groups.map((g, i) => [runsCountText(g), seedList(g.seeds), ...means[i]!, ...iqms[i]!]);
}

/** The final-performance table's header, for a table whose first column names the group. */
export const FINAL_PERFORMANCE_HEADER = ['group', 'runs', 'seeds', 'mean', 'mean 95% CI (t)', 'IQM', 'IQM 95% CI (bootstrap)'] as const;

/**
 * P(row > column) and its 95 % interval with the same decimals (sameDecimals), the pair adding up
 * to 1 as shown (pairedProbability): ["0.667", "[0.222, 1.000]"]. Each cell has its own decimals: a
 * complete separation reads "1 [1, 1]", which keeps a terminal's matrix of 4 groups within 100
 * columns (the matrix's decimals throughout, "1.00 [1.00, 1.00]", split it in two).
 */
export function probabilityTexts(improvement: CompareResult['improvement'], i: number, j: number, runs?: readonly number[]): [string, string] {
  const cell = improvement[i]![j]!;
  const [p, lo, hi] = sameDecimals([pairedProbability(improvement, i, j, COMPARE_DIGITS), cell.lo, cell.hi]) as [string, string, string];
  // A group of one run (`runs`: each group's runs with a final value) has no spread to resample:
  // its bootstrap interval is the point itself, "1 [1, 1]", which read as certain beside the
  // final-performance table's "n/a (1 run)". Said as that table says it.
  const fewest = runs === undefined ? Infinity : Math.min(runs[i] ?? Infinity, runs[j] ?? Infinity);
  return [p!, fewest < 2 ? intervalText(null, null, fewest, fmt) : `[${lo}, ${hi}]`];
}

/**
 * The word a cell of the improvement matrix is read by, as the report, `aisle compare` and the app's
 * matrix write it after the probability: its verdict (cellVerdict's reading, which a caller that
 * needs it for more than the word has at hand), "no verdict" when one is withheld (whatever the
 * interval, or its test not holding), or undefined when the interval straddles ½ and needs no word.
 */
export function improvementCellWord({ verdict, withheld }: CellReading): CellWord | 'no verdict' | undefined {
  return verdict ?? (withheld ? 'no verdict' : undefined);
}

/**
 * A cell of the improvement matrix off its diagonal: "0.667 [0.222, 1.000] no verdict"; a pair paired
 * by seed adds its mean difference row − column and that's t interval after "Δ", the mark of a
 * paired cell: "0.554 [0.498, 0.610] Δ 0.12 [0.108, 0.132] better".
 */
export function improvementCellText(result: ImprovementInput, i: number, j: number): string {
  const word = improvementCellWord(cellVerdict(result, i, j));
  const paired = result.improvement[i]![j]!.paired;
  const difference = paired ? ` Δ ${pairedDifferenceText(paired)}` : '';
  return `${probabilityTexts(result.improvement, i, j, result.groups.map((g) => finalRuns(g.final))).join(' ')}${difference}${word ? ` ${word}` : ''}`;
}

/** A paired pair's mean difference and its t interval with the same decimals: "0.12 [0.108, 0.132]"; "0 (every seed's difference equal)" without spread. */
export function pairedDifferenceText(paired: Pick<PairedDifference, 'mean' | 'lo' | 'hi'>): string {
  if (paired.lo === null || paired.hi === null) return `${sameDecimals([paired.mean])[0]} (every seed's difference equal)`;
  const [mean, lo, hi] = meanAndInterval(paired.mean, paired.lo, paired.hi);
  return `${mean} [${lo}, ${hi}]`;
}

/**
 * Which test each pair of groups was read with, said plainly (the choice is the design's, made before
 * any value is read: pairing by seed is common random numbers): a line for each pair paired by seed,
 * "A–B: paired by seed (200 pairs): Wilcoxon signed-rank p = 2e-34; mean difference A − B 0.12 [0.108, 0.132] (Student's t 95 % CI)",
 * and one for the unpaired pairs of each reason, "A–C, B–C: unpaired: Mann–Whitney (different environments)".
 * Groups are named by their letters (groupLetter), or as `name` names them (the app: by their labels).
 * Empty for a comparison made before pairing (its cells say neither).
 */
export function pairingLines(result: ImprovementInput, name: (group: number) => string = groupLetter): string[] {
  const { groups, improvement } = result;
  const lines: string[] = [];
  const unpaired = new Map<string, string[]>();
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const cell = improvement[i]?.[j];
      const pair = `${name(i)}–${name(j)}`;
      if (cell?.paired) {
        const { paired } = cell;
        lines.push(
          `${pair}: paired by seed (${counted(paired.pairs, 'pair')}): Wilcoxon signed-rank p = ${pValueText(paired.signedRankP)}; ` +
            `mean difference ${name(i)} − ${name(j)} ${pairedDifferenceText(paired)} (Student's t 95 % CI)`,
        );
      } else if (cell?.unpaired !== undefined) unpaired.set(cell.unpaired, [...(unpaired.get(cell.unpaired) ?? []), pair]);
    }
  }
  const everyPair = (groups.length * (groups.length - 1)) / 2;
  for (const [reason, pairs] of unpaired) {
    const which = pairs.length === everyPair && everyPair > 1 ? 'every pair' : pairs.join(', ');
    lines.push(`${which}: unpaired: Mann–Whitney (${reason})`);
  }
  return lines;
}

/**
 * How a paired cell reads, beside the matrix when some pair is paired by seed (the command, the
 * report, the app's hint): what Δ is, when a pair is paired, what its verdict rests on, and how to
 * turn pairing off (`turnOff`: "run aisle compare --unpaired").
 */
export function pairedText(turnOff: string): string {
  return (
    `Δ marks a pair paired by seed: both groups ran one environment config on the same seeds, one run each (${MIN_PAIRS} seeds or more), so each seed's ` +
    "two runs shared the environment's random stream (common random numbers). Δ is the mean over seeds of row − column with its Student's t 95 % CI, " +
    "and the pair's verdict is the two-sided Wilcoxon signed-rank test of those differences (after Holm's correction with the other pairs' tests), its " +
    "sign that of Δ, whatever P's interval, which still carries the spread between seeds that pairing cancels. Other pairs are unpaired (Mann–Whitney). " +
    `To read every pair as independent groups instead, ${turnOff}.`
  );
}

/**
 * Every reason a cell of the matrix gets no verdict, each once; the pairs whose interval lies on one
 * side of ½ but whose test does not hold after Holm's correction in one line, by their letters
 * (groupLetter), each pair once: "no verdict for A–C (p = 0.031, 0.27 after Holm's correction), …".
 */
export function withheldReasons(result: ImprovementInput): string[] {
  const { groups } = result;
  const outOfReach = familyOutOfReachText(result);
  const reasons = new Set<string>(outOfReach ? [outOfReach] : []);
  const untested: string[] = [];
  const untestedPaired: string[] = [];
  let pairs = 0;
  groups.forEach((_, i) =>
    groups.forEach((__, j) => {
      if (i === j) return;
      const { withheld } = cellVerdict(result, i, j);
      if (withheld === undefined) return;
      const test = pairTest(result, i, j);
      // A paired pair whose test holds has no verdict only when its mean and ranks disagree: said as such.
      if (!test || test.holmP < VERDICT_LEVEL) reasons.add(withheld);
      else if (i < j) {
        pairs = test.pairs;
        const p = test.signedRankP ?? test.mannWhitneyP;
        (test.signedRankP !== undefined ? untestedPaired : untested).push(
          `${groupLetter(i)}–${groupLetter(j)} (p = ${pValueText(p)}${pairs > 1 ? `, ${pValueText(test.holmP)} after the correction` : ''})`,
        );
      }
    }),
  );
  const level = pairs > 1 ? `${VERDICT_LEVEL} after Holm's correction over the ${pairs} pairs that can get a verdict` : String(VERDICT_LEVEL);
  if (untested.length > 0) {
    reasons.add(`no verdict for ${untested.join(', ')}: the interval lies on one side of ½, but the two-sided Mann–Whitney test is not below ${level}`);
  }
  if (untestedPaired.length > 0) {
    reasons.add(`no verdict for ${untestedPaired.join(', ')}: the mean paired difference's t interval leaves out 0, but the two-sided Wilcoxon signed-rank test is not below ${level}`);
  }
  return [...reasons];
}
