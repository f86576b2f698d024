/**
 * `aisle run --sample path=log:0.001:1 --trials 12 [--search-seed S]`: a random search, the
 * experiments' values drawn by src/engine/sweep-sample.ts (as the app's Random search draws them),
 * then checked and trained as a grid sweep's (src/cli/sweep.ts).
 */
import { InvalidArgumentError } from 'commander';
import { ValidationError } from '../engine/params';
import { DEFAULT_SEARCH_SEED, distinctCombinations, distinctText, distributionText, extremes, parseDistribution, sampleValues, trialCombinations, type Distribution } from '../engine/sweep-sample';
import { typedText } from '../engine/sweep-values';
import { MAX_SWEEP, notFieldProblem, overlappingAxes, sweepExperiments, valueText, type Combination, type SweepAxis } from '../engine/sweep';
import type { Experiment } from '../engine/experiment';
import { UsageError } from './context';
import type { Setting } from './sweep';

/** One `--sample`: a dotted path into the experiment and the distribution its values are drawn from. */
export interface Sample {
  readonly path: readonly string[];
  readonly distribution: Distribution;
}

/** A random search as the options give it. */
export interface SearchPlan {
  readonly samples: readonly Sample[];
  readonly trials: number;
  readonly seed: number;
}

/** Reads `path=kind:lo:hi` or `path=choice:v1,v2`; throws commander's InvalidArgumentError (exit 2). */
export function parseSample(option: string): Sample {
  const eq = option.indexOf('=');
  // The option as the refusals repeat it: a value of thousands of characters is cut (typedText).
  const typed = typedText(option);
  const example = 'e.g. --sample agent.alpha=log:0.001:1';
  if (eq < 0) throw new InvalidArgumentError(`--sample ${typed}: give a path and a distribution joined by "=" (${example})`);
  const pathText = option.slice(0, eq).trim();
  const path = pathText.split('.');
  if (pathText === '' || path.some((p) => p === '')) throw new InvalidArgumentError(`--sample ${typed}: the path "${typedText(pathText)}" is not fields joined by dots: name a field of the experiment (${example})`);
  const notField = notFieldProblem(path);
  if (notField !== undefined) throw new InvalidArgumentError(`--sample ${typed}: ${notField}`);
  const parsed = parseDistribution(option.slice(eq + 1));
  if (!parsed.ok) throw new InvalidArgumentError(`--sample ${typed}: ${parsed.problem}`);
  const d = parsed.distribution;
  // A choice's texts are what messages repeat of each value (never read as values).
  return { path, distribution: d.kind === 'choice' ? { ...d, texts: d.texts.map(typedText) } : d };
}

/** `--sample path=distribution` as typed (near enough: bounds as numbers). */
export function sampleText(s: Sample): string {
  return `--sample ${s.path.join('.')}=${distributionText(s.distribution)}`;
}

/**
 * The search the options ask for, undefined without --sample; a usage error when --trials or
 * --search-seed come without --sample, --sample without --trials, or a --set of several values with
 * --sample (a grid of searches is not a plan one can read off its names: fix the field with one value),
 * or more --trials than the samples have distinct combinations (the trials would repeat one).
 */
export function searchPlan(opts: { sample?: Sample[]; trials?: number; searchSeed?: number }, settings: readonly Setting[]): SearchPlan | undefined {
  const samples = opts.sample ?? [];
  if (samples.length === 0) {
    if (opts.trials !== undefined) throw new UsageError('--trials is the number of experiments of a random search: give the fields to draw with --sample (e.g. --sample agent.alpha=log:0.001:1)');
    if (opts.searchSeed !== undefined) throw new UsageError('--search-seed seeds a random search: give the fields to draw with --sample (e.g. --sample agent.alpha=log:0.001:1)');
    return undefined;
  }
  if (opts.trials === undefined) throw new UsageError(`${sampleText(samples[0]!)}: give the number of experiments to draw with --trials <n> (at most ${MAX_SWEEP})`);
  const several = settings.find((s) => s.values.length > 1);
  if (several) throw new UsageError(`--set ${several.path.join('.')}=${several.texts.join(',')} with --sample: a random search takes one value per --set (fixed for every trial): give one value, or draw the field with --sample ${several.path.join('.')}=choice:${several.texts.join(',')}`);
  const axes = [...settings.map((s) => ({ path: s.path, option: `--set ${s.path.join('.')}` })), ...samples.map((s) => ({ path: s.path, option: `--sample ${s.path.join('.')}` }))];
  const overlap = overlappingAxes(axes);
  if (overlap) throw new UsageError(`${axes[overlap.first]!.option} and ${axes[overlap.second]!.option} both set ${axes[Math.max(overlap.first, overlap.second)]!.path.join('.')}: give one of them`);
  const distinct = distinctCombinations(
    samples.map((s) => s.distribution),
    opts.trials,
  );
  if (distinct < opts.trials) throw new UsageError(`--trials ${opts.trials} asks for more trials than ${distinctText(distinct, samples.length)} of ${samples.map(sampleText).join(' ')}: give --trials ${distinct} or fewer, or draw from more values (more choices, a wider range)`);
  return { samples, trials: opts.trials, seed: opts.searchSeed ?? DEFAULT_SEARCH_SEED };
}

/** The search's axes after the --set ones (each --sample's drawn values) and the trials as combinations of all of them. */
export function searchAxes(settings: readonly Setting[], plan: SearchPlan): { axes: SweepAxis[]; combinations: Combination[] } {
  const drawn = sampleValues(
    plan.samples.map((s) => s.distribution),
    plan.trials,
    plan.seed,
  );
  const sampled = plan.samples.map((s, i) => ({ path: s.path, texts: drawn[i]!.map(valueText), values: drawn[i]!, drawn: true }));
  const axes = [...settings, ...sampled];
  return { axes, combinations: trialCombinations(axes.map((_, i) => i >= settings.length), plan.trials) };
}

/**
 * Each --sample whose bounds (or one of whose choices) the field cannot take, checked before any
 * draw: a draw near a bound would otherwise fail in one trial out of many, or pass by luck. Says the
 * field's own range, from the check's message. Throws a ValidationError (exit 2), one line each.
 */
export function checkSampleBounds(base: Readonly<Record<string, unknown>>, settings: readonly Setting[], plan: SearchPlan, parse: (content: Record<string, unknown>) => Experiment): void {
  const problems = new Set<string>();
  for (const sample of plan.samples) {
    const path = sample.path.join('.');
    const { kind } = sample.distribution;
    const values = extremes(sample.distribution);
    // What the field says of this value, alone beside the settings (undefined: it takes it).
    const problemWith = (value: unknown): string | undefined => {
      const checked = sweepExperiments(base, [...settings, { path: sample.path, texts: [valueText(value)], values: [value] }], parse);
      return checked.ok ? undefined : checked.problems.find((p) => p.problem.startsWith(`${path}:`))?.problem;
    };
    const found = values.map(problemWith);
    // The same problem whatever the value (a parameter the agent does not have) is the field's, not a bound's: said once.
    if (found[0] !== undefined && found.every((p) => p === found[0]) && (values.length > 1 || !found[0].includes(valueText(values[0])))) {
      problems.add(`${sampleText(sample)}: ${found[0]}`);
      continue;
    }
    found.forEach((problem, k) => {
      if (problem === undefined) return;
      // A choice as typed may run to thousands of characters: cut, as the option is (typedText).
      const which = kind === 'choice' ? `the choice ${typedText(valueText(values[k]))}` : `the ${k === 0 ? 'lower' : 'upper'} bound ${valueText(values[k])}`;
      problems.add(`${sampleText(sample)}: ${which} is outside the field's range: keep the ${kind === 'choice' ? 'choices' : 'bounds'} inside it (${problem})`);
    });
    // Whole bounds pass a whole-number field, and then nearly every uniform or log draw (48.7) fails
    // in its own trial: the field is asked once, with a value between its bounds that is not whole.
    const d = sample.distribution;
    if (found.every((p) => p === undefined) && (d.kind === 'uniform' || d.kind === 'log')) {
      const between = Math.floor(d.lo) + 0.5 >= d.lo ? Math.floor(d.lo) + 0.5 : Math.floor(d.lo) + 1.5;
      if (between > d.hi) continue;
      const problem = problemWith(between);
      if (problem === undefined || !/whole number/.test(problem)) continue;
      const [lo, hi] = [Math.ceil(d.lo), Math.floor(d.hi)];
      const suggestion = lo < hi ? `draw them with int:${lo}:${hi}${d.kind === 'log' ? ' (whole numbers, each as likely)' : ''}` : `the range holds fewer than two whole numbers: widen it`;
      problems.add(`${sampleText(sample)}: ${path} takes whole numbers, which a ${d.kind === 'log' ? 'log-uniform' : 'uniform'} draw (${valueText(between)}) is not: ${suggestion}`);
    }
  }
  if (problems.size > 0) throw new ValidationError([...problems]);
}

/**
 * A drawn trial's values as its name shows them, for a problem line: `--sample trial 3 (items=3,
 * categories=5)`. Said of a problem of some trials only, which checkSampleBounds cannot catch: two
 * drawn fields that disagree (a shop's categories above its items), each bound fine beside the
 * file's value of the other.
 */
export function trialText(trial: number, values: string): string {
  return `--sample trial ${trial + 1}${values === '' ? '' : ` (${values})`}`;
}
