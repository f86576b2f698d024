/**
 * Reads logged bandit feedback from a CSV file into the engine's LoggedBandit (the parsing is
 * src/engine/ope/csv.ts, shared with the app, which gets the file's text): the file is checked and
 * streamed as the transaction reader's are.
 */
import { parseEvaluatedLogLines, parseLogLines, parseLogLinesToFit, parseTargetRowLines, type EvaluatedPart, type ReadLogRows, type ReadLogs, type ReadLogsOptions } from '../engine/ope/csv';
import type { HoldoutChoice } from '../engine/ope/data';
import { mixedColumnsText } from '../engine/ope/logging-columns';
import { CLI_DOMINANT_FIX, dominantRowsText } from '../engine/ope/dominant-rows';
import type { SimulatorFit } from '../engine/ope/simulator';
import { warn } from './context';
import { csvFileLines, OPE_LOGS_BYTES, type CsvReading } from './calibrate-data';

export type { LogColumns, ReadLogRows, ReadLogs, ReadLogsOptions } from '../engine/ope/csv';

/**
 * Reads a logs CSV into LoggedBandit columns. Throws a ValidationError naming the missing columns,
 * or listing the first malformed rows (`label:LINE: column "pscore": …`): nothing is returned for
 * a bad file.
 */
export function readLogs(path: string, label: string, options: ReadLogsOptions = {}, reading: CsvReading = {}): Promise<ReadLogs> {
  return withLines(path, label, (lines) => parseLogLines(lines, label, options), undefined, undefined, reading);
}

/** readLogs, then the rows a holdout sets aside, which are those evaluated: only they need a valid propensity (parseEvaluatedLogLines). Read up to `aisle ope`'s limit, OPE_LOGS_BYTES. */
export function readEvaluatedLogs(path: string, label: string, options: ReadLogsOptions, part: EvaluatedPart, stop?: () => void, onBytes?: (bytes: number) => void): Promise<ReadLogs> {
  return withLines(path, label, (lines) => parseEvaluatedLogLines(lines, label, options, part), stop, onBytes, { maxBytes: OPE_LOGS_BYTES });
}

/**
 * readLogs for a simulator's fit: logs without a propensity column (purchase records) read too, and only the rows `holdout` sets aside need a valid one (parseLogLinesToFit).
 * Read up to `aisle ope`'s limit, OPE_LOGS_BYTES: the fit holds what ope does and each row's line (28 bytes a row), and `aisle logs mdp` fits the logs ope then evaluates.
 */
export function readLogsToFit(path: string, label: string, options: ReadLogsOptions = {}, holdout: HoldoutChoice = {}, stop?: () => void, onBytes?: (bytes: number) => void): Promise<ReadLogRows> {
  return withLines(path, label, (lines) => parseLogLinesToFit(lines, label, options, holdout), stop, onBytes, { maxBytes: OPE_LOGS_BYTES });
}

/** readLogs for a `logs:` target's rows, which are never weighted: rows without a propensity read too (parseTargetRowLines). Read up to `aisle ope`'s limit, OPE_LOGS_BYTES. */
export function readTargetRows(path: string, label: string, options: ReadLogsOptions = {}, stop?: () => void, onBytes?: (bytes: number) => void): Promise<ReadLogRows> {
  return withLines(path, label, (lines) => parseTargetRowLines(lines, label, options), stop, onBytes, { maxBytes: OPE_LOGS_BYTES });
}

/** `stop` throws once a signal came, checked as each chunk of the file arrives (csvFileLines); `onBytes` is told the bytes read so far; `reading` is csvFileLines'. */
async function withLines<R>(path: string, label: string, parse: (lines: AsyncIterable<string>) => Promise<R>, stop?: () => void, onBytes?: (bytes: number) => void, reading: CsvReading = {}): Promise<R> {
  const file = await csvFileLines(path, label, 'logs', stop, onBytes, reading);
  try {
    return await parse(file.lines);
  } finally {
    file.close();
  }
}

/**
 * The warning `aisle ope` and `aisle logs mdp` give rows that still mix logging policies or
 * campaigns (every estimate, and every simulator fitted to them, blends experiments, as the
 * Off-policy screen notes): said on stderr, and returned for --json's `warnings`.
 */
export function warnMixedRows(read: Pick<ReadLogs, 'mixed'>): string[] {
  const warnings = read.mixed.length > 0 ? [mixedColumnsText(read.mixed, 'with --where')] : [];
  for (const w of warnings) warn(w);
  return warnings;
}

/**
 * The warning `aisle logs mdp` gives a fit where one row drives a cell's mean (dominant-rows.ts),
 * naming it by `label`:line: said on stderr, and returned for --json's `warnings`.
 */
export function warnDominantRows(fit: Pick<SimulatorFit, 'dominant' | 'columns'>, label: string): string[] {
  const text = dominantRowsText(fit.dominant, label, fit.columns, CLI_DOMINANT_FIX);
  if (text === undefined) return [];
  warn(text);
  return [text];
}
