/**
 * Exact answers for a compiled MDP over a finite horizon (the environment's maxSteps): the optimal
 * values by backward induction, the expected return of a stationary policy, and the report every
 * tabular run on a tabular-mdp environment gives for its learned greedy policy (`greedy.*`).
 *
 * Conventions shared by every function here: an episode lasts at most `horizon` steps; entering a
 * terminal state ends it (terminal states have value 0, so `γ · V(s')` vanishes for them without a
 * special case); returns are discounted by `gamma` per step and start from the start distribution.
 */
import { argmax } from '../agent';
import { mdpSolver } from '../wasm/mdp';
import type { Mdp } from './format';

export interface HorizonOptions {
  /** Discount factor in [0, 1]. */
  gamma: number;
  /** Steps per episode (the environment's maxSteps): a whole number ≥ 1. */
  horizon: number;
  /**
   * Stop the backward recursion once the values settle (default true; see {@link valueIteration}).
   * false runs all `horizon` stages, which tests use to check the shortcut.
   */
  earlyStop?: boolean;
  /**
   * Run the stage loops on the WebAssembly kernel where it runs (default true; the results are the
   * same bits either way). false runs the JavaScript loops, the reference that tests and
   * `npm run bench` compare the kernel with.
   */
  webAssembly?: boolean;
}

export interface MdpSolution {
  /** Σ_s start(s) · V_0(s): the best expected return of any policy from the start distribution. */
  readonly optimalReturn: number;
  /** Q_0(s, a), row-major s * actions + a: the value of taking a first, then acting optimally. */
  readonly q: Float64Array;
  /** argmax_a Q_0(s, a), ties to the lowest index (terminal states: 0). */
  readonly policy: Int32Array;
  /** V_0(s). */
  readonly v: Float64Array;
  /** Backward stages computed (≤ horizon; fewer when the values settled). */
  readonly iterations: number;
  /** The most any of `v` can differ from the exact V_0: see {@link PolicyValues.errorBound}. */
  readonly errorBound: number;
}

export interface GreedyReport {
  /** Expected return of the greedy policy of the given Q table. */
  readonly expectedReturn: number;
  readonly optimalReturn: number;
  /** Expected return of the uniformly random policy. */
  readonly randomReturn: number;
  /** optimalReturn − expectedReturn (≥ 0 up to round-off). */
  readonly optimalityGap: number;
  /** (greedy − random) / (optimal − random): 1 is optimal, 0 no better than random; null when optimal ≈ random (within 1e-9 of their size, or 1e-12). */
  readonly normalizedScore: number | null;
  /**
   * The discount and horizon the returns are computed with (the agent's gamma, the environment's
   * maxSteps): a discounted return is not the training curve's undiscounted one. Absent in reports
   * stored before they were recorded.
   */
  readonly gamma?: number;
  readonly horizon?: number;
}

/** The largest relative change that can count as settled when gamma < 1 (the floor of round-off). */
const SETTLED_RELATIVE = 1e-15;

/**
 * The bound, relative to the values' size, on how far the stages not computed could move the values
 * when the recursion stops early: a stop needs the change times the rest's weight below it.
 */
const STOP_BOUND_RELATIVE = 1e-13;

/** f64's unit round-off, 2⁻⁵³. */
const UNIT_ROUNDOFF = 2 ** -53;

/** V_0 of a policy (or of the optimum) and the backward stages computed. */
export interface PolicyValues {
  /** V_0(s). */
  readonly v: Float64Array;
  /** Backward stages computed (≤ horizon; fewer when the values settled). */
  readonly iterations: number;
  /**
   * The most any of `v` can differ from the exact V_0 (max norm): the stages not computed (the last
   * change times their weight, 0 when every stage ran or the values reached an exact fixed point)
   * plus the floating-point round-off of the stages, a first-order bound (about 1e-16 · |V| / (1 − γ)
   * once the stages settle: 1e-10 of the values at γ = 0.999999). See {@link valueIteration}.
   */
  readonly errorBound: number;
}

/** What a stage loop (the kernel's or the JavaScript one) hands back: the last change is max_s |V_t(s) − V_{t+1}(s)| of its last stage. */
export interface Stages {
  readonly v: Float64Array;
  /** V_{t+1}, the values of the stage before the last. */
  readonly vNext: Float64Array;
  readonly iterations: number;
  readonly lastChange: number;
}

function checkOptions(opts: HorizonOptions): { gamma: number; horizon: number; earlyStop: boolean; webAssembly: boolean } {
  const { gamma, horizon } = opts;
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`gamma must be in [0, 1], got ${gamma}`);
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a whole number ≥ 1, got ${horizon}`);
  return { gamma, horizon, earlyStop: opts.earlyStop ?? true, webAssembly: opts.webAssembly ?? true };
}

/**
 * γ + γ² + … + γ^t: how much the t stages still to come can add up a change of the values (T is a
 * γ-contraction in the max norm, so stage t − k moves them by at most γ^k times the last change).
 */
function restWeight(gamma: number, t: number): number {
  if (gamma === 1) return t;
  if (gamma === 0 || t === 0) return 0;
  return (gamma * -Math.expm1(t * Math.log(gamma))) / (1 - gamma);
}

/**
 * The relative change below which a stage counts as settled: at most 1e-15 of the values (the
 * round-off floor), and small enough that the stages still to come could move them by at most 1e-13
 * of their size (change · γ/(1−γ) ≤ 1e-13 · scale; γ/(1−γ) bounds restWeight for any number of
 * stages, and is one number per recursion where restWeight costs a logarithm a stage). The second
 * is the tighter above γ ≈ 0.99.
 */
export function settledRelative(gamma: number): number {
  return gamma < 1 ? Math.min(SETTLED_RELATIVE, (STOP_BOUND_RELATIVE * (1 - gamma)) / gamma) : 0;
}

/** max_s |a(s) − b(s)|. */
export function largestChange(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  for (let s = 0; s < a.length; s++) {
    const d = Math.abs(a[s]! - b[s]!);
    if (d > diff) diff = d;
  }
  return diff;
}

/**
 * The error bound of a recursion that computed `stages.iterations` of `horizon` stages (see
 * PolicyValues.errorBound). With W_t the values computed at the stop, d their last change and δ a bound
 * on one stage's round-off, ‖W_t − V_0‖ ≤ d · (γ + … + γ^t) + δ · (1 + γ + … + γ^(H−1)) (the second
 * from ‖T W − T̃ W‖ ≤ δ, propagated by the contraction). δ is the textbook bound on a sum of n products
 * (Higham 2002, §3.1): (n + 2) u · Σ_k p_k (|r_k| + γ |V(s'_k)|), one more term per action for a
 * stochastic policy's average, with |V| taken at the larger of the last two stages' values.
 */
function errorBound(mdp: Mdp, gamma: number, horizon: number, stages: Stages, averaged: boolean): number {
  const { offsets, prob, reward } = mdp;
  const { v, vNext } = stages;
  let size = 0;
  for (let s = 0; s < v.length; s++) size = Math.max(size, Math.abs(v[s]!), Math.abs(vNext[s]!));
  let perStage = 0;
  for (let pair = 0; pair + 1 < offsets.length; pair++) {
    let magnitude = 0;
    for (let k = offsets[pair]!, end = offsets[pair + 1]!; k < end; k++) magnitude += prob[k]! * (Math.abs(reward[k]!) + gamma * size);
    const terms = offsets[pair + 1]! - offsets[pair]! + 2 + (averaged ? mdp.actions : 0);
    perStage = Math.max(perStage, terms * UNIT_ROUNDOFF * magnitude);
  }
  const truncation = stages.lastChange * restWeight(gamma, horizon - stages.iterations);
  const roundoff = perStage * (1 + restWeight(gamma, horizon - 1));
  // 1.01: the first-order bound's neglected O(u²) terms and the round-off of computing it.
  return 1.01 * (truncation + roundoff);
}

/**
 * Whether stage t changed nothing that matters: exactly equal values, or (gamma < 1 only) a largest
 * change at most `relative` of the largest value. See valueIteration for why stopping then is exact.
 */
function settled(v: Float64Array, vNext: Float64Array, gamma: number, relative: number): boolean {
  let diff = 0;
  let scale = 0;
  for (let s = 0; s < v.length; s++) {
    const d = Math.abs(v[s]! - vNext[s]!);
    if (d > diff) diff = d;
    const m = Math.abs(vNext[s]!);
    if (m > scale) scale = m;
  }
  return diff === 0 || (gamma < 1 && diff <= relative * scale);
}

/** Σ_s start(s) · v(s). */
function startValue(mdp: Mdp, v: Float64Array): number {
  let total = 0;
  for (let s = 0; s < mdp.states; s++) if (mdp.start[s]! > 0) total += mdp.start[s]! * v[s]!;
  return total;
}

/**
 * Optimal finite-horizon values by backward induction (Puterman 1994, *Markov Decision Processes*,
 * §4.5; Sutton & Barto 2018, ch. 4 for the Bellman optimality backup):
 *
 *     V_H(s) = 0
 *     Q_t(s, a) = Σ_{s'} p(s' | s, a) · [ r(s, a, s') + γ · V_{t+1}(s') ]      (V ≡ 0 on terminal s')
 *     V_t(s) = max_a Q_t(s, a)                                                  (terminal s: V_t = 0)
 *
 * for t = H−1 … 0. The result is the best any policy (stationary or not) can do in H steps.
 *
 * Early stop: stage t is a fixed function of V_{t+1} alone (the same Bellman operator T at every
 * stage), so if V_t = T(V_{t+1}) equals V_{t+1} exactly, then V_{t−1} = T(V_t) = T(V_{t+1}) = V_t and
 * every earlier stage repeats it: V_0 = V_t and Q_0 = Q_t, bit for bit. With γ < 1 the recursion also
 * stops when the change is small enough, because floating point can end in a cycle of last-bit
 * changes instead of an exact fixed point: T is a γ-contraction in the max norm, so the t stages still
 * to come could move the values by at most change · (γ + … + γ^t) < change · γ/(1−γ) in total, and
 * the stop needs that below 1e-13 of the values' size (and the change itself within 1e-15 of it).
 * Stopping on the change alone (≤ 1e-15) left 1e-9 of the values unaccounted for at γ = 0.999999;
 * where round-off keeps the change above the bound, every stage runs (the horizon caps the work, and
 * a full recursion has no truncation error). With γ = 1 there is no contraction, and only exact
 * equality stops early. `errorBound` says how close the values are (the bound behind Puterman's
 * stopping rule ‖V_{k+1} − V_k‖ < ε(1−γ)/(2γ), 1994, §6.3).
 */
export function valueIteration(mdp: Mdp, opts: HorizonOptions): MdpSolution {
  const { gamma, horizon, earlyStop, webAssembly } = checkOptions(opts);
  const kernel = webAssembly ? mdpSolver(mdp) : null;
  const stages = kernel ? kernel.valueIteration({ gamma, horizon, earlyStop }) : optimalStages(mdp, gamma, horizon, earlyStop);
  const { v, q, iterations } = stages;
  return { optimalReturn: startValue(mdp, v), q, policy: greedyPolicy(q, mdp.states, mdp.actions), v, iterations, errorBound: errorBound(mdp, gamma, horizon, stages, false) };
}

/** valueIteration's recursion in JavaScript: the reference for the kernel's (src/engine/wasm/assembly-mdp). */
function optimalStages(mdp: Mdp, gamma: number, horizon: number, earlyStop: boolean): Stages & { q: Float64Array } {
  const { states: S, actions: A, offsets, next, prob, reward, terminal } = mdp;
  const relative = settledRelative(gamma);
  let vNext = new Float64Array(S); // V_{t+1}, starting at V_H = 0
  let v = new Float64Array(S); // V_t
  const q = new Float64Array(S * A); // Q_t; terminal rows stay 0
  let iterations = 0;
  for (let t = horizon - 1; t >= 0; t--) {
    for (let s = 0; s < S; s++) {
      if (terminal[s]) {
        v[s] = 0;
        continue;
      }
      let best = -Infinity;
      for (let a = 0; a < A; a++) {
        const pair = s * A + a;
        let qsa = 0;
        for (let k = offsets[pair]!, end = offsets[pair + 1]!; k < end; k++) qsa += prob[k]! * (reward[k]! + gamma * vNext[next[k]!]!);
        q[pair] = qsa;
        if (qsa > best) best = qsa;
      }
      v[s] = best;
    }
    iterations++;
    if (t === 0 || (earlyStop && settled(v, vNext, gamma, relative))) break;
    [v, vNext] = [vNext, v];
  }
  return { v, q, iterations, lastChange: largestChange(v, vNext), vNext };
}

/**
 * Exact expected return of a stationary policy π run for `horizon` steps from the start
 * distribution (finite-horizon policy evaluation, Puterman 1994 §4.2; Sutton & Barto 2018 §4.1):
 *
 *     V_H(s) = 0,   V_t(s) = Σ_a π(a | s) Σ_{s'} p(s' | s, a) · [ r(s, a, s') + γ · V_{t+1}(s') ]
 *
 * returning Σ_s start(s) · V_0(s). `policy` is an Int32Array (the action taken in each state) or a
 * Float64Array of π(a | s), row-major s * actions + a, each non-terminal row summing to 1. Stops early
 * under the same rule as valueIteration (the stage map is again the same at every stage).
 */
export function evaluatePolicy(mdp: Mdp, policy: Int32Array | Float64Array, opts: HorizonOptions): number {
  return startValue(mdp, policyValues(mdp, policy, opts).v);
}

/** V_0(s) of the policy in every state, and the stages computed: what evaluatePolicy weighs by the start distribution. */
export function policyValues(mdp: Mdp, policy: Int32Array | Float64Array, opts: HorizonOptions): PolicyValues {
  const { gamma, horizon, earlyStop, webAssembly } = checkOptions(opts);
  checkPolicy(mdp, policy);
  const kernel = webAssembly ? mdpSolver(mdp) : null;
  const stages = kernel ? kernel.evaluate(policy, { gamma, horizon, earlyStop }) : policyStages(mdp, policy, gamma, horizon, earlyStop);
  return { v: stages.v, iterations: stages.iterations, errorBound: errorBound(mdp, gamma, horizon, stages, policy instanceof Float64Array) };
}

/** policyValues' recursion in JavaScript: the reference for the kernel's. */
function policyStages(mdp: Mdp, policy: Int32Array | Float64Array, gamma: number, horizon: number, earlyStop: boolean): Stages {
  const { states: S, actions: A, offsets, next, prob, reward, terminal } = mdp;
  const deterministic = policy instanceof Int32Array;
  const relative = settledRelative(gamma);
  let vNext = new Float64Array(S);
  let v = new Float64Array(S);
  const qsa = (pair: number) => {
    let total = 0;
    for (let k = offsets[pair]!, end = offsets[pair + 1]!; k < end; k++) total += prob[k]! * (reward[k]! + gamma * vNext[next[k]!]!);
    return total;
  };
  let iterations = 0;
  for (let t = horizon - 1; t >= 0; t--) {
    for (let s = 0; s < S; s++) {
      if (terminal[s]) {
        v[s] = 0;
      } else if (deterministic) {
        v[s] = qsa(s * A + policy[s]!);
      } else {
        let total = 0;
        for (let a = 0; a < A; a++) {
          const pi = policy[s * A + a]!;
          if (pi > 0) total += pi * qsa(s * A + a);
        }
        v[s] = total;
      }
    }
    iterations++;
    if (t === 0 || (earlyStop && settled(v, vNext, gamma, relative))) break;
    [v, vNext] = [vNext, v];
  }
  return { v, iterations, lastChange: largestChange(v, vNext), vNext };
}

function checkPolicy(mdp: Mdp, policy: Int32Array | Float64Array): void {
  const { states: S, actions: A } = mdp;
  if (policy instanceof Int32Array) {
    if (policy.length !== S) throw new RangeError(`a deterministic policy needs one action per state (${S}), got ${policy.length}`);
    for (let s = 0; s < S; s++) {
      const a = policy[s]!;
      if (!mdp.terminal[s] && (a < 0 || a >= A)) throw new RangeError(`policy[${s}] = ${a} is not an action: the MDP has ${A} actions (0..${A - 1})`);
    }
    return;
  }
  if (policy.length !== S * A) throw new RangeError(`a stochastic policy needs states × actions = ${S * A} probabilities, got ${policy.length}`);
  for (let s = 0; s < S; s++) {
    if (mdp.terminal[s]) continue;
    let sum = 0;
    for (let a = 0; a < A; a++) {
      const pi = policy[s * A + a]!;
      if (!(pi >= 0 && pi <= 1)) throw new RangeError(`policy probability for state ${s}, action ${a} is ${pi}, must be in [0, 1]`);
      sum += pi;
    }
    if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`policy probabilities for state ${s} sum to ${sum}, must sum to 1`);
  }
}

/** π(a | s) = 1 / actions everywhere. */
export function uniformRandomPolicy(mdp: Mdp): Float64Array {
  return new Float64Array(mdp.states * mdp.actions).fill(1 / mdp.actions);
}

/** The greedy policy of a Q table: argmax_a q[s * actions + a] per state, ties to the lowest index. */
export function greedyPolicy(q: ArrayLike<number>, states: number, actions: number): Int32Array {
  if (q.length !== states * actions) throw new RangeError(`a Q table for ${states} states × ${actions} actions needs ${states * actions} values, got ${q.length}`);
  const policy = new Int32Array(states);
  for (let s = 0; s < states; s++) policy[s] = argmax(q, s * actions, actions);
  return policy;
}

/** optimal and random returns per MDP and (gamma, horizon): a run reports greedy.* at every checkpoint. */
const references = new WeakMap<Mdp, Map<string, { optimalReturn: number; randomReturn: number }>>();

function referenceReturns(mdp: Mdp, opts: HorizonOptions): { optimalReturn: number; randomReturn: number } {
  let byOptions = references.get(mdp);
  if (!byOptions) references.set(mdp, (byOptions = new Map()));
  const key = `${opts.gamma}/${opts.horizon}/${opts.earlyStop ?? true}`;
  let found = byOptions.get(key);
  if (!found) {
    found = { optimalReturn: valueIteration(mdp, opts).optimalReturn, randomReturn: evaluatePolicy(mdp, uniformRandomPolicy(mdp), opts) };
    byOptions.set(key, found);
  }
  return found;
}

/**
 * How good the greedy policy of a learned Q table is, exactly: its expected return (evaluatePolicy),
 * the optimal return (valueIteration) and the uniformly random policy's return, the gap to optimal
 * and the normalised score (greedy − random) / (optimal − random).
 *
 * The optimum is over all policies, including ones that change with the step count; with a short
 * horizon the best *stationary* policy can fall short of it, so a gap above 0 is not always the
 * learner's fault (it vanishes as γ^horizon → 0).
 */
export function greedyReport(mdp: Mdp, q: ArrayLike<number>, opts: HorizonOptions): GreedyReport {
  return policyReport(mdp, greedyPolicy(q, mdp.states, mdp.actions), opts);
}

/**
 * Below this span between the optimal and the random return, they are equal up to round-off and
 * the normalised score, a ratio of round-off, is null. Relative to the returns' size as well as
 * absolute: where every action pays 10⁹, the random policy's value (thirds of 10⁹ summed over the
 * steps) lands 10⁻⁶ from the optimum's, and a fixed 10⁻¹² made that a score of 0 or 1 at random.
 */
function scoreNoise(optimalReturn: number, randomReturn: number): number {
  return Math.max(1e-12, 1e-9 * Math.max(Math.abs(optimalReturn), Math.abs(randomReturn)));
}

/** The same report for a deterministic policy given as one action per state (a network's argmax). */
export function policyReport(mdp: Mdp, policy: Int32Array, opts: HorizonOptions): GreedyReport {
  const expectedReturn = evaluatePolicy(mdp, policy, opts);
  const { optimalReturn, randomReturn } = referenceReturns(mdp, opts);
  const span = optimalReturn - randomReturn;
  return {
    expectedReturn,
    optimalReturn,
    randomReturn,
    optimalityGap: optimalReturn - expectedReturn,
    normalizedScore: Math.abs(span) <= scoreNoise(optimalReturn, randomReturn) ? null : (expectedReturn - randomReturn) / span,
    gamma: opts.gamma,
    horizon: opts.horizon,
  };
}
