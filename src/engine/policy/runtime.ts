/**
 * aisle-policy runtime: serves an exported `aisle.policy/v1` policy with no dependencies at all.
 * Copy this one file next to your service, load the policy JSON once, call `act(observation)` per
 * request.
 *
 *   import { loadPolicy } from './runtime.js';
 *   const policy = loadPolicy(readFileSync('policy.json', 'utf8'));
 *   policy.act(3);             // → action index, e.g. 1
 *   policy.actLabel('browse'); // → action label, e.g. "recommend-shoes"
 *   policy.act([0.2, 1, 0]);   // an "mlp" policy on vector observations takes the feature vector
 *   policy.trained(3);         // → false where training never updated the state: act() serves its first action, a tie-break
 *
 * A state is its index (a number) or its label (a string, always read as a label). Where labels are
 * numbers themselves (Open Bandit's positions "1", "2", "3"), a number that a label names as
 * another state is refused, naming both readings: act(1) could be the state labelled "1" (index 0)
 * or the one at index 1 (labelled "2"); pass the label as a string, act("1") or act("2"), or
 * policy.states[i] for index i. A number whose label is that very number (label "1" at index 1),
 * and any index where no label is a number, still serves.
 *
 * A "tabular" policy looks the state up in its greedy table. A "context-free" policy (a bandit
 * agent's: ε-greedy, UCB1, Thompson sampling, most-popular) ranks the actions the same way for
 * everyone: act() returns its greedy action whatever the observation, and values() its one value
 * per action (sort them for the ranking). It still refuses an observation no policy could take
 * (not a number, string or array; a state index that is not a whole number ≥ 0; a feature vector
 * with a non-finite number), so a caller's bug shows up before a policy that reads the observation
 * is swapped in; it cannot check an index's range, a label or a vector's length, as it knows no
 * states or features. An "mlp" policy runs its network
 * (ReLU/tanh/linear layers, PyTorch nn.Linear layout) on the observation, one-hot encoded when it
 * is a state index, and returns the argmax of the outputs (Q-values, or a softmax policy's logits:
 * the most probable action). It computes in float32, summing in the order of Aisle's WebAssembly
 * SIMD kernel (what every run trains and acts with in Node ≥ 20 and Electron), so a DQN's or PPO's
 * outputs are the trained agent's bit for bit and the served action is its greedy action, near-ties
 * included (a LinUCB policy, its float64 ridge solution written as one linear layer, can differ at a near-tie).
 * A feature vector is refused by the feature that is wrong: not a finite number, or outside the
 * range the file gives (`low`, `high`: the shop's features are all in [0, 1]).
 *
 * A tabular file may say which states training updated (`updated`, one true or false per state,
 * written by Aisle's export); trained() reads it, and reads a file without it (an older export)
 * from its Q-table.
 *
 * It checks the file's shape, sizes and finiteness before serving (a field the format does not have
 * is refused, as Aisle's eval and import refuse it, at the top level and in an mlp's network; env and
 * provenance, which serving does not read, are left to those), and that labels are unique and a
 * tabular or context-free policy's greedy actions are best actions of its Q-table or values, so a
 * corrupt policy fails at load time with a message naming the field, never with a wrong
 * recommendation later.
 */

/**
 * A state index (a number), a state label (a string), or (mlp and context-free policies) the
 * observation's feature vector. A number that is also a label of another state is refused as ambiguous.
 */
export type PolicyInput = number | string | ArrayLike<number>;

export interface LoadedPolicy {
  readonly format: 'aisle.policy/v1';
  readonly kind: 'tabular' | 'context-free' | 'mlp';
  /** State labels (empty for an mlp policy on vector observations, and for a context-free policy). */
  readonly states: readonly string[];
  /** An mlp policy on vector observations: what each input is, in order, when the file names them (else empty). */
  readonly features: readonly string[];
  readonly actions: readonly string[];
  /** Action index for a state index, a state label or a feature vector. */
  act(observation: PolicyInput): number;
  /** Action label for a state index, a state label or a feature vector. */
  actLabel(observation: PolicyInput): string;
  /** What the argmax is taken over (a copy): the Q-values (a context-free policy's values, the same for any observation), or an mlp policy's network outputs. */
  values(observation: PolicyInput): number[];
  /**
   * Whether what act() serves here was learned. For a tabular policy, its file's `updated` for the
   * state (false: training never updated it, a state no episode reached or a terminal one); a file
   * without it (written before Aisle added it) reads it from the state's row, false where every
   * action holds one value, so always false for a state of one action. False for a context-free
   * policy whose values are all equal. Where false, act() serves the first action, a tie-break, so a
   * service may prefer its own fallback. Always true for an mlp policy (a network answers every
   * observation from what it learned elsewhere; no state is left out).
   */
  trained(observation: PolicyInput): boolean;
}

const MAX_STATES = 1_000_000;
const MAX_ACTIONS = 10_000;
const MAX_CELLS = 10_000_000;
const MAX_LAYERS = 32;
const MAX_WIDTH = 1_000_000;
const MAX_WEIGHTS = 1 << 24;

/** The largest policy a file may hold and this runtime loads: what an export must not exceed. */
export const POLICY_LIMITS = { states: MAX_STATES, actions: MAX_ACTIONS, values: MAX_CELLS, weights: MAX_WEIGHTS } as const;
const ACTIVATIONS = ['relu', 'tanh', 'linear'];

export class PolicyLoadError extends Error {
  override readonly name = 'PolicyLoadError';
}

function fail(message: string): never {
  throw new PolicyLoadError(message);
}

// engine/values.ts isObject, written again: this file imports nothing (users copy it alone, and
// tsconfig.runtime.json builds it with rootDir src/engine/policy). test/engine/values.test.ts holds the two equal.
function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A count as Aisle writes counts: grouped by thousands from 10,000 on (20,000; 9999). */
function grouped(n: number): string {
  return n >= 10_000 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);
}

/**
 * Control characters as \u escapes: every C0 and C1 control and DEL, and the bidirectional overrides
 * and isolates, which a message must not carry raw (an ESC sequence drives the terminal it is
 * printed on, a NUL hides what follows, an override shows the rest of the line reversed).
 * JSON.stringify escapes only the C0 controls (engine/params.ts's quoted, written again here).
 */
function escaped(text: string): string {
  return text.replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A text in quotes for a message, escaped, cut after 60 characters with … (a caller's input may be a page long). */
function quote(text: string): string {
  const q = escaped(JSON.stringify(text));
  return q.length > 60 ? `${q.slice(0, 60)}…` : q;
}

/**
 * A value as a message shows it. Not plain JSON: JSON.parse reads a number too large for a double
 * (1e999) as Infinity, which JSON.stringify would print as null, and a whole array would flood it.
 */
function shown(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : `a number too large to represent (it reads as ${v})`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isRecord(v)) return 'an object';
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && v !== null) return typeof v;
  return typeof v === 'string' ? quote(v) : String(v);
}

/** `field: must …, got …`, or `field: must …, but it is missing` when there is nothing to show. */
function wrong(field: string, must: string, v: unknown): never {
  fail(`${field}: ${must}, ${v === undefined ? 'but it is missing' : `got ${shown(v)}`}`);
}

/** The fields every kind of policy file has, around its kind's own. */
const COMMON_FIELDS = ['format', 'kind', 'name', 'env', 'provenance'];

/**
 * Refuses a field the format does not have, as Aisle's eval and import do: a misspelt optional
 * field ("upated") would otherwise be ignored without a word, and the policy served as if it were
 * absent.
 */
function onlyFields(v: Record<string, unknown>, field: string, what: string, allowed: readonly string[]): void {
  for (const key of Object.keys(v)) {
    // A key holding undefined (never in JSON) is as good as absent, as it is to the app's import.
    if (v[key] !== undefined && !allowed.includes(key)) fail(`${field}.${key}: ${what} has no field ${shown(key)} (its fields: ${allowed.join(', ')}): remove it or correct its name`);
  }
}

/**
 * Whether training moved any of a row's values: a row whose actions all hold one value (each still
 * at its initial value) was never updated, and its greedy action, the first, is a tie-break. The
 * export and Aisle's Q-tables screen count "never updated" states with this test too.
 */
export function updated(row: ArrayLike<number>): boolean {
  for (let a = 1; a < row.length; a++) if (row[a] !== row[0]) return true;
  return false;
}

/** No labels (a policy without state or feature names), frozen like every label list. */
const NO_LABELS: readonly string[] = Object.freeze([]);

/** The labels, checked, as a frozen copy: what the loaded policy serves cannot be changed behind its back (by its caller or through the document). */
function labels(v: unknown, field: string, max: number): readonly string[] {
  if (!Array.isArray(v)) wrong(`policy.${field}`, 'must be an array of labels', v);
  if (v.length === 0 || v.length > max) fail(`policy.${field}: has ${grouped(v.length)} entries, allowed 1..${grouped(max)}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string') wrong(`policy.${field}[${i}]`, 'must be a string', v[i]);
    // Aisle writes none (an MDP's labels, a log's actions and contexts are never empty), and one
    // would print as nothing where the policy is inspected, and be looked up by actLabel('').
    if (v[i] === '') fail(`policy.${field}[${i}]: label must not be empty: name each one (the format requires it)`);
    // A label is printed where the policy is inspected or served: an ESC sequence would drive the
    // terminal, a bidirectional override show it as another label (the engine's CONTROL, params.ts).
    if (/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(v[i] as string)) fail(`policy.${field}[${i}]: label ${shown(v[i])} must not contain control characters: remove them`);
  }
  return Object.freeze((v as string[]).slice());
}

/**
 * Label → index, refusing a repeated label: the lookup would silently serve one of the two
 * states, and an action label would no longer say which action is meant.
 */
function labelIndex(labels: readonly string[], field: string): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const first = index.get(labels[i]!);
    if (first !== undefined) fail(`policy.${field}[${i}]: label ${shown(labels[i])} repeats policy.${field}[${first}]: labels must be unique`);
    index.set(labels[i]!, i);
  }
  return index;
}

/**
 * Whether JSON.parse stopped at the end of the text (V8: "Unexpected end of JSON input", or a
 * position at its end; Firefox: "unexpected end of data"): a file cut short, the usual damage of a
 * copy or download that stopped, which "malformed JSON" alone leaves the reader to guess.
 */
function endsEarly(text: string, message: string): boolean {
  if (/end of (JSON input|data)/i.test(message)) return true;
  const at = /position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}

/** Loads a policy from its JSON text or an already parsed object. Throws PolicyLoadError. */
export function loadPolicy(source: string | unknown): LoadedPolicy {
  let doc: unknown = source;
  if (typeof source === 'string') {
    // A byte-order mark (a file saved by a Windows editor) is no part of the JSON: it read as
    // "Unexpected token" with the offending character invisible. Aisle's CLI reads such a file too.
    const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      const message = (e as Error).message;
      // V8's message quotes the text around the fault, a NUL or an ESC in it as it is.
      fail(`policy: malformed JSON (${escaped(message)})${endsEarly(text, message) ? ': the text ends before its JSON does: the file was cut short (an incomplete copy, download or save?): copy it again in full' : ''}`);
    }
  }
  if (!isRecord(doc)) fail('policy: must be a JSON object');
  // The file's bytes, or a read not awaited, are objects without a format: "policy.format: … missing"
  // would send the reader looking in a file that has one.
  if (ArrayBuffer.isView(doc) || doc instanceof ArrayBuffer) fail("policy: got the file's bytes, not its text: read it as text, readFileSync(path, 'utf8'), or pass the parsed object");
  if (typeof doc.then === 'function') fail("policy: got a Promise: await it first, loadPolicy(await readFile(path, 'utf8'))");
  if (doc.format !== 'aisle.policy/v1') wrong('policy.format', 'must be "aisle.policy/v1"', doc.format);
  if (doc.kind === 'mlp') return loadMlp(doc);
  if (doc.kind === 'context-free') return loadContextFree(doc);
  if (doc.kind !== 'tabular') wrong('policy.kind', 'must be "tabular", "context-free" or "mlp"', doc.kind);
  onlyFields(doc, 'policy', 'a tabular policy', [...COMMON_FIELDS, 'states', 'actions', 'q', 'greedy', 'updated']);
  const states = labels(doc.states, 'states', MAX_STATES);
  const actions = labels(doc.actions, 'actions', MAX_ACTIONS);
  if (states.length * actions.length > MAX_CELLS) fail(`policy.q: ${grouped(states.length)}×${grouped(actions.length)} values exceed the ${grouped(MAX_CELLS)} limit`);
  const stateLabels = labelIndex(states, 'states');
  labelIndex(actions, 'actions');
  const A = actions.length;
  const q = doc.q;
  if (Array.isArray(q) && q.length !== states.length) statesOrRows(states.length, q.length, doc.greedy, doc.updated);
  if (!Array.isArray(q)) wrong('policy.q', `must have one row per state (${states.length})`, q);
  const table = new Float64Array(states.length * A);
  for (let s = 0; s < states.length; s++) {
    const row: unknown = q[s];
    if (!Array.isArray(row) || row.length !== A) wrong(`policy.q[${s}]`, `must have one value per action (${A})`, Array.isArray(row) ? row.length : row);
    for (let a = 0; a < A; a++) {
      const v: unknown = row[a];
      if (typeof v !== 'number' || !Number.isFinite(v)) wrong(`policy.q[${s}][${a}]`, 'must be a finite number', v);
      table[s * A + a] = v;
    }
  }
  const greedy = doc.greedy;
  if (!Array.isArray(greedy) || greedy.length !== states.length) wrong('policy.greedy', `must have one action per state (${states.length})`, Array.isArray(greedy) ? greedy.length : greedy);
  const choice = new Int32Array(states.length);
  for (let s = 0; s < states.length; s++) {
    const a: unknown = greedy[s];
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= A) wrong(`policy.greedy[${s}]`, `must be an action index in 0..${A - 1}`, a);
    // act() answers from greedy, values() from q: a greedy action that is not a best action of its
    // row (a hand-edited or corrupt file) would be served as a wrong recommendation. Any of tied
    // best actions will do; the comparison is exact, as the export takes the argmax of these numbers.
    checkBest(table.subarray(s * A, (s + 1) * A), a, 'q', s);
    choice[s] = a;
  }
  const updatedStates = updatedList(doc.updated, states.length);
  const stateIndex = stateIndexer(states.length, stateLabels, states);
  const index = (state: PolicyInput): number => {
    if (typeof state !== 'number' && typeof state !== 'string') throw new TypeError('a tabular policy takes a state index or label');
    return stateIndex(state);
  };
  return {
    format: 'aisle.policy/v1',
    kind: 'tabular',
    states,
    features: NO_LABELS,
    actions,
    act: (state) => choice[index(state)]!,
    actLabel: (state) => actions[choice[index(state)]!]!,
    values: (state) => {
      const s = index(state);
      return Array.from(table.subarray(s * actions.length, (s + 1) * actions.length));
    },
    // The file's `updated` where it has one (an export's: it knows the agent's initial value, so a
    // state of one action reads right); else the Q-table's row, as files written before it read.
    trained: (state) => {
      const s = index(state);
      return updatedStates ? updatedStates[s] === 1 : updated(table.subarray(s * A, (s + 1) * A));
    },
  };
}

/**
 * q holds another count of rows than states has labels: which one is wrong. A state removed from
 * states alone (or one added there) leaves q and greedy agreeing on the count, and updated too when
 * there is one: states is then the odd one out, and blaming q would send the reader to the rows that
 * are right. Otherwise q is.
 */
function statesOrRows(states: number, rows: number, greedy: unknown, updatedStates: unknown): never {
  const agree = Array.isArray(greedy) && greedy.length === rows && (updatedStates === undefined || (Array.isArray(updatedStates) && updatedStates.length === rows));
  if (!agree) wrong('policy.q', `must have one row per state (${states})`, rows);
  const list = updatedStates === undefined ? 'policy.q and policy.greedy' : 'policy.q, policy.greedy and policy.updated';
  fail(
    `policy.states: has ${states} label${states === 1 ? '' : 's'}, but ${list} have ${rows} rows, one per state: ` +
      `give one label per state (to take a state out, remove its row from ${list} too)`,
  );
}

/**
 * A context-free policy's values list longer than its actions: when the list could be one value
 * per action (within the actions limit) and greedy indexes it, the labels are the short side
 * (one left out, as statesOrRows says of states); otherwise the values are at fault.
 */
function actionsOrValues(actions: number, values: number, greedy: unknown): never {
  const agree = values <= MAX_ACTIONS && typeof greedy === 'number' && Number.isInteger(greedy) && greedy >= 0 && greedy < values;
  if (!agree) wrong('policy.values', `must have one value per action (${actions})`, values);
  fail(
    `policy.actions: has ${actions} label${actions === 1 ? '' : 's'}, but policy.values has ${grouped(values)} values, one per action: ` +
      'give one label per action (to take an action out, remove its value from policy.values too)',
  );
}

/** A tabular policy's optional `updated` (one true or false per state) as 1s and 0s, or null when the file has none. */
function updatedList(v: unknown, states: number): Uint8Array | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length !== states) wrong('policy.updated', `must have one true or false per state (${states}), or be left out`, Array.isArray(v) ? v.length : v);
  const list = new Uint8Array(states);
  for (let s = 0; s < states; s++) {
    if (typeof v[s] !== 'boolean') wrong(`policy.updated[${s}]`, 'must be true or false', v[s]);
    list[s] = v[s] ? 1 : 0;
  }
  return list;
}

/**
 * Refuses a greedy action `a` that is not a best action of its row (policy.q[s], or a context-free
 * policy's policy.values when `s` is left out), naming the best actions (the first few of a wide
 * tie) and their value.
 */
function checkBest(row: Float64Array, a: number, field: 'q' | 'values', s?: number): void {
  let best = row[0]!;
  for (let b = 1; b < row.length; b++) if (row[b]! > best) best = row[b]!;
  if (row[a] === best) return;
  const tied: number[] = [];
  row.forEach((v, b) => {
    if (v === best) tied.push(b);
  });
  const list = tied.length > 5 ? `${tied.slice(0, 5).join(', ')}, …` : tied.join(', ');
  const at = s === undefined ? '' : `[${s}]`;
  const unit = field === 'q' ? 'q' : 'value';
  const [chosen, most] = apart(row[a]!, best);
  fail(`policy.greedy${at}: action ${a} (${unit} ${chosen}) is not a best action of policy.${field}${at} (best: ${list}, ${unit} ${most}): re-export the policy, or fix greedy to match ${field}`);
}

/**
 * A value as Aisle's tables show it (engine/params.ts's decimal, copied: this file has no imports):
 * `digits` decimals, or more below 1 for two significant digits, trailing zeros dropped; an exponent
 * below 1e-6 and from 1e15.
 */
function rounded(x: number, digits: number): string {
  const abs = Math.abs(x);
  if (abs === 0) return '0';
  if (abs < 1e-6 || abs >= 1e15) return x.toExponential(Math.max(2, digits - 2));
  const text = x.toFixed(abs < 1 ? Math.max(digits, 1 - Math.floor(Math.log10(abs))) : digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Two values that differ, rounded (4 decimals: -112.99995618073817 as -113) but with as many more
 * as it takes to tell them apart: a greedy action's q a hair below its row's best must not read
 * as the best's.
 */
function apart(x: number, y: number): [string, string] {
  for (let digits = 4; digits <= 17; digits++) {
    const pair: [string, string] = [rounded(x, digits), rounded(y, digits)];
    if (pair[0] !== pair[1]) return pair;
  }
  return [String(x), String(y)];
}

/**
 * A "context-free" policy: one value per action and the greedy action, served for every
 * observation. A file with state labels is refused: they would say the state matters.
 */
function loadContextFree(doc: Record<string, unknown>): LoadedPolicy {
  if (doc.states !== undefined) fail('policy.states: a context-free policy has no states (it serves every observation the same): remove them, or export a tabular policy');
  onlyFields(doc, 'policy', 'a context-free policy', [...COMMON_FIELDS, 'actions', 'values', 'greedy']);
  const actions = labels(doc.actions, 'actions', MAX_ACTIONS);
  labelIndex(actions, 'actions');
  const A = actions.length;
  const raw = doc.values;
  if (Array.isArray(raw) && raw.length > A) actionsOrValues(A, raw.length, doc.greedy);
  if (!Array.isArray(raw) || raw.length !== A) wrong('policy.values', `must have one value per action (${A})`, Array.isArray(raw) ? raw.length : raw);
  const values = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    const v: unknown = raw[a];
    if (typeof v !== 'number' || !Number.isFinite(v)) wrong(`policy.values[${a}]`, 'must be a finite number', v);
    values[a] = v;
  }
  const greedy = doc.greedy;
  if (typeof greedy !== 'number' || !Number.isInteger(greedy) || greedy < 0 || greedy >= A) wrong('policy.greedy', `must be an action index in 0..${A - 1}`, greedy);
  // As a tabular policy's: act() answers from greedy, values() from values, and they must agree.
  checkBest(values, greedy, 'values');
  const learned = updated(values);
  const act = (observation: PolicyInput): number => {
    checkObservation(observation);
    return greedy;
  };
  return {
    format: 'aisle.policy/v1',
    kind: 'context-free',
    states: NO_LABELS,
    features: NO_LABELS,
    actions,
    act,
    actLabel: (observation) => actions[act(observation)]!,
    values: (observation) => {
      checkObservation(observation);
      return Array.from(values);
    },
    trained: (observation) => {
      checkObservation(observation);
      return learned;
    },
  };
}

/**
 * What a context-free policy refuses although it ignores the observation: what no kind of policy
 * could take (see the top of this file). Sizes first: a vector's length is checked before walking it.
 */
function checkObservation(observation: PolicyInput): void {
  if (typeof observation === 'string') return;
  if (typeof observation === 'number') {
    if (Number.isInteger(observation) && observation >= 0) return;
    throw new RangeError(`state ${observation} is not a state index: give a whole number ≥ 0, a state label or a feature vector`);
  }
  const n: unknown = typeof observation === 'object' && observation !== null ? observation.length : undefined;
  if (typeof n !== 'number') throw new TypeError('a policy takes a state index, a state label or a feature vector');
  if (!Number.isInteger(n) || n < 1 || n > MAX_WIDTH) throw new RangeError(`the observation must have 1..${MAX_WIDTH} features, got ${n}`);
  for (let i = 0; i < n; i++) feature(observation, i);
}

/**
 * A feature vector's i-th number, refused unless finite as a float32 (the network computes in
 * float32: 1e39 would become Infinity there and its outputs NaN), or outside [low, high], the range
 * a policy's file gives its features. `names`, a policy's features when its file names them: the
 * message names the feature too, `observation[7] ("engagement")`, so a service need not count
 * through the list to find which of its inputs is wrong.
 */
function feature(observation: ArrayLike<number>, i: number, names: readonly string[] = NO_LABELS, low = -Infinity, high = Infinity): number {
  const v: unknown = observation[i];
  const finite = typeof v === 'number' && Number.isFinite(Math.fround(v));
  if (finite && v >= low && v <= high) return v;
  const named = names[i] !== undefined ? ` (${quote(names[i])})` : '';
  if (!finite) throw new RangeError(`observation[${i}]${named} must be a finite number within float32's range (±3.4e38), got ${typeof v === 'string' ? `the text ${quote(v)}: send numbers, not strings` : String(v)}`);
  throw new RangeError(`observation[${i}]${named} must be within [${low}, ${high}], the range of the features the policy was trained on (policy.network.encoding's low and high), got ${v}: send it on the scale the environment gives it`);
}

/**
 * Which features a vector policy takes, in order, for its refusals: ` (policy.features, in order:
 * "segment seg0", "segment seg1", …)`, the first few names; empty when the file names none.
 */
function featureOrder(names: readonly string[]): string {
  if (names.length === 0) return '';
  const first = names.slice(0, 5).map(quote).join(', ');
  return ` (policy.features, in order: ${first}${names.length > 5 ? ', …' : ''})`;
}

/**
 * Where a number would read as two states: for each whole number k ≥ 0 that a label names ("1",
 * "07") at an index other than k, the first such label's index. Open Bandit's positions are states
 * "1", "2", "3": act(1) could mean the label "1" (index 0) or index 1 (label "2"), and a service
 * posting {"state": 1} would get the other state's action without a word.
 */
function numericLabels(index: ReadonlyMap<string, number>): Map<number, number> {
  const other = new Map<number, number>();
  for (const [label, i] of index) {
    if (label.trim() === '') continue;
    const k = Number(label);
    if (Number.isInteger(k) && k >= 0 && k !== i && !other.has(k)) other.set(k, i);
  }
  return other;
}

/**
 * State index of an index in 0..n−1 or a label (see labelIndex), checked. A number that a label
 * also names, as another state, is refused (see numericLabels): a string is always a label, and a
 * state's label always names it.
 */
function stateIndexer(n: number, index: ReadonlyMap<string, number>, states: readonly string[]): (state: number | string) => number {
  const labelled = numericLabels(index);
  return (state) => {
    if (typeof state === 'number') {
      const named = labelled.size > 0 ? labelled.get(state) : undefined;
      if (named !== undefined) {
        // The file's own labels, cut as every text a message quotes (a label may run to thousands of characters).
        const label = quote(states[named]!);
        const other = quote(states[state] ?? '');
        if (Number.isInteger(state) && state >= 0 && state < n) {
          throw new RangeError(
            `state ${state} is ambiguous: the state labelled ${label} is at index ${named}, and the state at index ${state} is labelled ${other}: ` +
              `pass the label as a string, ${label} or ${other} (policy.states[${state}])`,
          );
        }
        throw new RangeError(`state ${state} is out of range: the policy has ${n} states (0..${n - 1}); the state labelled ${label} is at index ${named}: pass its label as a string, ${label}`);
      }
      if (Number.isInteger(state) && state >= 0 && state < n) return state;
      // NaN, 1.5 or Infinity (a feature or a division sent where the state goes) is no index at all: "out of range" sent the reader looking at the range.
      if (!Number.isInteger(state)) throw new RangeError(`state ${state} is not a state index: give a whole number in 0..${n - 1}, or a state label (a string)`);
      throw new RangeError(`state ${state} is out of range: the policy has ${n} states (0..${n - 1})`);
    }
    const i = index.get(state);
    if (i === undefined) {
      // An index sent as text (a query string's "3", a JSON body's "state": "3") is read as a label, as every string is: said, with the number to send.
      const k = /^\d+$/.test(state) ? Number(state) : NaN;
      if (k < n) throw new RangeError(`unknown state label ${quote(state)}: a string is always a state's label; for the state at index ${k} (labelled ${quote(states[k]!)}), pass the number ${k}`);
      throw new RangeError(`unknown state label ${quote(state)}`);
    }
    return i;
  };
}

interface DenseLayer {
  readonly nIn: number;
  readonly nOut: number;
  readonly activation: string;
  /** Offset of W (nOut × nIn, row-major) in the weights; b follows it. */
  readonly offset: number;
}

/** A vector encoding's optional low or high: a finite number, or ∓Infinity (no bound) when the file has none. */
function bound(v: unknown, which: 'low' | 'high'): number {
  if (v === undefined) return which === 'low' ? -Infinity : Infinity;
  if (typeof v !== 'number' || !Number.isFinite(v)) wrong(`policy.network.encoding.${which}`, 'must be a finite number, or be left out', v);
  return v;
}

function count(v: unknown, field: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) wrong(field, `must be a whole number in 1..${max}`, v);
  return v;
}

/** An "mlp" policy: the network's layers, flat weights, input encoding and output kind. */
function loadMlp(doc: Record<string, unknown>): LoadedPolicy {
  onlyFields(doc, 'policy', 'an mlp policy', [...COMMON_FIELDS, 'states', 'actions', 'network']);
  const actions = labels(doc.actions, 'actions', MAX_ACTIONS);
  labelIndex(actions, 'actions');
  const net = doc.network;
  if (!isRecord(net)) wrong('policy.network', 'must be an object with layers, weights, encoding and output', net);
  onlyFields(net, 'policy.network', 'a network', ['layers', 'weights', 'encoding', 'output']);
  if (!Array.isArray(net.layers) || net.layers.length === 0 || net.layers.length > MAX_LAYERS) {
    wrong('policy.network.layers', `must list 1..${MAX_LAYERS} layers`, Array.isArray(net.layers) ? net.layers.length : net.layers);
  }
  const layers: DenseLayer[] = [];
  let expected = 0;
  for (let l = 0; l < net.layers.length; l++) {
    const layer: unknown = net.layers[l];
    const field = `policy.network.layers[${l}]`;
    if (!isRecord(layer)) wrong(field, 'must be an object { in, out, activation }', layer);
    onlyFields(layer, field, 'a layer', ['in', 'out', 'activation']);
    const nIn = count(layer.in, `${field}.in`, MAX_WIDTH);
    const nOut = count(layer.out, `${field}.out`, MAX_WIDTH);
    if (l > 0 && nIn !== layers[l - 1]!.nOut) fail(`${field}.in: must equal the previous layer's out (${layers[l - 1]!.nOut}), got ${nIn}`);
    if (typeof layer.activation !== 'string' || !ACTIVATIONS.includes(layer.activation)) {
      wrong(`${field}.activation`, `must be one of ${ACTIVATIONS.join(', ')}`, layer.activation);
    }
    layers.push({ nIn, nOut, activation: layer.activation, offset: expected });
    expected += nIn * nOut + nOut;
    if (expected > MAX_WEIGHTS) fail(`policy.network.layers: more than ${grouped(MAX_WEIGHTS)} weights (2^24), the most the runtime serves: train a smaller network`);
  }
  const inputs = layers[0]!.nIn;
  const outputs = layers[layers.length - 1]!.nOut;
  if (outputs !== actions.length) fail(`policy.network.layers[${layers.length - 1}].out: must equal the number of actions (${actions.length}), got ${outputs}`);
  if (net.output !== 'q' && net.output !== 'logits') wrong('policy.network.output', 'must be "q" or "logits"', net.output);
  const enc = net.encoding;
  const encodings = 'must be { "kind": "one-hot", "n" } or { "kind": "vector", "size" }';
  if (!isRecord(enc)) wrong('policy.network.encoding', encodings, enc);
  if (enc.kind !== 'one-hot' && enc.kind !== 'vector') fail(`policy.network.encoding: ${encodings}, got ${enc.kind === undefined ? 'no kind' : `kind ${shown(enc.kind)}`}`);
  const oneHot = enc.kind === 'one-hot';
  // features on a one-hot encoding has a message of its own below.
  onlyFields(enc, 'policy.network.encoding', `a ${enc.kind} encoding`, oneHot ? ['kind', 'n', 'features'] : ['kind', 'size', 'features', 'low', 'high']);
  const size = oneHot ? count(enc.n, 'policy.network.encoding.n', MAX_WIDTH) : count(enc.size, 'policy.network.encoding.size', MAX_WIDTH);
  if (size !== inputs) fail(`policy.network.encoding.${oneHot ? 'n' : 'size'}: must equal the first layer's in (${inputs}), got ${size}`);
  let features: readonly string[] = NO_LABELS;
  if (enc.features !== undefined) {
    if (oneHot) fail('policy.network.encoding.features: only a vector encoding names its features');
    features = labels(enc.features, 'network.encoding.features', MAX_WIDTH);
    if (features.length !== inputs) fail(`policy.network.encoding.features: must name each of the ${inputs} inputs, got ${features.length}`);
    labelIndex(features, 'network.encoding.features');
  }
  // The range every feature took in training (the shop's [0, 1]), where the file says it: a feature
  // outside it (engagement sent as 70 for 0.7, a time in steps for a share of maxSteps) is refused,
  // where the network would serve an action for an observation it never saw. Files without it serve any finite value.
  const low = bound(enc.low, 'low');
  const high = bound(enc.high, 'high');
  if (low > high) fail(`policy.network.encoding.low: must not exceed high (${high}), got ${low}`);
  let states: readonly string[] = NO_LABELS;
  let stateLabels = new Map<string, number>();
  if (doc.states !== undefined) {
    if (!oneHot) fail('policy.states: only a one-hot encoded policy has state labels');
    states = labels(doc.states, 'states', MAX_STATES);
    if (states.length !== inputs) fail(`policy.states: must have one label per one-hot input (${inputs}), got ${states.length}`);
    stateLabels = labelIndex(states, 'states');
  }
  const raw = net.weights;
  if (!Array.isArray(raw) || raw.length !== expected) wrong('policy.network.weights', `the layers need ${expected} weights`, Array.isArray(raw) ? raw.length : raw);
  const weights = new Float32Array(expected);
  for (let i = 0; i < expected; i++) {
    const v: unknown = raw[i];
    if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) wrong(`policy.network.weights[${i}]`, 'must be a finite float32', v);
    weights[i] = v;
  }

  const widest = Math.max(...layers.map((l) => l.nOut), inputs);
  let x = new Float32Array(widest);
  let y = new Float32Array(widest);
  const stateIndex = stateIndexer(oneHot ? inputs : 0, stateLabels, states);
  /** The network's outputs for an observation (a view into scratch memory, valid until the next call). */
  const forward = (observation: PolicyInput): Float32Array => {
    if (typeof observation === 'number' || typeof observation === 'string') {
      if (!oneHot) throw new TypeError(`this policy takes a feature vector of ${inputs} numbers${featureOrder(features)}, not a state`);
      x.fill(0, 0, inputs);
      x[stateIndex(observation)] = 1;
    } else {
      if (typeof observation !== 'object' || observation === null) throw new TypeError(`this policy takes a feature vector of ${inputs} numbers${oneHot ? ', a state index or a state label' : ''}, got ${String(observation)}`);
      // An object of named features ({ engagement: 0.7, … }, as a service often holds them) has no
      // length: "must have 12 features, got undefined" did not say that an array is wanted, in which order.
      if (typeof observation.length !== 'number') throw new TypeError(`this policy takes a feature vector, an array of ${inputs} numbers${featureOrder(features)}, got an object without a length${Object.keys(observation).some((key) => features.includes(key)) ? ': put its values in an array in that order' : ''}`);
      if (observation.length !== inputs) throw new RangeError(`the observation must have ${inputs} features, got ${observation.length}${featureOrder(features)}`);
      for (let i = 0; i < inputs; i++) x[i] = feature(observation, i, features, low, high);
    }
    const f = Math.fround;
    for (const { nIn, nOut, activation, offset } of layers) {
      const bias = offset + nIn * nOut;
      // In float32, in the order of Aisle's WebAssembly SIMD kernel on one observation (the agent's
      // greedy action; src/engine/wasm/assembly-nn/linear.ts, linearForwardRow): four lanes, lane j
      // summing the inputs i ≡ j (mod 4) of the whole groups of four, then the lanes (pairwise:
      // (0 + 2) + (1 + 3) for outputs in whole groups of four, (0 + 1) + (2 + 3) for the rest, as
      // on its batch path too, so DQN's Q-table, filled in batches, holds these same values),
      // then the inputs left over one by one, then the bias. Each float32 operation done in float64
      // and rounded is exactly float32's own, so the outputs are the agent's bit for bit: a sum in
      // float64 differed in the last bits, and at a near-tie served another action than the agent's.
      const n4 = nIn - (nIn % 4);
      const tiled = nOut - (nOut % 4);
      for (let o = 0; o < nOut; o++) {
        const row = offset + o * nIn;
        let l0 = 0;
        let l1 = 0;
        let l2 = 0;
        let l3 = 0;
        for (let i = 0; i < n4; i += 4) {
          l0 = f(l0 + f(x[i]! * weights[row + i]!));
          l1 = f(l1 + f(x[i + 1]! * weights[row + i + 1]!));
          l2 = f(l2 + f(x[i + 2]! * weights[row + i + 2]!));
          l3 = f(l3 + f(x[i + 3]! * weights[row + i + 3]!));
        }
        let a = o < tiled ? f(f(l0 + l2) + f(l1 + l3)) : f(f(l0 + l1) + f(l2 + l3));
        for (let i = n4; i < nIn; i++) a = f(a + f(x[i]! * weights[row + i]!));
        const z = f(a + weights[bias + o]!);
        y[o] = activation === 'relu' ? (z < 0 ? 0 : z) : activation === 'tanh' ? Math.tanh(z) : z;
      }
      const t = x;
      x = y;
      y = t;
    }
    return x;
  };
  const act = (observation: PolicyInput): number => {
    const out = forward(observation);
    let best = 0;
    for (let a = 0; a < outputs; a++) {
      // Finite inputs can still overflow float32 inside the network: no action is best then, and none is served.
      if (!Number.isFinite(out[a]!)) throw new RangeError(`the network's output ${a} is ${out[a]} for this observation (its features are too large for the network): no action can be chosen`);
      if (out[a]! > out[best]!) best = a;
    }
    return best;
  };
  return {
    format: 'aisle.policy/v1',
    kind: 'mlp',
    states,
    features,
    actions,
    act,
    actLabel: (observation) => actions[act(observation)]!,
    values: (observation) => Array.from(forward(observation).subarray(0, outputs)),
    trained: (observation) => {
      forward(observation); // refuses what act() refuses
      return true;
    },
  };
}
