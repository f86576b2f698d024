/**
 * `aisle compare`: Compare's statistics on the command line, for a terminal or a CI job: runs
 * grouped by configuration, each group's final performance (the mean with its Student's t 95 % CI,
 * the IQM with its stratified bootstrap one), rliable's probability of improvement between groups with its verdict, the
 * settings that differ, and the runs that stopped early. The numbers are the app's (one service
 * function, src/main/service/compare.ts); --json prints them whole, curves included; --markdown
 * prints the report the app's Save report writes (src/shared/compare-report.ts).
 */
import { escapeControl, parseOrThrow, plural, ValidationError, wordList } from '../engine/params';
import { commands, type ParsedInput } from '../shared/contract';
import {
  FEW_RUNS,
  compareHeading,
  environmentsText,
  evaluationSplitsText,
  fewRunsCaution,
  fewRunsIntervalsText,
  FINAL_PERFORMANCE_HEADER,
  finalPerformanceRows,
  finalRuns,
  finalWindowNote,
  groupLetter as letter,
  hasFewRuns,
  cellVerdict,
  improvementCellText,
  improvementLegend,
  type CellWord,
  NO_VERDICT_TEXT,
  pairedText,
  pairingLines,
  pairTest,
  type PairTest,
  partialProgress,
  partialRunsText,
  REPEATS_TEXT,
  seedList,
  trainingLengthsText,
  withheldReasons,
  withoutFinalText,
} from '../shared/compare-text';
import { compareReport } from '../shared/compare-report';
import type { CompareResult } from '../shared/dto';
import { parameterStudy, STUDY_VALUES } from '../shared/parameter-study';
import { comparisonStudy, comparisonStudyJson, sliceStudy, studyTable } from '../shared/slice-study';
import { prepareCompare } from '../main/service/compare';
import { compareStatistics } from '../main/service/compare-statistics';
import { aisleCommand, fittedTable, openStore, outputWidth, printJson, table, UsageError, warn, wrapped, type GlobalOptions } from './context';
import { displayWidth, padded } from './display-width';
import { StoredConfigs } from './stored-config';

export interface CompareOptions extends GlobalOptions {
  runs?: number[];
  metric?: string;
  finalWindow?: number;
  seed?: number;
  /** Print compare-report.ts's Markdown instead of the tables. */
  markdown?: boolean;
  /** The setting the parameter study puts on x, as the app's "On the x axis" chooses it (one of the study's xChoices). */
  studyX?: string;
  /** Compare every pair unpaired (Mann–Whitney), not paired by seed where the groups allow it. */
  unpaired?: boolean;
}

/**
 * The ids of one list each once: a run or experiment named twice (`--runs 3 3`, overlapping ranges
 * `--runs 1-5 4-8`) is compared once, as `aisle ope` evaluates a target named twice once, and stderr
 * says so, naming them (it was dropped without a word: the table's runs counted one fewer than given).
 */
export function distinctIds(ids: readonly number[], named: (ids: string, several: boolean) => string): number[] {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const again = [...counts].filter(([, n]) => n > 1);
  if (again.length === 1) {
    const [[id, n]] = again as [[number, number]];
    warn(`${named(String(id), false)} is given ${n === 2 ? 'twice' : `${n} times`}: compared once`);
  } else if (again.length > 1) {
    warn(`${named(seedList(again.map(([id]) => id)), true)} are each given more than once: each compared once`);
  }
  return [...counts.keys()];
}

export function compareCommand(given: number[], opts: CompareOptions): number {
  if (opts.markdown && opts.json) throw new UsageError('--markdown and --json both choose what is printed: give one of them');
  if (given.length === 0 && (opts.runs ?? []).length === 0) {
    throw new ValidationError(['nothing to compare: name experiments (aisle compare 1 2) or runs (--runs 3 4 5); `aisle experiments` lists them']);
  }
  const experimentIds = distinctIds(given, (ids, several) => `${several ? 'experiments' : 'experiment'} ${ids}`);
  const input = compareInput(experimentIds, { ...opts, ...(opts.runs ? { runs: distinctIds(opts.runs, (ids) => `--runs ${ids}`) } : {}) });
  const store = openStore(opts, { reads: true });
  let result: CompareResult;
  let experiments: { id: number; name: string }[];
  let leftOut: string[];
  let prepared: ReturnType<typeof prepareCompare>;
  try {
    // In one snapshot (Store.snapshot): runs and experiments the app deletes meanwhile (beside this
    // command) are compared as they were, or not found at the first read; read apart, a run deleted
    // between its experiment's listing and its own read made the command fail halfway.
    ({ experiments, leftOut, prepared } = store.snapshot(() => {
      const named = input.experimentIds.map((id) => ({ id, name: store.experimentName(id) })); // not its config: an inline MDP is tens of MB
      const stored = new StoredConfigs(store);
      for (const id of input.experimentIds) stored.experimentWithRuns(id);
      for (const id of input.runIds) stored.run(store.getRun(id));
      // Compare leaves out runs without stored episodes; an experiment named with none would
      // otherwise vanish from the report without a word, or, all of them, be "nothing to compare".
      const runsOf = named.map(({ id }) => store.experimentRuns(id).map((r) => store.getRunItem(r.id)));
      const left = named.flatMap(({ id, name }, i) => (runsOf[i]!.every((r) => r.episodesDone === 0) ? [leftOutText(id, name, runsOf[i]!, opts)] : []));
      if (left.length === named.length && input.runIds.length === 0) throw new ValidationError(left.map((line) => line.replace(' is left out: ', ': ')));
      // And the runs without an episode of the experiments that are there.
      named.forEach(({ id, name }, i) => {
        const empty = runsOf[i]!.filter((r) => r.episodesDone === 0);
        if (empty.length > 0 && empty.length < runsOf[i]!.length) left.push(leftOutRunsText(id, name, empty));
      });
      return { experiments: named, leftOut: left, prepared: prepareCompare(store, input) };
    }));
    // The statistics (the bootstrap: seconds for many groups) after the snapshot, which would
    // otherwise keep the app's checkpoints from passing it meanwhile; they read nothing more.
    result = prepared.result(compareStatistics(prepared.work));
  } catch (e) {
    // The service names the app's field ("metric: …"); here it is the option given.
    if (e instanceof ValidationError && e.problems.some((p) => p.startsWith('metric: '))) {
      throw new ValidationError(e.problems.map((p) => (p.startsWith('metric: ') ? `--metric: ${p.slice('metric: '.length)}` : p)));
    }
    throw e;
  } finally {
    store.close();
  }
  const studyX = opts.studyX ?? null;
  if (studyX !== null) checkStudyX(result, studyX);
  leftOut.forEach(warn);
  if (opts.json) printJson(compareJson(result, studyX));
  else if (opts.markdown) {
    // The report names the experiments and labels the groups by their names, as the text does
    // (shownLabels): escaped, and every line of it too (the configs' env ids, settings' paths).
    const names = experiments.map((e) => ({ ...e, name: escapeControl(e.name) }));
    const report = compareReport({ result: shownLabels(result), experiments: names, runIds: input.runIds, seed: input.seed, studyX });
    process.stdout.write(report.split('\n').map(escapeControl).join('\n'));
  }
  else process.stdout.write(compareText(result, input.seed, outputWidth(), studyX));
  return 0;
}

/**
 * --study-x must name a setting the study can put on x (numeric in every group, 3 values or more),
 * as the app's select offers them; the app quietly keeps the default for an address it cannot use,
 * but a command asked for one axis would print another without a word.
 */
function checkStudyX(result: CompareResult, given: string): void {
  const studyX = given.trim() === '' ? `"${given}"` : given; // an empty path, shown as one
  const study = parameterStudy(result);
  if (!study && sliceStudy(result)) {
    throw new UsageError(
      `--study-x ${studyX}: these groups are a search, not a grid (their settings take values of their own), so the study draws a panel per setting and has no x to choose; leave out --study-x`,
    );
  }
  if (!study) {
    throw new UsageError(
      `--study-x ${studyX}: these groups make no parameter study (it needs groups that differ in one or two settings, one a number with ${STUDY_VALUES} values or more), so there is no x to choose`,
    );
  }
  if (!study.xChoices.includes(given)) {
    const choices = study.xChoices.length === 1 ? `only ${study.xChoices[0]} can go there` : `choose ${wordList(study.xChoices, 'or')}`;
    throw new UsageError(`--study-x ${studyX} is not a setting the parameter study can put on x: ${choices}`);
  }
}

/** A cell of compareJson's `verdicts`: the word the tables print after the probability of improvement, or why there is none. */
export interface CellVerdict {
  /**
   * "better" or "worse" when the interval lies on one side of ½ and the groups can show it; for a
   * metric without a better direction (CompareResult.direction null), "higher" or "lower" instead; else null.
   */
  verdict: CellWord | null;
  /**
   * Why there is no verdict: whatever the interval ("no verdict: 3 against 3 runs cannot reach the 5 % level; …"),
   * or, the interval lying on one side of ½, because the pair's test does not hold ("no verdict: p = 0.031, 0.27
   * after Holm's correction over 45 pairs (two-sided Mann–Whitney), not below 0.05").
   */
  withheld?: string;
  /**
   * The test a verdict needs (pairTest): the pair's two-sided Mann–Whitney p (and for a pair paired by
   * seed, `signedRankP`, the Wilcoxon signed-rank p over its `pairedSeeds`, which is then the one
   * corrected), that p after Holm's correction over the comparison's `pairs` that can get a verdict,
   * and their number; a verdict needs holmP < 0.05. Absent for a pair that can get none whatever its
   * values (`withheld` says why). The paired figures themselves are in `improvement`'s cells (`paired`).
   */
  test?: PairTest;
}

/**
 * What `--json` prints: the comparison whole, and beside its `improvement` matrix the verdicts the
 * tables print in its cells (null on the diagonal). A script reading the JSON could not otherwise
 * tell "better" from a withheld verdict: that takes the groups' sizes and environments, not only
 * the interval. `parameterStudy` is the table the command prints under the final performance:
 * `kind: 'grid'` (a sweep's lines, see parameterStudy) or `kind: 'slice'` (a search's panels, see
 * sliceStudy), null when the groups make none.
 */
export function compareJson(
  result: CompareResult,
  studyX: string | null = null,
): CompareResult & { verdicts: (CellVerdict | null)[][]; parameterStudy: ReturnType<typeof comparisonStudyJson> } {
  const verdicts = result.groups.map((_, i) =>
    result.groups.map((__, j) => {
      if (i === j) return null;
      const { verdict, withheld } = cellVerdict(result, i, j);
      const test = pairTest(result, i, j);
      return { verdict: verdict ?? null, ...(withheld !== undefined ? { withheld } : {}), ...(test ? { test } : {}) };
    }),
  );
  return { ...result, verdicts, parameterStudy: comparisonStudyJson(comparisonStudy(result, studyX)) };
}

/**
 * Why an experiment named is not in the comparison: none of its runs stored an episode; and what
 * trains it again, `aisle again`, which needs no file (the stored experiment is whole).
 */
function leftOutText(id: number, name: string, runs: readonly { status: string }[], opts: GlobalOptions): string {
  const counts = new Map<string, number>();
  for (const { status } of runs) counts.set(status, (counts.get(status) ?? 0) + 1);
  const statuses = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const why =
    runs.length === 0 ? 'it has no runs left' : runs.length === 1 ? `its only run (${runs[0]!.status}) stored no episode` : `none of its ${plural(runs.length, 'run')} (${statuses}) stored an episode`;
  const active = runs.some((r) => r.status === 'queued' || r.status === 'running');
  return `experiment ${id} "${name}" is left out: ${why}: ${active ? 'compare it once its runs have trained' : `train it again to compare it: ${aisleCommand(opts, `again ${id}`)}`}`;
}

/**
 * Runs of an experiment named that are not in the comparison, the others being there: they stored no
 * episode (queued, cancelled or failed before their first). Said, as a whole experiment left out is,
 * rather than dropped without a word (named with --runs, such a run is refused instead).
 */
function leftOutRunsText(id: number, name: string, runs: readonly { id: number; status: string }[]): string {
  const ids = runs.map((r) => r.id).join(', ');
  const statuses = [...new Set(runs.map((r) => r.status))].join(', ');
  const queued = runs.every((r) => r.status === 'queued' || r.status === 'running');
  return `experiment ${id} "${name}": ${runs.length === 1 ? 'run' : 'runs'} ${ids} (${statuses}) ${runs.length === 1 ? 'is' : 'are'} left out: ${runs.length === 1 ? 'it' : 'they'} stored no episode${queued ? ' yet' : ''}`;
}

/** What to compare, checked as the app's Compare checks it (the defaults filled in). */
export function compareInput(experimentIds: readonly number[], opts: Omit<CompareOptions, keyof GlobalOptions>): ParsedInput<'compare.runs'> {
  return parseOrThrow(commands['compare.runs'], {
    experimentIds,
    runIds: opts.runs ?? [],
    ...(opts.metric !== undefined ? { metric: opts.metric } : {}),
    ...(opts.finalWindow !== undefined ? { finalWindow: opts.finalWindow } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.unpaired ? { unpaired: true } : {}),
  });
}

/**
 * The result with its groups' labels' control characters escaped (escapeControl). A label is its
 * experiment's name, a database's text, which one Aisle did not check may fill with them: printed
 * raw, an ESC sequence recoloured the table, U+202E reversed a row, a line break split it.
 */
function shownLabels(result: CompareResult): CompareResult {
  return { ...result, groups: result.groups.map((g) => ({ ...g, label: escapeControl(g.label) })) };
}

export function compareText(given: CompareResult, seed: number, width = outputWidth(), studyX: string | null = null): string {
  // Escaped before they are laid out; so are the sentences, which name the configs' env ids and settings' paths.
  const result = shownLabels(given);
  const out: string[] = [];
  const { groups } = result;
  // Sentences wrap at the width too (words whole), as the tables fit it.
  const say = (text: string) => out.push(wrapped('', escapeControl(text), width));
  say(compareHeading(result, seed));
  const window = finalWindowNote(result);
  if (window) say(`note: ${window}`);
  const environments = environmentsText(result);
  if (environments) say(`warning: ${environments}`);
  const lengths = trainingLengthsText(result);
  if (lengths) say(`warning: ${lengths}`);
  for (const split of evaluationSplitsText(result)) say(`warning: ${split}`);
  const without = withoutFinalText(result);
  if (without) say(`warning: ${without}`);
  out.push('');
  out.push(groupsTable(result, width));
  const study = studyTable(result, studyX);
  if (study) {
    // The study's picture as a table: a sweep's groups by the value of the setting they vary, a search's best first.
    out.push('');
    say(`parameter study: ${study.text[0]!.toLowerCase()}${study.text.slice(1)}`);
    out.push('');
    out.push(fittedTable(study.header, study.rows, 1, width));
  }
  // Beside the intervals, as the app's Final performance and the Markdown report say it: with one
  // group of 3 runs there is no matrix below, and its IQM's bootstrap "95 % CI" (which covers about
  // 75 % of the time) would stand unqualified.
  if (hasFewRuns(groups.map((g) => finalRuns(g.final)))) {
    out.push('');
    say(fewRunsIntervalsText(result.direction));
  }
  if (groups.length > 1) {
    const runs = groups.map((g) => finalRuns(g.final));
    out.push('');
    if (runs.every((n) => n < 2)) {
      // Groups of one run each: every cell is 0, ½ or 1 without an interval or a verdict. Twenty such
      // groups printed 380 of them over 7 stacked tables; one line says what the matrix would.
      say(`probability of improvement: left out, as every group has 1 run and no pair of runs can tell a difference from chance: give each ${FEW_RUNS}+ seeds to compare (--json has the matrix)`);
    } else {
      say(improvementLegend(result));
      say(NO_VERDICT_TEXT);
      out.push('');
      out.push(
        fittedTable(
          ['', ...groups.map((_, j) => letter(j))],
          groups.map((_, i) => [
            letter(i),
            ...groups.map((__, j) => (i === j ? '–' : improvementCellText(result, i, j))),
          ]),
          1,
          width,
        ),
      );
      // Which test each pair was read with: paired by seed (and its mean difference) or unpaired, and why.
      const pairing = pairingLines(result);
      if (pairing.length > 0) {
        out.push('');
        pairing.forEach(say);
        if (result.improvement.some((row) => row.some((cell) => cell.paired))) say(pairedText('run aisle compare with --unpaired'));
      }
      const withheld = withheldReasons(result);
      if (withheld.length > 0) {
        out.push('');
        withheld.forEach(say);
      }
      const caution = fewRunsCaution(runs);
      if (caution) {
        out.push('');
        say(caution);
      }
    }
    out.push('');
    say(`settings that differ: ${differencesText(result.differences)}`);
  }
  const repeats = groups.flatMap((g) => g.repeats);
  if (repeats.length > 0) {
    out.push('');
    say(REPEATS_TEXT);
    for (const r of repeats) out.push(`  run ${r.runId} repeats run ${r.sameAs} (seed ${r.seed})`);
  }
  const partial = groups.flatMap((g) => g.partial);
  if (partial.length > 0) {
    out.push('');
    say(partialRunsText(partial.length, result.finalWindow));
    for (const r of partial) out.push(`  run ${r.runId} (seed ${r.seed}): ${partialProgress(r)}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Each group's final values, a row per group named by its letter and label. When that is wider
 * than `width`, the labels go above the table, wrapped (the settings that tell twin groups apart
 * end a label, so cutting it could leave two alike), and the rows are named by their letter only.
 */
function groupsTable(result: CompareResult, width: number): string {
  const header = [...FINAL_PERFORMANCE_HEADER];
  const rows = finalPerformanceRows(result.groups);
  const labelled = table(header, rows.map((r, i) => [`${letter(i)}  ${result.groups[i]!.label}`, ...r]));
  if (labelled.split('\n').every((line) => displayWidth(line) <= width)) return labelled;
  const names = result.groups.map((_, i) => letter(i));
  const indent = Math.max(...names.map(displayWidth)) + 2;
  return [
    ...result.groups.map((g, i) => wrapped(padded(names[i]!, indent), g.label, width)),
    '',
    fittedTable(header, rows.map((r, i) => [names[i]!, ...r]), 1, width),
  ].join('\n');
}

/**
 * The differing settings for one line: groups on different environments differ in env.id, and
 * their other env settings (a shop's ~60) say nothing more, so they are counted, not listed; at
 * most 12 are named.
 */
export function differencesText(differences: readonly string[]): string {
  if (differences.length === 0) return 'none shown';
  let shown = [...differences];
  if (shown.includes('env.id')) {
    const others = shown.filter((p) => p.startsWith('env.') && p !== 'env.id').length;
    shown = [`env.id${others > 0 ? ` (and ${others} settings of the environments, not compared across environments)` : ''}`, ...shown.filter((p) => !p.startsWith('env.'))];
  }
  return shown.length > 12 ? `${shown.slice(0, 12).join(', ')}, … (${shown.length} in all; --json lists them)` : shown.join(', ');
}
