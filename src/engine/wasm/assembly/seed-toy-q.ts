/**
 * seed-toy × Q-learning, the design brief's workload, as one loop written for speed. It takes the
 * same draws in the same order and computes the same doubles as play(SEED_TOY, Q_LEARNING) in
 * loop.ts would (and so as the JavaScript classes: test/engine/wasm-tabular.test.ts holds them
 * equal). What it does differently, measured on the bench's 10×5 run (60M → 77M steps/s here):
 * - The generators' states live in locals, instead of being loaded from linear memory and stored
 *   back at every draw: the agent's for the whole call, the environment's for a block (below).
 * - seed-toy's next state and reward do not depend on the action, so the environment's draws for a
 *   block of up to {@link BLOCK} steps are made first, in a loop of their own, into a buffer of
 *   (S' << 1) | R. Each loop then has fewer live values, so V8 spills fewer of them to the stack;
 *   the environment's state is even stored between blocks, to free four registers for the step
 *   loop (+3 %).
 * - One pass over a row Q(S',·) gives its maximum (the target's), its first maximal action, and
 *   whether any value equalled the running maximum before it: the only case in which the greedy
 *   choice draws (reservoir sampling over ties, left to agents.ts's greedyAmongTies). The pass
 *   chooses A' unless S' = S, where the update has just changed that row: then it is scanned again.
 * - The ε test next() < ε is the integer test u < ⌈ε · 2^32⌉. The two agree for every u: u · 2^-32
 *   and ε · 2^32 are exact (powers of two), and for an integer u, u < x ⇔ u < ⌈x⌉.
 * - Equalities are collected in a vector (f64x2.eq) rather than as a flag per value, which V8
 *   compiles to a branch on the parity flag each.
 * - An episode's first action is chosen here too, the same way: calling the shared agentStart with
 *   the generators stored and reloaded around it cost 8 % of the run.
 * The generator steps are written out: a draw updates four locals, which no function can do for
 * its caller. Each is rng.ts's nextU32:
 *   out = rotl(b · 5, 7) · 9; t = b << 9; c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11)
 */
import { AGENT_RNG, ENV_RNG, int } from './rng';
import { seedToyStates, seedToySteps } from './envs';
import { agentActions, agentAlpha, agentGamma, agentTable, episode, greedyAmongTies, scheduleValue, setEpisode, setEpsilon } from './agents';

/** Steps whose environment draws are made ahead at a time. */
const BLOCK: i32 = 256;
/** block[i] = (S' << 1) | R of the block's i-th step. */
const block: usize = memory.data(BLOCK * 4, 16);

/** xoshiro128**'s output for state word b. */
// @ts-ignore: decorator
@inline function scramble(b: u32): u32 {
  return rotl<u32>(b * 5, 7) * 9;
}

/**
 * Plays up to `maxEpisodes` episodes as loop.ts's run does (stopping once `stepBudget` steps are
 * taken, checked between episodes) and writes each one's return, length and ε to `metrics`.
 */
export function seedToyQLearning(maxEpisodes: i32, stepBudget: f64, metrics: usize): i32 {
  const nStates = seedToyStates();
  const steps = seedToySteps();
  const n = agentActions();
  const alpha = agentAlpha();
  const gamma = agentGamma();
  const q = agentTable();
  let g0 = load<u32>(AGENT_RNG, 0), g1 = load<u32>(AGENT_RNG, 4), g2 = load<u32>(AGENT_RNG, 8), g3 = load<u32>(AGENT_RNG, 12);
  let ep = episode;
  let eps: f64 = 0;
  let taken: f64 = 0;
  let played: i32 = 0;
  while (played < maxEpisodes) {
    eps = scheduleValue(ep);
    const below = <u64>Math.ceil(eps * 4294967296.0); // next() < ε ⇔ u < ⌈ε · 2^32⌉
    // S0 = int(|S|)
    let s = int(ENV_RNG, nStates);
    let u: u32;
    let t: u32;
    // A0 ε-greedy on Q(S0,·)
    let a: i32;
    {
      const row = q + (<usize>(s * n) << 3);
      let m = v128.load64_splat(row);
      let best: i32 = 0;
      let tied = i64x2.splat(0);
      for (let j = 1; j < n; j++) {
        const v = v128.load64_splat(row + (<usize>j << 3));
        tied = v128.or(tied, f64x2.eq(v, m));
        best = select(j, best, f64x2.extract_lane(v, 0) > f64x2.extract_lane(m, 0));
        m = f64x2.pmax(m, v);
      }
      let explore = false;
      if (eps > 0) {
        u = scramble(g1);
        t = g1 << 9; g2 ^= g0; g3 ^= g1; g1 ^= g2; g0 ^= g3; g2 ^= t; g3 = rotl<u32>(g3, 11);
        explore = <u64>u < below;
      }
      if (explore) {
        u = scramble(g1);
        t = g1 << 9; g2 ^= g0; g3 ^= g1; g1 ^= g2; g0 ^= g3; g2 ^= t; g3 = rotl<u32>(g3, 11);
        a = <i32>((<u64>u * <u64>n) >> 32);
      } else if (v128.any_true(tied)) {
        store<u32>(AGENT_RNG, g0, 0); store<u32>(AGENT_RNG, g1, 4); store<u32>(AGENT_RNG, g2, 8); store<u32>(AGENT_RNG, g3, 12);
        a = greedyAmongTies(q, s * n, n);
        g0 = load<u32>(AGENT_RNG, 0); g1 = load<u32>(AGENT_RNG, 4); g2 = load<u32>(AGENT_RNG, 8); g3 = load<u32>(AGENT_RNG, 12);
      } else a = best;
    }
    let ret: f64 = 0;
    let left = steps;
    while (left > 0) {
      const k = min(left, BLOCK);
      left -= k;
      // The environment's next k steps: S' = int(|S|), then R = 1 when next() < 0.5, i.e. u < 2^31.
      let e0 = load<u32>(ENV_RNG, 0), e1 = load<u32>(ENV_RNG, 4), e2 = load<u32>(ENV_RNG, 8), e3 = load<u32>(ENV_RNG, 12);
      for (let i = 0; i < k; i++) {
        const us = scramble(e1);
        t = e1 << 9; e2 ^= e0; e3 ^= e1; e1 ^= e2; e0 ^= e3; e2 ^= t; e3 = rotl<u32>(e3, 11);
        const ur = scramble(e1);
        t = e1 << 9; e2 ^= e0; e3 ^= e1; e1 ^= e2; e0 ^= e3; e2 ^= t; e3 = rotl<u32>(e3, 11);
        store<u32>(block + (<usize>i << 2), (<u32>((<u64>us * <u64>nStates) >> 32) << 1) | ((ur >> 31) ^ 1));
      }
      store<u32>(ENV_RNG, e0, 0); store<u32>(ENV_RNG, e1, 4); store<u32>(ENV_RNG, e2, 8); store<u32>(ENV_RNG, e3, 12);
      for (let i = 0; i < k; i++) {
        const w = load<u32>(block + (<usize>i << 2));
        const next = <i32>(w >> 1);
        const reward = <f64>(w & 1);
        ret += reward;
        // max, first argmax and "met a tie" of Q(S',·), scanned as agents.ts's maxOf and greedy do
        const row = q + (<usize>(next * n) << 3);
        let m = v128.load64_splat(row);
        let best: i32 = 0;
        let tied = i64x2.splat(0);
        for (let j = 1; j < n; j++) {
          const v = v128.load64_splat(row + (<usize>j << 3));
          tied = v128.or(tied, f64x2.eq(v, m));
          best = select(j, best, f64x2.extract_lane(v, 0) > f64x2.extract_lane(m, 0));
          m = f64x2.pmax(m, v);
        }
        // Q(S,A) ← Q(S,A) + α[R + γ max_a Q(S',a) − Q(S,A)]
        const sa = q + (<usize>(s * n + a) << 3);
        const old = load<f64>(sa);
        store<f64>(sa, old + alpha * (reward + gamma * f64x2.extract_lane(m, 0) - old));
        if (left == 0 && i == k - 1) break; // the episode's last step: no A'
        if (next == s) {
          // the update changed this row: scan it again
          m = v128.load64_splat(row);
          best = 0;
          tied = i64x2.splat(0);
          for (let j = 1; j < n; j++) {
            const v = v128.load64_splat(row + (<usize>j << 3));
            tied = v128.or(tied, f64x2.eq(v, m));
            best = select(j, best, f64x2.extract_lane(v, 0) > f64x2.extract_lane(m, 0));
            m = f64x2.pmax(m, v);
          }
        }
        // A' ε-greedy on the updated Q(S',·); ε = 0 draws nothing
        let explore = false;
        if (eps > 0) {
          u = scramble(g1);
          t = g1 << 9; g2 ^= g0; g3 ^= g1; g1 ^= g2; g0 ^= g3; g2 ^= t; g3 = rotl<u32>(g3, 11);
          explore = <u64>u < below;
        }
        if (explore) {
          u = scramble(g1);
          t = g1 << 9; g2 ^= g0; g3 ^= g1; g1 ^= g2; g0 ^= g3; g2 ^= t; g3 = rotl<u32>(g3, 11);
          a = <i32>((<u64>u * <u64>n) >> 32); // int(|A|)
        } else if (v128.any_true(tied)) {
          // rare once values spread: the reservoir draws, from the generator in memory
          store<u32>(AGENT_RNG, g0, 0); store<u32>(AGENT_RNG, g1, 4); store<u32>(AGENT_RNG, g2, 8); store<u32>(AGENT_RNG, g3, 12);
          a = greedyAmongTies(q, next * n, n);
          g0 = load<u32>(AGENT_RNG, 0); g1 = load<u32>(AGENT_RNG, 4); g2 = load<u32>(AGENT_RNG, 8); g3 = load<u32>(AGENT_RNG, 12);
        } else a = best;
        s = next;
      }
    }
    ep += 1;
    const out = metrics + (<usize>(played * 3) << 3);
    store<f64>(out, ret, 0);
    store<f64>(out, <f64>steps, 8);
    store<f64>(out, eps, 16);
    played++;
    taken += <f64>steps;
    if (taken >= stepBudget) break;
  }
  store<u32>(AGENT_RNG, g0, 0); store<u32>(AGENT_RNG, g1, 4); store<u32>(AGENT_RNG, g2, 8); store<u32>(AGENT_RNG, g3, 12);
  setEpisode(ep);
  if (played > 0) setEpsilon(eps); // ε of the last episode, as agentStart leaves it
  return played;
}
