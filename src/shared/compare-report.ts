/**
 * Compare as a Markdown report, for writing up what was compared: the selection, each group's final
 * performance, the probability-of-improvement matrix with its verdicts, the caveats and the
 * settings that differ. The figures and the words are `aisle compare`'s (compare-text.ts, figures.ts), so the
 * report, the command and the app's Compare say one thing. `aisle compare --markdown` prints it;
 * the app's Save report downloads it.
 */
import {
  compareHeading,
  environmentsText,
  evaluationSplitsText,
  fewRunsCaution,
  fewRunsIntervalsText,
  FINAL_PERFORMANCE_HEADER,
  finalPerformanceRows,
  finalRuns,
  finalWindowNote,
  groupLetter,
  hasFewRuns,
  improvementCellText,
  improvementHeader,
  improvementLegend,
  metricHeading,
  NO_VERDICT_TEXT,
  pairedText,
  pairingLines,
  partialProgress,
  partialRunsText,
  REPEATS_TEXT,
  trainingLengthsText,
  withheldReasons,
  withoutFinalText,
} from './compare-text';
import { configCellText, diffRows } from './config-diff';
import type { CompareResult } from './dto';
import { studyTable } from './slice-study';
import { plural } from './text';

export interface CompareReportInput {
  /** The service's comparison: its metric, final window and groups (named by their labels) are the report's. */
  readonly result: CompareResult;
  /** The experiments picked, with their names where known. */
  readonly experiments: readonly { readonly id: number; readonly name?: string }[];
  /** Runs picked by number, besides the experiments'. */
  readonly runIds: readonly number[];
  /** The bootstrap resampling's seed (the service's default is 0). */
  readonly seed: number;
  /** The setting the parameter study puts on x, when the app's Compare chose one (see parameterStudy). */
  readonly studyX?: string | null;
}

/**
 * Text safe in a Markdown table cell or line: a `|` would end the cell, and `\ * _ ` [ ] <` would
 * turn a name into emphasis, code, a link or HTML. A line break would end the row.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\|*_`[\]<]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, ' ');
}

function tableText(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('left' | 'right')[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (align[i] === 'right' ? '--:' : '---'))), ...rows.map(line)].join('\n');
}

/** The selection in words: "experiments #1 “cliff q”, #2 “cliff sarsa”; runs #7, #8". */
function selectionText(input: CompareReportInput): string {
  const parts: string[] = [];
  if (input.experiments.length > 0) {
    const named = input.experiments.map((e) => `#${e.id}${e.name ? ` “${markdownText(e.name)}”` : ''}`);
    parts.push(`${input.experiments.length === 1 ? 'experiment' : 'experiments'} ${named.join(', ')}`);
  }
  if (input.runIds.length > 0) parts.push(`${input.runIds.length === 1 ? 'run' : 'runs'} ${input.runIds.map((id) => `#${id}`).join(', ')}`);
  return parts.join('; ');
}

/** The report, Markdown (GitHub's tables), ending with a newline. */
export function compareReport(input: CompareReportInput): string {
  const { result } = input;
  const { groups } = result;
  const out: string[] = [];
  const paragraph = (...lines: string[]) => out.push('', ...lines);
  const name = (i: number) => `${groupLetter(i)} · ${markdownText(groups[i]!.label)}`;

  out.push(`# Aisle comparison: ${markdownText(metricHeading(result))}, ${plural(groups.length, 'group')}`);
  paragraph(`Compared: ${selectionText(input)}.`);
  paragraph(`${markdownText(compareHeading(result, input.seed))}.`);
  const window = finalWindowNote(result);
  if (window) paragraph(`> **Note:** ${window}`);
  const environments = environmentsText(result);
  if (environments) paragraph(`> **Warning:** ${environments}`);
  const lengths = trainingLengthsText(result);
  if (lengths) paragraph(`> **Warning:** ${lengths}`);
  for (const split of evaluationSplitsText(result)) paragraph(`> **Warning:** ${markdownText(split)}`);
  const without = withoutFinalText(result);
  if (without) paragraph(`> **Warning:** ${markdownText(without)}`);

  paragraph('## Final performance');
  if (groups.length === 0) {
    paragraph(`None of the selected runs has recorded “${markdownText(result.metric)}”.`);
    return `${out.join('\n')}\n`;
  }
  paragraph(
    tableText(
      FINAL_PERFORMANCE_HEADER,
      finalPerformanceRows(groups).map((cells, i) => [name(i), ...cells]),
      ['left', 'right', 'left', 'right', 'right', 'right', 'right'],
    ),
  );
  paragraph(...groups.map((g, i) => `- ${groupLetter(i)}: runs ${g.runIds.map((id) => `#${id}`).join(', ')}, config hash \`${g.configHash.slice(0, 8)}\``));
  if (hasFewRuns(groups.map((g) => finalRuns(g.final)))) paragraph(fewRunsIntervalsText(result.direction));
  const partial = groups.flatMap((g) => g.partial);
  if (partial.length > 0) paragraph(partialRunsText(partial.length, result.finalWindow), '', ...partial.map((r) => `- run #${r.runId} (seed ${r.seed}): ${partialProgress(r)}`));
  const repeats = groups.flatMap((g) => g.repeats);
  if (repeats.length > 0) paragraph(REPEATS_TEXT, '', ...repeats.map((r) => `- run #${r.runId} repeats run #${r.sameAs} (seed ${r.seed})`));

  // A sweep's lines or a search's slices: either way a sentence and a table (see studyTable).
  const study = studyTable(result, input.studyX ?? null);
  if (study) {
    paragraph('## Parameter study');
    paragraph(markdownText(study.text));
    const { header } = study;
    paragraph(
      tableText(
        header.map(markdownText),
        // The settings' values are config text (a word could hold a `|`); the figures are written as the final-performance table's.
        study.rows.map((cells) => cells.map((cell, i) => (i < header.length - 4 ? markdownText(cell) : cell))),
        // The settings and the group read as names; the runs, the mean and its interval as figures.
        header.map((_, i) => (i < header.length - 3 ? 'left' : 'right')),
      ),
    );
  }

  if (groups.length > 1) {
    paragraph('## Probability of improvement');
    paragraph(improvementLegend(result));
    paragraph(
      tableText(
        [improvementHeader(result.direction), ...groups.map((_, j) => groupLetter(j))],
        groups.map((_, i) => [groupLetter(i), ...groups.map((__, j) => (i === j ? '–' : improvementCellText(result, i, j)))]),
        ['left', ...groups.map(() => 'right' as const)],
      ),
    );
    // Which test each pair was read with: paired by seed, with its mean difference, or unpaired and why.
    const pairing = pairingLines(result);
    if (pairing.length > 0) paragraph(...pairing.map((line) => `- ${line}`));
    if (result.improvement.some((row) => row.some((cell) => cell.paired))) paragraph(pairedText("compare with `aisle compare --unpaired`, or untick “Pair by seed” in the app's Compare"));
    const withheld = withheldReasons(result);
    if (withheld.length > 0) paragraph(...withheld.map((w) => `- ${w}`));
    paragraph(NO_VERDICT_TEXT);
    const caution = fewRunsCaution(groups.map((g) => finalRuns(g.final)));
    if (caution) paragraph(`> **Caution:** ${caution}`);
  }

  paragraph('## Configuration');
  out.push('', ...configSection(result));
  return `${out.join('\n')}\n`;
}

/**
 * The parameters whose values differ, a column per group. Groups on different environments differ
 * in env.id, and their other env settings (a shop's ~60) say nothing more: they are counted, not
 * listed, as `aisle compare` does.
 */
function configSection(result: CompareResult): string[] {
  const { groups } = result;
  if (groups.length < 2) return ['One group: nothing to tell apart.'];
  const tasks = result.environments?.kind === 'tasks';
  const differing = diffRows(groups, result.differences).filter((r) => r.differs);
  const left = tasks ? differing.filter((r) => r.path.startsWith('env.') && r.path !== 'env.id') : [];
  const shown = differing.filter((r) => !left.includes(r));
  if (shown.length === 0) return ['The groups’ configs are identical (they differ only in what the config hash leaves out).'];
  const lines = [
    tableText(
      ['parameter', ...groups.map((_, j) => groupLetter(j))],
      shown.map((r) => [markdownText(r.path), ...r.values.map((v) => markdownText(configCellText(v)))]),
      ['left', ...groups.map(() => 'left' as const)],
    ),
  ];
  if (left.length > 0) lines.push('', `And ${plural(left.length, 'setting')} of the environments, not compared across environments.`);
  return lines;
}

/** The report's file name without extension, after what was compared: "aisle-compare-1-2", "aisle-compare-1-runs-7-8". */
export function compareFileStem(experimentIds: readonly number[], runIds: readonly number[]): string {
  const list = (ids: readonly number[]) => (ids.length > 8 ? `${ids.slice(0, 8).join('-')}-and-${ids.length - 8}-more` : ids.join('-'));
  const parts = ['aisle-compare'];
  if (experimentIds.length > 0) parts.push(list(experimentIds));
  if (runIds.length > 0) parts.push('runs', list(runIds));
  return parts.join('-');
}
