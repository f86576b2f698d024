/**
 * The checks that compare two or more parameters of one environment or agent (a DQN's batchSize
 * against its bufferSize, a generated shop's slateSize against its items), which no field's own
 * range can say. Each problem is a line under its field, with the fix (`batchSize: batchSize 5000
 * exceeds bufferSize 1000: raise bufferSize`). The validators (dqn.ts, ppo.ts, shop/params.ts,
 * shop/model.ts) say them with these functions, and the New experiment form says them next to the
 * fields and under a Sweep row as it is typed (form/cross-field.ts): the service says them only
 * once every field is valid, and checks no sweep before. This module imports only params' number
 * wording, so the renderer's bundle takes these few functions and not the registry's schemas and agents.
 */
import { thousands } from './params';

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

/** The shop: a discrete observation of more states than it builds (its fix may be observation "vector"). */
export function observationStatesProblem(states: number): string | undefined {
  if (states <= SHOP_OBSERVATION_STATES) return undefined;
  return `observation: the discrete observation would have ${thousands(states)} states (segments × (categories + 1) × engagementLevels × fatigueLevels + 1), more than ${thousands(SHOP_OBSERVATION_STATES)}: use fewer categories, segments or levels, or observation "vector"`;
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

/**
 * The cross-field rules by environment and agent id, as the validators apply them (the shop's
 * catalog-size rules, of its categories, slate and discrete observation, only to a generated
 * catalog: an explicit one's items and categories are counted once it is read). The memory limits
 * that depend on the environment's sizes are left to the service, and so are the exact MDP's
 * (pairs, actions, rewards, transitions), which buildShop checks on the built catalog and slates.
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
        problems: (p) =>
          p.catalog === undefined && p.observation === 'discrete'
            ? line(observationStatesProblem(discreteStateCount({ observeSegment: p.observeSegment === true, segments: n(p.segments), engagementLevels: n(p.engagementLevels), fatigueLevels: n(p.fatigueLevels) }, n(p.categories))))
            : [],
      },
    ],
  },
  agent: {
    dqn: [{ fields: ['batchSize', 'bufferSize'], problems: (p) => line(replayBatchProblem({ batchSize: n(p.batchSize), bufferSize: n(p.bufferSize) })) }],
    ppo: [{ fields: ['batchSize', 'nSteps'], problems: (p) => line(minibatchProblem({ batchSize: n(p.batchSize), nSteps: n(p.nSteps) })) }],
  },
};
