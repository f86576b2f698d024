/**
 * The checks that compare two or more parameters of one environment or agent (a DQN's batchSize
 * against its bufferSize, a generated shop's slateSize against its items), which no field's own
 * range can say. Each problem is a line under its field, with the fix (`batchSize: batchSize 5000
 * exceeds bufferSize 1000: raise bufferSize`). The validators (dqn.ts, ppo.ts, shop/params.ts,
 * shop/model.ts) say them with these functions, and the New experiment form says them next to the
 * fields and under a Sweep row as it is typed (form/cross-field.ts): the service says them only
 * once every field is valid, and checks no sweep before. This module imports only params' number
 * wording and the MDP file's limits, so the renderer's bundle takes these few functions and not the
 * registry's schemas and agents.
 */
import { MDP_LIMITS } from './mdp/format';
import { plural, thousands } from './params';

/** DQN: a minibatch is drawn from the replay memory, so it holds at most bufferSize transitions. */
export function replayBatchProblem(p: { readonly batchSize: number; readonly bufferSize: number }): string | undefined {
  return p.batchSize > p.bufferSize ? `batchSize: batchSize ${p.batchSize} exceeds bufferSize ${p.bufferSize}: raise bufferSize` : undefined;
}

/** PPO: a rollout of nSteps is cut into whole minibatches of batchSize. */
export function minibatchProblem(p: { readonly batchSize: number; readonly nSteps: number }): string | undefined {
  if (p.nSteps % p.batchSize === 0) return undefined;
  if (p.batchSize > p.nSteps) return `batchSize: ${p.batchSize} exceeds nSteps ${p.nSteps}: lower batchSize to at most ${p.nSteps} or raise nSteps to ${p.batchSize}`;
  const up = Math.ceil(p.nSteps / p.batchSize) * p.batchSize;
  return `nSteps: ${p.nSteps} is not a multiple of batchSize ${p.batchSize}, so minibatches would be uneven: set nSteps to ${up} (or ${up - p.batchSize}) or choose a batchSize that divides it`;
}

/** The shop: segments' price sensitivities are drawn between min and max. */
export function priceSensitivityProblem(p: { readonly priceSensitivityMin: number; readonly priceSensitivityMax: number }): string | undefined {
  if (p.priceSensitivityMin <= p.priceSensitivityMax) return undefined;
  return `priceSensitivityMax: ${p.priceSensitivityMax} is below priceSensitivityMin ${p.priceSensitivityMin}: raise priceSensitivityMax or lower priceSensitivityMin`;
}

/** The shop: leaveBase + leaveSlope · (1 − engagement) is a probability. */
export function leaveProblem(p: { readonly leaveBase: number; readonly leaveSlope: number }): string | undefined {
  if (p.leaveBase + p.leaveSlope <= 1) return undefined;
  return `leaveSlope: leaveBase + leaveSlope = ${Number((p.leaveBase + p.leaveSlope).toPrecision(12))} exceeds 1, so the leave probability of a disengaged user would exceed 1: lower leaveSlope or leaveBase`;
}

/** The shop's exact mode: what its MDP state leaves out must be off; empty when the configuration may be exact (or is not). */
export function exactProblems(p: { readonly exact: boolean; readonly observeSegment: boolean; readonly driftStd: number; readonly shiftAt: number | null }): string[] {
  if (!p.exact) return [];
  const problems: string[] = [];
  if (!p.observeSegment) {
    problems.push('observeSegment: the exact mode\'s MDP state is (segment, last clicked category, engagement level, fatigue level), so the segment must be observed: set observeSegment to true or exact to false');
  }
  if (p.driftStd !== 0) problems.push('driftStd: the exact mode needs driftStd 0 (drifting affinities are not part of its MDP state): set driftStd to 0 or exact to false');
  if (p.shiftAt !== null) problems.push(`shiftAt: the exact mode needs shiftAt null (a shift changes the dynamics with the episode): set shiftAt to null or exact to false`);
  return problems;
}

/** The shop's generated catalog (no `catalog` given): every category needs an item. */
export function categoriesProblem(p: { readonly categories: number; readonly items: number }): string | undefined {
  return p.categories > p.items ? `categories: ${p.categories} exceeds items ${p.items}: every category needs an item; lower categories or raise items` : undefined;
}

/** The shop: a slate shows distinct items, so at most the catalog's; `source` names where they come from ("items", or "the catalog's items"). */
export function slateProblem(slateSize: number, items: number, source: string): string | undefined {
  return slateSize > items ? `slateSize: ${slateSize} exceeds ${source} (${items}): a slate shows distinct items; lower slateSize or add items` : undefined;
}

/** Largest discrete observation the shop builds (SHOP_LIMITS.observationStates: a tabular agent's table has a row per state). */
export const SHOP_OBSERVATION_STATES = 1_000_000;

/**
 * States of the shop's discrete observation: observed segments (1 when hidden) × (categories + 1:
 * the last clicked category, or none yet) × engagement levels × fatigue levels, + 1 for "left". One
 * formula for the model, the launch warnings (which know the catalog's categories without building
 * it) and the form's rule below.
 */
export function discreteStateCount(p: { readonly observeSegment: boolean; readonly segments: number; readonly engagementLevels: number; readonly fatigueLevels: number }, categories: number): number {
  return (p.observeSegment ? p.segments : 1) * (categories + 1) * p.engagementLevels * p.fatigueLevels + 1;
}

/**
 * The last fix of the observation's size: a run may observe a vector instead. The exact MDP's states
 * are the discrete observation's whatever the shop observes, and past 1,000,000 no aisle.mdp/v1
 * file holds them, so `shop export-mdp` drops this fix as it drops OR_EXACT_FALSE.
 */
export const OR_OBSERVATION_VECTOR = ', or observation "vector"';

/** The shop: a discrete observation of more states than it builds (its fix may be observation "vector"). */
export function observationStatesProblem(states: number): string | undefined {
  if (states <= SHOP_OBSERVATION_STATES) return undefined;
  return `observation: the discrete observation would have ${thousands(states)} states (segments × (categories + 1) × engagementLevels × fatigueLevels + 1), more than ${thousands(SHOP_OBSERVATION_STATES)}: use fewer categories, segments or levels${OR_OBSERVATION_VECTOR}`;
}

/** Largest exact MDP the shop builds, in state-action pairs (SHOP_LIMITS.mdpPairs). */
export const SHOP_MDP_PAIRS = 2_000_000;

/**
 * The last fix of every exact-MDP limit: a run can do without the exact MDP (it loses the exact
 * evaluation), so it may turn the exact mode off. `shop export-mdp` cannot, since the exact MDP is
 * what it writes: shopToMdp drops this alternative (withoutRunFixes), where the command's
 * refusals ended "…, or exact false" (found by the CLI message sweep).
 */
export const OR_EXACT_FALSE = ', or exact false';

/**
 * The exact MDP's size limits (its actions, as an aisle.mdp/v1 file holds them, and states ×
 * actions), as buildShop and `shop export-mdp` both report them, and the form for a generated
 * catalog. The actions were not checked: a shop of 100,000 items, item actions, on few states, was
 * launched, trained its episodes, then failed at its exact evaluation on the built MDP's
 * "mdp.actions: must be … 1 to 10,000 …", a field the user never wrote.
 */
export function mdpPairsProblem(states: number, actions: number): string | undefined {
  if (states * actions > SHOP_MDP_PAIRS) {
    return `exact: the exact MDP would have ${thousands(states)} states × ${thousands(actions)} actions = ${thousands(states * actions)} pairs, more than ${thousands(SHOP_MDP_PAIRS)}: use fewer items, categories, segments or levels (or category actions)${OR_EXACT_FALSE}`;
  }
  if (actions <= MDP_LIMITS.actions) return undefined;
  return `exact: the exact MDP would have ${thousands(actions)} actions, more than the ${thousands(MDP_LIMITS.actions)} an exact MDP (an aisle.mdp/v1 file) holds: use fewer items (or category actions)${OR_EXACT_FALSE}`;
}

/** The tabular agents: one table row per observed state, so they need a discrete observation. */
export const TABULAR_AGENT_IDS: readonly string[] = ['q-learning', 'sarsa', 'expected-sarsa', 'double-q-learning'];

/** A tabular agent on a vector observation (definitions.needsDiscreteObservations says it for the service). */
export function discreteObservationsProblem(agentId: string, features: number): string {
  return `${agentId} needs a discrete observation space, but the environment observes a vector of ${features} features: choose a tabular environment (or the shop with observation "discrete") or a vector agent`;
}

/** The myopic oracle reads the simulator's true model, which only the shop exposes. */
export const NO_ORACLE =
  'myopic-oracle needs a simulator that exposes its true model (the shop): this environment has no oracle; choose the shop environment, or a learning agent or most-popular as the baseline';

/** LinUCB on a discrete observation (linucb.ts compatible() says it for the service). */
export function needsVectorProblem(agentId: string, states: number): string {
  return `${agentId} needs a vector observation space (Box), but the environment observes ${plural(states, 'discrete state')}: choose the shop with observation "vector" (the other environments have only discrete states) or a tabular or bandit agent`;
}

/** Above this many input features (a one-hot of that many states) PPO's first layer would be huge. */
export const PPO_MAX_FEATURES = 100_000;

/** PPO's input past PPO_MAX_FEATURES (ppo.ts compatible() says it for the service). */
export function ppoFeaturesProblem(kind: 'discrete' | 'box', features: number): string | undefined {
  if (features <= PPO_MAX_FEATURES) return undefined;
  // Only the shop has a vector observation, and its size grows with its categories and segments.
  const fix = kind === 'discrete' ? 'choose the shop with observation "vector" (the other environments have only discrete states) or a tabular agent' : 'give the shop fewer categories or segments, or choose a tabular agent';
  return `ppo feeds the observation to a neural network as ${thousands(features)} features (${kind === 'discrete' ? 'one-hot of the states' : 'a vector'}), more than ${thousands(PPO_MAX_FEATURES)}: ${fix}`;
}

/** Features of the shop's vector observation (observation.ts vectorSpace): segment one-hot, last category one-hot with "none", five scalars. */
export function shopVectorFeatures(segments: number, categories: number): number {
  return segments + categories + 1 + 5;
}

/**
 * The checks that span the environment and the agent and need only the experiment's own fields
 * (the service says them at launch through the agent's compatible(), with these words; the form
 * says them under agent.id as soon as both are chosen). Each line is `id: …` of the agent. An
 * explicit catalog's categories are known once it is read, so a shop with `catalog` is left to the
 * service for the vector's size and the states, and so are tabular-mdp's states (its file); the
 * environments without an oracle are every one but the shop.
 */
export function envAgentProblems(envId: string, env: Readonly<Record<string, unknown>>, agentId: string): string[] {
  if (agentId === 'myopic-oracle') return envId === 'shop' ? [] : [`id: ${NO_ORACLE}`];
  if (TABULAR_AGENT_IDS.includes(agentId) && envId === 'shop' && env.observation === 'vector' && env.catalog === undefined) {
    if (typeof env.segments !== 'number' || typeof env.categories !== 'number') return [];
    return [`id: ${discreteObservationsProblem(agentId, shopVectorFeatures(env.segments, env.categories))}`];
  }
  // The discrete states known without a file: the testbed's one, seed-toy's states, a generated shop's discrete observation.
  const states =
    envId === 'bandit-testbed' ? 1 : envId === 'seed-toy' ? n(env.states) : envId === 'shop' && env.observation === 'discrete' && env.catalog === undefined ? generatedStates(env) : undefined;
  if (states === undefined || !Number.isFinite(states)) return [];
  if (agentId === 'linucb') return [`id: ${needsVectorProblem(agentId, states)}`];
  if (agentId === 'ppo') return line(ppoFeaturesProblem('discrete', states)).map((problem) => `id: ${problem}`);
  return [];
}

/** A check of several parameters, as the form runs it: on parameters whose values their own fields take. */
export interface CrossFieldRule {
  /** The parameters it compares (the form checks it once each holds a value of its own field's kind and range). */
  readonly fields: readonly string[];
  /** Its problems, each a line under its field as the service says it. `p` holds every parameter, defaults filled in. */
  readonly problems: (p: Readonly<Record<string, unknown>>) => readonly string[];
}

const line = (problem: string | undefined): string[] => (problem === undefined ? [] : [problem]);
const n = (v: unknown) => v as number;
/** The discrete observation's states of a generated catalog, its categories the parameter's. */
const generatedStates = (p: Readonly<Record<string, unknown>>) =>
  discreteStateCount({ observeSegment: p.observeSegment === true, segments: n(p.segments), engagementLevels: n(p.engagementLevels), fatigueLevels: n(p.fatigueLevels) }, n(p.categories));

/**
 * The cross-field rules by environment and agent id, as the validators apply them (the shop's
 * catalog-size rules, of its categories, slate, discrete observation and exact MDP, only to a generated
 * catalog: an explicit one's items and categories are counted once it is read), with the exact
 * MDP's states × actions. The memory limits that depend on the environment's sizes are left to
 * the service, and so are the exact MDP's rewards and transitions, which buildShop counts on the
 * built catalog's prices and slates.
 */
export const CROSS_FIELD_RULES: { readonly env: Readonly<Record<string, readonly CrossFieldRule[]>>; readonly agent: Readonly<Record<string, readonly CrossFieldRule[]>> } = {
  env: {
    shop: [
      { fields: ['priceSensitivityMin', 'priceSensitivityMax'], problems: (p) => line(priceSensitivityProblem({ priceSensitivityMin: n(p.priceSensitivityMin), priceSensitivityMax: n(p.priceSensitivityMax) })) },
      { fields: ['leaveBase', 'leaveSlope'], problems: (p) => line(leaveProblem({ leaveBase: n(p.leaveBase), leaveSlope: n(p.leaveSlope) })) },
      {
        fields: ['exact', 'observeSegment', 'driftStd', 'shiftAt'],
        problems: (p) => exactProblems({ exact: p.exact === true, observeSegment: p.observeSegment === true, driftStd: n(p.driftStd), shiftAt: p.shiftAt as number | null }),
      },
      { fields: ['categories', 'items'], problems: (p) => (p.catalog === undefined ? line(categoriesProblem({ categories: n(p.categories), items: n(p.items) })) : []) },
      { fields: ['slateSize', 'items'], problems: (p) => (p.catalog === undefined ? line(slateProblem(n(p.slateSize), n(p.items), 'items')) : []) },
      {
        fields: ['observation', 'observeSegment', 'segments', 'categories', 'engagementLevels', 'fatigueLevels'],
        problems: (p) => (p.catalog === undefined && p.observation === 'discrete' ? line(observationStatesProblem(generatedStates(p))) : []),
      },
      {
        // As sizeProblems: runs build the exact MDP only for the discrete observation, and its size is said once the observation fits.
        fields: ['exact', 'observation', 'observeSegment', 'segments', 'categories', 'items', 'actionLevel', 'engagementLevels', 'fatigueLevels'],
        problems: (p) => {
          if (p.catalog !== undefined || p.exact !== true || p.observation !== 'discrete') return [];
          const states = generatedStates(p);
          return observationStatesProblem(states) === undefined ? line(mdpPairsProblem(states, n(p.actionLevel === 'item' ? p.items : p.categories))) : [];
        },
      },
    ],
  },
  agent: {
    dqn: [{ fields: ['batchSize', 'bufferSize'], problems: (p) => line(replayBatchProblem({ batchSize: n(p.batchSize), bufferSize: n(p.bufferSize) })) }],
    ppo: [{ fields: ['batchSize', 'nSteps'], problems: (p) => line(minibatchProblem({ batchSize: n(p.batchSize), nSteps: n(p.nSteps) })) }],
  },
};
