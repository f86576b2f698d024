/**
 * A policy's labels (its actions, its states, a network's input features) against an environment's,
 * index by index. A policy serves by index, so where its sizes fit an environment the labels are all
 * that tells whether its state 3 is that environment's state 3: an MDP whose states were reordered
 * is served the wrong state's action in each, and its figures come out silently wrong.
 */
import type { Env, Observation } from '../engine/env';
import { firstFive, show } from '../engine/params';
import type { PolicyFile } from '../engine/policy/format';
import { labelOf } from '../engine/spaces';

/** What is read of an environment: its spaces, with their labels. */
export type EnvSpaces = Pick<Env<Observation>, 'observationSpace' | 'actionSpace'>;

type What = 'action' | 'state' | 'feature';

/** The first label of a policy's that the environment gives another at its index. */
export interface LabelDifference {
  readonly kind: 'differ';
  /** The policy file's field: `policy.states[3]`. */
  readonly field: string;
  readonly what: What;
  readonly index: number;
  readonly mine: string;
  readonly theirs: string;
  /** Where the environment has the policy's label, when elsewhere (its states in another order). */
  readonly movedTo?: number;
}

/** A list only one side names (the other by index alone: "0", "1", …): nothing to check against. */
export interface LabelsUnchecked {
  readonly kind: 'unchecked';
  readonly what: What;
  /** The side that names them by index only. */
  readonly byIndex: 'policy' | 'environment';
  readonly named: readonly string[];
}

/** Labels that are only the indices, as the export writes them for an environment that names nothing. */
function byIndex(labels: readonly string[]): boolean {
  return labels.every((label, i) => label === String(i));
}

/**
 * The first difference of labels between a policy and an environment its sizes fit (actions first,
 * which every kind has, then states, then a network's features), else the first list only one side
 * names, else undefined. A list the policy does not hold (a context-free policy's states, an
 * unnamed network input) is not compared.
 */
export function labelMismatch(policy: PolicyFile, env: EnvSpaces): LabelDifference | LabelsUnchecked | undefined {
  const space = env.observationSpace;
  const lists: { what: What; field: string; mine: readonly string[]; theirs: readonly string[]; theirsNamed: boolean }[] = [];
  const { actionSpace } = env;
  lists.push({ what: 'action', field: 'policy.actions', mine: policy.actions, theirs: Array.from({ length: actionSpace.n }, (_, a) => labelOf(actionSpace, a)), theirsNamed: actionSpace.labels !== undefined });
  const states = policy.kind === 'context-free' ? undefined : policy.states;
  if (states && space.kind === 'discrete') {
    lists.push({ what: 'state', field: 'policy.states', mine: states, theirs: Array.from({ length: space.n }, (_, s) => labelOf(space, s)), theirsNamed: space.labels !== undefined });
  }
  const enc = policy.kind === 'mlp' ? policy.network.encoding : undefined;
  if (enc?.kind === 'vector' && enc.features && space.kind === 'box' && space.labels) {
    lists.push({ what: 'feature', field: 'policy.network.encoding.features', mine: enc.features, theirs: space.labels, theirsNamed: true });
  }
  let unchecked: LabelsUnchecked | undefined;
  for (const { what, field, mine, theirs, theirsNamed } of lists) {
    const at = mine.findIndex((label, i) => label !== theirs[i]);
    if (at < 0) continue;
    // An index is no name: a policy of an environment that named nothing, or one that names nothing now.
    const mineByIndex = byIndex(mine);
    const theirsByIndex = !theirsNamed || byIndex(theirs);
    if (mineByIndex !== theirsByIndex) {
      unchecked ??= { kind: 'unchecked', what, byIndex: mineByIndex ? 'policy' : 'environment', named: mineByIndex ? theirs : mine };
      continue;
    }
    const movedTo = theirs.indexOf(mine[at]!);
    return { kind: 'differ', field: `${field}[${at}]`, what, index: at, mine: mine[at]!, theirs: theirs[at]!, ...(movedTo >= 0 ? { movedTo } : {}) };
  }
  return unchecked;
}

/**
 * A label difference as a refusal, one line naming the field and both labels. `theEnv`: the
 * environment as the sentence calls it; `own`: it is the one the policy's file names (its run's MDP,
 * or its own settings'), so its labels are those the policy was exported with and the file was
 * edited since; otherwise another environment, evaluated on. `exportedBy`: the other version of Aisle
 * that exported the file, where the labels are made by Aisle's code from the settings (a shop's),
 * not held in an MDP's hash: that version may have worded them otherwise, the file untouched.
 */
export function labelRefusal(d: LabelDifference, theEnv: string, own: boolean, exportedBy?: string): string {
  const { field, what, index, mine, theirs, movedTo } = d;
  // As a value is shown in a message (show): quoted, escaped, a label of a page of text cut.
  const moved = movedTo !== undefined ? `, whose ${what} ${movedTo} is ${show(mine)}` : '';
  const head = `${field}: ${what} ${index} is ${show(mine)} in the policy but ${show(theirs)} in ${theEnv}${moved}`;
  if (own) {
    const version = exportedBy !== undefined ? `, or Aisle ${exportedBy}, which exported it, named them otherwise` : '';
    return `${head}: the policy file's ${what}s were edited after export${version}: export the policy again from its run`;
  }
  if (movedTo !== undefined) {
    return `${head}: its ${what}s are named in another order, and the policy takes them by index, so ${WRONG[what]}: evaluate it on the environment it was trained on, or train a policy on this one`;
  }
  return (
    `${head}: the policy takes its ${what}s by index, and a renamed ${what} cannot be told from another one: evaluate it on the environment it was trained on; ` +
    `if only the names changed, give both the same names (the environment the policy's, or the policy file the environment's)`
  );
}

/** What serving by index does where the order differs. */
const WRONG: Record<What, string> = {
  state: "each state would be served another state's action",
  action: 'each action it chooses would be played as another',
  feature: 'its network would read each feature as another',
};

/** A list only one side names, as a warning: the evaluation goes ahead, by index, unchecked. */
export function uncheckedWarning(u: LabelsUnchecked): string {
  const other = u.byIndex === 'policy' ? 'the environment' : 'the policy';
  return (
    `${u.byIndex === 'policy' ? 'the policy' : 'the environment'} names its ${u.what}s by index only, where ${other} names them (${firstFive(u.named)}): ` +
    `the policy takes them by index, and without names on both sides Aisle cannot check that each is the same ${u.what}: check they are in the order it was trained on`
  );
}
