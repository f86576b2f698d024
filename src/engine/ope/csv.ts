/**
 * Parses logged bandit feedback in CSV (one impression per row: the action shown, its
 * context, the reward and the logging policy's propensity) into the engine's LoggedBandit, the
 * input of off-policy evaluation (parseLogLines), or into LoggedRows, whose propensity a
 * simulator's fit does without (parseLogLinesToFit: a shop's purchase records have none), and
 * so does a `logs:` target's frequencies (parseTargetRowLines: a deterministic policy logs none). Column names default to the Open Bandit Dataset's (`item`,
 * `position`, `click`, `pscore`) unless the file has `action`, `context`, `reward`, `propensity`;
 * `where` keeps the rows of one logging policy or campaign. Every kept row is validated; the first
 * problems are reported as `file:LINE: column …`, as the shop calibration's reader does, and a
 * column that fails on every row checked as one problem asking whether it is the column meant.
 */
import { checkedHeader, type ColumnProblem, DECIMAL, headerNames, numberFormatHint, OPEN_QUOTE_FAULT, rowProblemLines, rowShapeProblem, splitCsvLine } from '../csv';
import { MDP_LIMITS } from '../mdp/format';
import { CONTROL, controlAt, editDistance, listedName, listedNames, show, thousands, ValidationError, wordList } from '../params';
import { checkLoggedBandit, evaluationRows, heldOutMask, holdoutDraws, holdoutText, labelOrder, PROPENSITY_MEANING, type HoldoutChoice, type LoggedBandit, type LoggedRows } from './data';
import { mixedColumns, splitsLogging, type MixedColumn } from './logging-columns';
import { BlockColumn } from './row-blocks';

export interface LogColumns {
  action?: string;
  reward?: string;
  /** null: the logs have no propensity (refused by off-policy evaluation; a simulator's fit does without). */
  propensity?: string | null;
  /** null: the logs have no context (every row gets the context label ""). */
  context?: string | null;
}

export interface ReadLogsOptions extends LogColumns {
  /** How the user names a role's column, for messages (default: the CLI's option, `--action-column`). */
  howToName?: (role: 'action' | 'reward' | 'propensity' | 'context') => string;
  /** Keeps only the rows whose (trimmed) field equals the value, for every pair. */
  where?: Readonly<Record<string, string>>;
}

/** Logs as read for a simulator's fit: with their propensities when the file has them (NaN in a fitted row without a valid one, see parseLogLinesToFit). */
export interface ReadLogRows extends LoggedRows {
  /** The column names used (after defaults), propensity and context null when none. */
  readonly columns: { action: string; reward: string; propensity: string | null; context: string | null };
  /** Data rows in the file. */
  readonly rowsRead: number;
  /** Rows passing `where`. */
  readonly rowsKept: number;
  /**
   * The columns saying which policy logged a row or where (a campaign, a page) whose values the
   * rows kept still mix (see mixedColumns): what `aisle ope` and `aisle logs mdp` warn of.
   */
  readonly mixed: readonly MixedColumn[];
  /** Read for a fit only: each kept row's line in the file (the header is line 1), for a warning to name it (dominant-rows.ts). A part of the rows (selectRows) does not carry it. */
  readonly lines?: Int32Array;
}

/** Logs as read for off-policy evaluation: every row has its propensity. */
export interface ReadLogs extends ReadLogRows, LoggedBandit {
  readonly propensity: Float64Array;
  readonly columns: { action: string; reward: string; propensity: string; context: string | null };
}

type Role = keyof LogColumns;
const ROLES: readonly Role[] = ['action', 'reward', 'propensity', 'context'];

/**
 * A role's column when none is named: the first of these the header has (the generic name, then the
 * Open Bandit Dataset's: `item_id` and `propensity_score` as its downloaded CSV files name them,
 * `item` and `pscore` as the Open Bandit Pipeline's loaded feedback and converted copies do).
 */
export const DEFAULT_LOG_COLUMNS: Readonly<Record<Role, readonly string[]>> = {
  action: ['action', 'item', 'item_id'],
  reward: ['reward', 'click'],
  propensity: ['propensity', 'pscore', 'propensity_score'],
  context: ['context', 'position'],
};

/** `"action", "item" or "item_id"`: a role's usual names, as a message lists them. */
function namesListed(names: readonly string[]): string {
  return wordList(names.map((c) => `"${c}"`), 'or');
}

/** At most this many malformed rows are listed before reading stops. */
const MAX_PROBLEMS = 10;
/** The least propensity read: its reciprocal, the row's weight, 1e300, leaves a sum of weights times rewards room in a double (below ~5.6e-309 the weight itself is ∞). */
const MIN_PROPENSITY = 1e-300;
/** A column with more distinct values among the rows kept is not said to mix them (an id, not a campaign; the Off-policy screen lists no more either). */
const MAX_MIXED_VALUES = 50;
/** Distinct values of a filter column listed when no row has the value asked for. */
const MAX_VALUES_SHOWN = 10;
/**
 * Distinct values of a filter column gathered for that list: all of them up to this many, so the
 * ten listed are the lowest in label order and the count beside them is exact (the first eleven
 * seen, sorted, listed Open Bandit's items as "7, 8, 10, 12, …", as if 0 to 6 did not exist).
 */
const MAX_VALUES_GATHERED = 100_000;

/** One `where` pair, with what the rows held in its column (for the message when nothing matches). */
interface Filter {
  column: string;
  value: string;
  index: number;
  matched: boolean;
  seen: Set<string>;
}

/** The first of the header's columns whose name is one of `names` in another case, the names' order first. */
function caseless(header: readonly string[], names: readonly string[]): string | undefined {
  for (const name of names) {
    const found = header.find((h) => h.toLowerCase() === name.toLowerCase());
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The column a role takes in this header when none is named: one of its usual names, exactly, else
 * in another case ("Action", "Reward": a spreadsheet's capitalised header); null when it has none.
 */
export function defaultLogColumn(header: readonly string[], role: Role): string | null {
  return DEFAULT_LOG_COLUMNS[role].find((c) => header.includes(c)) ?? caseless(header, DEFAULT_LOG_COLUMNS[role]) ?? null;
}

/** A logs file with no header line. */
export function logsFileEmpty(label: string): ValidationError {
  return new ValidationError([`${label}: the file is empty: expected a header line naming the columns, then one row per logged impression`]);
}

/** A logs file with a header and nothing under it. */
export function logsWithoutRows(label: string): ValidationError {
  return new ValidationError([`${label}: has a header but no rows: the logs need at least one row`]);
}

/**
 * `: did you mean "item"?` for a column name given that the header lacks but nearly has: the same
 * name in another case ("Item"), else the one name within two typed characters of it ("itm",
 * "pscor"); nothing where no name, or more than one, is that near.
 */
export function didYouMean(given: string, header: readonly string[]): string {
  const lower = given.toLowerCase();
  const sameCase = header.filter((c) => c.toLowerCase() === lower);
  if (sameCase.length === 1) return `: did you mean ${show(sameCase[0]!)}?`;
  if (given.length < 3) return '';
  const near = header.filter((c) => c.length >= 3 && editDistance(lower, c.toLowerCase()) <= 2);
  return near.length === 1 ? `: did you mean ${show(near[0]!)}?` : '';
}

/**
 * "(its columns: item, click, pscore)", said after a column the header lacks. The names are the
 * file's: one holding a control character reached the terminal raw (listedName).
 */
function itsColumns(header: readonly string[]): string {
  return `(its columns: ${listedNames(header)})`;
}

/**
 * Picks each role's column in the header, or says how to name it. Without `needsPropensity` (a
 * fit), logs with none of the propensity's usual names, or told they have none, read without it;
 * a column named that the header lacks is refused either way.
 */
function resolveColumns(header: readonly string[], options: ReadLogsOptions, label: string, needsPropensity: boolean): ReadLogRows['columns'] {
  const problems: string[] = [];
  const its = itsColumns(header);
  const chosen: Partial<Record<Role, string | null>> = {};
  for (const role of ROLES) {
    const given = options[role];
    const fix = options.howToName ? options.howToName(role) : `name the ${role} column with --${role}-column`;
    if (given === null) {
      if (role === 'propensity' && needsPropensity) problems.push(`${label}: off-policy evaluation needs the propensity column (${PROPENSITY_MEANING}): ${fix}`);
      else chosen[role] = null;
    } else if (given !== undefined) {
      if (header.includes(given)) chosen[role] = given;
      else problems.push(`${label}: has no column ${show(given)}${didYouMean(given, header)} ${its}: ${fix}`);
    } else {
      const found = defaultLogColumn(header, role) ?? undefined;
      if (found !== undefined) chosen[role] = found;
      else if (role === 'context' || (role === 'propensity' && !needsPropensity)) chosen[role] = null; // logs without a context are fine, and a fit needs no propensity
      else problems.push(`${label}: has no column ${namesListed(DEFAULT_LOG_COLUMNS[role])} ${its}: ${fix}${role === 'propensity' ? ` (${PROPENSITY_MEANING})` : ''}`);
    }
  }
  // One column in two roles (the item as its own context, say) is a slip: each role needs its own column.
  const roleOf = new Map<string, Role>();
  for (const role of ROLES) {
    const column = chosen[role];
    if (problems.length > 0 || column == null) continue;
    const first = roleOf.get(column);
    if (first === undefined) roleOf.set(column, role);
    else {
      const name = (r: Role) => (options.howToName ? `the ${r} column` : `--${r}-column`);
      problems.push(`${label}: column ${show(column)} is both the ${first} and the ${role}: choose another column for one of them (${name(first)} or ${name(role)})`);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { action: chosen.action!, reward: chosen.reward!, propensity: chosen.propensity ?? null, context: chosen.context ?? null };
}

/** The message when no row passes the filters: the values the first unmatched column does hold. */
function noRowMatches(filters: readonly Filter[], label: string): ValidationError {
  // A value holding a comma in double quotes, as --where takes it: unquoted, "home, top" read as two values in a list.
  // The columns and values are the file's (the app's filters offer its values): one holding a control character or
  // longer than a message quotes is quoted as listedName quotes it (escaped, cut), where it went raw and whole.
  const shown = (v: string) => (listedName(v) !== v ? listedName(v) : v === '' || v.includes(',') ? `"${v}"` : v);
  const asked = filters.map((f) => `${listedName(f.column)}=${f.value === '' ? '' : shown(f.value)}`).join(', ');
  const unmatched = filters.find((f) => !f.matched);
  let hint = 'each value occurs, but never on the same row';
  if (unmatched) {
    const values = labelOrder(unmatched.seen).slice(0, MAX_VALUES_SHOWN).map(shown);
    const count = unmatched.seen.size < MAX_VALUES_GATHERED ? `${thousands(unmatched.seen.size)} in all` : `${thousands(MAX_VALUES_GATHERED)} or more`;
    const more = unmatched.seen.size > MAX_VALUES_SHOWN ? `, … (${count})` : '';
    hint = `values seen in column ${show(unmatched.column)}: ${values.join(', ')}${more}`;
  }
  return new ValidationError([`${label}: no row has ${asked} (${hint})`]);
}

/** Labels in their natural order, and each first-seen id's index among them. */
function ordered(firstSeen: readonly string[]): { labels: string[]; rank: Int32Array } {
  const labels = labelOrder(firstSeen);
  const at = new Map(labels.map((l, i) => [l, i]));
  return { labels, rank: Int32Array.from(firstSeen, (l) => at.get(l)!) };
}

/** A kept row's field that fails its role's rule (`got`: the field, when the rule is about its value). */
interface RowProblem {
  readonly role: Role;
  readonly rule: string;
  readonly got?: string;
  /** Said after the value: the likely cause and its fix (engine/csv.ts's ColumnProblem.hint). */
  readonly hint?: string;
}

/**
 * The likely cause of a propensity out of (0, 1] that a user can act on: a 0 (a logging policy never
 * logs an action it shows with probability 0, so most often a small propensity rounded when the
 * logs were written: 0.00001 as "0.0000"), or a percentage ("2.5%", a spreadsheet's format).
 */
function propensityHint(p: string, value: number): { hint?: string } {
  if (value === 0 && DECIMAL.test(p)) {
    return { hint: ': a propensity of 0 says the logging policy never shows this action, yet this row shows it: were the propensities rounded when the logs were written (0.00001 as 0.0000)? Write them with more significant digits' };
  }
  if (/^[+]?(\d+\.?\d*|\.\d+)\s*%$/.test(p)) return { hint: ': a percentage? Write it as a fraction (2.5% as 0.025)' };
  return numberFormatHint(p);
}

/**
 * Why a row's propensity field `p` (whose number is `value`) cannot weight it, or undefined.
 * `heldForFit`: the row is one a fit's holdout sets aside, which the rule then says.
 */
function propensityProblem(p: string, value: number, heldForFit = false): RowProblem | undefined {
  if (!DECIMAL.test(p) || !(value > 0 && value <= 1)) {
    // A fit weighs no row: its held-out rows need one for the off-policy evaluation they are kept for, which the rule says.
    const rule = heldForFit
      ? "must be a decimal number in (0, 1] on a held-out row, the logging policy's probability of showing this action, by which off-policy evaluation weighs the row (the rows fitted need none)"
      : "must be a decimal number in (0, 1], the logging policy's probability of showing this action";
    return { role: 'propensity', rule, got: p, ...propensityHint(p, value) };
  }
  // Under ~5.6e-309 the weight 1 / propensity is ∞ (and IPS, DR and the weights' mean with it).
  // 1e-301 weighs 1e301, itself finite: what it passes is what the estimates' sums can hold.
  if (value < MIN_PROPENSITY) {
    return { role: 'propensity', rule: `must be at least ${MIN_PROPENSITY}: a smaller one weighs its row more than 1e300 (1 / propensity), past what the estimates' sums of weights times rewards can hold (a double's range, ~1.8e308)`, got: p };
  }
  return undefined;
}

/**
 * The rows' problems as the CSV readers list them (engine/csv.ts), each in its role's column. When
 * reading stopped at MAX_PROBLEMS, every row failing one column's rule is one problem, asking
 * whether it is the column meant.
 */
function problemLines(problems: readonly { line: number; problem: RowProblem | string }[], columns: ReadLogRows['columns'], label: string, howToName: ReadLogsOptions['howToName']): string[] {
  const roles = new Map<string, Role>();
  const listed = problems.map(({ line, problem: p }) => {
    if (typeof p === 'string') return { line, problem: p };
    const column = columns[p.role]!;
    roles.set(column, p.role);
    return { line, problem: { column, rule: p.rule, ...(p.got !== undefined ? { got: p.got } : {}), ...(p.hint !== undefined ? { hint: p.hint } : {}) } satisfies ColumnProblem };
  });
  return rowProblemLines(listed, label, problems.length >= MAX_PROBLEMS, ({ column }) => {
    const role = roles.get(column)!;
    return `: is ${show(column)} the ${role} column? If not, ${howToName ? howToName(role) : `name the ${role} column with --${role}-column`}`;
  });
}

/**
 * Parses a logs CSV's lines (a file's, streamed, or a text's) into LoggedBandit columns, for
 * off-policy evaluation: logs without a propensity column are refused. Throws a ValidationError naming the missing columns,
 * or listing the first malformed rows (`label:LINE: column "pscore": …`): nothing is returned for
 * a bad file.
 */
export async function parseLogLines(lines: Iterable<string> | AsyncIterable<string>, label: string, options: ReadLogsOptions = {}): Promise<ReadLogs> {
  const read = await parseLines(lines, label, options, 'evaluate');
  // needsPropensity: resolveColumns refused logs without the column, so every row has one.
  const { propensity, columns } = read;
  if (propensity === null || columns.propensity === null) throw new Error(`${label}: read for off-policy evaluation without a propensity column`);
  return { ...read, propensity, columns: { ...columns, propensity: columns.propensity } };
}

/** The rows evaluated: those a holdout sets aside (evaluationRows), named in its refusals by `label` (as the user gave it), with `fix`. */
export interface EvaluatedPart {
  readonly choice: HoldoutChoice;
  readonly label: string;
  readonly fix: string;
}

/**
 * parseLogLines, then the rows `part` holds out, which are the rows evaluated (evaluationRows):
 * only those need a valid propensity. The others (a fit's, never weighted here) are read without
 * one, and kept in the count, so the seeded draw of a holdout of 1 in k sets aside the same rows
 * as on logs where every row has one. A row evaluated without a valid propensity is refused by
 * line and column as parseLogLines refuses it.
 */
export async function parseEvaluatedLogLines(lines: Iterable<string> | AsyncIterable<string>, label: string, options: ReadLogsOptions, part: EvaluatedPart): Promise<ReadLogs> {
  if (holdoutText(part.choice) === undefined) return parseLogLines(lines, label, options);
  const read = await parseLines(lines, label, options, 'evaluate', part.choice, part);
  const { propensity, columns } = read;
  if (propensity === null || columns.propensity === null) throw new Error(`${label}: read for off-policy evaluation without a propensity column`);
  return { ...read, propensity, columns: { ...columns, propensity: columns.propensity } };
}

/**
 * parseLogLines for a simulator's fit, which uses no propensity: logs with none of its usual
 * names (or `propensity` null) read without one, and one named that the file lacks is refused.
 * Where the file has the column, only the rows `holdout` sets aside need a valid propensity, as
 * parseEvaluatedLogLines reads them: they are the rows `aisle ope` with the same holdout
 * evaluates, so a row it would refuse is refused here by line and column, before a policy is
 * trained for nothing. The rows fitted need none (NaN in `propensity` where a field, empty, "NA"
 * or malformed, is not one), nor does any row without a holdout. Returns every row kept, the
 * holdout's included (the fit sets them aside, with the same draw).
 */
export function parseLogLinesToFit(lines: Iterable<string> | AsyncIterable<string>, label: string, options: ReadLogsOptions = {}, holdout: HoldoutChoice = {}): Promise<ReadLogRows> {
  return parseLines(lines, label, options, 'fit', holdoutText(holdout) === undefined ? undefined : holdout);
}

/**
 * parseLogLines for the rows of a `logs:` target (`where`: its rows), which are never weighted:
 * its action frequencies and its mean reward are read from them, so they need an action, a reward
 * and a context only. Their propensities (a deterministic production policy logs none) may be
 * empty, malformed or missing: `propensity` holds them when every row has a valid one, else null.
 * The rows evaluated are read by parseLogLines, which still refuses a row without one.
 */
export function parseTargetRowLines(lines: Iterable<string> | AsyncIterable<string>, label: string, options: ReadLogsOptions = {}): Promise<ReadLogRows> {
  return parseLines(lines, label, options, 'target');
}

/**
 * What the rows are read for: `evaluate`, weighted by their propensities, each row's checked (with
 * a holdout, the rows it sets aside only); `fit`, a simulator's, without one unless the file has
 * the column, then checked on the rows a holdout sets aside only, rewards within an aisle.mdp/v1
 * file's bound; `target`, a `logs:` target's frequencies, propensities kept only
 * where every row has a valid one (parseTargetRowLines).
 */
type ReadFor = 'evaluate' | 'fit' | 'target';

/**
 * `held`: the holdout whose rows alone need a valid propensity (the rows evaluated, or those a fit
 * sets aside); `evaluated`: the rows returned are those it holds out (parseEvaluatedLogLines).
 */
async function parseLines(lines: Iterable<string> | AsyncIterable<string>, label: string, options: ReadLogsOptions, readFor: ReadFor, held?: HoldoutChoice, evaluated?: EvaluatedPart): Promise<ReadLogRows> {
  const needsPropensity = readFor === 'evaluate';
  // A target's row without a valid propensity: the rows' propensities are dropped (null), the row kept.
  let propensityLacking = false;
  // With a holdout of 1 in k, whether a kept row is evaluated is drawn as it is read (heldOutMask's
  // draws, in order); with the last p %, it is known at the end, from the count: a row's propensity
  // problem waits there, by its index among the rows kept, its line and its field.
  const k = held?.holdout;
  const drawHeld = k !== undefined && k >= 2 ? holdoutDraws(k) : undefined;
  const deferred = held?.holdoutLast !== undefined ? { row: [] as number[], line: [] as number[], got: [] as string[] } : undefined;
  let columns: ReadLogRows['columns'] | undefined;
  let width = 0;
  let headerRead: { names: readonly string[]; line: number } | undefined;
  let at = { action: 0, context: -1, reward: 0, propensity: 0 };
  let filters: Filter[] = [];
  // The rows kept per value of each column that may say which policy logged them (null once it has too many values).
  let logging: { column: string; index: number; counts: Map<string, number> | null }[] = [];
  // Actions and contexts get ids in the order first seen; they are renumbered in label order at the end.
  const actionIds = new Map<string, number>();
  const contextIds = new Map<string, number>();
  // The row count is known only at the end: the columns grow in blocks, joined once (row-blocks.ts).
  const action = new BlockColumn(Int32Array);
  const context = new BlockColumn(Int32Array);
  const reward = new BlockColumn(Float64Array);
  const rowLines = readFor === 'fit' ? new BlockColumn(Int32Array) : null;
  // Made once the header names a propensity column: logs without one (a fit's) have none, not a column of 1s.
  let propensity: BlockColumn<Float64Array> | null = null;
  let kept = 0;
  let rowsRead = 0;
  const problems: { line: number; problem: RowProblem | string }[] = [];
  let lineNo = 0;

  /** Validates a kept row and appends it, or returns the problem with its column's role. */
  function keep(fields: readonly string[]): RowProblem | undefined {
    // Each row the filters keep draws, in order, as heldOutMask draws for the rows kept (a row refused here is one of them once mended).
    const drawn = drawHeld?.();
    // A row no holdout sets aside: a fit's, never weighted (without a holdout, a fit's every row).
    const notEvaluated = drawn === false || (readFor === 'fit' && drawn === undefined && deferred === undefined);
    const a = fields[at.action]!.trim();
    if (a === '') return { role: 'action', rule: 'is empty: every row needs the action it showed' };
    const c = at.context >= 0 ? fields[at.context]!.trim() : '';
    if (at.context >= 0 && c === '') return { role: 'context', rule: 'is empty: every row needs a context (or read the logs without one)' };
    // A fit's actions and contexts become the aisle.mdp/v1 file's labels, which hold no control character (parseMdp).
    if (readFor === 'fit') {
      for (const [role, label] of [['action', a], ['context', c]] as const) {
        if (CONTROL.test(label)) return { role, rule: `holds a control character (${controlAt(label)}), which a simulator's ${role === 'action' ? 'action' : 'state'} label cannot hold: remove it`, got: label };
      }
    }
    const r = fields[at.reward]!.trim();
    if (!DECIMAL.test(r) || !Number.isFinite(Number(r))) return { role: 'reward', rule: "must be a finite decimal number (the reward, such as a click's 0 or 1)", got: r, ...numberFormatHint(r) };
    // A fit writes the rewards into an aisle.mdp/v1 file (logsToMdp), which holds no larger ones.
    if (readFor === 'fit' && Math.abs(Number(r)) > MDP_LIMITS.reward) {
      return { role: 'reward', rule: `must be within ±${thousands(MDP_LIMITS.reward)} to fit a simulator, the most an aisle.mdp/v1 reward holds: rescale the reward column`, got: r };
    }
    let pValue: number | null = null; // stays null where the logs have no propensity column
    if (propensity !== null && !propensityLacking) {
      const p = fields[at.propensity]!.trim();
      pValue = Number(p);
      const problem = propensityProblem(p, pValue, readFor === 'fit');
      if (problem !== undefined) {
        if (notEvaluated) pValue = NaN; // a row kept for a fit, never weighted
        else if (deferred !== undefined) {
          // Refused at the end if the row is evaluated; NaN until then, never weighted otherwise.
          deferred.row.push(kept);
          deferred.line.push(lineNo);
          deferred.got.push(p);
          pValue = NaN;
        } else if (readFor !== 'target') return problem;
        else {
          // A target's rows are never weighted: without a propensity here, none of them keeps one.
          propensityLacking = true;
          pValue = null;
          propensity = null; // its blocks freed: no propensity is returned
        }
      }
    }
    if (!actionIds.has(a)) actionIds.set(a, actionIds.size);
    if (!contextIds.has(c)) contextIds.set(c, contextIds.size);
    action.push(actionIds.get(a)!);
    context.push(contextIds.get(c)!);
    reward.push(Number(r));
    rowLines?.push(lineNo);
    if (propensity !== null && pValue !== null) propensity.push(pValue);
    kept++;
    for (const l of logging) {
      if (!l.counts) continue;
      const v = fields[l.index]!.trim();
      l.counts.set(v, (l.counts.get(v) ?? 0) + 1);
      if (l.counts.size > MAX_MIXED_VALUES) l.counts = null;
    }
    return undefined;
  }

  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (!columns) {
      const header = checkedHeader(headerNames(fields, line, label, lineNo), label, lineNo);
      columns = resolveColumns(header, options, label, needsPropensity);
      const unknown = Object.keys(options.where ?? {}).filter((c) => !header.includes(c));
      if (unknown.length > 0) {
        throw new ValidationError(unknown.map((c) => `${label}: cannot keep rows by column ${show(c)}: there is no such column${didYouMean(c, header)} ${itsColumns(header)}`));
      }
      // Rows kept by their reward (click=1) leave that reward alone: every estimate, the logged mean and a fit's every action would be it (a mean click of 1).
      const reward = columns.reward;
      if (options.where !== undefined && Object.hasOwn(options.where, reward)) {
        const [name, value] = [listedName(reward), listedName(options.where[reward]!)];
        const kept = `${name}=${value}`;
        const howTo = options.howToName ? `set the ${name} filter to any` : `drop ${kept}`;
        throw new ValidationError([`${label}: cannot keep rows by column ${show(reward)}: it is the reward, and on the rows with ${kept} every reward is ${value}, which leaves the estimates and a fit nothing to tell: ${howTo}`]);
      }
      filters = Object.entries(options.where ?? {}).map(([column, value]) => ({ column, value, index: header.indexOf(column), matched: false, seen: new Set<string>() }));
      at = {
        action: header.indexOf(columns.action),
        context: columns.context === null ? -1 : header.indexOf(columns.context),
        reward: header.indexOf(columns.reward),
        propensity: columns.propensity === null ? -1 : header.indexOf(columns.propensity),
      };
      if (columns.propensity !== null) propensity = new BlockColumn(Float64Array);
      const roleColumns: (string | null)[] = Object.values(columns);
      logging = header.flatMap((column, index) =>
        splitsLogging(column) && !roleColumns.includes(column) && !(column in (options.where ?? {})) ? [{ column, index, counts: new Map<string, number>() }] : [],
      );
      width = header.length;
      headerRead = { names: header, line: lineNo };
      continue;
    }
    rowsRead++;
    const shape = rowShapeProblem(fields, width, line, headerRead);
    let problem: RowProblem | string | undefined = shape;
    if (shape === undefined && fields) {
      let pass = true;
      for (const f of filters) {
        const v = fields[f.index]!.trim();
        if (v === f.value) f.matched = true;
        else {
          pass = false;
          if (f.seen.size < MAX_VALUES_GATHERED) f.seen.add(v);
        }
      }
      if (pass) problem = keep(fields);
    }
    if (problem !== undefined) {
      problems.push({ line: lineNo, problem });
      if (problems.length >= MAX_PROBLEMS || problem === OPEN_QUOTE_FAULT) break;
    }
  }
  if (!columns) throw logsFileEmpty(label);
  if (problems.length > 0) throw new ValidationError(problemLines(problems, columns, label, options.howToName));
  if (rowsRead === 0) throw logsWithoutRows(label);
  if (kept === 0) throw noRowMatches(filters, label);

  const actions = ordered([...actionIds.keys()]);
  const contexts = ordered([...contextIds.keys()]);
  const result: ReadLogRows = {
    actionLabels: actions.labels,
    contextLabels: contexts.labels,
    // Joined one column after another, each column's blocks dropped as they are copied.
    action: action.joined(actions.rank),
    context: context.joined(contexts.rank),
    reward: reward.joined(),
    propensity: propensity === null || propensityLacking ? null : propensity.joined(),
    columns,
    rowsRead,
    rowsKept: kept,
    mixed: mixedColumns(
      new Map(logging.flatMap(({ column, counts }) => (counts ? [[column, labelOrder(counts.keys()).map((value) => ({ value, rows: counts.get(value)! }))] as const] : []))),
      options.where ?? {},
      Object.values(columns),
    ),
    ...(rowLines !== null ? { lines: rowLines.joined() } : {}),
  };
  // A fit's rows may hold NaN propensities (those it never weighs): their shape is checked without them.
  const checked = (rows: ReadLogRows) => checkLoggedBandit(readFor === 'fit' ? { ...rows, propensity: null } : rows, label);
  if (held === undefined) {
    checked(result);
    return result;
  }
  // The rows evaluated, refused first when a holdout sets none or all of them aside (a fit refuses that itself, fitSimulator); then those held out without a valid propensity.
  const rowsEvaluated = evaluated === undefined ? result : evaluationRows(result, evaluated.choice, evaluated.label, evaluated.fix);
  const heldOut = deferred !== undefined && deferred.row.length > 0 ? heldOutMask(kept, held) : new Uint8Array(0);
  for (let j = 0; deferred !== undefined && j < deferred.row.length && problems.length < MAX_PROBLEMS; j++) {
    if (heldOut[deferred.row[j]!] !== 1) continue;
    const got = deferred.got[j]!;
    problems.push({ line: deferred.line[j]!, problem: propensityProblem(got, Number(got), readFor === 'fit')! });
  }
  if (problems.length > 0) throw new ValidationError(problemLines(problems, columns, label, options.howToName));
  checked(rowsEvaluated);
  return rowsEvaluated;
}
