/**
 * Target policies for off-policy evaluation: the policy whose value the logs are asked about, as
 * a table π(a | x) over the logs' own contexts and actions (see data.ts), built from labels so that
 * a policy from elsewhere (another policy's logs, an exported Aisle policy) lines up by name.
 *
 * A target may put probability on actions the logs never show in a context (or not at all): no
 * reweighting of these logs can see what those choices earn. That mass is kept per context
 * (`unsupported`) and reported, never silently renormalised away. The mass on actions outside the
 * logs' labels altogether is also kept apart (`unlisted`): the table has no cell for them, and the
 * reward model still has to value them (its prior, the overall mean) for DM and DR.
 */
import { plural, show, ValidationError } from '../params';
import { rows, type LoggedBandit, type LoggedRows } from './data';

export interface TargetPolicy {
  /** What the target is, in the user's words ("uniform over 34 actions", "the logs of policy=bts"). */
  readonly name: string;
  /** π(a | x) at [x · actions + a], over the evaluated logs' context and action labels. */
  readonly probs: Float64Array;
  /**
   * Per context: the target's probability of actions the logs never show in that context (its
   * mass outside the actions in the label list included).
   */
  readonly unsupported: Float64Array;
  /** Per context: the target's probability of actions that are not among the logs' labels at all (part of `unsupported`). */
  readonly unlisted: Float64Array;
}

/** A distribution over action labels, per context label; `*` applies to every context without its own entry. */
export type ActionDistributions = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Which (context, action) pairs occur in the logs, at [x · actions + a]. */
function shown(data: LoggedBandit): Uint8Array {
  const A = data.actionLabels.length;
  const seen = new Uint8Array(data.contextLabels.length * A);
  for (let i = 0; i < rows(data); i++) seen[data.context[i]! * A + data.action[i]!] = 1;
  return seen;
}

/**
 * A target from distributions over action labels (each must sum to 1 within 1e-9, every
 * probability in [0, 1]). Every context of the logs needs a distribution: its own, or `*`.
 */
export function targetFromDistributions(data: LoggedBandit, distributions: ActionDistributions, name: string): TargetPolicy {
  const A = data.actionLabels.length;
  const C = data.contextLabels.length;
  const actionIndex = new Map(data.actionLabels.map((l, a) => [l, a]));
  const seen = shown(data);
  const probs = new Float64Array(C * A);
  const unsupported = new Float64Array(C);
  const unlisted = new Float64Array(C);
  const problems: string[] = [];
  for (const [context, dist] of distributions) {
    let total = 0;
    for (const [action, p] of dist) {
      if (!(p >= 0 && p <= 1)) problems.push(`target: the probability of action ${show(action)} in context ${show(context)} must be in [0, 1], got ${p}`);
      total += p;
    }
    if (!(Math.abs(total - 1) <= 1e-9)) problems.push(`target: the probabilities in context ${show(context)} sum to ${total}, not 1`);
  }
  for (let x = 0; x < C; x++) {
    const label = data.contextLabels[x]!;
    const dist = distributions.get(label) ?? distributions.get('*');
    if (!dist) {
      problems.push(`target: has no distribution for context ${show(label)} (nor one for every context, "*")`);
      continue;
    }
    for (const [action, p] of dist) {
      const a = actionIndex.get(action);
      if (a === undefined) {
        unsupported[x]! += p;
        unlisted[x]! += p;
      } else {
        probs[x * A + a] = p;
        if (!seen[x * A + a]) unsupported[x]! += p;
      }
    }
  }
  if (problems.length > 0) throw new ValidationError(problems.slice(0, 10));
  return { name, probs, unsupported, unlisted };
}

/** Uniform over the logs' actions, in every context. */
export function uniformTarget(data: LoggedBandit): TargetPolicy {
  const p = 1 / data.actionLabels.length;
  return targetFromDistributions(data, new Map([['*', new Map(data.actionLabels.map((l) => [l, p]))]]), `uniform over ${plural(data.actionLabels.length, 'action')}`);
}

/**
 * A deterministic target: per context label, the action label it shows (`*`: every context
 * without its own). An action the logs do not know is allowed (its mass is unsupported).
 */
export function deterministicTarget(data: LoggedBandit, choice: ReadonlyMap<string, string>, name: string): TargetPolicy {
  return targetFromDistributions(data, new Map([...choice].map(([x, a]) => [x, new Map([[a, 1]])])), name);
}

/**
 * The policy that produced other logs, as the frequencies of its actions per context there
 * (OBP's way to evaluate one logged policy from another's logs). A context of the evaluated logs
 * that the other logs lack gets the other logs' frequencies over all their contexts. The other
 * logs' propensities are not used: they may have none (a deterministic policy logs none).
 */
export function empiricalTarget(data: LoggedBandit, source: LoggedRows, name: string): TargetPolicy {
  const n = rows(source);
  if (n === 0) throw new ValidationError([`target: ${name} has no rows`]);
  const byContext = new Map<string, Map<string, number>>();
  const all = new Map<string, number>();
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = source.contextLabels[source.context[i]!]!;
    const a = source.actionLabels[source.action[i]!]!;
    let dist = byContext.get(x);
    if (!dist) byContext.set(x, (dist = new Map()));
    dist.set(a, (dist.get(a) ?? 0) + 1);
    all.set(a, (all.get(a) ?? 0) + 1);
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  const normalised = (dist: Map<string, number>, total: number) => new Map([...dist].map(([a, c]) => [a, c / total]));
  // Every context of the evaluated logs by its own label, not the "*" of every other context: a
  // source context labelled "*" took that key, and lent its frequencies to the contexts it lacks.
  const overall = normalised(all, n);
  const distributions = new Map<string, Map<string, number>>();
  for (const x of data.contextLabels) {
    const dist = byContext.get(x);
    distributions.set(x, dist ? normalised(dist, counts.get(x)!) : overall);
  }
  return targetFromDistributions(data, distributions, name); // frequencies c/n sum to 1 within ~1e-12
}
