/**
 * Compare's parameter study, the classic picture of a sweep (Sutton & Barto, figs. 6.3 and 10.x):
 * each group's final-performance mean, with its Student's t 95 % interval, against the value of the
 * setting the sweep varied, a line per value of a second varied setting. Built from the comparison
 * as the service answers it (the figures are the final-performance table's, not computed again),
 * for the app's panel, `aisle compare` and the Markdown report alike.
 */
import { configCellText, diffRows } from './config-diff';
import { finalRuns, groupLetter } from './compare-text';
import { estimateColumns } from './figures';
import type { CompareGroup, CompareResult } from './dto';

/** A group as a point of the study. */
export interface ParameterStudyPoint {
  /** The group's index in CompareResult.groups (its letter in the tables: A, B, …). */
  readonly group: number;
  /** The value of the study's x setting. */
  readonly x: number;
  /** The value of its series setting, when two settings differ (any JSON value: a number, a word, true). */
  readonly series?: unknown;
  /** Runs in the group: one has no interval. */
  readonly n: number;
  /** The final-performance mean and its Student's t 95 % CI (null ends for one run), as the group's `final` holds them. */
  readonly mean: number;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** The points of one value of the series setting (all of them when there is none), by x. */
export interface ParameterStudyLine {
  /** "epsilon=0.05"; the x setting's short name when there is no series. */
  readonly label: string;
  readonly series?: unknown;
  readonly points: readonly ParameterStudyPoint[];
}

export interface ParameterStudy {
  /** The setting on the x axis, a config path ("agent.alpha"). */
  readonly x: string;
  /** The other setting that differs, a line per value of it. */
  readonly series?: string;
  /** The settings that can go on x (numeric in every group, 3 values or more), the default first. */
  readonly xChoices: readonly string[];
  /** x's values are all above 0 and span 2 decades or more (alpha 0.001 … 1): a log axis spaces them evenly. */
  readonly logScale: boolean;
  /** Every group, sorted by x, then by the series' value. */
  readonly points: readonly ParameterStudyPoint[];
  /** A line per value of the series setting, in the series' order (one line without a series). */
  readonly lines: readonly ParameterStudyLine[];
}

/** Fewest distinct values of a setting that make a curve (two points make only a difference). */
export const STUDY_VALUES = 3;

/** Decades x must span for a log axis (alpha 0.01 … 1): fewer read well on a linear one. */
const LOG_DECADES = 2;

/** x's values are all above 0 and span LOG_DECADES or more: a log axis spaces them evenly. */
export function wantsLogScale(xs: readonly number[]): boolean {
  return xs.every((v) => v > 0) && Math.log10(Math.max(...xs) / Math.min(...xs)) >= LOG_DECADES - 1e-9;
}

/** A setting's name as a legend or an axis names it: "alpha" for agent.alpha, "epsilon.start", "env.maxSteps" → "maxSteps". */
export function settingName(path: string): string {
  const dot = path.indexOf('.');
  return dot > 0 && (path.startsWith('agent.') || path.startsWith('env.')) ? path.slice(dot + 1) : path;
}

/** A value as the config diff shows it ("0.05", "30,000", "true", "—" for none). */
export function settingValueText(value: unknown): string {
  return configCellText(value);
}

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Series values in order: numbers ascending; otherwise as their text reads, a missing value last. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (isNumber(a) && isNumber(b)) return a - b;
  return settingValueText(a).localeCompare(settingValueText(b));
}

/** Whether some value of a setting is held by one group only (JSON text decides equality, as the config diff's). */
export function hasLoneValue(values: readonly unknown[]): boolean {
  const counts = new Map<string, number>();
  for (const v of values) {
    const key = JSON.stringify(v) ?? 'undefined';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()].some((n) => n === 1);
}

/**
 * The study of a comparison, or null when it has none: unless the groups' configs differ in exactly
 * one or two settings (CompareResult.differences), one of them a number in every group with 3
 * distinct values or more, a picture against a setting's value has nothing to put on its x axis (a
 * sweep of two values is a difference, in the final-performance table already). x is `preferredX`
 * when it can be, otherwise the numeric setting with the most values (the first of them in the
 * differences' order on a tie). Also null when two groups would be one point (the same values of
 * both settings: they differ in something the study does not show), and when the groups are no grid:
 * a value of the series setting (the one not on the default x) held by a single group, as a random
 * search's are (sliceStudy, in slice-study.ts, is the picture of those). Null too for groups on
 * different environments (CompareResult.environments of kind 'tasks').
 */
export function parameterStudy(result: Pick<CompareResult, 'groups' | 'differences'> & Partial<Pick<CompareResult, 'environments'>>, preferredX?: string | null): ParameterStudy | null {
  const { groups, differences } = result;
  // Groups on different environments compare tasks, not settings: no value of theirs is a setting's effect.
  if (result.environments?.kind === 'tasks') return null;
  if (groups.length < STUDY_VALUES || differences.length < 1 || differences.length > 2) return null;
  const rows = diffRows(groups, differences);
  const valuesOf = (path: string): readonly unknown[] => rows.find((r) => r.path === path)?.values ?? groups.map(() => undefined);
  const distinct = (path: string) => new Set(valuesOf(path).map((v) => JSON.stringify(v))).size;
  const xChoices = differences
    .filter((path) => valuesOf(path).every(isNumber) && distinct(path) >= STUDY_VALUES)
    .sort((a, b) => distinct(b) - distinct(a)); // stable: a tie keeps the differences' order
  if (xChoices.length === 0) return null;
  // A random search, not a grid: a value of the series setting held by one group would be a line of
  // one point (twelve sampled pairs, twelve dots in twelve colours). sliceStudy shows those.
  const defaultSeries = differences.find((path) => path !== xChoices[0]);
  if (defaultSeries !== undefined && hasLoneValue(valuesOf(defaultSeries))) return null;
  const x = preferredX && xChoices.includes(preferredX) ? preferredX : xChoices[0]!;
  const series = differences.find((path) => path !== x);
  const xs = valuesOf(x) as readonly number[];
  const seriesValues = series === undefined ? undefined : valuesOf(series);

  const points: ParameterStudyPoint[] = groups.map((g, i) => ({
    group: i,
    x: xs[i]!,
    ...(seriesValues ? { series: seriesValues[i] } : {}),
    n: finalRuns(g.final),
    mean: g.final.mean,
    lo: g.final.meanLo,
    hi: g.final.meanHi,
  }));
  points.sort((a, b) => a.x - b.x || compareValues(a.series, b.series));
  const key = (p: ParameterStudyPoint) => JSON.stringify([p.x, p.series ?? null]);
  if (new Set(points.map(key)).size < points.length) return null;

  const lineValues = seriesValues ? [...new Map(seriesValues.map((v) => [JSON.stringify(v), v])).values()].sort(compareValues) : [undefined];
  const lines = lineValues.map(
    (value): ParameterStudyLine =>
      series === undefined
        ? { label: settingName(x), points }
        : {
            label: `${settingName(series)}=${settingValueText(value)}`,
            series: value,
            points: points.filter((p) => JSON.stringify(p.series) === JSON.stringify(value)),
          },
  );
  const logScale = wantsLogScale(xs);
  return { x, ...(series !== undefined ? { series } : {}), xChoices, logScale, points, lines };
}

/** What `aisle compare --json` prints of a study: its settings, its axis and its points. */
export function parameterStudyJson(study: ParameterStudy | null): Pick<ParameterStudy, 'x' | 'series' | 'logScale' | 'points'> | null {
  if (!study) return null;
  return { x: study.x, ...(study.series !== undefined ? { series: study.series } : {}), logScale: study.logScale, points: study.points };
}

/** The x axis's title: "alpha (agent.alpha), log scale". */
export function studyAxisTitle(study: Pick<ParameterStudy, 'x' | 'logScale'>): string {
  const name = settingName(study.x);
  return `${name}${name !== study.x ? ` (${study.x})` : ''}${study.logScale ? ', log scale' : ''}`;
}

/** What the study shows, in a sentence (the app's hint, the CLI's line above the table, the report's paragraph). */
export function parameterStudyText(study: ParameterStudy, metric: string): string {
  const oneRun = study.points.filter((p) => p.n < 2).length;
  return (
    `Mean final ${metric} against ${study.x}${study.logScale ? ' (log scale: its values span 2 decades or more)' : ''}` +
    `${study.series !== undefined ? `, a line per value of ${study.series}` : ''}: each group's mean and its Student's t 95 % CI, ` +
    `the final-performance table's figures${oneRun > 0 ? `; ${oneRun === study.points.length ? 'every group has' : `${oneRun} of the groups have`} one run, a point without an interval` : ''}.`
  );
}

/** The study's table header: the settings, then the group, its runs, its mean and the mean's interval. */
export function parameterStudyHeader(study: Pick<ParameterStudy, 'x' | 'series'>): string[] {
  return [study.x, ...(study.series !== undefined ? [study.series] : []), 'group', 'runs', 'mean', 'mean 95% CI (t)'];
}

/** A point's figures as the tables write them: its settings' values, its mean and the mean's interval. */
export interface StudyPointText {
  readonly point: ParameterStudyPoint;
  readonly x: string;
  readonly series?: string;
  readonly mean: string;
  readonly interval: string;
}

/**
 * The study's points, by x then series, written as the final-performance table writes its means:
 * the decimals are taken over the same figures (every group's), so a point reads exactly as its
 * group's row does, and a group of one run reads "n/a (1 run)".
 */
export function parameterStudyTexts(study: ParameterStudy, groups: readonly Pick<CompareGroup, 'final'>[]): StudyPointText[] {
  const columns = estimateColumns(groups.map(({ final: f }) => ({ point: f.mean, lo: f.meanLo, hi: f.meanHi, runs: finalRuns(f) })));
  return study.points.map((point) => {
    const [mean, interval] = columns[point.group]!;
    return { point, x: settingValueText(point.x), ...(study.series !== undefined ? { series: settingValueText(point.series) } : {}), mean, interval };
  });
}

/** The study's rows for the command and the report, as parameterStudyHeader names the columns. */
export function parameterStudyRows(study: ParameterStudy, groups: readonly Pick<CompareGroup, 'final'>[]): string[][] {
  return parameterStudyTexts(study, groups).map((t) => [t.x, ...(t.series !== undefined ? [t.series] : []), groupLetter(t.point.group), String(t.point.n), t.mean, t.interval]);
}

/**
 * A point's hover text: "−12.3 [−14.1, −10.5] (5 runs)"; an interval that is "n/a (…)" already
 * says its runs ("n/a (1 run)", "n/a (all 5 runs equal)"), so they are not said twice.
 */
export function pointText(mean: string, interval: string, runs: number): string {
  return interval.startsWith('n/a (') ? `${mean} ${interval}` : `${mean} ${interval} (${runs === 1 ? '1 run' : `${runs} runs`})`;
}
