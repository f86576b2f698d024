/**
 * Which logged rows a simulator was fitted to, as the experiment trained on it records them
 * (`aisle logs mdp --experiment`, the Off-policy screen's Train on these logs) and a policy
 * exported from it carries in its provenance; and, when such a policy is scored on logs again, how
 * many of the rows scored it learned from. Scored on its own fitting rows, a policy's estimate is
 * optimistically biased: the simulator's noise it exploited is in those rows' rewards too.
 */
import * as z from 'zod';
import { splitCsvLine } from '../csv';
import { listedName, plural, show, thousands } from '../params';
import { heldOutMask, holdoutOf, holdoutText, keptRowsText, type HoldoutChoice } from './data';
import { splitsLogging } from './logging-columns';
import { simulatorExperimentName } from './simulator';
import type { TargetSpec } from './run';

export const fittedRowsSchema = z
  .object({
    logs: z.string().min(1).max(1000).describe("The logs file's name, without its folder."),
    where: z.record(z.string(), z.string()).describe('The rows kept, as column → value (empty: every row).'),
    holdout: z.number().int().min(2).optional().describe('1 row in k of those kept held out of the fit (the seeded draw `aisle ope --holdout k` repeats).'),
    holdoutLast: z.number().gt(0).lt(100).optional().describe('The last p % of the rows kept held out of the fit.'),
    rows: z.number().int().min(1).describe('The rows fitted.'),
    envHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'must be the 64 hex digits of an environment fingerprint\'s hash, as the fit recorded it: remove fittedTo if the experiment is no longer on the simulator fitted' })
      .optional()
      .describe("The fingerprint hash (a policy's env.hash) of the environment fitted: once env is another (edited since), these rows no longer apply, and the policies exported from it do not carry them. Absent in files written before Aisle recorded it."),
  })
  .strict()
  .refine((f) => f.holdout === undefined || f.holdoutLast === undefined, { error: 'holds both holdout and holdoutLast: a fit holds out one or the other' })
  .describe('The logged rows the simulator in env was fitted to: scoring a policy learned here on them is optimistically biased, and `aisle ope` and the Off-policy screen say so.');

export type FittedRows = z.output<typeof fittedRowsSchema>;

/**
 * Whether a fit describes the environment whose fingerprint hashes are `envHashes` (this version's,
 * then those earlier versions took of it): it was recorded for it, or recorded before fits named
 * their environment (taken to, as it was then).
 */
export function fitApplies(fit: FittedRows, envHashes: readonly string[]): boolean {
  return fit.envHash === undefined || envHashes.includes(fit.envHash);
}

/** Rows a filter keeps, then the part of them a holdout sets aside (all of them when it names none): the rows an evaluation scores. */
export interface ScoredRows extends HoldoutChoice {
  readonly where: Readonly<Record<string, string>>;
}

/** Row numbers (among the file's data rows) that a filter keeps, and whether the header has its columns. */
interface Kept {
  readonly columns: number[];
  readonly rows: number[];
}

/**
 * Of the rows `scored` names in a logs file's lines, how many the fit used: those its filter kept
 * and its holdout did not set aside. Null when these cannot be the logs fitted: a column of the
 * fit's filter is missing, or the fit's rows here are not as many as it recorded (an edited file).
 */
export async function fittedRowsScored(lines: Iterable<string> | AsyncIterable<string>, fit: FittedRows, scored: ScoredRows): Promise<{ scored: number; fitted: number } | null> {
  let fitKept: Kept | undefined;
  let scoredKept: Kept | undefined;
  const fitPairs = Object.entries(fit.where);
  const scoredPairs = Object.entries(scored.where);
  let row = 0;
  for await (const raw of lines) {
    const line = fitKept === undefined ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (fitKept === undefined || scoredKept === undefined) {
      const header = (fields ?? []).map((f) => f.trim());
      fitKept = { columns: fitPairs.map(([c]) => header.indexOf(c)), rows: [] };
      scoredKept = { columns: scoredPairs.map(([c]) => header.indexOf(c)), rows: [] };
      if (fitKept.columns.includes(-1)) return null;
      continue;
    }
    const has = (pairs: [string, string][], at: readonly number[]) => pairs.every(([, value], j) => fields?.[at[j]!]?.trim() === value);
    if (has(fitPairs, fitKept.columns)) fitKept.rows.push(row);
    if (has(scoredPairs, scoredKept.columns)) scoredKept.rows.push(row);
    row++;
  }
  if (fitKept === undefined || scoredKept === undefined) return null;
  const fitted = new Uint8Array(row);
  const fitHeld = heldOutMask(fitKept.rows.length, holdoutOf(fit));
  let fittedCount = 0;
  fitKept.rows.forEach((r, i) => {
    if (fitHeld[i] === 0) {
      fitted[r] = 1;
      fittedCount++;
    }
  });
  if (fittedCount !== fit.rows) return null;
  const choice = holdoutOf(scored);
  const scoredHeld = heldOutMask(scoredKept.rows.length, choice);
  const all = holdoutText(choice) === undefined;
  let count = 0;
  let overlap = 0;
  scoredKept.rows.forEach((r, i) => {
    if (!all && scoredHeld[i] === 0) return;
    count++;
    overlap += fitted[r]!;
  });
  return { scored: count, fitted: overlap };
}

/** A policy target scored on rows it may have learned from. */
export interface FitOverlap {
  /** The target, as its result's spec names it. */
  readonly spec: string;
  /** What the fit recorded; absent for a policy exported before fits were recorded, from an experiment named after this file (`experiment`). */
  readonly fit?: FittedRows;
  readonly experiment?: string;
  /** Of the `scored` rows, those the fit used; absent when not knowable. */
  readonly fitted?: number;
  readonly scored: number;
}

/** Reads a logs file's lines afresh and hands them to `use` (closing the file after, where there is one). */
export type LinesReader = <R>(use: (lines: Iterable<string> | AsyncIterable<string>) => Promise<R>) => Promise<R>;

/**
 * The policy targets scored on rows their simulator was fitted to, of the logs `fileName` (no
 * folder), read again by `read`; `scoredRows` is how many rows the evaluation scored. A policy
 * whose experiment learned from this file by its name ("learn from obd_events.csv") but recorded
 * no fit is listed too: which rows it learned from is not known.
 */
export async function fitOverlaps(specs: readonly TargetSpec[], fileName: string, read: LinesReader, scored: ScoredRows, scoredRows: number): Promise<FitOverlap[]> {
  const out: FitOverlap[] = [];
  for (const spec of specs) {
    if (spec.kind !== 'policy') continue;
    const { fittedTo: fit, experimentName } = spec.policy.provenance;
    if (fit === undefined) {
      if (experimentName === simulatorExperimentName(fileName)) out.push({ spec: spec.label, experiment: experimentName, scored: scoredRows });
      continue;
    }
    if (fit.logs !== fileName) continue;
    const count = await read((lines) => fittedRowsScored(lines, fit, scored));
    if (count === null) out.push({ spec: spec.label, fit, scored: scoredRows });
    else if (count.fitted > 0) out.push({ spec: spec.label, fit, fitted: count.fitted, scored: count.scored });
  }
  return out;
}

/** "obd.csv, the rows with policy=random, 6,609 rows fitted, 1 row in 3 held out". */
function fitText(fit: FittedRows): string {
  const held = holdoutText(fit);
  // The policy file's own texts (fittedTo.logs, its filter's values): listed as a message lists a file's names (keptRowsText's describeWhere lists the filter's).
  return `${listedName(fit.logs)}, ${keptRowsText(fit.where)}, ${plural(fit.rows, 'row', thousands(fit.rows))} fitted${held !== undefined ? `, ${held} held out` : ', none held out'}`;
}

/**
 * The warning for an overlap, `name` naming the policy; `heldOut(fit)` says how the caller's user
 * scores the rows a fit held out (the CLI's options, the screen's choices).
 */
export function fitOverlapText(overlap: FitOverlap, name: string, heldOut: (fit: FittedRows) => string): string {
  const { fit, fitted, scored, experiment } = overlap;
  const biased = 'an estimate on rows a policy learned from is optimistically biased';
  if (fit === undefined) {
    return `${name} was learned in the experiment ${show(experiment ?? '')} on a simulator fitted to these logs, and exported before Aisle recorded which of their rows a fit used, so whether the ${plural(scored, 'row', thousands(scored))} scored include them is not known: ${biased}. Score it on the rows its fit held out: its experiment's description names the filter and the holdout.`;
  }
  const fix = holdoutText(fit) !== undefined ? `score it on the rows the fit held out: ${heldOut(fit)}` : 'fit the simulator again with a holdout (this fit held no row out), train and export again, and score the new policy on the rows held out';
  if (fitted === undefined) {
    return `${name} was learned on a simulator fitted to ${fitText(fit)}, and these logs' rows are not those the fit recorded, so which of the ${plural(scored, 'row', thousands(scored))} scored it learned from is not known: ${biased}. To be sure, ${fix}.`;
  }
  const share = fitted === scored ? `all ${plural(scored, 'row', thousands(scored))} scored` : `${thousands(fitted)} of the ${plural(scored, 'row', thousands(scored))} scored`;
  return `${name} was learned on a simulator fitted to ${share} (${fitText(fit)}): ${biased}. To avoid it, ${fix}.`;
}

/**
 * The warning for a policy learned on a simulator fitted to rows of one logging policy, campaign or
 * page (a column splitsLogging names) scored on rows the filter `where` keeps of another; undefined
 * when they agree on every such column both filter. Open Bandit's men's item 14 and women's item 14
 * are different items under one label: the policy picks among labels it learned elsewhere.
 */
export function fitWhereWarning(fit: FittedRows, where: Readonly<Record<string, string>>): string | undefined {
  const differ = Object.keys(fit.where).filter((c) => splitsLogging(c) && c in where && where[c] !== fit.where[c]);
  if (differ.length === 0) return undefined;
  const pairs = (w: Readonly<Record<string, string>>) => differ.map((c) => `${c}=${listedName(w[c]!)}`).join(', ');
  return `the policy was learned on a simulator fitted to the rows with ${pairs(fit.where)}, and these rows have ${pairs(where)}: rows of another logging policy, campaign or page are another experiment, with their own actions and propensities (the same label may name another item), so the estimate says how it would do on traffic it never learned from. Evaluate it on rows with ${pairs(fit.where)}, or fit a simulator to these rows and train on that.`;
}
