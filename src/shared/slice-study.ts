/**
 * Compare's parameter study for a random search (Optuna's slice plot): where the groups differ in
 * several numeric settings at values of their own, no grid of lines can hold them, so each setting
 * gets its own scatter of every group's final mean (with its Student's t 95 % interval) against that
 * setting's value, the points not joined, and the best group is named with all its values. Built,
 * as the grid's study is, from the comparison's figures, for the app, `aisle compare` and the report.
 */
import { diffRows } from './config-diff';
import { finalRuns, groupLetter } from './compare-text';
import { estimateColumns } from './figures';
import type { CompareGroup, CompareResult } from './dto';
import type { MetricDirection } from '../engine/metric-direction';
import { hasLoneValue, isNumber, parameterStudy, parameterStudyHeader, parameterStudyJson, parameterStudyRows, parameterStudyText, settingName, settingValueText, STUDY_VALUES, wantsLogScale, type ParameterStudy, type ParameterStudyPoint } from './parameter-study';

/** Most panels drawn: more settings than this are listed as not shown (their values stay in the table). */
export const SLICE_PANELS = 6;

/** A group as the slice study holds it: its values of every differing setting, its mean and interval. */
export interface SlicePoint {
  /** The group's index in CompareResult.groups (its letter: A, B, …). */
  readonly group: number;
  /** The group's value of each differing setting, by config path. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly n: number;
  readonly mean: number;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** One setting's scatter: every group's mean against the group's value of it, by value. */
export interface SlicePanel {
  /** The setting on this panel's x axis, a config path. */
  readonly x: string;
  /** As the grid's study decides it: values above 0 spanning 2 decades or more. */
  readonly logScale: boolean;
  readonly points: readonly ParameterStudyPoint[];
}

/** A differing setting without a panel: a choice of words (no numeric axis), or past SLICE_PANELS. */
export interface SliceLeftOut {
  readonly path: string;
  readonly why: 'words' | 'panels';
}

export interface SliceStudy {
  readonly kind: 'slice';
  /** Every setting the groups differ in, in the comparison's order (the table's columns). */
  readonly settings: readonly string[];
  readonly panels: readonly SlicePanel[];
  readonly leftOut: readonly SliceLeftOut[];
  /**
   * The group with the best mean as the metric's direction reads it (CompareResult.direction): the
   * highest, or the lowest for a metric better low (a loss, the shop's gini). For a metric without a
   * better direction it is the highest, and `highestOnly` says it is no better for that.
   */
  readonly best: number;
  /** Present when the metric has no better direction: `best` is then only the highest mean, named "highest", never "best". */
  readonly highestOnly?: true;
  /** Every group, best first (by mean: highest first, lowest first for a metric better low; a tie keeps the groups' order). */
  readonly points: readonly SlicePoint[];
}

/** The study Compare shows: the grid's (today's lines) or the slice study, or none. */
export type ComparisonStudy = (ParameterStudy & { readonly kind: 'grid' }) | SliceStudy;

/**
 * The slice study of a comparison, or null when the groups make a grid or nothing at all. The groups
 * are a search, not a grid, when 3 or more of them differ in 3 settings or more, or in two of which
 * some value is held by a single group (on the grid's picture, a line of one point), and at least
 * one differing setting is a number in every group. One setting alone is always the grid's study
 * (its points joined by value), and two settings whose every value is shared (a 2 × 2 sweep, a
 * partial grid) stay the grid's or nothing, as before.
 */
export function sliceStudy(result: Pick<CompareResult, 'groups' | 'differences'> & Partial<Pick<CompareResult, 'direction' | 'environments'>>): SliceStudy | null {
  const { groups, differences } = result;
  // Groups on different environments: their settings are the environments' own, and a "best" among them would rank tasks.
  if (result.environments?.kind === 'tasks') return null;
  if (groups.length < STUDY_VALUES || differences.length < 2) return null;
  const rows = diffRows(groups, differences);
  const valuesOf = (path: string): readonly unknown[] => rows.find((r) => r.path === path)?.values ?? groups.map(() => undefined);
  if (differences.length === 2 && (parameterStudy(result) !== null || !differences.some((path) => hasLoneValue(valuesOf(path))))) return null;

  const numeric = differences.filter((path) => valuesOf(path).every(isNumber));
  if (numeric.length === 0) return null;
  const leftOut: SliceLeftOut[] = [
    ...differences.filter((path) => !numeric.includes(path)).map((path): SliceLeftOut => ({ path, why: 'words' })),
    ...numeric.slice(SLICE_PANELS).map((path): SliceLeftOut => ({ path, why: 'panels' })),
  ];
  const figures = (g: CompareGroup) => ({ n: finalRuns(g.final), mean: g.final.mean, lo: g.final.meanLo, hi: g.final.meanHi });
  const panels = numeric.slice(0, SLICE_PANELS).map((x): SlicePanel => {
    const xs = valuesOf(x) as readonly number[];
    const points = groups.map((g, i): ParameterStudyPoint => ({ group: i, x: xs[i]!, ...figures(g) }));
    points.sort((a, b) => a.x - b.x || a.group - b.group);
    return { x, logScale: wantsLogScale(xs), points };
  });
  const points = groups.map((g, i): SlicePoint => ({ group: i, values: Object.fromEntries(differences.map((path) => [path, valuesOf(path)[i]])), ...figures(g) }));
  // Higher first, or lower first for a metric better low; a group without a finite mean (no episodes
  // in its window) ranks last, never best.
  const sign = result.direction === 'lower' ? -1 : 1;
  const rank = (p: SlicePoint) => (Number.isFinite(p.mean) ? sign * p.mean : -Infinity);
  points.sort((a, b) => rank(b) - rank(a) || a.group - b.group);
  return { kind: 'slice', settings: [...differences], panels, leftOut, best: points[0]!.group, ...(result.direction === null ? { highestOnly: true as const } : {}), points };
}

/** The study of a comparison as Compare shows it: a grid's when the groups make one, else a search's slices, else none. */
export function comparisonStudy(result: Pick<CompareResult, 'groups' | 'differences'> & Partial<Pick<CompareResult, 'direction' | 'environments'>>, preferredX?: string | null): ComparisonStudy | null {
  const grid = parameterStudy(result, preferredX);
  return grid ? { kind: 'grid', ...grid } : sliceStudy(result);
}

/** What `aisle compare --json` prints as `parameterStudy`: the grid's shape as before with `kind: 'grid'`, or the slices. */
export function comparisonStudyJson(study: ComparisonStudy | null): ({ kind: 'grid' } & NonNullable<ReturnType<typeof parameterStudyJson>>) | SliceStudy | null {
  if (!study) return null;
  return study.kind === 'grid' ? { kind: 'grid', ...parameterStudyJson(study)! } : study;
}

/**
 * The best group in words: "best: B, alpha=0.0123, epsilon=0.145, mean -17.2 [-19.0, -15.4]"
 * (figures as the final-performance table writes them); "highest: B, …" for a metric without a
 * better direction, whose first point is only the highest.
 */
export function sliceBestText(study: SliceStudy, groups: readonly Pick<CompareGroup, 'final'>[], nameOf: (group: number) => string = groupLetter): string {
  const best = study.points[0]!;
  const [mean, interval] = sliceFigures(groups)[best.group]!;
  const values = study.settings.map((path) => `${settingName(path)}=${settingValueText(best.values[path])}`).join(', ');
  return `${study.highestOnly ? 'highest' : 'best'}: ${nameOf(best.group)}, ${values}, mean ${mean} ${interval}`;
}

/** What the slice study marks, in a sentence's words: "The best (highest mean) is marked", and so on for the other directions. */
function markedText(study: SliceStudy, metric: string, direction: MetricDirection | undefined): string {
  if (study.highestOnly) return `The highest mean is marked, not called best: ${metric} has no better direction`;
  return direction === 'lower' ? `The best (lowest mean: a lower ${metric} is better) is marked` : 'The best (highest mean) is marked';
}

function sliceFigures(groups: readonly Pick<CompareGroup, 'final'>[]): [string, string][] {
  return estimateColumns(groups.map(({ final: f }) => ({ point: f.mean, lo: f.meanLo, hi: f.meanHi, runs: finalRuns(f) })));
}

/** What the slice study shows, in a sentence (the app's caption, the CLI's line, the report's paragraph), its best group last. */
export function sliceStudyText(study: SliceStudy, metric: string, groups: readonly Pick<CompareGroup, 'final'>[], direction?: MetricDirection, nameOf: (group: number) => string = groupLetter): string {
  const shown = study.panels.map((p) => `${p.x}${p.logScale ? ' (log scale)' : ''}`);
  const words = study.leftOut.filter((l) => l.why === 'words').map((l) => l.path);
  const many = study.leftOut.filter((l) => l.why === 'panels').map((l) => l.path);
  const notes = [
    ...(words.length > 0 ? [`${words.join(', ')} not drawn (not a number in every group; its values are in the table)`] : []),
    ...(many.length > 0 ? [`${many.join(', ')} not drawn (${SLICE_PANELS} panels at most; the values are in the table)`] : []),
  ];
  return (
    `A search, not a grid: the groups differ in ${study.settings.length} settings at values of their own, so each setting gets a panel of ` +
    `every group's mean final ${metric} (Student's t 95 % CI) against its value, the points not joined: ${shown.join(', ')}` +
    `${notes.length > 0 ? `; ${notes.join('; ')}` : ''}. ${markedText(study, metric, direction)}; ${sliceBestText(study, groups, nameOf)}.`
  );
}

/** The slice study's table header: every differing setting, then the group, its runs, its mean and the mean's interval. */
export function sliceStudyHeader(study: SliceStudy): string[] {
  return [...study.settings, 'group', 'runs', 'mean', 'mean 95% CI (t)'];
}

/** The slice study's rows, best first (highest first for a metric without direction), the figures written as the final-performance table writes them. */
export function sliceStudyRows(study: SliceStudy, groups: readonly Pick<CompareGroup, 'final'>[], nameOf: (group: number) => string = groupLetter): string[][] {
  const figures = sliceFigures(groups);
  return study.points.map((p) => [...study.settings.map((path) => settingValueText(p.values[path])), nameOf(p.group), String(p.n), ...figures[p.group]!]);
}

/**
 * The study as the command and the report write it, or null: its sentence, its header and its rows
 * (a grid's by x then series, a search's best first; the figures as the final-performance table's).
 */
export function studyTable(
  result: Pick<CompareResult, 'groups' | 'differences' | 'metric'> & Partial<Pick<CompareResult, 'direction' | 'environments'>>,
  preferredX: string | null,
): { text: string; header: string[]; rows: string[][] } | null {
  const study = comparisonStudy(result, preferredX);
  if (!study) return null;
  const { groups, metric } = result;
  return study.kind === 'grid'
    ? { text: parameterStudyText(study, metric), header: parameterStudyHeader(study), rows: parameterStudyRows(study, groups) }
    : { text: sliceStudyText(study, metric, groups, result.direction), header: sliceStudyHeader(study), rows: sliceStudyRows(study, groups) };
}
