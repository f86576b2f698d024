/**
 * The app's off-policy evaluation of a logs file's text (the `logs.evaluate` command), as one
 * function the service runs in a worker of its own (jobs/run-in-worker.ts): the same engine calls
 * as `aisle ope` (src/engine/ope), with the app's wording for naming a column. What the user can
 * fix (a malformed row, a missing column, no row matching, a policy these logs cannot evaluate)
 * comes back as problems; stored policies are read by the caller and arrive parsed.
 */
import { checkedHeader, headerNames, OPEN_QUOTE_FAULT, rowShapeProblem, splitCsvLine, textLines } from '../engine/csv';
import { defaultLogColumn, logsFileEmpty, logsWithoutRows, parseEvaluatedLogLines, parseLogLinesToFit, parseTargetRowLines, type LogColumns } from '../engine/ope/csv';
import { describeWhere, holdoutText, labelOrder, type HoldoutChoice } from '../engine/ope/data';
import { fitOverlaps, fitOverlapText, type FittedRows } from '../engine/ope/fitted-rows';
import { fitSimulator } from '../engine/ope/simulator';
import type { OffPolicyOptions } from '../engine/ope/estimators';
import { evaluateTargets, type OpeProgress, type TargetSpec } from '../engine/ope/run';
import { ValidationError } from '../engine/params';
import type { LogsEvaluation, LogsInspection, LogsSimulator } from '../shared/dto';
import { simulatorEnvHash } from './fitted-env';

type Role = keyof LogsInspection['roles'];

/** A column's distinct values are listed (for filters and targets) up to this many. */
export const MAX_LISTED_VALUES = 50;
/** Combinations of the listed columns' values sent with an inspection, at most (beyond: over fewer columns, see combinationsOf). */
export const MAX_COMBINATIONS = 20_000;
/** Malformed rows listed before inspecting stops, as the engine's reader does. */
const MAX_PROBLEMS = 10;

export interface LogsTask {
  readonly text: string;
  readonly fileName: string;
  readonly where: Readonly<Record<string, string>>;
  readonly columns: LogColumns;
  readonly specs: readonly TargetSpec[];
  readonly options: OffPolicyOptions;
  /** Evaluate on the rows a holdout sets aside only (see heldOutPart; {}: on every row kept). */
  readonly holdout: HoldoutChoice;
}

export type LogsTaskResult = { ok: true; result: LogsEvaluation } | { ok: false; problems: readonly string[] };

/** How the Off-policy screen scores the rows a fit held out (the CLI names its options instead). */
const appHeldOut = (fit: FittedRows): string =>
  `evaluate on ${Object.keys(fit.where).length > 0 ? `the rows where ${describeWhere(fit.where)}` : 'every row (no filter)'} with Holdout ${holdoutText(fit)!}`;

/** How the app asks for a role's column (the CLI's messages name its options instead). */
export const appHowToName = (role: string): string => `choose the ${role} column`;

/** The progress is told at most this often (ms), and at its end: the app draws it, and no more often is needed. */
const PROGRESS_MS = 100;

/**
 * `onProgress`, when given, hears how far the bootstrap has gone (at most every PROGRESS_MS, and its
 * end); the results are the same with it or without.
 */
export async function runLogsTask({ text, fileName, where, columns, specs, options, holdout }: LogsTask, onProgress?: (progress: OpeProgress) => void): Promise<LogsTaskResult> {
  const lines = textLines(text);
  const read = { ...columns, howToName: appHowToName };
  try {
    // The rows evaluated (those the holdout sets aside) alone need a propensity: the others are never weighted.
    const fix = holdout.holdoutLast !== undefined ? 'keep more rows (the row filter)' : 'hold out 1 in 2 or 3';
    const data = await parseEvaluatedLogLines(lines, fileName, { ...read, where }, { choice: holdout, label: 'holdout', fix });
    // A target's rows are problems of the same file: its lines are named as the logs' are. They are
    // never weighted, so they need no propensity (a deterministic policy logs none).
    const slice = (w: Readonly<Record<string, string>>) => parseTargetRowLines(lines, fileName, { ...read, where: w });
    const run = await evaluateTargets(data, specs, slice, { ...options, where, ...(onProgress ? { onProgress: throttled(onProgress) } : {}) });
    const overlaps = await fitOverlaps(specs, fileName, (use) => use(lines), { where, ...holdout }, run.rows);
    const fitWarnings = overlaps.map((o) => ({ spec: o.spec, text: fitOverlapText(o, o.spec, appHeldOut) }));
    return { ok: true, result: { ...run, rowsRead: data.rowsRead, rowsKept: data.rowsKept, ...holdout, columns: data.columns, fitWarnings } };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, problems: e.problems };
    throw e;
  }
}

/** `tell` at most every PROGRESS_MS, and at the end (a listener that never makes the bootstrap wait). */
function throttled(tell: (progress: OpeProgress) => void): (progress: OpeProgress) => void {
  let last = -Infinity;
  return (progress) => {
    const now = performance.now();
    if (now - last < PROGRESS_MS && progress.done < progress.total) return;
    last = now;
    tell(progress);
  };
}

/** A simulator fitted to a logs file's text (the `logs.simulator` command): the rows `where` keeps, all but those the holdout sets aside; a propensity column is not needed, and where the file has one only the rows held out need a valid propensity. */
export interface FitLogsTask {
  readonly text: string;
  readonly fileName: string;
  readonly where: Readonly<Record<string, string>>;
  readonly columns: LogColumns;
  readonly priorStrength: number;
  /** The rows left out of the fit ({}: none). */
  readonly holdout: HoldoutChoice;
}

export type FitLogsResult = ({ ok: true } & LogsSimulator) | { ok: false; problems: readonly string[] };

/** `aisle logs mdp` on a file's text, with what the user can fix as problems, and the hash an experiment on it records (simulatorEnvHash). */
export async function fitLogsTask({ text, fileName, where, columns, priorStrength, holdout }: FitLogsTask): Promise<FitLogsResult> {
  try {
    const kept = await parseLogLinesToFit(textLines(text), fileName, { ...columns, howToName: appHowToName, where }, holdout);
    const fit = fitSimulator(kept, { priorStrength, ...holdout });
    return { ok: true, ...fit, envHash: simulatorEnvHash(fit.mdp), mixed: kept.mixed };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, problems: e.problems };
    throw e;
  }
}

export type LogsInspectionResult = ({ ok: true } & LogsInspection) | { ok: false; problems: readonly string[] };

/** inspectLogs on a file's text, with what the user can fix as problems. */
export function inspectLogsText(text: string, fileName: string): LogsInspectionResult {
  try {
    return { ok: true, ...inspectLogs(textLines(text), fileName) };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, problems: e.problems };
    throw e;
  }
}

/**
 * The header, the rows' count and each column's distinct values (while they are few). Throws a
 * ValidationError for what no choice of columns can get past: an empty file, a header naming a
 * column twice, rows that are not as wide as the header or leave a quote open. Whether the values
 * fit their roles is for the evaluation to say, once the roles are chosen.
 */
export function inspectLogs(lines: readonly string[], label: string): LogsInspection {
  let header: string[] | undefined;
  let headerLine = 0;
  let counts: (Map<string, number> | null)[] = [];
  let rows = 0;
  const problems: string[] = [];
  for (let i = 0; i < lines.length && problems.length < MAX_PROBLEMS; i++) {
    const lineNo = i + 1;
    const line = i === 0 ? lines[i]!.replace(/^\uFEFF/, '') : lines[i]!;
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (!header) {
      header = checkedHeader(headerNames(fields, line, label, lineNo), label, lineNo);
      headerLine = lineNo;
      counts = header.map(() => new Map());
      continue;
    }
    rows++;
    const problem = rowShapeProblem(fields, header.length, line, { names: header, line: headerLine });
    if (problem !== undefined) {
      problems.push(`${label}:${lineNo}: ${problem}`);
      if (problem === OPEN_QUOTE_FAULT) break; // the lines after it cannot be read apart from it
    } else if (fields) {
      for (let c = 0; c < fields.length; c++) {
        const seen = counts[c];
        if (!seen) continue;
        const value = fields[c]!.trim();
        seen.set(value, (seen.get(value) ?? 0) + 1);
        if (seen.size > MAX_LISTED_VALUES) counts[c] = null;
      }
    }
  }
  if (problems.length >= MAX_PROBLEMS) problems.push(`${label}: stopped after ${MAX_PROBLEMS} problems: fix these and pick the file again`);
  if (!header) throw logsFileEmpty(label);
  if (problems.length > 0) throw new ValidationError(problems);
  if (rows === 0) throw logsWithoutRows(label);
  const names = header;
  const role = (r: Role) => defaultLogColumn(names, r);
  const columns = names.map((name, c) => {
    const seen = counts[c];
    return { name, values: seen ? labelOrder(seen.keys()).map((value) => ({ value, rows: seen.get(value)! })) : null };
  });
  return {
    rows,
    columns,
    ...combinedAndPairs(lines, columns),
    roles: { action: role('action'), reward: role('reward'), propensity: role('propensity'), context: role('context') },
  };
}

/** The combinations (combinationsOf), and where they leave columns out, those columns' pairs (pairsOf). */
function combinedAndPairs(lines: readonly string[], columns: LogsInspection['columns']): Pick<LogsInspection, 'combinations' | 'pairs'> {
  const combinations = combinationsOf(lines, columns);
  const combined = new Set(combinations.columns);
  const left = columns.filter((c) => c.values !== null && !combined.has(c.name)).map((c) => c.name);
  return left.length === 0 ? { combinations } : { combinations, pairs: pairsOf(lines, columns, left) };
}

/**
 * Which values of each column the combinations leave out (`left`) share a row with each value of
 * every other listed column: a second pass over the rows, made only for a file with too many
 * combinations, so that a filter value no row keeps under another filter is marked "(0 rows)"
 * whichever columns the combinations hold (LogsInspection's `pairs`). A pair's values are at most
 * MAX_LISTED_VALUES each: a bitmap of ≤ 2,500 bytes per pair while the pass runs.
 */
function pairsOf(lines: readonly string[], columns: LogsInspection['columns'], left: readonly string[]): NonNullable<LogsInspection['pairs']> {
  const listed = columns.flatMap((c, i) => (c.values ? [{ at: i, name: c.name, index: new Map(c.values.map((v, k) => [v.value, k])) }] : []));
  const pairs: { a: number; b: number; seen: Uint8Array }[] = [];
  for (let a = 0; a < listed.length; a++) {
    for (let b = a + 1; b < listed.length; b++) {
      if (left.includes(listed[a]!.name) || left.includes(listed[b]!.name)) pairs.push({ a, b, seen: new Uint8Array(listed[a]!.index.size * listed[b]!.index.size) });
    }
  }
  // The hot loop reads flat arrays: a pair's columns, the second's size, its bitmap.
  const first = Int32Array.from(pairs, (p) => p.a);
  const second = Int32Array.from(pairs, (p) => p.b);
  const across = Int32Array.from(pairs, (p) => listed[p.b]!.index.size);
  const seen = pairs.map((p) => p.seen);
  const at = Int32Array.from(listed, (c) => c.at);
  const indices = listed.map((c) => c.index);
  const value = new Int32Array(listed.length);
  forEachDataRow(lines, (fields) => {
    for (let j = 0; j < value.length; j++) value[j] = indices[j]!.get(fields[at[j]!]!.trim())!;
    for (let p = 0; p < seen.length; p++) seen[p]![value[first[p]!]! * across[p]! + value[second[p]!]!] = 1;
  });
  return pairs.map((p) => ({ columns: [listed[p.a]!.name, listed[p.b]!.name] as const, seen: Array.from(p.seen.keys()).filter((k) => p.seen[k] === 1) }));
}

/**
 * Calls `row` with the fields of each data row of `lines` (the header, blank lines and a leading
 * byte-order mark skipped), for a second pass over a file inspectLogs has read as well formed.
 */
function forEachDataRow(lines: readonly string[], row: (fields: string[]) => void): void {
  let header = true;
  for (let i = 0; i < lines.length; i++) {
    const line = i === 0 ? lines[i]!.replace(/^\uFEFF/, '') : lines[i]!;
    if (line.trim() === '') continue;
    if (header) {
      header = false;
      continue;
    }
    row(splitCsvLine(line)!);
  }
}

/**
 * The rows per combination of the listed columns' values (a second pass over rows the first found
 * well formed): what lets a filter's counts follow the others. Over all of them when their
 * combinations number at most MAX_COMBINATIONS, else over as many as stay within it, the
 * fewest-valued first (a logging policy, a campaign, a position: what rows are filtered by), so
 * that a file with a few many-valued columns still has its filters' counts follow one another; the
 * screen says which counts do not follow every filter. Each column kept costs a map of at most
 * MAX_COMBINATIONS entries while the pass runs.
 */
function combinationsOf(lines: readonly string[], columns: LogsInspection['columns']): LogsInspection['combinations'] {
  const listed = columns.flatMap((c, i) => (c.values ? [{ at: i, name: c.name, index: new Map(c.values.map((v, k) => [v.value, k])) }] : []));
  const order = [...listed].sort((a, b) => a.index.size - b.index.size);
  // A combination of the first j + 1 columns of `order` is keyed by its value indices as one
  // number in mixed radix while that stays exact, then as that number and the further indices,
  // joined: numbers hash cheaper than strings (a 1M-row file within the cap inspects in ~2.6 s,
  // where one joined string per row took ~3.4 s).
  let exact = 0;
  for (let radix = 1; exact < order.length && radix * order[exact]!.index.size <= Number.MAX_SAFE_INTEGER; exact++) radix *= order[exact]!.index.size;
  const seen = order.map(() => new Map<number | string, number>());
  let rows = 0;
  let kept = order.length;
  forEachDataRow(lines, (fields) => {
    rows++;
    let number = 0;
    let text = '';
    for (let j = 0; j < kept; j++) {
      const c = order[j]!;
      const value = c.index.get(fields[c.at]!.trim())!;
      let key: number | string;
      if (j < exact) key = number = number * c.index.size + value;
      else key = text = `${j === exact ? number : text},${value}`;
      const counts = seen[j]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (counts.size > MAX_COMBINATIONS) kept = j; // this column and those after it are dropped
    }
  });
  if (kept === 0) return { columns: [], rows: [[rows]] };
  const chosen = order.slice(0, kept);
  const indicesOf = (key: number | string): number[] => {
    const [head, ...rest] = typeof key === 'number' ? [key] : key.split(',').map(Number);
    const digits = new Array<number>(Math.min(kept, exact));
    for (let j = digits.length - 1, n = head!; j >= 0; j--) {
      const size = chosen[j]!.index.size;
      digits[j] = n % size;
      n = Math.floor(n / size);
    }
    return [...digits, ...rest];
  };
  // Sent in the file's order of columns.
  const byFile = chosen.map((c, j) => ({ c, j })).sort((a, b) => a.c.at - b.c.at);
  return {
    columns: byFile.map(({ c }) => c.name),
    rows: [...seen[kept - 1]!].map(([key, n]) => {
      const indices = indicesOf(key);
      return [...byFile.map(({ j }) => indices[j]!), n];
    }),
  };
}
