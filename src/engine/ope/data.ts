/**
 * Logged bandit feedback: what a recommender showed (the action), in which context, what it got
 * (the reward) and how likely its logging policy was to show it there (the propensity). This is
 * the input of off-policy evaluation (estimators.ts): estimating how another policy would have
 * done from these logs alone. Actions and contexts are indices into label lists, so the logs, the
 * target policies built from other logs and the report all speak of the same items by name.
 *
 * A context here is discrete (a slot on the page, a user segment): the target policy is a
 * distribution over actions per context. One context (label "") when the logs have none.
 */
import { listedName, plural, thousands, ValidationError } from '../params';
import { Rng, Stream } from '../rng';

/**
 * Logged rows with or without the logging policy's propensities: a shop's purchase records have
 * none, and a simulator's fit (simulator.ts) needs none.
 */
export interface LoggedRows {
  /** Distinct action values in the logs, in their natural order (see labelOrder). */
  readonly actionLabels: readonly string[];
  /** Distinct context values, in their natural order; [""] when the logs have no context. */
  readonly contextLabels: readonly string[];
  /** Per logged row: the action shown (an index into actionLabels). */
  readonly action: Int32Array;
  /** Per logged row: its context (an index into contextLabels). */
  readonly context: Int32Array;
  /** Per logged row: the reward observed (a click: 0 or 1; any finite number). */
  readonly reward: Float64Array;
  /** Per logged row: the logging policy's probability of this action in this context, in (0, 1]; null when the logs have none. */
  readonly propensity: Float64Array | null;
}

/** Logged rows with their propensities: what off-policy evaluation weights. */
export interface LoggedBandit extends LoggedRows {
  /** Per logged row: the logging policy's probability of this action in this context, in (0, 1]. */
  readonly propensity: Float64Array;
}

/** What the propensity column holds and why it is needed: the CLI's and the app's words when it is missing. */
export const PROPENSITY_MEANING =
  "the logging policy's probability of showing each row's action, by which off-policy estimates (IPS, SNIPS, DR) weight the row; " +
  'for an action drawn uniformly from k, it is 1/k: logs without it cannot be evaluated off-policy, though a simulator can be fitted to them';

/** Most distinct actions × contexts a target policy's table may hold (a dense table of doubles: 80 MB). */
export const MAX_POLICY_CELLS = 10_000_000;

export function rows(data: LoggedRows): number {
  return data.action.length;
}

/**
 * Labels in their natural order: as numbers when every label is a plain integer ("2" before
 * "10"), otherwise as strings (code-unit order, the same on every machine).
 */
export function labelOrder(labels: Iterable<string>): string[] {
  const list = [...new Set(labels)];
  const integers = list.every((l) => /^-?\d{1,15}$/.test(l));
  return integers ? list.sort((a, b) => Number(a) - Number(b)) : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Checks logged rows' shape: equal lengths, indices within the labels, finite rewards and
 * propensities (where the logs have them) in (0, 1]. Throws a ValidationError naming the first problems (row numbers from 0).
 */
export function checkLoggedBandit(data: LoggedRows, label = 'logs'): void {
  const n = data.action.length;
  const problems: string[] = [];
  if (data.actionLabels.length === 0) problems.push(`${label}: has no actions: the logs need at least one row`);
  if (data.contextLabels.length === 0) problems.push(`${label}: has no contexts (use [""] for logs without one)`);
  for (const [name, column] of [['context', data.context], ['reward', data.reward], ['propensity', data.propensity]] as const) {
    if (column !== null && column.length !== n) problems.push(`${label}.${name}: has ${column.length} values for ${n} rows`);
  }
  if (data.actionLabels.length * data.contextLabels.length > MAX_POLICY_CELLS) {
    // Counts grouped as the limit beside them ("20,000 actions × 95,016 contexts", not "20000 × 95016").
    problems.push(`${label}: ${thousands(data.actionLabels.length)} actions × ${thousands(data.contextLabels.length)} contexts is more than ${thousands(MAX_POLICY_CELLS)} cells: choose a coarser context column`);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  for (let i = 0; i < n && problems.length < 10; i++) {
    const a = data.action[i]!;
    const c = data.context[i]!;
    const r = data.reward[i]!;
    if (!(a >= 0 && a < data.actionLabels.length)) problems.push(`${label}: row ${i}: action index ${a} is not in 0..${data.actionLabels.length - 1}`);
    if (!(c >= 0 && c < data.contextLabels.length)) problems.push(`${label}: row ${i}: context index ${c} is not in 0..${data.contextLabels.length - 1}`);
    if (!Number.isFinite(r)) problems.push(`${label}: row ${i}: reward must be a finite number, got ${r}`);
    const p = data.propensity?.[i];
    if (p !== undefined && !(p > 0 && p <= 1)) problems.push(`${label}: row ${i}: propensity must be in (0, 1] (the logging policy's probability of showing this action), got ${p}`);
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * The rows i with keep(i), as logs of their own over the same labels (so their actions and
 * contexts keep their indices and names, even where none of the kept rows shows them).
 */
export function selectRows<T extends LoggedRows>(data: T, keep: (row: number) => boolean): T {
  const chosen: number[] = [];
  for (let i = 0; i < rows(data); i++) if (keep(i)) chosen.push(i);
  const pick = <C extends Int32Array | Float64Array>(column: C): C => {
    const out = new (column.constructor as new (n: number) => C)(chosen.length);
    chosen.forEach((i, j) => (out[j] = column[i]!));
    return out;
  };
  return { ...data, action: pick(data.action), context: pick(data.context), reward: pick(data.reward), propensity: data.propensity && pick(data.propensity) };
}

/** "1 row in 3", for a holdout's messages. */
export function oneRowIn(k: number): string {
  return `1 row in ${k}`;
}

/**
 * Which of the kept rows a holdout sets aside, at most one of: `holdout` k, 1 row in k, each by its
 * own seeded draw (holdoutRows); `holdoutLast` p, the last p % of them in the logs' order (lastRows:
 * the newest, where logs are written in time order, so a policy learned on the rest is checked on
 * what came after what it learned from).
 */
export interface HoldoutChoice {
  readonly holdout?: number;
  readonly holdoutLast?: number;
}

/** The holdout an options object names, without undefined entries. */
export function holdoutOf(o: { readonly holdout?: number | undefined; readonly holdoutLast?: number | undefined }): HoldoutChoice {
  return { ...(o.holdout !== undefined ? { holdout: o.holdout } : {}), ...(o.holdoutLast !== undefined ? { holdoutLast: o.holdoutLast } : {}) };
}

/** The rows `choice` fits on (`part` "fit") or holds out ("holdout"); all of them to fit and none held out when it names no holdout. */
export function heldOutPart<T extends LoggedRows>(data: T, choice: HoldoutChoice, part: 'fit' | 'holdout'): T {
  if (choice.holdout !== undefined && choice.holdoutLast !== undefined) throw new RangeError('give a holdout of 1 row in k or of the last p %, not both');
  if (choice.holdoutLast !== undefined) return lastRows(data, choice.holdoutLast, part);
  if (choice.holdout !== undefined) return holdoutRows(data, choice.holdout, part);
  return part === 'fit' ? data : selectRows(data, () => false);
}

/**
 * The rows to evaluate on: those `choice` holds out, or all of `kept` when it names no holdout. A
 * holdout that sets no row aside is refused (an evaluation on no rows says nothing), named by
 * `label` as the caller's user gave it ("--holdout 3", "holdout"), with `fix` for how to mend it.
 */
export function evaluationRows<T extends LoggedRows>(kept: T, choice: HoldoutChoice, label: string, fix: string): T {
  const held = holdoutText(choice);
  if (held === undefined) return kept;
  const data = heldOutPart(kept, choice, 'holdout');
  if (rows(data) === 0) throw new ValidationError([`${label}: holding out ${held} of the ${plural(rows(kept), 'row')} kept holds out none of them: ${fix}`]);
  // Every row held out: the split leaves none to have fitted a policy on (`aisle logs mdp` refuses it), and "held out" would not mean anything.
  if (rows(data) === rows(kept)) {
    const smaller = choice.holdoutLast !== undefined ? 'hold out a smaller share' : 'give a larger holdout (1 row in more)';
    throw new ValidationError([`${label}: holding out ${held} of the ${plural(rows(kept), 'row')} kept holds out every one of them, leaving none to fit on, as \`aisle logs mdp\` would refuse: ${smaller}, or none to evaluate on every row`]);
  }
  return data;
}

/**
 * `where` as column=value pairs for a message: "policy=bts, campaign=men". Its columns and values
 * are a logs header's and cell's, an option's as typed or a policy file's (its fittedTo.where):
 * each is listed as a message lists a file's names (listedName), where a newline in one split the
 * message, an ESC sequence reached the terminal raw and a value of 10,000 characters came whole.
 * Escaped here once: no caller escapes them again (reportLines' and warn's escapeControl leaves
 * the \u escapes as they are).
 */
export function describeWhere(where: Readonly<Record<string, string>>): string {
  return Object.entries(where)
    .map(([c, v]) => `${listedName(c)}=${listedName(v)}`)
    .join(', ');
}

/** `where` as a --where or logs: target takes it back, raw: "policy=bts,campaign=men" (a shell word, a target's spec). */
export function whereArgument(where: Readonly<Record<string, string>>): string {
  return Object.entries(where)
    .map(([c, v]) => `${c}=${v}`)
    .join(',');
}

/** "the rows with policy=random" or "every row": the rows a filter keeps, for messages. */
export function keptRowsText(where: Readonly<Record<string, string>>): string {
  return Object.keys(where).length > 0 ? `the rows with ${describeWhere(where)}` : 'every row';
}

/** "1 row in 3" or "the last 20 %", for messages; undefined when `choice` names no holdout. */
export function holdoutText(choice: HoldoutChoice): string | undefined {
  if (choice.holdoutLast !== undefined) return `the last ${choice.holdoutLast} %`;
  return choice.holdout !== undefined ? oneRowIn(choice.holdout) : undefined;
}

/** The rows the last `percent` % of them hold, of `n`: ⌈n · percent / 100⌉, so a holdout of any size holds out a row. */
export function lastRowCount(n: number, percent: number): number {
  return Math.min(n, Math.max(0, Math.ceil((n * percent) / 100 - 1e-9)));
}

/**
 * The last `percent` % of the rows in their order (lastRowCount of them: `part` "holdout") or the
 * rows before them ("fit"), 0 < percent < 100.
 */
export function lastRows<T extends LoggedRows>(data: T, percent: number, part: 'fit' | 'holdout'): T {
  const held = heldOutMask(rows(data), { holdoutLast: percent });
  return selectRows(data, (i) => (held[i] === 1) === (part === 'holdout'));
}

/**
 * The rows a holdout of 1 row in k keeps aside: each row, in order, is held out when its own draw
 * from 0..k − 1 is 0, the draws coming from the engine's generator with seed 0 on the holdout
 * stream, so the same rows give the same split in every command and run. (A draw per row, not
 * every k-th row: logs often come in blocks, a slate's k positions on k consecutive rows, and every
 * k-th row would then hold out one position.) `part` "fit" gives the others, "holdout" those;
 * k = 1 holds out nothing.
 */
export function holdoutRows<T extends LoggedRows>(data: T, k: number, part: 'fit' | 'holdout'): T {
  if (k === 1) return part === 'fit' ? data : selectRows(data, () => false);
  const held = heldOutMask(rows(data), { holdout: k });
  return selectRows(data, (i) => (held[i] === 1) === (part === 'holdout'));
}

/**
 * Which of `n` kept rows, in order, `choice` holds out (1) and which it fits on (0): lastRows' and
 * holdoutRows' split, for a caller that has row numbers rather than rows (which rows of a file a
 * fit used: fitted-rows.ts).
 */
export function heldOutMask(n: number, choice: HoldoutChoice): Uint8Array {
  if (choice.holdout !== undefined && choice.holdoutLast !== undefined) throw new RangeError('give a holdout of 1 row in k or of the last p %, not both');
  if (choice.holdoutLast !== undefined) {
    const percent = choice.holdoutLast;
    if (!(percent > 0 && percent < 100)) throw new RangeError(`the last rows held out must be a share above 0 % and below 100 %, got ${percent}`);
    const first = n - lastRowCount(n, percent);
    return Uint8Array.from({ length: n }, (_, i) => (i >= first ? 1 : 0));
  }
  const k = choice.holdout;
  if (k === undefined) return new Uint8Array(n);
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`holdout must be a whole number ≥ 1, got ${k}`);
  if (k === 1) return new Uint8Array(n);
  const next = holdoutDraws(k);
  return Uint8Array.from({ length: n }, () => (next() ? 1 : 0));
}

/**
 * heldOutMask's draws for a holdout of 1 in k (k ≥ 2), one kept row at a time, in order: whether
 * the next row is held out. For a reader that decides as it reads (parseEvaluatedLogLines).
 */
export function holdoutDraws(k: number): () => boolean {
  const rng = new Rng(0, Stream.holdout);
  return () => rng.int(k) === 0;
}
