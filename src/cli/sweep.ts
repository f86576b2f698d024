/**
 * `aisle run --set path=v1,v2`: reading the --set options and turning them, over an experiment
 * file, into the experiments of a sweep (the Cartesian product of their values), each checked as
 * `aisle run` checks a file before anything is stored.
 */
import { InvalidArgumentError } from 'commander';
import type { Experiment } from '../engine/experiment';
import { nestsDeeper, ValidationError } from '../engine/params';
import { blameText, inertIn, inertText, MAX_SWEEP, notFieldProblem, overlappingAxes, parametersLeftBehind, sweepExperiments, sweptValues, tooLarge, unsweepable, valueText, type Combination, type SweepAxis } from '../engine/sweep';
import { parseSweepValues, repeatedValue, spacedList, typedText } from '../engine/sweep-values';
import { experimentFolder, inFile, parseExperimentAt, readJsonFile, type ExperimentOverrides } from '../main/files';
import { UsageError } from './context';
import { checkSampleBounds, sampleText, searchAxes, trialText, type SearchPlan } from './search';

/** One `--set`: a dotted path into the experiment file and the values it takes there. */
export type Setting = SweepAxis;

/**
 * Reads `path=v1,v2`, the values as parseSweepValues reads them (JSON, else text; commas inside
 * brackets, braces or quotes do not separate values), a trailing comma refused with an empty value
 * between two: a command line is not typed as it is read. Throws commander's InvalidArgumentError,
 * a usage error (exit 2).
 */
export function parseSetting(option: string): Setting {
  const eq = option.indexOf('=');
  // The option as the refusals repeat it: a value of thousands of characters is cut (typedText).
  const typed = typedText(option);
  const example = 'e.g. --set agent.alpha=0.1,0.5';
  if (eq < 0) throw new InvalidArgumentError(`--set ${typed}: give a path and its values joined by "=" (${example})`);
  const pathText = option.slice(0, eq).trim();
  if (pathText === '') throw new InvalidArgumentError(`--set ${typed}: the path before "=" is empty: name a field of the experiment file (${example})`);
  const path = pathText.split('.');
  if (path.some((p) => p === '')) throw new InvalidArgumentError(`--set ${typed}: the path "${typedText(pathText)}" has an empty part: write it as fields joined by dots (agent.epsilon.end)`);
  const notField = notFieldProblem(path);
  if (notField !== undefined) throw new InvalidArgumentError(`--set ${typed}: ${notField}`);
  const parsed = parseSweepValues(option.slice(eq + 1));
  if (!parsed.ok) {
    // Numbers separated by spaces: the option with commas is the fix, said once (the list's own
    // example, "(0.9, 0.99)", and the general one after it read as two hints in a row).
    const spaced = spacedList(option.slice(eq + 1));
    if (spaced) throw new InvalidArgumentError(`--set ${typed}: ${spaced.problem} (--set ${typedText(`${pathText}=${spaced.commas}`)})`);
    throw new InvalidArgumentError(`--set ${typed}: ${parsed.problem} (${onceEach(pathText, option.slice(eq + 1)) ?? example})`);
  }
  if (parsed.values.length === 0) throw new InvalidArgumentError(`--set ${typed}: no value after "=": give one, or several separated by commas (${example})`);
  // Its texts are what messages and warnings repeat of each value (never read as values).
  return { path, texts: parsed.texts.map(typedText), values: parsed.values };
}

/**
 * A value given twice, the option with each value once (`--set agent.alpha=0.1` for
 * `agent.alpha=0.1,1e-1`): the general example, two values, read as though giving two were the fix.
 * Undefined for another problem.
 */
function onceEach(path: string, text: string): string | undefined {
  const all = parseSweepValues(text, { repeats: true });
  if (!all.ok || repeatedValue(all.values) === undefined) return undefined;
  const values: unknown[] = [];
  const texts: string[] = [];
  all.values.forEach((value, i) => {
    if (repeatedValue([...values, value]) !== undefined) return;
    values.push(value);
    texts.push(all.texts[i]!);
  });
  return `--set ${typedText(`${path}=${texts.join(',')}`)}`;
}

/** Two --set of one field: one --set with all the values, or one of them. */
function overlapText(first: Setting, second: Setting): string {
  const [a, b] = [first.path.join('.'), second.path.join('.')];
  const option = (s: Setting) => `--set ${s.path.join('.')}=${s.texts.join(',')}`;
  if (a === b) {
    // The values of both, each once: a value in both would be refused as given twice in the one suggested.
    const values: unknown[] = [];
    const texts: string[] = [];
    for (const s of [first, second]) {
      s.values.forEach((value, i) => {
        if (repeatedValue([...values, value]) !== undefined) return;
        values.push(value);
        texts.push(s.texts[i]!);
      });
    }
    const fix = texts.length === 1 ? `give it once, --set ${a}=${texts[0]!}` : `give all its values in one, --set ${a}=${texts.join(',')}`;
    return `--set ${a} is given twice (${option(first)}, ${option(second)}): ${fix}`;
  }
  const inner = a.length > b.length ? a : b;
  return `${option(first)} and ${option(second)} both set ${inner}: give one of them`;
}

/** The file's parameters another agent (or environment) leaves behind, in words: `ucb1's parameter c is left out: sarsa has no such parameter`. */
function leftOutText(oldId: string, left: readonly string[], value: unknown): string {
  return `${oldId}'s ${left.length === 1 ? 'parameter' : 'parameters'} ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} left out: ${valueText(value)} has ${left.length === 1 ? 'no such parameter' : 'none of them'}`;
}

/** An experiment of a sweep: the checked experiment and the value each --set gave it. */
export interface SweepExperiment {
  readonly experiment: Experiment;
  /** Path (dotted) → value, for every --set. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The values of the --sets that take several, as its name shows them (`alpha=0.1, epsilon=0.05`); empty when none does. */
  readonly values: string;
}

/**
 * The experiments `settings` make of the experiment file: one per combination of their values,
 * named after the file's name with the values of the --sets that take several (`quickstart
 * (alpha=0.1, epsilon=0.05)`). Throws a ValidationError, a line per problem naming the --set
 * values it comes from, when any combination is invalid or when there are more than MAX_SWEEP;
 * warns of a --set the environment ignores.
 */
export function expandSweep(file: string, settings: readonly Setting[], overrides: ExperimentOverrides, search?: SearchPlan): { experiments: SweepExperiment[]; warnings: string[] } {
  checkSettings(settings, search);
  const raw = readJsonFile(file);
  const baseDir = experimentFolder(file);
  // Not an object: no field to set; the check says what the file is instead. Nor a value nested
  // thousands deep (never valid): the check names it, where copying the file for each experiment overflowed the stack.
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || nestsDeeper(raw)) inFile(file, () => parseExperimentAt(raw, baseDir));
  return expandSweepOf(raw as Record<string, unknown>, file, baseDir, settings, overrides, search);
}

/** The --set problems found before any experiment is read: too many combinations (or trials), a field set twice. */
function checkSettings(settings: readonly Setting[], search: SearchPlan | undefined): void {
  if (search) {
    // searchPlan (search.ts) refused a --set of several values and any field set twice already.
    if (search.trials > MAX_SWEEP) throw new ValidationError([`--trials: ${search.trials} experiments, more than ${MAX_SWEEP} in one search: draw fewer at a time`]);
    const fixed = search.samples.flatMap((s) => {
      const why = unsweepable(s.path, 'values drawn for');
      return why === undefined ? [] : [`${sampleText(s)}: ${why}`];
    });
    if (fixed.length > 0) throw new ValidationError(fixed);
    return;
  }
  const large = tooLarge(settings);
  if (large !== undefined) throw new ValidationError([`--set: ${large}`]);
  const fixed = settings.flatMap((s) => {
    const why = s.values.length > 1 ? unsweepable(s.path) : undefined;
    return why === undefined ? [] : [`--set ${s.path.join('.')}=${s.texts.join(',')}: ${why}`];
  });
  if (fixed.length > 0) throw new ValidationError(fixed);
  const overlap = overlappingAxes(settings);
  if (overlap) throw new UsageError(overlapText(settings[overlap.first]!, settings[overlap.second]!));
}

/**
 * {@link expandSweep} of an experiment object read already (a stored experiment's config, for
 * `aisle again`): `label` names it in the problems its own fields have, and a file path a --set
 * gives (env.mdp) resolves against `baseDir`. With `search`, a random search: the --sample values
 * drawn for each trial over the --set ones (each of one value), the bounds checked before the draws.
 */
export function expandSweepOf(
  raw: Readonly<Record<string, unknown>>,
  label: string,
  baseDir: string,
  settings: readonly Setting[],
  overrides: ExperimentOverrides,
  search?: SearchPlan,
): { experiments: SweepExperiment[]; warnings: string[] } {
  checkSettings(settings, search);
  const base: Record<string, unknown> = { ...raw, ...overrides };
  const parse = (content: Record<string, unknown>) => parseExperimentAt(content, baseDir);
  if (search) checkSampleBounds(base, settings, search, parse);
  const { axes, combinations } = search ? searchAxes(settings, search) : { axes: settings, combinations: undefined };
  const swept = sweepExperiments(base, axes, parse, combinations);
  if (!swept.ok) {
    // A problem of every combination that the file has without any --set is the file's (the file checked once, only when some problem is everywhere).
    const own = swept.problems.some((p) => p.everywhere) ? fileProblems() : [];
    throw new ValidationError(
      swept.problems.flatMap(({ problem, everywhere, lines }) =>
        everywhere && own.includes(problem) ? [`${label}: ${problem}`] : lines.map((blames) => `${blamedText(blames)}: ${problem}`),
      ),
    );
  }
  const experiments = swept.experiments.map(({ experiment, combination }) => ({
    experiment,
    settings: Object.fromEntries(axes.map((s, i) => [s.path.join('.'), s.values[combination[i]!]])),
    values: sweptValues(axes, combination),
  }));
  // A value that cannot change the run (a shop's item count beside an explicit catalog): said, not refused; once
  // for a --sample, as for a --set, however many trials draw it.
  const given = [
    ...settings.map((s) => ({ path: s.path, option: `--set ${s.path.join('.')}=${s.texts.join(',')}`, given: { drawn: false, values: s.values.length } })),
    ...(search?.samples ?? []).map((s) => ({ path: s.path, option: sampleText(s), given: { drawn: true, values: search!.trials } })),
  ];
  const ignoring = inertIn(
    experiments.map((e) => e.experiment),
    given.map((g) => g.path),
  );
  const warnings = given.flatMap(({ path, option, given: g }, i) => (ignoring[i] === undefined ? [] : [`${option}: ${inertText(ignoring[i], path, g)}`]));
  // Another agent or environment leaves the file's parameters it lacks behind (as the app's form does): said, so a value the file gave is not lost unseen.
  for (const s of settings) {
    const [which, field] = s.path;
    if ((which !== 'env' && which !== 'agent') || field !== 'id' || s.path.length !== 2) continue;
    const oldId = String((base[which] as Record<string, unknown>).id);
    s.values.forEach((value, i) => {
      const left = parametersLeftBehind(base, which, value);
      if (left.length > 0) warnings.push(`--set ${which}.id=${s.texts[i]}: ${leftOutText(oldId, left, value)}`);
    });
  }
  // A --sample of the id (choice:ucb1,sarsa) leaves them behind in the trials that draw another, as a --set does: said once per id drawn.
  (search?.samples ?? []).forEach((s, k) => {
    const [which, field] = s.path;
    if ((which !== 'env' && which !== 'agent') || field !== 'id' || s.path.length !== 2) return;
    const oldId = String((base[which] as Record<string, unknown>).id);
    const axis = axes[settings.length + k]!;
    for (const value of new Set(axis.values)) {
      const left = parametersLeftBehind(base, which, value);
      if (left.length > 0) warnings.push(`${sampleText(s)}: in the trials that draw ${valueText(value)}, ${leftOutText(oldId, left, value)}`);
    }
  });
  return { experiments, warnings };

  /** The options a problem's values come from: the --set values, or in a random search the trial that drew them. */
  function blamedText(blames: readonly (readonly [number, number | 'all'])[]): string {
    const drawn = blames.find(([i, v]) => i >= settings.length && v !== 'all');
    if (!search) return blameText(blames, axes, 'cli');
    // A problem of every draw (a field the experiment does not have) is the --sample's, as typed, not a --set of its draws.
    if (!drawn || !combinations) return blames.map((b) => (b[0] >= settings.length ? sampleText(search.samples[b[0] - settings.length]!) : blameText([b], axes, 'cli'))).join(' ');
    const trial = drawn[1] as number;
    return trialText(trial, sweptValues(axes, combinations[trial] as Combination));
  }

  /** The file's own problems, without any --set. */
  function fileProblems(): readonly string[] {
    try {
      parseExperimentAt(structuredClone(base), baseDir);
      return [];
    } catch (e) {
      return e instanceof ValidationError ? e.problems : [];
    }
  }
}

