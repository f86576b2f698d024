/**
 * Random search (Bergstra & Bengio 2012): each experiment's values drawn from a distribution per
 * field rather than taken from a grid, so that for the same number of experiments every field that
 * matters is tried at as many distinct values as there are experiments. `aisle run --sample` and the
 * app's Sweep section (Random search) draw with this module, so both give the same values for the
 * same search seed. It imports only the generator, the value reader, a word of params.ts and the
 * decimal form of csv.ts (no registry), for the page.
 */
import { DECIMAL } from './csv';
import { Rng, Stream } from './rng';
import { plural } from './params';
import { parseSweepValues, typedText } from './sweep-values';

/**
 * The search seed when none is given: a fixed value rather than one derived from the experiment's
 * training seeds, so that running the same search again with more seeds (--seeds) trains the same
 * settings, and the same command twice gives the same experiments.
 */
export const DEFAULT_SEARCH_SEED = 0;

/** Significant digits a drawn number keeps: names read well (alpha=0.0123) and the name's value is the stored one. */
export const SAMPLE_DIGITS = 3;

/** Where a field's values are drawn from. */
export type Distribution =
  /** Uniform on [lo, hi]. */
  | { readonly kind: 'uniform'; readonly lo: number; readonly hi: number }
  /** Log-uniform on [lo, hi] (lo > 0): as many draws between 0.001 and 0.01 as between 0.1 and 1. */
  | { readonly kind: 'log'; readonly lo: number; readonly hi: number }
  /** A whole number from lo to hi, both included, each as likely. */
  | { readonly kind: 'int'; readonly lo: number; readonly hi: number }
  /** One of the values, each as likely (read as `--set` reads a list). */
  | { readonly kind: 'choice'; readonly texts: readonly string[]; readonly values: readonly unknown[] };

export type DistributionKind = Distribution['kind'];

export const DISTRIBUTION_KINDS: readonly DistributionKind[] = ['uniform', 'log', 'int', 'choice'];

/** How a distribution is written: `uniform:0.01:0.3`, `log:0.001:1`, `int:1:10`, `choice:0.9,0.99`. */
export const DISTRIBUTION_EXAMPLE = 'uniform:lo:hi, log:lo:hi, int:lo:hi or choice:v1,v2';

/**
 * Reads `kind:lo:hi` or `choice:v1,v2`; a problem (without the option's name, each caller adds its
 * own) when the kind is unknown, a bound is not a finite number, lo ≥ hi, a log bound is not above
 * 0 or an integer bound is not whole.
 */
export function parseDistribution(text: string): { ok: true; distribution: Distribution } | { ok: false; problem: string } {
  const colon = text.indexOf(':');
  const kind = (colon < 0 ? text : text.slice(0, colon)).trim();
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'choice') {
    // A value given twice is drawn twice as often: allowed here, unlike a --set list's repeat.
    const parsed = parseSweepValues(rest, { repeats: true });
    if (!parsed.ok) return { ok: false, problem: `choice: ${parsed.problem}` };
    if (parsed.values.length === 0) return { ok: false, problem: 'choice: no value after "choice:": give the values separated by commas (choice:0.9,0.99)' };
    const distribution: Distribution = { kind, texts: parsed.texts, values: parsed.values };
    const problem = boundsProblem(distribution);
    return problem === undefined ? { ok: true, distribution } : { ok: false, problem: `choice: ${problem}` };
  }
  if (kind !== 'uniform' && kind !== 'log' && kind !== 'int') return { ok: false, problem: `"${typedText(kind)}" is not a distribution: write ${DISTRIBUTION_EXAMPLE}` };
  const bounds = rest.split(':');
  if (colon < 0 || bounds.length !== 2) return { ok: false, problem: `${kind} takes two bounds, ${kind}:lo:hi (e.g. ${kind === 'int' ? 'int:1:10' : `${kind}:0.001:1`})` };
  // Decimal numbers only: Number() alone took uniform:0x0:0x1 as 0 and 1, and named them so.
  const [lo, hi] = bounds.map((b) => (DECIMAL.test(b.trim()) ? Number(b) : NaN));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ok: false, problem: `${kind}:${typedText(rest)}: the bounds must be numbers (e.g. ${kind === 'int' ? 'int:1:10' : `${kind}:0.001:1`})` };
  // A bound too small to represent (1e-400) reads as 0, which the messages then named as if typed.
  const lost = bounds.find((b, i) => [lo, hi][i] === 0 && /[1-9]/.test(b.replace(/e.*$/i, '')));
  if (lost !== undefined) return { ok: false, problem: `${kind}:${typedText(rest)}: the bound ${lost.trim()} is too small to represent (it reads as 0): give a bound of at least 1e-300` };
  const problem = boundsProblem({ kind, lo: lo!, hi: hi! });
  return problem === undefined ? { ok: true, distribution: { kind, lo: lo!, hi: hi! } } : { ok: false, problem };
}

/** What is wrong with a distribution's bounds (the app's rows say it inline), undefined when nothing is. */
export function boundsProblem(d: Distribution): string | undefined {
  if (d.kind === 'choice') {
    if (d.values.length === 0) return 'give at least two different values';
    // One value (or one repeated) draws the same in every trial: a search of identical experiments,
    // each named alike, where the user most likely meant a fixed setting or forgot a comma.
    const distinct = new Set(d.values.map((v) => JSON.stringify(v)));
    return distinct.size < 2 ? `one value (${typedText(d.texts[0]!)}) gives every trial the same: give two different values or more, or set the field to it instead of drawing it` : undefined;
  }
  if (!Number.isFinite(d.lo) || !Number.isFinite(d.hi)) return 'the bounds must be numbers';
  if (d.lo >= d.hi) return `the lower bound ${d.lo} must be below the upper bound ${d.hi}`;
  if (d.kind === 'log' && d.lo <= 0) return `log-uniform needs a lower bound above 0, got ${d.lo}: use uniform, or a small positive bound (e.g. 0.001)`;
  if (d.kind === 'int' && (!Number.isInteger(d.lo) || !Number.isInteger(d.hi))) return `int takes whole-number bounds, got ${d.lo} and ${d.hi}: give whole numbers (int:1:10), or draw any number between them with uniform:${d.lo}:${d.hi}`;
  return undefined;
}

/** A distribution as `--sample` writes it. */
export function distributionText(d: Distribution): string {
  return d.kind === 'choice' ? `choice:${d.texts.join(',')}` : `${d.kind}:${d.lo}:${d.hi}`;
}

/** The values a distribution's check tries against the field's range: its bounds, or every choice. */
export function extremes(d: Distribution): readonly unknown[] {
  return d.kind === 'choice' ? d.values : [d.lo, d.hi];
}

/** x with SAMPLE_DIGITS significant digits, kept inside [lo, hi] (rounding may step out of it). */
export function rounded(x: number, lo: number, hi: number): number {
  const r = Number(x.toPrecision(SAMPLE_DIGITS));
  return Math.min(hi, Math.max(lo, r));
}

/** One draw from `d`. */
function draw(d: Distribution, rng: Rng): unknown {
  switch (d.kind) {
    case 'uniform':
      return rounded(d.lo + (d.hi - d.lo) * rng.nextDouble(), d.lo, d.hi);
    case 'log':
      return rounded(Math.exp(Math.log(d.lo) + (Math.log(d.hi) - Math.log(d.lo)) * rng.nextDouble()), d.lo, d.hi);
    case 'int':
      return d.lo + rng.int(d.hi - d.lo + 1);
    case 'choice':
      return d.values[rng.int(d.values.length)];
    default: {
      const never: never = d;
      throw new Error(`unknown distribution ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A bound's share of the draws below which the bound is not counted as a value of its own, where
 * rounding steps out of the range and is clamped back to it (uniform:0.12345:0.2 draws 0.12345 for
 * the draws that round to 0.123): a bound just past the midpoint of two rounded numbers is drawn
 * so seldom that a search needing it to make its trials distinct would redraw for ever.
 */
const CLAMPED_SHARE = 0.001;

/** The number with SAMPLE_DIGITS significant digits next to `g` (itself one) upwards (dir 1) or downwards (-1): 0.999 → 1, -1 → -0.999. */
function stepRounded(g: number, dir: 1 | -1): number {
  if (g === 0) return dir * Number.MIN_VALUE;
  const [mantissa, exponent] = Math.abs(g).toExponential(SAMPLE_DIGITS - 1).split('e');
  const first = 10 ** (SAMPLE_DIGITS - 1);
  let k = Number(mantissa!.replace('.', '')) + (g > 0 ? dir : -dir);
  let e = Number(exponent) - (SAMPLE_DIGITS - 1);
  if (k === first * 10) [k, e] = [first, e + 1];
  if (k === first - 1) [k, e] = [first * 10 - 1, e - 1];
  return Math.sign(g) * Number(`${k}e${e}`);
}

/**
 * How many different values a uniform or log-uniform draw gives after rounding, counted up to
 * `atMost`: every number of SAMPLE_DIGITS significant digits inside [lo, hi], and a bound that is
 * not one when rounding steps past it for a fair share of the draws (CLAMPED_SHARE). A narrow range
 * holds few (uniform:0.5:0.51 draws 11 values).
 */
function roundedCount(d: { readonly kind: 'uniform' | 'log'; readonly lo: number; readonly hi: number }, atMost: number): number {
  const { lo, hi } = d;
  const share = (a: number, b: number) => (d.kind === 'log' ? (Math.log(b) - Math.log(a)) / (Math.log(hi) - Math.log(lo)) : (b - a) / (hi - lo));
  const values = new Set<number>();
  const low = Number(lo.toPrecision(SAMPLE_DIGITS));
  if (low < lo && share(lo, Math.min(hi, (low + stepRounded(low, 1)) / 2)) >= CLAMPED_SHARE) values.add(lo);
  let below = low;
  for (let g = low < lo ? stepRounded(low, 1) : low; g <= hi && values.size < atMost; g = stepRounded(g, 1)) {
    values.add(g);
    below = g;
    // Past 0 (or past the doubles' precision) there are more than anyone asks for.
    if ((g === 0 && hi > 0) || !(stepRounded(g, 1) > g)) return atMost;
  }
  const high = Number(hi.toPrecision(SAMPLE_DIGITS));
  if (high > hi && share(Math.max(lo, (below + high) / 2), hi) >= CLAMPED_SHARE) values.add(hi);
  return Math.min(values.size, atMost);
}

/** How many different values `d` draws, counted up to `atMost` (atMost when there are that many or more). */
export function distinctValues(d: Distribution, atMost: number): number {
  switch (d.kind) {
    case 'choice':
      return Math.min(atMost, new Set(d.values.map((v) => JSON.stringify(v))).size);
    case 'int':
      return Math.min(atMost, d.hi - d.lo + 1);
    default:
      return roundedCount(d, atMost);
  }
}

/**
 * How many different trials the distributions can draw together (the product of their distinct
 * values), counted up to `atMost`: a search of more trials than this would repeat a combination.
 */
export function distinctCombinations(distributions: readonly Distribution[], atMost: number): number {
  let n = 1;
  for (const d of distributions) n = Math.min(atMost, n * distinctValues(d, atMost));
  return n;
}

/** "the 4 distinct combinations" (of several fields), "the 2 distinct values" (of one): what a search's trials cannot outnumber without repeating one. */
export function distinctText(distinct: number, fields: number): string {
  return `the ${plural(distinct, fields === 1 ? 'distinct value' : 'distinct combination')}`;
}

/**
 * Draws of one search after which a trial still repeating an earlier one is given up on: never
 * reached when distinctCombinations allows the trials (each value it counts is drawn by a fair
 * share of the draws), a guard against drawing for ever.
 */
const MAX_DRAWS = 1_000_000;

/**
 * `trials` values of each distribution, drawn from the engine's generator seeded by `seed`: one list
 * per distribution, value t of every list making trial t. Each distribution draws from a stream of
 * its own (the search's generator forked once per distribution, in order), so a list depends only on
 * the seed, its position and its own distribution: a further field sampled after the others leaves
 * their values as they were, and more trials add values after the same first ones. A trial that
 * would repeat an earlier one's combination (a choice of few values, an int or a narrow range over
 * many trials) is drawn again from the same streams, every field, until it differs: the trials before
 * it keep their values, and where no trial repeats the values are the streams' first draws. A
 * RangeError when there are more trials than distinct combinations (distinctCombinations: the
 * callers refuse that first, in their own words).
 */
export function sampleValues(distributions: readonly Distribution[], trials: number, seed: number = DEFAULT_SEARCH_SEED): unknown[][] {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a whole number ≥ 1, got ${trials}`);
  if (distributions.length === 0) return [];
  const distinct = distinctCombinations(distributions, trials);
  if (distinct < trials) throw new RangeError(`${trials} trials are more than the ${distinct} distinct combinations the distributions draw`);
  const rngs = streams(distributions.length, seed);
  const lists = distributions.map((): unknown[] => []);
  const seen = new Set<string>();
  let draws = 0;
  for (let t = 0; t < trials; t++) {
    for (;;) {
      if (++draws > MAX_DRAWS) throw new Error(`random search: trial ${t + 1} still repeated an earlier trial after ${MAX_DRAWS} draws, though the distributions hold ${distinct} or more distinct combinations: a value counted as drawn is drawn too seldom`);
      const combination = distributions.map((d, i) => draw(d, rngs[i]!));
      const key = JSON.stringify(combination);
      if (seen.has(key)) continue;
      seen.add(key);
      combination.forEach((v, i) => lists[i]!.push(v));
      break;
    }
  }
  return lists;
}

/** The search's generator forked once per distribution, in order: a stream of draws for each. */
function streams(count: number, seed: number): Rng[] {
  const root = new Rng(seed, Stream.search);
  return Array.from({ length: count }, (_, i) => root.fork(Stream.search + i));
}

/**
 * The first `count` draws of each distribution's stream, repeats and all: the distributions' own
 * shape, which sampleValues's trials follow but for the repeats it passes over (and the limit of as
 * many trials as distinct combinations).
 */
export function streamValues(distributions: readonly Distribution[], count: number, seed: number = DEFAULT_SEARCH_SEED): unknown[][] {
  const rngs = streams(distributions.length, seed);
  return distributions.map((d, i) => Array.from({ length: count }, () => draw(d, rngs[i]!)));
}

/** The trials of a search as combinations of sweep axes: trial t takes value t of each sampled axis and the only value (0) of every other. */
export function trialCombinations(sampled: readonly boolean[], trials: number): number[][] {
  return Array.from({ length: trials }, (_, t) => sampled.map((s) => (s ? t : 0)));
}
