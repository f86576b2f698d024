/**
 * The four one-step tabular TD agents of src/engine/agents, rule for rule and draw for draw:
 * ε-greedy behaviour with reservoir tie-breaking (tabular.ts), the per-episode ε schedule
 * (schedule.ts), and the learning steps of q-learning.ts, sarsa.ts, expected-sarsa.ts and
 * double-q-learning.ts. Tables live in linear memory, row-major Q[s·|A| + a], as in the JS agents;
 * every random choice comes from the agent's stream.
 */
import { AGENT_RNG, int, next } from './rng';

export const Q_LEARNING: i32 = 0;
export const SARSA: i32 = 1;
export const EXPECTED_SARSA: i32 = 2;
export const DOUBLE_Q_LEARNING: i32 = 3;

/** Which rule the host configured (the loop passes it back as a constant: see loop.ts). */
export let agentRule: i32 = Q_LEARNING;
let nActions: i32 = 1;
let alpha: f64 = 0;
let gamma: f64 = 0;
/** The ε schedule: constant epsStart when decayEpisodes is 0, else linear from epsStart to epsEnd. */
let epsStart: f64 = 0;
let epsEnd: f64 = 0;
let decayEpisodes: f64 = 0;
/** Q (Double Q-learning: Q1), and Double Q-learning's Q2; f64[states·actions]. */
let q: usize = 0;
let q2: usize = 0;
/** Double Q-learning's Q1(s,·) + Q2(s,·) of the state being acted in; f64[actions]. */
let rowSum: usize = 0;

/** Episodes finished so far: the index of the current episode in the ε schedule. */
export let episode: f64 = 0;
/** ε of the current episode, or of the one just finished once agentEnd has run. */
export let epsilon: f64 = 0;
/** S and A of the transition in flight. */
let lastState: i32 = 0;
let lastAction: i32 = 0;

export function useAgent(
  ruleId: i32,
  actions: i32,
  stepSize: f64,
  discount: f64,
  start: f64,
  end: f64,
  decay: f64,
  table: usize,
  table2: usize,
  scratch: usize,
  episodesDone: f64,
): void {
  agentRule = ruleId;
  nActions = actions;
  alpha = stepSize;
  gamma = discount;
  epsStart = start;
  epsEnd = end;
  decayEpisodes = decay;
  q = table;
  q2 = table2;
  rowSum = scratch;
  episode = episodesDone;
}

/** What seed-toy-q.ts's loop reads once per call: |A|, α, γ and where Q is. */
export function agentActions(): i32 {
  return nActions;
}
export function agentAlpha(): f64 {
  return alpha;
}
export function agentGamma(): f64 {
  return gamma;
}
export function agentTable(): usize {
  return q;
}

/** Sets ε as agentStart would have, for a loop that computes it itself. */
export function setEpsilon(value: f64): void {
  epsilon = value;
}

/** The agent's clock, for the host's snapshots: which episode the schedule is at. */
export function setEpisode(value: f64): void {
  episode = value;
}

// @ts-ignore: decorator
@inline function at(table: usize, i: i32): f64 {
  return load<f64>(table + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function put(table: usize, i: i32, value: f64): void {
  store<f64>(table + (<usize>i << 3), value);
}

/**
 * Branch-free maxima. `if (v > m) m = v` is the select m < v ? v : m, which V8 compiles to a
 * branch, mispredicted about every other time on noisy Q-values. WebAssembly defines f64x2.pmax(a, b)
 * as exactly that select (NaN and ±0 included), one maxpd on x64; the running maximum is kept in
 * both lanes of a v128, and each value is loaded into both lanes (one movddup).
 */
// @ts-ignore: decorator
@inline function splatAt(table: usize, i: i32): v128 {
  return v128.load64_splat(table + (<usize>i << 3));
}

/** The schedule's value at an episode index (schedule.ts's scheduleValue). */
export function scheduleValue(index: f64): f64 {
  if (decayEpisodes == 0) return epsStart;
  if (index >= decayEpisodes) return epsEnd;
  return epsStart + (epsEnd - epsStart) * (index / decayEpisodes);
}

/** Largest value in table[offset..offset+n). */
// @ts-ignore: decorator
@inline function maxOf(table: usize, offset: i32, n: i32): f64 {
  let m = splatAt(table, offset);
  for (let a = 1; a < n; a++) m = f64x2.pmax(m, splatAt(table, offset + a)); // if (v > m) m = v
  return f64x2.extract_lane(m, 0);
}

/** Index of the largest value in table[offset..offset+n), lowest index on ties. */
function argmax(table: usize, offset: i32, n: i32): i32 {
  let best = 0;
  let bestValue = splatAt(table, offset);
  for (let a = 1; a < n; a++) {
    // if (v > bestValue) { bestValue = v; best = a; }, without branches
    const v = splatAt(table, offset + a);
    best = select(a, best, f64x2.extract_lane(v, 0) > f64x2.extract_lane(bestValue, 0));
    bestValue = f64x2.pmax(bestValue, v);
  }
  return best;
}

/**
 * An ε-greedy action in table[offset..offset+n): uniform with probability ε, otherwise a maximal
 * action chosen uniformly among ties (see {@link greedy}).
 */
// @ts-ignore: decorator
@inline function epsilonGreedyAction(table: usize, offset: i32, n: i32): i32 {
  if (epsilon > 0 && next(AGENT_RNG) < epsilon) return int(AGENT_RNG, n);
  return greedy(table, offset, n);
}

/**
 * A maximal action in table[offset..offset+n), chosen uniformly among ties by reservoir sampling:
 * the k-th tie replaces the choice with probability 1/k (one draw from the agent's stream per tie).
 */
// @ts-ignore: decorator
@inline function greedy(table: usize, offset: i32, n: i32): i32 {
  let best = splatAt(table, offset);
  let choice = 0;
  let ties = 1;
  for (let a = 1; a < n; a++) {
    // if (v > best) { best = v; choice = a; ties = 1 } else if (v == best) { ties++; draw },
    // with the unpredictable first branch as selects (the two cases exclude each other)
    const vv = splatAt(table, offset + a);
    const v = f64x2.extract_lane(vv, 0);
    const b = f64x2.extract_lane(best, 0);
    if (v == b) {
      ties++;
      if (int(AGENT_RNG, ties) == 0) choice = a;
    }
    const larger = v > b;
    choice = select(a, choice, larger);
    ties = select(1, ties, larger);
    best = f64x2.pmax(best, vv);
  }
  return choice;
}

/** {@link greedy} as a function of its own, for loops that take it only when a row has ties. */
export function greedyAmongTies(table: usize, offset: i32, n: i32): i32 {
  return greedy(table, offset, n);
}

/** The behaviour policy: ε-greedy on Q, or on Q1 + Q2 for Double Q-learning. */
// @ts-ignore: decorator
@inline function behave(rule: i32, state: i32): i32 {
  const row = state * nActions;
  if (rule != DOUBLE_Q_LEARNING) return epsilonGreedyAction(q, row, nActions);
  for (let a = 0; a < nActions; a++) put(rowSum, a, at(q, row + a) + at(q2, row + a));
  return epsilonGreedyAction(rowSum, 0, nActions);
}

/**
 * Σ_a π(a|s) Q(s,a) under this episode's ε, with
 *   π(a|s) = ε/|A| + (1 − ε)/|A*(s)| for the maximal actions A*(s), ε/|A| for the others.
 */
function expectedValue(state: i32): f64 {
  const row = state * nActions;
  const best = maxOf(q, row, nActions);
  let ties = 0;
  for (let a = 0; a < nActions; a++) if (at(q, row + a) == best) ties++;
  const explore = epsilon / <f64>nActions;
  const greedy = explore + (1 - epsilon) / <f64>ties;
  let expected: f64 = 0;
  for (let a = 0; a < nActions; a++) {
    const v = at(q, row + a);
    expected += (v == best ? greedy : explore) * v;
  }
  return expected;
}

/** Q(S,A) ← Q(S,A) + α[tdTarget − Q(S,A)] on `table`. */
// @ts-ignore: decorator
@inline function update(table: usize, tdTarget: f64): void {
  const sa = lastState * nActions + lastAction;
  const tdError = tdTarget - at(table, sa);
  put(table, sa, at(table, sa) + alpha * tdError);
}

/**
 * Double Q-learning's update, on Q1 or Q2 by a fair coin:
 *   Q1(S,A) ← Q1(S,A) + α[R + γ Q2(S', argmax_a Q1(S',a)) − Q1(S,A)]   (and the same with 1 ↔ 2)
 */
function learnDouble(reward: f64, nextState: i32, terminated: bool): void {
  const updateFirst = next(AGENT_RNG) < 0.5;
  const qUpdated = updateFirst ? q : q2; // picks the action and is updated
  const qOther = updateFirst ? q2 : q; // values the picked action
  let tdTarget = reward;
  if (!terminated) {
    const row = nextState * nActions;
    tdTarget += gamma * at(qOther, row + argmax(qUpdated, row, nActions));
  }
  update(qUpdated, tdTarget);
}

/** First action of an episode: this episode's ε from the schedule, then ε-greedy. */
// @ts-ignore: decorator
@inline export function agentStart(rule: i32, state: i32): i32 {
  epsilon = scheduleValue(episode);
  const action = behave(rule, state);
  lastState = state;
  lastAction = action;
  return action;
}

/** Learns from (S, A, R, S') and returns A', the action to take in S'. */
// @ts-ignore: decorator
@inline export function agentStep(rule: i32, reward: f64, nextState: i32): i32 {
  const row = nextState * nActions;
  let action: i32;
  if (rule == Q_LEARNING) {
    // Q(S,A) ← Q(S,A) + α[R + γ max_a Q(S',a) − Q(S,A)], then A' ε-greedy on the updated Q
    update(q, reward + gamma * maxOf(q, row, nActions));
    action = epsilonGreedyAction(q, row, nActions);
  } else if (rule == SARSA) {
    // choose A' ε-greedily first, then Q(S,A) ← Q(S,A) + α[R + γ Q(S',A') − Q(S,A)]
    action = epsilonGreedyAction(q, row, nActions);
    update(q, reward + gamma * at(q, row + action));
  } else if (rule == EXPECTED_SARSA) {
    // Q(S,A) ← Q(S,A) + α[R + γ Σ_a π(a|S') Q(S',a) − Q(S,A)], then A' ε-greedy
    update(q, reward + gamma * expectedValue(nextState));
    action = epsilonGreedyAction(q, row, nActions);
  } else {
    learnDouble(reward, nextState, false);
    action = behave(rule, nextState);
  }
  lastState = nextState;
  lastAction = action;
  return action;
}

/**
 * Learns from the final transition. At a terminal S' the target is R alone; at a time-limit
 * truncation every rule bootstraps from S' as in its step (SARSA draws the A' it would have taken).
 */
// @ts-ignore: decorator
@inline export function agentEnd(rule: i32, reward: f64, nextState: i32, terminated: bool): void {
  const row = nextState * nActions;
  if (rule == Q_LEARNING) {
    update(q, terminated ? reward : reward + gamma * maxOf(q, row, nActions));
  } else if (rule == SARSA) {
    let tdTarget = reward;
    if (!terminated) tdTarget += gamma * at(q, row + epsilonGreedyAction(q, row, nActions));
    update(q, tdTarget);
  } else if (rule == EXPECTED_SARSA) {
    update(q, terminated ? reward : reward + gamma * expectedValue(nextState));
  } else {
    learnDouble(reward, nextState, terminated);
  }
  episode += 1;
}
