/**
 * The two tabular environments, step for step as in src/engine/envs: seed-toy (uniform next state,
 * fair-coin reward, truncated after `stepsPerEpisode` steps) and tabular-mdp (the compiled CSR
 * arrays of src/engine/mdp/format.ts, copied into linear memory by the host; truncated at
 * `maxSteps`). Both draw from the environment's stream only, in the same order as the JS classes.
 */
import { ENV_RNG, int, next, nextU32 } from './rng';

export const SEED_TOY: i32 = 0;
export const TABULAR_MDP: i32 = 1;

/** Which environment the host configured (the loop passes it back as a constant: see loop.ts). */
export let envKind: i32 = SEED_TOY;
let nStates: i32 = 1;
let nActions: i32 = 1;
/** seed-toy's stepsPerEpisode, tabular-mdp's maxSteps. */
let maxSteps: i32 = 1;

// tabular-mdp: the transitions of pair p = s·|A| + a are k in [offsets[p], offsets[p + 1]).
let offsets: usize = 0; // i32[states·actions + 1]
let nextStates: usize = 0; // i32[transitions]
let cumProb: usize = 0; // f64[transitions], each pair's last entry exactly 1
let rewards: usize = 0; // f64[transitions]
let startCum: usize = 0; // f64[states], cumulative start probabilities
let terminal: usize = 0; // u8[states]

/** tabular-mdp's current state. */
let state: i32 = 0;

/** The last step's reward and whether it reached a terminal state (the observation is step's value). */
export let stepReward: f64 = 0;
let stepTerminated: bool = false;

export function useSeedToy(states: i32, actions: i32, stepsPerEpisode: i32): void {
  envKind = SEED_TOY;
  nStates = states;
  nActions = actions;
  maxSteps = stepsPerEpisode;
}

export function useTabularMdp(
  states: i32,
  actions: i32,
  steps: i32,
  offsetsAt: usize,
  nextAt: usize,
  cumProbAt: usize,
  rewardAt: usize,
  startCumAt: usize,
  terminalAt: usize,
): void {
  envKind = TABULAR_MDP;
  nStates = states;
  nActions = actions;
  maxSteps = steps;
  offsets = offsetsAt;
  nextStates = nextAt;
  cumProb = cumProbAt;
  rewards = rewardAt;
  startCum = startCumAt;
  terminal = terminalAt;
}

/** seed-toy's |S| and stepsPerEpisode, for seed-toy-q.ts's loop. */
export function seedToyStates(): i32 {
  return nStates;
}
export function seedToySteps(): i32 {
  return maxSteps;
}

/** Starts an episode and returns its first state (seed-toy: one `int` draw; tabular-mdp: one `next`). */
// @ts-ignore: decorator
@inline export function envReset(kind: i32): i32 {
  if (kind == SEED_TOY) return int(ENV_RNG, nStates);
  state = firstAbove(startCum, 0, nStates, next(ENV_RNG));
  return state;
}

/** Applies an action; returns the next state and sets stepReward (and, for tabular-mdp, whether it is terminal). */
// @ts-ignore: decorator
@inline export function envStep(kind: i32, action: i32): i32 {
  if (kind == SEED_TOY) {
    // seed-toy: S' ~ U{0..|S|-1}, then R = 1 with probability 0.5 (draw order: int, next).
    const observation = int(ENV_RNG, nStates);
    // next() < 0.5, i.e. u · 2^-32 < 0.5, holds exactly when u < 2^31; the 1 or 0 is converted
    // from the comparison rather than selected, which V8 would compile to a branch.
    stepReward = <f64>(nextU32(ENV_RNG) < 0x80000000);
    return observation;
  }
  // tabular-mdp: k ~ p(·|S, A) by the pair's cumulative probabilities; S' = next[k], R = reward[k].
  const pairAt = offsets + (<usize>(state * nActions + action) << 2);
  const k = firstAbove(cumProb, load<i32>(pairAt), load<i32>(pairAt, 4), next(ENV_RNG));
  state = load<i32>(nextStates + (<usize>k << 2));
  stepReward = load<f64>(rewards + (<usize>k << 3));
  stepTerminated = load<u8>(terminal + <usize>state) == 1;
  return state;
}

/** Whether the last step reached a terminal state (seed-toy has none). */
// @ts-ignore: decorator
@inline export function envTerminated(kind: i32): bool {
  return kind == TABULAR_MDP && stepTerminated;
}

/**
 * Whether an episode `steps` long is cut by the time limit (both environments truncate at their
 * step limit; the loop counts the steps, as the classes' `t` does).
 */
// @ts-ignore: decorator
@inline export function envTruncated(steps: i32): bool {
  return steps >= maxSteps;
}

/** First k in [lo, hi) with u < cum[k] (cum ends at 1 > u); linear for short ranges, else binary. */
function firstAbove(cum: usize, lo: i32, hi: i32, u: f64): i32 {
  if (hi - lo <= 8) {
    for (let k = lo; k < hi - 1; k++) if (u < load<f64>(cum + (<usize>k << 3))) return k;
    return hi - 1;
  }
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = <i32>(<u32>(a + b) >>> 1);
    if (u < load<f64>(cum + (<usize>mid << 3))) b = mid;
    else a = mid + 1;
  }
  return a;
}
