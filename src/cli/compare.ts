/**
 * `aisle compare`: Compare's statistics on the command line, for a terminal or a CI job: runs
 * grouped by configuration, each group's final performance (mean and IQM with 95 % stratified
 * bootstrap CIs), rliable's probability of improvement between groups with its verdict, the
 * settings that differ, and the runs that stopped early. The numbers are the app's (one service
 * function, src/main/service/compare.ts); --json prints them whole, curves included.
 */
import { parseOrThrow, ValidationError } from '../engine/params';
import { commands, type ParsedInput } from '../shared/contract';
import { cellVerdict, environmentsText, fewRunsCaution, finalWindowNote, intervalText, NO_VERDICT_TEXT, pairedProbability, partialProgress, REPEATS_TEXT, seedList } from '../shared/compare-text';
import type { CompareResult } from '../shared/dto';
import { compareRuns } from '../main/service/compare';
import { fittedTable, fmt, openStore, outputWidth, printJson, table, wrapped, type GlobalOptions } from './context';
import { displayWidth, padded } from './display-width';

export interface CompareOptions extends GlobalOptions {
  runs?: number[];
  metric?: string;
  finalWindow?: number;
  seed?: number;
}

export function compareCommand(experimentIds: number[], opts: CompareOptions): number {
  if (experimentIds.length === 0 && (opts.runs ?? []).length === 0) {
    throw new ValidationError(['nothing to compare: name experiments (aisle compare 1 2) or runs (--runs 3 4 5); `aisle experiments` lists them']);
  }
  const input = compareInput(experimentIds, opts);
  const store = openStore(opts, { reads: true });
  let result: CompareResult;
  try {
    result = compareRuns(store, input);
  } finally {
    store.close();
  }
  if (opts.json) printJson(result);
  else process.stdout.write(compareText(result, input.seed));
  return 0;
}

/** What to compare, checked as the app's Compare checks it (the defaults filled in). */
export function compareInput(experimentIds: readonly number[], opts: Omit<CompareOptions, keyof GlobalOptions>): ParsedInput<'compare.runs'> {
  return parseOrThrow(commands['compare.runs'], {
    experimentIds,
    runIds: opts.runs ?? [],
    ...(opts.metric !== undefined ? { metric: opts.metric } : {}),
    ...(opts.finalWindow !== undefined ? { finalWindow: opts.finalWindow } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
}

/** Groups are named A, B, … in the tables (labels can be long). */
const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `G${i + 1}`);

export function compareText(result: CompareResult, seed: number, width = outputWidth()): string {
  const out: string[] = [];
  const { groups } = result;
  // Sentences wrap at the width too (words whole), as the tables fit it.
  const say = (text: string) => out.push(wrapped('', text, width));
  say(`${result.metric}: a run's final value is its mean over its last ${result.finalWindow} episodes; 95 % stratified bootstrap CIs (rliable), seed ${seed}`);
  const window = finalWindowNote(result);
  if (window) say(`note: ${window}`);
  const environments = environmentsText(result);
  if (environments) say(`warning: ${environments}`);
  out.push('');
  out.push(groupsTable(result, width));
  if (groups.length > 1) {
    out.push('');
    say(
      "P(row > column) with its 95 % CI: the chance that a run of the row's group ends above a run of the column's (rliable's probability of " +
        'improvement); "better" or "worse" when the whole interval lies on one side of 0.5, "no verdict" when the runs cannot tell.',
    );
    say(NO_VERDICT_TEXT);
    out.push('');
    out.push(
      fittedTable(
        ['', ...groups.map((_, j) => letter(j))],
        groups.map((_, i) => [
          letter(i),
          ...groups.map((__, j) => {
            if (i === j) return '–';
            const cell = result.improvement[i]![j]!;
            const { verdict, withheld } = cellVerdict(result, i, j);
            const word = verdict ?? (withheld ? 'no verdict' : undefined);
            return `${fmt(pairedProbability(result.improvement, i, j, 3), 3)} [${fmt(cell.lo, 3)}, ${fmt(cell.hi, 3)}]${word ? ` ${word}` : ''}`;
          }),
        ]),
        1,
        width,
      ),
    );
    const withheld = new Set(groups.flatMap((_, i) => groups.map((__, j) => (i === j ? undefined : cellVerdict(result, i, j).withheld))).filter((w) => w !== undefined));
    if (withheld.size > 0) {
      out.push('');
      withheld.forEach(say);
    }
    const caution = fewRunsCaution(groups.map((g) => g.final.values.length));
    if (caution) {
      out.push('');
      say(caution);
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
    out.push('', 'stopped early (their final value is from earlier in training than a finished run\'s):');
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
  const header = ['group', 'runs', 'seeds', 'mean', 'mean 95% CI', 'IQM', 'IQM 95% CI'];
  const rows = result.groups.map((g) => [
    String(g.runIds.length),
    seedList(g.seeds),
    fmt(g.final.mean),
    intervalText(g.final.meanLo, g.final.meanHi, g.final.values.length, fmt),
    fmt(g.final.iqm),
    intervalText(g.final.iqmLo, g.final.iqmHi, g.final.values.length, fmt),
  ]);
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
