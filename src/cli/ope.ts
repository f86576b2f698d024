/**
 * `aisle ope <logs.csv>`: off-policy evaluation. How would another policy have done on the traffic
 * these logs record? The logs (one impression per row, with the logging policy's propensity) are
 * read by logged-data.ts; each `--target` is a policy over the same actions; the engine's
 * estimators (src/engine/ope) give IPS, SNIPS, DM and DR with bootstrap intervals and the
 * diagnostics that say whether to trust them. A target that is another logging policy in the same
 * file (`logs:policy=bts`) also gets what it really achieved there, so the estimators can be
 * checked against the truth — the Open Bandit Dataset's own validation.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describeWhere, holdoutOf, holdoutText, whereArgument, type HoldoutChoice } from '../engine/ope/data';
import { fitOverlaps, fitOverlapText, type FittedRows, type LinesReader } from '../engine/ope/fitted-rows';
import { evaluateTargets, type TargetSpec } from '../engine/ope/run';
import { parsePolicy } from '../engine/policy/format';
import { escapeControl, nearest, ValidationError } from '../engine/params';
import { inFile, readJsonFile } from '../main/files';
import { coversText, decimalsOfLargest } from '../shared/figures';
import { counted } from '../shared/text';
import { fmt, printJson, shellWord, table, warn, wrapped, type GlobalOptions } from './context';
import { csvFileLines, OPE_LOGS_BYTES } from './calibrate-data';
import { readEvaluatedLogs, readTargetRows, warnMixedRows, type ReadLogsOptions } from './logged-data';
import { opeStopper, stoppedExit, type OpeStopper } from './ope-progress';
import { readableTwice, type ReadableTwice } from './readable-twice';
import { MAX_POLICY_FILE_BYTES } from './policy';

export interface OpeOptions extends GlobalOptions, LogColumnOptions {
  where: string[];
  target: string[];
  positions?: boolean;
  /** Evaluate on the 1 row in k a holdout sets aside only (of those --where keeps; see holdoutRows). */
  holdout?: number;
  /** Evaluate on the last p % of the rows --where keeps only (see lastRows). */
  holdoutLast?: number;
  resamples: number;
  confidence: number;
  seed: number;
  prior: number;
  folds: number;
}

/**
 * `col=value` pairs, from repeated options and commas within one. A comma starts another pair only
 * where a `column=` follows it, so a value may hold commas (`--where "title=socks, wool"`); a value
 * in double quotes is taken as it is, commas and equals signs included (`title="a=b, c=d"`; a
 * doubled quote inside stands for one).
 */
export function parseWhere(specs: readonly string[], option: string): Record<string, string> {
  const where: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const spec of specs) {
    for (const pair of splitPairs(spec)) {
      const eq = pair.indexOf('=');
      const column = pair.slice(0, eq).trim();
      if (eq < 0 || column === '') throw new ValidationError([`${option}: "${pair}" is not column=value (e.g. policy=random)`]);
      const value = unquoted(pair.slice(eq + 1).trim());
      if (column in where && where[column] !== value) throw new ValidationError([`${option}: column "${column}" is given twice (${where[column]} and ${value}): a row has one value`]);
      where[column] = value;
    }
  }
  return where;
}

/** A spec's pairs: split at the commas outside double quotes that a `column=` follows. */
function splitPairs(spec: string): string[] {
  const pairs: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted && /^\s*[^,="\s][^,="]*=/.test(spec.slice(i + 1))) {
      pairs.push(spec.slice(start, i));
      start = i + 1;
    }
  }
  pairs.push(spec.slice(start));
  return pairs;
}

/** A value in double quotes without them ("" inside is one quote); any other value as it is. */
function unquoted(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/""/g, '"') : value;
}

/** A --target: uniform, action:<label>, logs:<col=value,…>, or a policy file. */
function targetSpec(text: string, positions: boolean): TargetSpec {
  if (text === 'uniform') return { kind: 'uniform' };
  if (text.startsWith('action:')) return { kind: 'action', action: text.slice('action:'.length) };
  // Its refusals name the target as the others do: '--target logs:context: "context" is not column=value …', not '--target logs:: …'.
  if (text.startsWith('logs:')) return { kind: 'logs', where: parseWhere([text.slice('logs:'.length)], `--target ${text}`) };
  // Not a keyword: a policy file. A missing one that is a near miss of a keyword ("unifrom", "action=x") says which was meant.
  if (!existsSync(text)) {
    const [head, rest] = text.split(/[:=]/, 2);
    const keyword = nearest(head!, ['uniform', 'action', 'logs']);
    if (keyword !== undefined) {
      const meant = keyword === 'uniform' ? 'uniform' : `${keyword}:${rest ?? '…'}`;
      throw new ValidationError([`--target ${text}: no such policy file, and not a target keyword: did you mean ${meant}? (uniform, action:<label>, logs:<column=value>, or an aisle.policy/v1 file)`]);
    }
  }
  const label = `--target ${text}`;
  // Read to the same bound as aisle eval's policy file: a network within the format's limits exports to ~400 MB.
  const raw = readJsonFile(text, label, MAX_POLICY_FILE_BYTES);
  return { kind: 'policy', policy: inFile(label, () => parsePolicy(raw)), label: text, positions };
}

/** The logs' column options, as `aisle ope` and `aisle logs mdp` take them. */
export interface LogColumnOptions {
  actionColumn?: string;
  rewardColumn?: string;
  propensityColumn?: string;
  contextColumn?: string;
}

/** The column names given (`--context-column none`: the logs have no context; `--propensity-column none`: no propensity, which only a fit does without). */
export function logColumns(opts: LogColumnOptions): ReadLogsOptions {
  return {
    ...(opts.actionColumn !== undefined ? { action: opts.actionColumn } : {}),
    ...(opts.rewardColumn !== undefined ? { reward: opts.rewardColumn } : {}),
    ...(opts.propensityColumn !== undefined ? { propensity: opts.propensityColumn === 'none' ? null : opts.propensityColumn } : {}),
    ...(opts.contextColumn !== undefined ? { context: opts.contextColumn === 'none' ? null : opts.contextColumn } : {}),
  };
}

/** The option that names `choice` as the user wrote it: "--holdout 3" or "--holdout-last 20". */
export function holdoutFlag(choice: HoldoutChoice): string {
  return choice.holdoutLast !== undefined ? `--holdout-last ${choice.holdoutLast}` : `--holdout ${choice.holdout}`;
}

/** Rewards are often click rates of a few in a thousand: four decimals keep them apart (as on the app's Off-policy screen). */
const DIGITS = 4;

/**
 * What makes two --target values the same target: `logs:` pairs in any order, a policy file by
 * any path to it (its real path, so a symbolic link and the file it points to are one target; a
 * path compared as written, resolved only, took them for two). A `logs:` value that does not parse
 * is its own text (targetSpec refuses it later, after the logs are read, as before); a file that
 * cannot be found is its resolved path (its read fails later, naming it).
 */
function targetKey(text: string): string {
  if (text === 'uniform' || text.startsWith('action:')) return text;
  if (text.startsWith('logs:')) {
    try {
      const where = parseWhere([text.slice('logs:'.length)], `--target ${text}`);
      return `logs:${JSON.stringify(Object.entries(where).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
    } catch {
      return text;
    }
  }
  try {
    return `file:${realpathSync(text)}`;
  } catch {
    return `file:${resolve(text)}`;
  }
}

/**
 * The targets, each once: a target named twice would be evaluated twice, two identical reports (as
 * `aisle compare --runs 3 3` compares run 3 once). Said on stderr, naming it as first given, and its
 * other spellings.
 */
function distinctTargets(targets: readonly string[]): string[] {
  const spellings = new Map<string, string[]>();
  for (const t of targets) {
    const key = targetKey(t);
    spellings.set(key, [...(spellings.get(key) ?? []), t]);
  }
  for (const [first, ...again] of spellings.values()) {
    if (again.length === 0) continue;
    const others = [...new Set(again.filter((t) => t !== first))];
    warn(`--target ${first!} is given ${again.length === 1 ? 'twice' : `${again.length + 1} times`}${others.length > 0 ? ` (also as ${others.join(', ')})` : ''}: evaluated once`);
  }
  return [...spellings.values()].map(([first]) => first!);
}

export async function opeCommand(file: string, given: OpeOptions): Promise<number> {
  if (given.target.length === 0) throw new ValidationError(['--target: give at least one policy to evaluate (uniform, action:<label>, logs:<column=value>, or an aisle.policy/v1 file)']);
  const opts = { ...given, target: distinctTargets(given.target) };
  const where = parseWhere(opts.where, '--where');
  // A logs: target reads the file again for its rows, and a policy file for the rows its simulator was
  // fitted to: a pipe (/dev/stdin) is copied first, where a second read found it empty.
  const rereads = opts.target.some((t) => t !== 'uniform' && !t.startsWith('action:'));
  // Ctrl-C (SIGTERM, SIGHUP) from here on stops the evaluation, nothing printed; a bar on a terminal while it resamples.
  const stopper = opeStopper(Boolean(process.stderr.isTTY) && !opts.json);
  let source: ReadableTwice | undefined;
  try {
    source = rereads ? await readableTwice(file, file, 'aisle ope reads it again for a logs: target or a policy fitted to it', stopper.check, OPE_LOGS_BYTES) : undefined;
    const code = await evaluate(file, source?.path ?? file, where, opts, () => source?.checkUnchanged(), stopper);
    const signal = stopper.stoppedBy();
    return signal === undefined ? code : stoppedExit(signal);
  } catch (e) {
    const signal = stopper.stoppedBy();
    if (signal === undefined) throw e;
    stopper.release();
    return stoppedExit(signal);
  } finally {
    stopper.release();
    source?.dispose();
  }
}

/** opeCommand on the logs at `path` (`file` itself, or its copy), named `file` everywhere; `unchanged` throws if the file changed meanwhile. */
async function evaluate(file: string, path: string, where: Record<string, string>, opts: OpeOptions, unchanged: () => void, stopper: OpeStopper): Promise<number> {
  const columns = logColumns(opts);
  // --holdout k or --holdout-last p: the rows `aisle logs mdp` with the same option left out of its fit, and only those,
  // which alone need a propensity (the others are never weighted).
  const choice = holdoutOf(opts); // commander lets one of --holdout and --holdout-last through
  const held = holdoutText(choice);
  const fix = choice.holdoutLast !== undefined ? 'keep more rows (--where)' : 'give a smaller --holdout';
  // Ctrl-C while the logs are read stops there: a file of millions of rows was read to its end first.
  const data = await readEvaluatedLogs(path, file, { ...columns, where }, { choice, label: holdoutFlag(choice), fix }, stopper.check, stopper.reading(path, basename(file)));
  const specs = opts.target.map((t) => targetSpec(t, opts.positions === true));
  if (opts.positions && !specs.some((t) => t.kind === 'policy')) throw new ValidationError(['--positions: applies to a policy file target (a context-free policy ranks its actions for slate positions)']);
  // A logs: target's rows only lend it their action frequencies: they need no propensity (a deterministic policy logs none).
  const result = await evaluateTargets(data, specs, (w) => readTargetRows(path, `${file} (--target logs:${describeWhere(w)})`, { ...columns, where: w }, stopper.check, stopper.reading(path, basename(file))), {
    resamples: opts.resamples,
    confidence: opts.confidence,
    seed: opts.seed,
    priorStrength: opts.prior,
    folds: opts.folds,
    where,
    onProgress: stopper.onProgress(specs),
  });
  stopper.release(); // the bar gone before anything is printed
  if (stopper.stoppedBy() !== undefined) return 0; // opeCommand says so
  // A policy learned on a simulator of these logs, scored on rows the simulator was fitted to: said on stderr, with the options that score the rows held out.
  const reread: LinesReader = async (use) => {
    const again = await csvFileLines(path, file, 'logs', stopper.check, undefined, { maxBytes: OPE_LOGS_BYTES });
    try {
      return await use(again.lines);
    } finally {
      again.close();
    }
  };
  const overlaps = await fitOverlaps(specs, basename(file), reread, { where, ...choice }, data.action.length);
  // Words a shell reads back as they are (`aisle ope 'my logs.csv' --where 'page=home top' …`), as logs mdp prints its command.
  const heldOut = (fit: FittedRows) => `\`aisle ope ${shellWord(file)}${Object.keys(fit.where).length > 0 ? ` --where ${shellWord(whereArgument(fit.where))}` : ''} ${holdoutFlag(fit)} …\``;
  unchanged();
  for (const o of overlaps) warn(fitOverlapText(o, o.spec, heldOut));
  const warnings = warnMixedRows(data);
  if (opts.json) {
    printJson({
      logs: { file: resolve(file), where, rowsRead: data.rowsRead, rowsKept: data.rowsKept, ...(held !== undefined ? { ...choice, rowsEvaluated: data.action.length } : {}), columns: data.columns, actions: data.actionLabels.length, contexts: data.contextLabels.length },
      logged: result.logged,
      confidence: opts.confidence,
      resamples: opts.resamples,
      seed: opts.seed,
      priorStrength: opts.prior,
      folds: opts.folds,
      targets: result.targets,
      fitOverlaps: overlaps,
      warnings,
    });
    return 0;
  }
  const level = `${Math.round(opts.confidence * 1000) / 10}% CI`;
  // A mean and its interval with the same decimals, as the app's Off-policy screen writes them.
  const meanText = (e: { point: number; lo: number; hi: number }) => {
    const [point, lo, hi] = decimalsOfLargest([e.point, e.lo, e.hi], DIGITS) as [string, string, string];
    return `${point} (${level} ${lo} … ${hi})`;
  };
  const kept = Object.keys(where).length > 0 ? ` with ${describeWhere(where)}` : '';
  const contextText = data.columns.context === null ? 'no context' : `${counted(data.contextLabels.length, 'context')} (column "${data.columns.context}")`;
  // Sentences wrap at the output's width, words whole (a warning runs to 160 characters). They carry
  // the files' texts (the logs' path and column names, a target's path or label) and the options',
  // which an ESC sequence in one (a policy file so named) reached the terminal raw: escaped.
  const say = (label: string, text: string) => wrapped(label, escapeControl(text));
  const out = [
    say('', `logs ${file}: ${counted(data.rowsKept, 'row')}${kept} of ${fmt(data.rowsRead)}${held !== undefined ? `, evaluated on the ${counted(data.action.length, 'row')} held out (${held})` : ''}; ${counted(data.actionLabels.length, 'action')} (column "${data.columns.action}"), ${contextText}`),
    say('', `logging policy: mean ${data.columns.reward} ${meanText(result.logged)}`),
  ];
  for (const report of result.targets) {
    const { truth } = report;
    const d = report.diagnostics;
    out.push('', say('target: ', report.name));
    if (truth) out.push(say('  ', `what it really got, on its own ${counted(truth.rows, 'row')}: ${meanText(truth)}`));
    // One number of decimals for the whole table (decimalsOfLargest): it read "IPS 0.01 0 0.0301" above "DM 0.0119 0.000002 0.0373".
    const estimators = ['ips', 'snips', 'dm', 'dr'] as const;
    const texts = decimalsOfLargest(estimators.flatMap((k) => [report.estimates[k].point, report.estimates[k].lo, report.estimates[k].hi]), DIGITS);
    const rows = estimators.map((k, i) => {
      const e = report.estimates[k];
      const cells = [k.toUpperCase(), ...texts.slice(3 * i, 3 * i + 3)];
      if (truth) cells.push(coversText(e, truth.point));
      return cells;
    });
    const header = ['estimator', 'value', `${level} low`, 'high', ...(truth ? ['covers the truth'] : [])];
    out.push(
      table(header, rows)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    out.push(say('  ', `weights: mean ${fmt(d.meanWeight, 3)}, largest ${fmt(d.maxWeight, 3)}, effective sample size ${fmt(d.effectiveSampleSize, 1)} of ${counted(result.rows, 'row')}; ${fmt(100 * d.unsupportedMass, 1)} % of the target's choices unseen in the logs`));
    for (const w of report.warnings) out.push(say('  warning: ', w));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
