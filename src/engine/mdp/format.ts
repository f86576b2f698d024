/**
 * The `aisle.mdp/v1` file format: a finite MDP written as a list of [state, action, probability,
 * nextState, reward] transitions; its validation (every message names the JSON path, the pair and
 * the fix) and its compiled form, CSR arrays that the tabular-mdp environment samples from and the
 * exact solver (solve.ts) sweeps.
 */
import * as z from 'zod';
import { wrongKindProblem } from '../file-kind';
import { CONTROL, ValidationError, controlAt, formatIssues, numberSchema, pathKey, show, thousands, tooLargeText, withoutControl } from '../params';
import { isObject } from '../values';

export const MDP_FORMAT = 'aisle.mdp/v1';

/**
 * Size caps. `pairs` (states × actions) bounds the compiled arrays even when most states are terminal.
 * `reward` bounds |reward| (as the shop caps a price, at 1e9): episode returns are stored as float32
 * metrics, where rewards like 1e308 overflow to Infinity; 1e9 a step over 10 million steps
 * (maxSteps' cap) stays far inside float32's range (3.4e38).
 */
export const MDP_LIMITS = { states: 1_000_000, actions: 10_000, transitions: 10_000_000, pairs: 10_000_000, reward: 1e9 } as const;

const maxReward = MDP_LIMITS.reward.toExponential().replace('e+', 'e'); // "1e9"
const REWARD_RANGE = `[-${maxReward}, ${maxReward}]`;

/** Probabilities of a (state, action) pair, and of the start distribution, must sum to 1 within this. */
export const SUM_TOLERANCE = 1e-9;

const MAX_PROBLEMS = 20;

const describeValue = (v: unknown): string =>
  v === undefined ? 'nothing (the field is required)'
  : v === Infinity || v === -Infinity ? tooLargeText(v)
  : typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  : Array.isArray(v) ? `an array of ${v.length}`
  : typeof v === 'number' ? show(v)
  : v === null || typeof v !== 'object' ? String(v)
  : 'an object';


/** `states` / `actions`: a count, or one label per element. */
function sizeField(noun: 'state' | 'action', max: number) {
  const error = (iss: { input?: unknown }) =>
    `must be the number of ${noun}s (a whole number in [1, ${thousands(max)}]) or an array of 1 to ${thousands(max)} non-empty ${noun} labels, got ${describeValue(iss.input)}`;
  const count = z.number({ error }).int({ error }).min(1, { error }).max(max, { error });
  // A label of the list named as one: the whole field's words ("must be the number of states … or
  // an array of … labels, got 0") read as if the list itself were wrong, once for each label.
  const a = noun === 'action' ? 'an' : 'a';
  const label = (iss: { input?: unknown }) =>
    typeof iss.input === 'string'
      ? `${a} ${noun} label must not be empty: name the ${noun}`
      : `${a} ${noun} label must be text, got ${describeValue(iss.input)}: write each label in quotes (${describeValue(iss.input)} as "${typeof iss.input === 'number' ? iss.input : '…'}"), or give the number of ${noun}s in place of the list`;
  const labels = z.array(z.string({ error: label }).min(1, { error: label }), { error }).min(1, { error }).max(max, { error });
  return z.union([count, labels], { error }).describe(`The number of ${noun}s, or an array of ${noun} labels (their count is the number of ${noun}s).`);
}

const indexField = (what: string) => numberSchema({ int: true, min: 0, describe: `${what} (a 0-based index).` });

/** One transition. parseMdp checks rows with isValidRow, which mirrors this tuple (a test holds them equal). */
export const transitionSchema = z
  .tuple([
    indexField('State'),
    indexField('Action'),
    numberSchema({ gt: 0, max: 1, describe: 'Probability of this next state given the state and action.' }),
    indexField('Next state'),
    numberSchema({ min: -MDP_LIMITS.reward, max: MDP_LIMITS.reward, describe: 'Reward received on this transition.' }),
  ])
  .describe('[state, action, probability, nextState, reward]');

const TRANSITIONS_DESCRIPTION =
  'Every transition as [state, action, probability, nextState, reward]; each non-terminal state defines every action, with probabilities summing to 1.';
const transitionsError = (iss: { input?: unknown }) =>
  Array.isArray(iss.input)
    ? `has ${thousands(iss.input.length)} transitions, more than the limit of ${thousands(MDP_LIMITS.transitions)}: aisle.mdp/v1 files hold at most that many`
    : `must be an array of [state, action, probability, nextState, reward] entries, got ${describeValue(iss.input)}`;

/** The file's shape, for the JSON Schema and the `MdpFile` type. Semantic rules live in parseMdp. */
export const mdpFileSchema = z
  .object(
    {
      format: z.literal(MDP_FORMAT, { error: (iss) => `must be "${MDP_FORMAT}", got ${describeValue(iss.input)}` }),
      name: withoutControl(z.string().max(200)).optional().describe('A name shown in the UI and reports.'),
      states: sizeField('state', MDP_LIMITS.states),
      actions: sizeField('action', MDP_LIMITS.actions),
      start: z
        .record(z.string(), numberSchema({ gt: 0, max: 1, describe: 'Probability of starting in this state.' }), {
          error: (iss) => `must be an object mapping state indices to probabilities, like { "0": 1 }, got ${describeValue(iss.input)}`,
        })
        .describe('Start distribution: state index (as a string key) → probability; the probabilities sum to 1.'),
      terminal: z
        .array(indexField('Terminal state'), { error: (iss) => `must be an array of state indices, got ${describeValue(iss.input)}` })
        .default([])
        .describe('States where an episode ends (they take no actions).'),
      transitions: z.array(transitionSchema, { error: transitionsError }).max(MDP_LIMITS.transitions, { error: transitionsError }).describe(TRANSITIONS_DESCRIPTION),
    },
    { error: (iss) => (iss.code === 'invalid_type' ? `must be an ${MDP_FORMAT} object, got ${describeValue(iss.input)}` : undefined) },
  )
  .strict()
  .describe('A finite Markov decision process in the aisle.mdp/v1 format.');

export type MdpFile = z.output<typeof mdpFileSchema>;
export type MdpTransition = z.output<typeof transitionSchema>;

/**
 * Everything but the rows, which parseMdp checks with isValidRow: zod costs ~1.5 µs and several
 * allocations per tuple, 15 s for 10 million rows, and copies the array.
 */
const headerSchema = mdpFileSchema.omit({ transitions: true });

/**
 * A compiled MDP. The transitions of pair (s, a) are k in [offsets[p], offsets[p + 1]) with
 * p = s * actions + a, sorted by next state (so the layout, and therefore sampling, does not depend
 * on the order of the file's rows).
 */
export interface Mdp {
  readonly name?: string;
  readonly states: number;
  readonly actions: number;
  /** One label per state ("0".."n-1" when the file gave a count); likewise for actions. */
  readonly stateLabels: readonly string[];
  readonly actionLabels: readonly string[];
  /** Start probability per state; terminal[s] is 1 for terminal states. */
  readonly start: Float64Array;
  readonly terminal: Uint8Array;
  /** CSR row pointers, length states * actions + 1. */
  readonly offsets: Int32Array;
  readonly next: Int32Array;
  /** The file's probabilities, as written. */
  readonly prob: Float64Array;
  /** Cumulative probabilities within each pair, normalised so the pair's last entry is exactly 1. */
  readonly cumProb: Float64Array;
  readonly reward: Float64Array;
}

class Problems {
  readonly lines: string[] = [];
  count = 0;
  /** Takes a thunk so that millions of problems (a hostile file) cost a counter, not a string each. */
  add(make: () => string): void {
    if (this.lines.length < MAX_PROBLEMS) this.lines.push(make());
    this.count++;
  }
  toError(): ValidationError {
    const more = this.count - this.lines.length;
    return new ValidationError(more > 0 ? [...this.lines, `… and ${thousands(more)} more problem${more > 1 ? 's' : ''}`] : this.lines);
  }
  throwIfAny(): void {
    if (this.count > 0) throw this.toError();
  }
}

const fmt = (x: number) => String(Number(x.toPrecision(12)));
const defaultLabels = (n: number) => Array.from({ length: n }, (_, i) => String(i));
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Names states, actions and pairs in messages: `state 2 "goal"` (the label only if the file gave labels). */
class Names {
  readonly S: number;
  readonly A: number;
  constructor(private readonly file: { states: number | readonly string[]; actions: number | readonly string[] }) {
    this.S = typeof file.states === 'number' ? file.states : file.states.length;
    this.A = typeof file.actions === 'number' ? file.actions : file.actions.length;
  }
  // A label quoted as describeValue quotes a text, cut after 40 characters: a label of a hundred
  // thousand characters made each line that named its state as long.
  state = (s: number) => (typeof this.file.states === 'number' ? `state ${s}` : `state ${s} ${describeValue(this.file.states[s])}`);
  action = (a: number) => (typeof this.file.actions === 'number' ? `action ${a}` : `action ${a} ${describeValue(this.file.actions[a])}`);
  pair = (s: number, a: number) => `(${this.state(s)}, ${this.action(a)})`;
  /** An index past the declared states or actions, and the two ways out (the range alone said no fix). */
  outOfRange(what: string, v: number, noun: 'state' | 'action'): string {
    const n = noun === 'state' ? this.S : this.A;
    const declared = noun === 'state' ? this.file.states : this.file.actions;
    const more = typeof declared === 'number' ? `raise "${noun}s"` : `add its label to "${noun}s"`;
    return `${what} ${v} is out of range: the MDP has ${n} ${noun}${n > 1 ? 's' : ''} (0..${n - 1}): use an index in 0..${n - 1}, or ${more}`;
  }
}

/**
 * Parses and validates an aisle.mdp/v1 value (the parsed JSON) and compiles it. Throws a
 * ValidationError listing every problem (up to 20 lines), each prefixed with `prefix`.
 */
export function parseMdp(raw: unknown, prefix = 'mdp'): Mdp {
  const other = wrongKindProblem(raw, 'MDP', `${prefix}.format`, `give an MDP file ("${MDP_FORMAT}") here`);
  if (other) throw new ValidationError([other]);
  const { file, rows } = parseHeader(raw, prefix);
  const problems = new Problems();
  const names = new Names(file);
  const { S, A } = names;
  checkLabels(file.states, `${prefix}.states`, problems);
  checkLabels(file.actions, `${prefix}.actions`, problems);
  if (S * A > MDP_LIMITS.pairs) {
    problems.add(() => `${prefix}: ${thousands(S)} states × ${thousands(A)} actions = ${thousands(S * A)} pairs, more than the limit of ${thousands(MDP_LIMITS.pairs)}: use fewer states or actions`);
    problems.throwIfAny();
  }

  const terminal = new Uint8Array(S);
  file.terminal.forEach((s, i) => {
    if (s >= S) problems.add(() => `${prefix}.terminal[${i}]: ${names.outOfRange('state', s, 'state')}`);
    else if (terminal[s]) problems.add(() => `${prefix}.terminal[${i}]: state ${s} is listed twice: remove the repeat`);
    else terminal[s] = 1;
  });

  const start = new Float64Array(S);
  let startSum = 0;
  for (const [key, p] of Object.entries(file.start)) {
    const at = `${prefix}.start${pathKey(key)}`;
    startSum += p;
    if (!/^(0|[1-9][0-9]*)$/.test(key)) {
      problems.add(() => `${at}: keys must be state indices written as strings ("0", "1", …), got ${describeValue(key)}`);
      continue;
    }
    const s = Number(key);
    if (s >= S) problems.add(() => `${at}: ${names.outOfRange('state', s, 'state')}`);
    else if (terminal[s]) problems.add(() => `${at}: ${names.state(s)} is terminal: an episode cannot start in a terminal state; remove it from start or from terminal`);
    else start[s] = p;
  }
  // zod's record drops an own "__proto__" key (JSON.parse makes one): named here as any other non-index key, its probability still counted.
  const rawStart = (raw as { start?: unknown }).start;
  if (typeof rawStart === 'object' && rawStart !== null && Object.prototype.hasOwnProperty.call(rawStart, '__proto__')) {
    const p: unknown = Object.getOwnPropertyDescriptor(rawStart, '__proto__')?.value;
    if (typeof p === 'number') startSum += p;
    problems.add(() => `${prefix}.start.__proto__: keys must be state indices written as strings ("0", "1", …), got "__proto__"`);
  }
  if (Math.abs(startSum - 1) > SUM_TOLERANCE) {
    problems.add(() => `${prefix}.start: probabilities sum to ${fmt(startSum)}, must sum to 1 (±${SUM_TOLERANCE}): fix the start probabilities`);
  }

  const csr = compileTransitions(rows, terminal, names, problems, `${prefix}.transitions`);
  problems.throwIfAny();
  return {
    ...(file.name !== undefined ? { name: file.name } : {}),
    states: S,
    actions: A,
    stateLabels: typeof file.states === 'number' ? defaultLabels(S) : file.states,
    actionLabels: typeof file.actions === 'number' ? defaultLabels(A) : file.actions,
    start,
    terminal,
    ...csr,
  };
}

/** The header through zod, the rows apart (see headerSchema); throws on any problem. */
function parseHeader(raw: unknown, prefix: string): { file: z.output<typeof headerSchema>; rows: readonly unknown[] } {
  const { transitions: rows, ...rest } = isObject(raw) ? raw : { transitions: undefined };
  const header = headerSchema.safeParse(isObject(raw) ? rest : raw);
  const rowsOk = Array.isArray(rows) && rows.length <= MDP_LIMITS.transitions;
  if (header.success && rowsOk) return { file: header.data, rows: rows as readonly unknown[] };
  const p = new Problems();
  if (!header.success) for (const line of formatIssues(firstLabelIssues(header.error.issues), prefix)) p.add(() => line);
  if (!rowsOk && isObject(raw)) p.add(() => `${prefix}.transitions: ${transitionsError({ input: rows })}`);
  throw p.toError();
}

/**
 * The header's issues with a list of labels' named once, at its first bad label, with how many more
 * there are: a list of numbers for labels, `"actions": [0, 1, 2, 3]`, was one line per label, and a
 * 48-state list filled the twenty lines parseMdp prints. (A count or a list: zod gives the union's
 * issue, its list branch holding one issue per label.)
 */
function firstLabelIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.map((issue) => {
    if (issue.code !== 'invalid_union' || issue.path.length !== 1 || (issue.path[0] !== 'states' && issue.path[0] !== 'actions')) return issue;
    const once = (branch: z.core.$ZodIssue[]): z.core.$ZodIssue[] => {
      const labels = branch.filter((i) => i.path.length === 1 && typeof i.path[0] === 'number');
      if (labels.length < 2) return branch;
      const more = labels.length - 1;
      const first = { ...labels[0]!, message: `${labels[0]!.message} (${thousands(more)} more of its labels ${more > 1 ? 'are' : 'is'} refused too)` };
      return branch.filter((i) => !labels.includes(i) || i === labels[0]).map((i) => (i === labels[0] ? first : i));
    };
    return { ...issue, errors: issue.errors.map(once) } as z.core.$ZodIssue;
  });
}

function checkLabels(labels: number | readonly string[], field: string, problems: Problems): void {
  if (typeof labels === 'number') return;
  const seen = new Map<string, number>();
  labels.forEach((label, i) => {
    if (CONTROL.test(label)) problems.add(() => `${field}[${i}]: label must not contain control characters (found ${controlAt(label)}): remove it`);
    const first = seen.get(label);
    if (first === undefined) seen.set(label, i);
    else problems.add(() => `${field}[${i}]: label ${describeValue(label)} repeats ${field}[${first}]: labels must be unique`);
  });
}

type Csr = Pick<Mdp, 'offsets' | 'next' | 'prob' | 'cumProb' | 'reward'>;

/**
 * Checks the rows and lays them out by pair. Three passes, each free of allocation per row (a file
 * may hold 10 million): count rows per pair; place each row in its pair's slots, in file order;
 * order each pair by next state (bringing duplicate (s, a, s') rows together), check its sum and
 * cumulate. Reads of the rows are sequential; only writes scatter.
 */
function compileTransitions(rows: readonly unknown[], terminal: Uint8Array, names: Names, problems: Problems, field: string): Csr {
  const { S, A } = names;
  const T = rows.length;
  const offsets = new Int32Array(S * A + 1);
  let broken = false;
  for (let i = 0; i < T; i++) {
    const row = rows[i];
    if (isValidRow(row, S, A, terminal)) offsets[row[0]! * A + row[1]! + 1]!++;
    else {
      broken = true;
      reportRow(row, `${field}[${i}]`, terminal, names, problems);
    }
  }
  // With broken rows, per-pair sums and missing pairs would mostly repeat the same mistakes.
  if (broken) problems.throwIfAny();
  for (let p = 0; p < S * A; p++) offsets[p + 1] = offsets[p]! + offsets[p + 1]!;

  const fill = offsets.slice(0, S * A);
  const next = new Int32Array(T);
  const prob = new Float64Array(T);
  const reward = new Float64Array(T);
  const rowOf = new Int32Array(T);
  for (let i = 0; i < T; i++) {
    const row = rows[i] as readonly number[];
    const k = fill[row[0]! * A + row[1]!]!++;
    next[k] = row[3]!;
    prob[k] = row[2]!;
    reward[k] = row[4]!;
    rowOf[k] = i;
  }

  const cumProb = new Float64Array(T);
  for (let pair = 0; pair < S * A; pair++) {
    const lo = offsets[pair]!;
    const hi = offsets[pair + 1]!;
    const s = (pair / A) | 0;
    if (lo === hi) {
      if (terminal[s]) continue;
      // A state with no transitions at all is most often an end state left out of `terminal`: one
      // line saying so, rather than one per action.
      if (offsets[s * A] === offsets[(s + 1) * A]) {
        if (pair === s * A) reportStateMissing(field, names, s, problems);
      } else reportMissing(field, names, s, pair - s * A, problems);
      continue;
    }
    sortPair(lo, hi, next, prob, reward, rowOf);
    let sum = 0;
    for (let k = lo; k < hi; k++) {
      sum += prob[k]!;
      cumProb[k] = sum;
      if (k > lo && next[k] === next[k - 1]) reportDuplicate(field, names, s, pair - s * A, next[k]!, rowOf[k - 1]!, rowOf[k]!, problems);
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) reportSum(field, names, s, pair - s * A, sum, problems);
    for (let k = lo; k < hi; k++) cumProb[k] = cumProb[k]! / sum;
    cumProb[hi - 1] = 1;
  }
  return { offsets, next, prob, cumProb, reward };
}

/** What transitionSchema accepts, plus the ranges and "not from a terminal state". */
function isValidRow(row: unknown, S: number, A: number, terminal: Uint8Array): row is readonly number[] {
  if (!Array.isArray(row) || row.length !== 5) return false;
  const s: unknown = row[0];
  const a: unknown = row[1];
  const p: unknown = row[2];
  const ns: unknown = row[3];
  const r: unknown = row[4];
  return isIndex(s) && s < S && isIndex(a) && a < A && isIndex(ns) && ns < S && typeof p === 'number' && p > 0 && p <= 1 && typeof r === 'number' && Math.abs(r) <= MDP_LIMITS.reward && !terminal[s];
}

/** Words every problem of a row isValidRow rejected. */
function reportRow(row: unknown, at: string, terminal: Uint8Array, names: Names, problems: Problems): void {
  if (!Array.isArray(row) || row.length !== 5) {
    problems.add(() => `${at}: must be [state, action, probability, nextState, reward], got ${describeValue(row)}`);
    return;
  }
  const [s, a, p, ns, r] = row as unknown[];
  const index = (v: unknown, what: string, field: number, noun: 'state' | 'action') => {
    if (isIndex(v) && v < (noun === 'state' ? names.S : names.A)) return true;
    if (!isIndex(v)) problems.add(() => `${at}[${field}]: ${what} must be a whole number ≥ 0, got ${describeValue(v)}`);
    else problems.add(() => `${at}[${field}]: ${names.outOfRange(what, v, noun)}`);
    return false;
  };
  const inRange = [index(s, 'state', 0, 'state'), index(a, 'action', 1, 'action'), index(ns, 'nextState', 3, 'state')].every(Boolean);
  if (typeof p !== 'number' || !(p > 0 && p <= 1)) problems.add(() => `${at}[2]: probability must be a number in (0, 1], got ${describeValue(p)}`);
  if (typeof r !== 'number' || !(Math.abs(r) <= MDP_LIMITS.reward)) {
    const fix = typeof r === 'number' && Number.isFinite(r) ? ': scale the rewards down (larger ones overflow the stored returns)' : '';
    problems.add(() => `${at}[4]: reward must be a number in ${REWARD_RANGE}, got ${describeValue(r)}${fix}`);
  }
  if (inRange && terminal[s as number]) problems.add(() => `${at}: ${names.state(s as number)} is terminal: remove its transitions (an episode ends on entering a terminal state)`);
}

// Pair-level reports live outside the loop so that the loop's variables are not captured by closures
// (V8 would then allocate a context for every iteration).
function reportMissing(field: string, names: Names, s: number, a: number, problems: Problems): void {
  problems.add(() => `${field}: ${names.state(s)} has no transitions for ${names.action(a)}: every non-terminal state must define every action`);
}

function reportStateMissing(field: string, names: Names, s: number, problems: Problems): void {
  problems.add(() => `${field}: ${names.state(s)} has no transitions for any action: list it in ${field.replace(/transitions$/, 'terminal')} if episodes end there, else define every action from it`);
}

function reportDuplicate(field: string, names: Names, s: number, a: number, ns: number, first: number, again: number, problems: Problems): void {
  problems.add(() => `${field}[${again}]: repeats ${names.pair(s, a)} → ${names.state(ns)} of transitions[${first}]: merge them into one entry with the summed probability (and the probability-weighted mean reward)`);
}

function reportSum(field: string, names: Names, s: number, a: number, sum: number, problems: Problems): void {
  problems.add(() => `${field}: probabilities for ${names.pair(s, a)} sum to ${fmt(sum)}, must sum to 1 (±${SUM_TOLERANCE}): fix the probabilities of that pair`);
}

/**
 * Sorts slots [lo, hi) by next state, keeping file order among equals (the slots arrive in file
 * order), moving all four arrays together. Insertion sort for the usual short pair.
 */
function sortPair(lo: number, hi: number, next: Int32Array, prob: Float64Array, reward: Float64Array, rowOf: Int32Array): void {
  const n = hi - lo;
  if (n > 32) {
    const keys = new Float64Array(n);
    for (let j = 0; j < n; j++) keys[j] = next[lo + j]! * n + j; // < states · n ≤ 2^53
    keys.sort();
    const [n0, p0, r0, i0] = [next.slice(lo, hi), prob.slice(lo, hi), reward.slice(lo, hi), rowOf.slice(lo, hi)];
    for (let j = 0; j < n; j++) {
      const from = keys[j]! % n;
      next[lo + j] = n0[from]!;
      prob[lo + j] = p0[from]!;
      reward[lo + j] = r0[from]!;
      rowOf[lo + j] = i0[from]!;
    }
    return;
  }
  for (let k = lo + 1; k < hi; k++) {
    const nk = next[k]!;
    const pk = prob[k]!;
    const rk = reward[k]!;
    const ik = rowOf[k]!;
    let j = k - 1;
    while (j >= lo && next[j]! > nk) {
      next[j + 1] = next[j]!;
      prob[j + 1] = prob[j]!;
      reward[j + 1] = reward[j]!;
      rowOf[j + 1] = rowOf[j]!;
      j--;
    }
    next[j + 1] = nk;
    prob[j + 1] = pk;
    reward[j + 1] = rk;
    rowOf[j + 1] = ik;
  }
}

const isDefault = (labels: readonly string[]) => labels.every((label, i) => label === String(i));

/** Everything but the transitions, keys in the canonical order (counts where labels were defaults). */
function fileHeader(mdp: Mdp): Omit<MdpFile, 'transitions'> {
  const start: Record<string, number> = {};
  const terminal: number[] = [];
  for (let s = 0; s < mdp.states; s++) {
    if (mdp.start[s]! > 0) start[String(s)] = mdp.start[s]!;
    if (mdp.terminal[s]) terminal.push(s);
  }
  return {
    format: MDP_FORMAT,
    ...(mdp.name !== undefined ? { name: mdp.name } : {}),
    states: isDefault(mdp.stateLabels) ? mdp.states : [...mdp.stateLabels],
    actions: isDefault(mdp.actionLabels) ? mdp.actions : [...mdp.actionLabels],
    start,
    terminal,
  };
}

/** The compiled MDP as a file object (transitions sorted by state, action, next state): parseMdp's inverse. */
export function mdpToFile(mdp: Mdp): MdpFile {
  const transitions: MdpTransition[] = [];
  forEachTransition(mdp, (s, a, k) => transitions.push([s, a, mdp.prob[k]!, mdp.next[k]!, mdp.reward[k]!]));
  return { ...fileHeader(mdp), transitions };
}

/**
 * Canonical JSON text of the compiled MDP, for fingerprints (hash it with sha-256): mdpToFile's keys
 * in their fixed order (format, name, states, actions, start, terminal, transitions), transitions
 * sorted by (state, action, nextState), numbers in JavaScript's shortest round-trip form, no
 * whitespace. It is itself a valid aisle.mdp/v1 file; names and labels are part of it (a fingerprint
 * hashes it without the name: src/main/fingerprint.ts).
 */
export function canonicalMdpJson(mdp: Mdp): string {
  const parts = [canonicalMdpHead(mdp)];
  writeCanonicalMdpRows(mdp, (text) => parts.push(text));
  return parts.join('');
}

/** canonicalMdpJson's text up to its transitions: `{"format":…,"terminal":[…],"transitions":`. */
export function canonicalMdpHead(mdp: Mdp): string {
  return JSON.stringify({ ...fileHeader(mdp), transitions: [] }).slice(0, -3); // drop the trailing `[]}`
}

/** Characters canonicalMdpJson's rows are handed on in: a million rows are not one string of tens of MB. */
const ROWS_CHUNK = 1 << 16;

/**
 * The rest of canonicalMdpJson after canonicalMdpHead (`[[s,a,p,s',r],…]}`), handed to `write`
 * in pieces of about ROWS_CHUNK characters, in order: a hash fed them (fingerprint.ts) is the hash
 * of the whole text, without the text of a million rows and their million strings being made.
 */
export function writeCanonicalMdpRows(mdp: Mdp, write: (text: string) => void): void {
  let chunk = '[';
  let first = true;
  forEachTransition(mdp, (s, a, k) => {
    // A number as JSON.stringify writes it (null where not finite), as the file's rows always were.
    chunk += `${first ? '' : ','}[${s},${a},${jsonNumber(mdp.prob[k]!)},${mdp.next[k]},${jsonNumber(mdp.reward[k]!)}]`;
    first = false;
    if (chunk.length >= ROWS_CHUNK) {
      write(chunk);
      chunk = '';
    }
  });
  write(`${chunk}]}`);
}

function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

function forEachTransition(mdp: Mdp, f: (s: number, a: number, k: number) => void): void {
  for (let s = 0; s < mdp.states; s++) {
    for (let a = 0; a < mdp.actions; a++) {
      const pair = s * mdp.actions + a;
      for (let k = mdp.offsets[pair]!; k < mdp.offsets[pair + 1]!; k++) f(s, a, k);
    }
  }
}
