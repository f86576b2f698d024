/**
 * The `aisle.policy/v1` file: what a run learned, in a form a small runtime can serve. Every policy
 * holds the action labels, the environment's fingerprint (so evaluating it elsewhere is noticed)
 * and its provenance. A `tabular` policy adds the state labels, the Q-table and the greedy action
 * per state; a `context-free` policy (a bandit's: the same ranking for everyone) one value per
 * action and the greedy action; an `mlp` policy the network (DQN's Q-network or PPO's actor): its
 * layers, flat weights in PyTorch's nn.Linear layout, observation encoding and output kind.
 */
import * as z from 'zod';
import { loadPolicy, PolicyLoadError, updated } from './runtime';
import { wrongKindProblem } from '../file-kind';
import { MAX_NESTING, ValidationError, formatIssues, nestsDeeper, plural, thousands, tooLargeText, withoutControl } from '../params';
import { fittedRowsSchema } from '../ope/fitted-rows';

export const POLICY_FORMAT = 'aisle.policy/v1';

export const envFingerprintSchema = z
  .object({
    id: z.string().describe('Environment id.'),
    params: z
      .record(z.string(), z.unknown())
      // The fingerprint's hash (canonical JSON of the settings, src/main/hash.ts) recurses once per level: an
      // edited file whose params held an object nested 200,000 deep ended `aisle eval` and import in a stack overflow.
      .refine((params) => !nestsDeeper(params), {
        error: `nests objects or arrays more than ${MAX_NESTING} deep, which no environment's settings do: export the policy again from its run`,
      })
      .describe('Environment parameters (an inline MDP is replaced by its hash).'),
    mdpHash: z.string().optional().describe('sha-256 of the canonical MDP without its name (a display text), for tabular-mdp; files written before Aisle left the name out hashed it too.'),
    hash: z.string().describe('sha-256 of the canonical fingerprint (id, params, mdpHash).'),
  })
  .strict();

export const provenanceSchema = z
  .object({
    runId: z.number().int().min(1),
    experimentId: z.number().int().min(1).optional(),
    // Printed by `aisle eval` and `aisle policies` and shown in the app: an ESC sequence in an edited
    // file would have cleared a terminal or recoloured what followed.
    experimentName: withoutControl(z.string()).optional(),
    agent: withoutControl(z.string()),
    seed: z.number().int().min(0),
    episodes: z.number().int().min(0).describe('Episodes the exported values or network had learned from: the checkpoint\'s (a run exported while running, or stopped early, had trained for these).'),
    status: z
      .enum(['completed', 'running', 'cancelled', 'failed', 'interrupted'])
      .optional()
      .describe('The run\'s status at export: anything but completed means the policy is a checkpoint taken before the run\'s end.'),
    gamma: z.number().min(0).max(1).optional().describe('The agent\'s discount factor in training, which an exact evaluation of the policy uses unless told another.'),
    fittedTo: fittedRowsSchema.optional(),
    configHash: z.string(),
    appVersion: z.string(),
    createdAt: z.string(),
  })
  .strict();

const stateLabels = z.array(z.string()).min(1).max(1_000_000);
const actionLabels = z.array(z.string()).min(1).max(10_000);

/** What the policy is called where it is listed; a file without one is named by its file on import. */
const policyName = withoutControl(z.string().max(500)).refine((name) => name.trim() !== '', { error: 'must not be blank: give the policy a name, or leave the field out (an imported file is then named by its file)' });

/**
 * Why `name` cannot name a policy (a control character, blank, over 500 characters), in the words a
 * file's check says it, or undefined. An export checks the name it is given first: it stored a file
 * named "\u202Eevil" that its own reads then refused (policies.fits answered 400 for it).
 */
export function policyNameProblem(name: string): string | undefined {
  const read = policyName.safeParse(name);
  return read.success ? undefined : formatIssues(read.error.issues)[0];
}

/** A kind of policy: the fields every kind has, in file order around the kind's own. */
function policySchema<K extends string, S extends z.ZodRawShape>(kind: K, body: S) {
  return z
    .object({ format: z.literal(POLICY_FORMAT), kind: z.literal(kind), name: policyName.optional(), env: envFingerprintSchema, ...body, provenance: provenanceSchema })
    .strict();
}

export const tabularPolicySchema = policySchema('tabular', {
  states: stateLabels,
  actions: actionLabels,
  q: z.array(z.array(z.number())),
  greedy: z.array(z.number().int().min(0)),
  updated: z
    .array(z.boolean())
    .max(1_000_000)
    .optional()
    .describe(
      'Per state, in states order: whether training updated it (false: act() serves its first action there, a tie-break). Aisle\'s export writes it from the Q-table and the agent\'s initialQ (a state of one action was updated when its value has left initialQ). Optional: a file without it, as those written before, is read from its Q-table alone (updated where its actions hold different values, which a state of one action never does).',
    ),
});

export const contextFreePolicySchema = policySchema('context-free', {
  actions: actionLabels,
  values: z.array(z.number()).max(10_000).describe('One value per action, in actions order: the agent\'s estimate of what the action earns (ε-greedy, UCB1: its mean reward; Thompson sampling: the posterior mean; most-popular: its popularity). High to low, they rank the actions.'),
  greedy: z.number().int().min(0).describe('The action served for every observation: a best action of values (the lowest index on a tie).'),
});

const width = z.number().int().min(1).max(1_000_000);

export const networkSchema = z
  .object({
    layers: z
      .array(z.object({ in: width, out: width, activation: z.enum(['relu', 'tanh', 'linear']) }).strict())
      .min(1)
      .max(32)
      .describe('Dense layers from input to output: y = activation(W·x + b).'),
    weights: z
      .array(z.number())
      .max(1 << 24)
      .describe('Every layer\'s W (out × in, row-major: W[o][i] at o·in + i, as PyTorch\'s nn.Linear) then b (out), layer after layer, as float32 values.'),
    encoding: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('one-hot'), n: width }).strict(),
        z
          .object({
            kind: z.literal('vector'),
            size: width,
            features: z.array(z.string().min(1)).optional().describe('What each input is, in order (the environment\'s feature names), for whoever builds the vector when serving.'),
            low: z.number().optional().describe('The least value any feature takes in the environment the policy was trained on (the shop\'s: 0); the runtime refuses an observation with a feature below it.'),
            high: z.number().optional().describe('The greatest value any feature takes there (the shop\'s: 1); the runtime refuses an observation with a feature above it: a feature sent on another scale (engagement 70 for 0.7) would otherwise be served an action for an observation the policy never saw.'),
          })
          .strict(),
      ])
      .describe('How an observation becomes the input: a state index s as the one-hot vector e_s, or a feature vector as it is (its features named when the environment names them).'),
    output: z.enum(['q', 'logits']).describe('What the outputs are: action values (DQN) or a softmax policy\'s logits (PPO); the action served is their argmax.'),
  })
  .strict();

export const mlpPolicySchema = policySchema('mlp', {
  states: stateLabels.optional().describe('State labels, for a one-hot encoded policy.'),
  actions: actionLabels,
  network: networkSchema,
});

export const policyFileSchema = z.discriminatedUnion('kind', [tabularPolicySchema, contextFreePolicySchema, mlpPolicySchema]);

export type PolicyFile = z.output<typeof policyFileSchema>;
export type TabularPolicyFile = z.output<typeof tabularPolicySchema>;
export type ContextFreePolicyFile = z.output<typeof contextFreePolicySchema>;
export type MlpPolicyFile = z.output<typeof mlpPolicySchema>;
export type EnvFingerprint = z.output<typeof envFingerprintSchema>;

/**
 * A context-free policy's ranking: action indices by value, high to low (ties to the lower index,
 * as greedy), the first `top` of them.
 */
export function actionRanking(values: readonly number[], top = values.length): number[] {
  return Array.from(values.keys())
    .sort((a, b) => values[b]! - values[a]! || a - b)
    .slice(0, top);
}

/**
 * A context-free policy's ranking as it serves it: its greedy action first, then the others by
 * value (actionRanking). The format lets the greedy action be any of the tied best (a file edited
 * or written elsewhere: values [0.5, 0.5, 0.1] with greedy b); by value alone, a would head a
 * ranking beside "serves b". Every export writes the lowest-index best, where the two agree.
 */
export function servedRanking(policy: Pick<ContextFreePolicyFile, 'values' | 'greedy'>, top = policy.values.length): number[] {
  return [policy.greedy, ...actionRanking(policy.values).filter((a) => a !== policy.greedy)].slice(0, top);
}

/**
 * Validates an untrusted policy object: another kind of Aisle file (an experiment, an MDP) in one
 * line saying what it is, then sizes and shape (the runtime's own checks, cheap and
 * bounded, so huge arrays are refused before anything walks them; they also refuse repeated labels
 * and a greedy action that is not a best action of its Q row or values), then the full schema.
 */
export function parsePolicy(raw: unknown): PolicyFile {
  const other = wrongKindProblem(raw, 'policy', 'policy.format', `give a policy file ("${POLICY_FORMAT}") here`);
  if (other) throw new ValidationError([other]);
  try {
    loadPolicy(raw);
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new ValidationError([e.message]);
    throw e;
  }
  const result = policyFileSchema.safeParse(raw);
  if (!result.success) throw new ValidationError(formatIssues(result.error.issues.map((issue) => plainNonFinite(issue, raw)), 'policy'));
  return result.data;
}

/**
 * zod reports a number JSON cannot represent (1e999, which JSON.parse reads as Infinity) as
 * "expected number, received Infinity"; say what was found as the runtime does.
 */
function plainNonFinite(issue: z.core.$ZodIssue, raw: unknown): z.core.$ZodIssue {
  if (issue.code !== 'invalid_type') return issue;
  let v = raw;
  for (const key of issue.path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  if (typeof v !== 'number' || Number.isFinite(v) || Number.isNaN(v)) return issue;
  // A text or an object given a number (a name, the env fingerprint): formatIssues says what it must be.
  if (issue.expected !== 'number' && issue.expected !== 'int') return issue;
  return { ...issue, message: `must be a finite number, got ${tooLargeText(v)}` };
}

/**
 * What a user should know about an exported policy that is not its run's final one: a checkpoint
 * of a run that was still running or stopped before its end. Undefined for a completed run's.
 * The status is the run's when the policy was exported (the file keeps it), so it is said in the
 * past: read later (`aisle eval`, an import), the run may long have finished.
 */
export function checkpointNote(provenance: PolicyFile['provenance']): string | undefined {
  const { status, runId, episodes } = provenance;
  if (status === undefined || status === 'completed') return undefined;
  const when = status === 'running' ? 'was still running when the policy was exported' : `was ${status}`;
  return `run ${runId} ${when}: the policy is its last checkpoint, what it had learned after ${episodes.toLocaleString('en-US')} episode${episodes === 1 ? '' : 's'}`;
}

/** A tabular policy's states that training never updated, of those it may be asked about. */
export interface NeverUpdated {
  /** Non-terminal states whose actions all hold one value (the runtime's `updated` is false). */
  readonly states: number;
  /** Non-terminal states in all. */
  readonly of: number;
  /** Terminal states, left out: training never updates one, and a service is never asked about one. */
  readonly terminal: number;
}

/**
 * Whether training updated a state, from its row of action values: some action's value differs from
 * the others (the runtime's `updated`). A state of one action holds one value however it was
 * trained: it was updated when that value is no longer the agent's `initialQ` (an update that
 * happens to land on it again cannot be told apart), and counts as updated when the initial value is
 * not known. The export's count and the Q-tables screen's greedy marks both ask this.
 */
export function stateUpdated(row: ArrayLike<number>, initialQ?: number): boolean {
  return row.length === 1 ? initialQ === undefined || row[0] !== initialQ : updated(row);
}

/**
 * Counts a tabular policy's states that training never updated, by its `updated` where the file
 * has one, else as the Q-tables screen does (stateUpdated), leaving out the environment's terminal states (`terminal[s]` is 1).
 */
export function neverUpdated(policy: { readonly q: readonly ArrayLike<number>[]; readonly updated?: readonly boolean[] | undefined }, terminal?: ArrayLike<number>, initialQ?: number): NeverUpdated {
  let states = 0;
  let ends = 0;
  policy.q.forEach((row, s) => {
    if (terminal?.[s] === 1) ends++;
    else if (!(policy.updated?.[s] ?? stateUpdated(row, initialQ))) states++;
  });
  return { states, of: policy.q.length - ends, terminal: ends };
}

/**
 * How many of a tabular policy's states training never updated, in the one wording every door uses
 * (the export's notice, `aisle export`, the Q-tables screen's captions): "21 of 47 states have every
 * action at one value (never reached in training, or no action came out ahead), not counting the
 * terminal state, which training never updates". A terminal (absorbing) state is left out of both
 * numbers, and said to be: the Q-tables screen once counted it ("22 with every action at one
 * value") where the export did not ("21 of 47 states"), and one run's table read as two.
 */
export function neverUpdatedText({ states, of, terminal }: NeverUpdated): string {
  // "Never updated" was said of a state training did update, to values all equal (every reward 0):
  // a Q-table cannot tell the two apart (training records no visits), but either way it is a tie-break.
  return `${thousands(states)} of ${plural(of, 'state', thousands(of))} ${states === 1 ? 'has' : 'have'} every action at one value (never reached in training, or no action came out ahead)${terminalAside(terminal)}`;
}

/** How a count of states never updated treats the terminal states, after it: ", not counting the terminal state, which training never updates"; empty when there are none. */
export function terminalAside(terminal: number): string {
  if (terminal === 0) return '';
  return terminal === 1 ? ', not counting the terminal state, which training never updates' : `, not counting the ${thousands(terminal)} terminal states, which training never updates`;
}

/**
 * What a user should know when some states were never updated: the policy still answers there,
 * with the first action, a tie-break. Undefined when every state that counts was updated.
 */
export function neverUpdatedNote(counted: NeverUpdated): string | undefined {
  if (counted.states === 0) return undefined;
  return `${neverUpdatedText(counted)}: the policy serves ${counted.states === 1 ? 'its' : 'their'} first action there, a tie-break`;
}
