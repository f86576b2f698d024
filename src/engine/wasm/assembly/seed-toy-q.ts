/**
 * seed-toy × Q-learning, the design brief's workload, as one loop written for speed. It takes the
 * same draws in the same order and computes the same doubles as play(SEED_TOY, Q_LEARNING) in
 * loop.ts would (and so as the JavaScript classes: test/engine/wasm-tabular.test.ts holds them
 * equal). What it does differently, measured on the bench's 10×5 run (60M → 86M steps/s here):
 * - seed-toy's next state and reward do not depend on the action, so the environment's draws for a
 *   block of up to {@link BLOCK} steps are made first, in a loop of their own with the generator's
 *   state in locals (not loaded from linear memory and stored back at every draw), into a buffer of
 *   (S' << 1) | R. Each loop then has fewer live values, so V8 spills fewer of them to the stack.
 *   The agent's generator stays in memory: in locals it measured no faster once the step loop had
 *   few enough other live values, and it needed storing around the shared tie-breaking code.
 * - A row Q(S',·) is scanned once for its maximum (the target's), its first maximal action, and
 *   whether the greedy choice would draw (reservoir sampling over ties, left to agents.ts's
 *   greedyAmongTies). The scan chooses A' unless S' = S, where the update has just changed that
 *   row: then it is scanned again. Rows of 2 to 8 actions have a loop each, which takes the row
 *   whole, as pairs of values (see {@link pairAt}: 77M → 82M); other lengths go value by value.
 * - The ε test next() < ε is the integer test u < ⌈ε · 2^32⌉. The two agree for every u: u · 2^-32
 *   and ε · 2^32 are exact (powers of two), and for an integer u, u < x ⇔ u < ⌈x⌉.
 * - Equalities are collected in a vector (f64x2.eq) rather than as a flag per value, which V8
 *   compiles to a branch on the parity flag each.
 * - The episode's last step, which chooses no A', is taken after the step loop rather than tested
 *   for in it: one live value fewer in the loop, and fewer spills (82M → 86M).
 * - An episode's first action is chosen here too (the shared agentStart, inlined into this loop,
 *   cost 8–11 % of the run, apparently in V8's register allocation for the whole function).
 * The environment's generator steps are written out: a draw updates four locals, which no function
 * can do for its caller. Each is rng.ts's nextU32:
 *   out = rotl(b · 5, 7) · 9; t = b << 9; c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11)
 */
import { AGENT_RNG, ENV_RNG, int, nextU32, scaled } from './rng';
import { seedToyStates, seedToySteps } from './envs';
import { writeEpisode } from './metrics';
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
 * Row scans, as agents.ts's maxOf and greedy do them: {@link rowMax} gives max_a Q(S',a) in lane 0,
 * {@link rowChoice} (given what rowMax returned) the first maximal action, or TIED when greedy would
 * draw among ties (some value equalled the running maximum before it). For rows of N ≤ 8 actions
 * (N a constant: each loop has its own) the whole row is taken at once (see {@link pairAt}); N = 0
 * means any length, in one pass value by value, whose answer rowMax packs into its lane 1.
 */
const TIED: i32 = -1;

// @ts-ignore: decorator
@inline function rowMax(row: usize, N: i32, n: i32): v128 {
  if (N == 0) {
    let m = splatAt(row, 0);
    let choice: i32 = 0;
    let tied = i64x2.splat(0);
    for (let j = 1; j < n; j++) {
      const v = splatAt(row, j);
      tied = v128.or(tied, f64x2.eq(v, m));
      choice = select(j, choice, f64x2.extract_lane(v, 0) > f64x2.extract_lane(m, 0));
      m = f64x2.pmax(m, v);
    }
    return i64x2.replace_lane(m, 1, <i64>(v128.any_true(tied) ? TIED : choice));
  }
  const top = pairsMax(row, N);
  return f64x2.pmax(top, i64x2.shuffle(top, top, 1, 0));
}

// @ts-ignore: decorator
@inline function rowChoice(row: usize, N: i32, n: i32, m: v128): i32 {
  if (N == 0) return <i32>i64x2.extract_lane(m, 1); // rowMax's one pass found it
  if (pairsHaveEqual(row, N)) return TIED;
  // no two values equal: the first (only) value equal to the maximum
  let lanes = i64x2.bitmask(f64x2.eq(pairAt(row, N, 0), m));
  if (N >= 3) lanes |= i64x2.bitmask(f64x2.eq(pairAt(row, N, 1), m)) << 2;
  if (N >= 5) lanes |= i64x2.bitmask(f64x2.eq(pairAt(row, N, 2), m)) << 4;
  if (N >= 7) lanes |= i64x2.bitmask(f64x2.eq(pairAt(row, N, 3), m)) << 6;
  return ctz(lanes);
}

// @ts-ignore: decorator
@inline function splatAt(row: usize, j: i32): v128 {
  return v128.load64_splat(row + (<usize>j << 3));
}

/**
 * Pairs: a row of N ≤ 8 values as ⌈N/2⌉ vectors, (v0, v1), (v2, v3), …, a lone last value in both
 * lanes. When no two values are equal the maximum is unique, so a tree of pmax finds the value the
 * running maximum ends with, the first lane equal to it is the running scan's action, and no value
 * equals a running maximum (no draw). A row with equal values (every row at the start) takes the
 * shared greedy code, which draws as the JavaScript does; its maximum is still the right target,
 * as only ±0 can differ and R + γ·(±0) is the same double for R ∈ {0, 1}. This needs Q-values that
 * are never NaN: the host hands the kernel only finite tables (tabular.ts), and an update of finite
 * values by α ≤ 1, γ ≤ 1 and rewards of 0 or 1 stays finite.
 */
// @ts-ignore: decorator
@inline function pairAt(row: usize, N: i32, k: i32): v128 {
  return 2 * k + 2 <= N ? v128.load(row + (<usize>k << 4)) : v128.load64_splat(row + (<usize>k << 4));
}

// @ts-ignore: decorator
@inline function swapped(p: v128): v128 {
  return i64x2.shuffle(p, p, 1, 0);
}

// @ts-ignore: decorator
@inline function pairsMax(row: usize, N: i32): v128 {
  let top = pairAt(row, N, 0);
  if (N >= 3) top = f64x2.pmax(top, pairAt(row, N, 1));
  if (N >= 5) top = f64x2.pmax(top, pairAt(row, N, 2));
  if (N >= 7) top = f64x2.pmax(top, pairAt(row, N, 3));
  return top;
}

/** Whether two of the row's N values are equal. */
// @ts-ignore: decorator
@inline function pairsHaveEqual(row: usize, N: i32): bool {
  const p0 = pairAt(row, N, 0);
  let equal = f64x2.eq(p0, swapped(p0));
  if (N >= 3) {
    const p1 = pairAt(row, N, 1);
    equal = v128.or(equal, f64x2.eq(p0, p1));
    if (N >= 4) equal = v128.or(equal, v128.or(f64x2.eq(p1, swapped(p1)), f64x2.eq(p0, swapped(p1))));
    if (N >= 5) {
      const p2 = pairAt(row, N, 2);
      equal = v128.or(equal, v128.or(f64x2.eq(p0, p2), f64x2.eq(p1, p2)));
      if (N >= 6) {
        const s2 = swapped(p2);
        equal = v128.or(equal, v128.or(f64x2.eq(p2, s2), v128.or(f64x2.eq(p0, s2), f64x2.eq(p1, s2))));
      }
      if (N >= 7) {
        const p3 = pairAt(row, N, 3);
        equal = v128.or(equal, v128.or(f64x2.eq(p0, p3), v128.or(f64x2.eq(p1, p3), f64x2.eq(p2, p3))));
        if (N >= 8) {
          const s3 = swapped(p3);
          equal = v128.or(equal, v128.or(f64x2.eq(p3, s3), v128.or(f64x2.eq(p0, s3), v128.or(f64x2.eq(p1, s3), f64x2.eq(p2, s3)))));
        }
      }
    }
  }
  return v128.any_true(equal);
}

/**
 * The ε-greedy action on table[offset..offset+n), given the row's scan (`best`: its first maximal
 * action, or TIED): uniform when next() < ε (`below` = ⌈ε · 2^32⌉; ε = 0 draws nothing), else
 * `best`, or, on ties, the shared reservoir code's draw. agents.ts's epsilonGreedyAction, draw
 * for draw.
 */
// @ts-ignore: decorator
@inline function epsilonGreedy(table: usize, offset: i32, n: i32, best: i32, eps: f64, below: u64): i32 {
  if (eps > 0 && <u64>nextU32(AGENT_RNG) < below) return scaled(nextU32(AGENT_RNG), n); // int(|A|)
  return best < 0 ? greedyAmongTies(table, offset, n) : best;
}

/** Q(S,A) ← Q(S,A) + α[target − Q(S,A)], Q(S,A) at `sa` (target: R + γ max_a Q(S',a)). */
// @ts-ignore: decorator
@inline function learn(sa: usize, alpha: f64, target: f64): void {
  const old = load<f64>(sa);
  store<f64>(sa, old + alpha * (target - old));
}

/**
 * Plays up to `maxEpisodes` episodes as loop.ts's run does (stopping once `stepBudget` steps are
 * taken, checked between episodes) and writes each one's return, length and ε to `metrics`.
 */
export function seedToyQLearning(maxEpisodes: i32, stepBudget: f64, metrics: usize): i32 {
  switch (agentActions()) {
    case 2: return play2(maxEpisodes, stepBudget, metrics);
    case 3: return play3(maxEpisodes, stepBudget, metrics);
    case 4: return play4(maxEpisodes, stepBudget, metrics);
    case 5: return play5(maxEpisodes, stepBudget, metrics);
    case 6: return play6(maxEpisodes, stepBudget, metrics);
    case 7: return play7(maxEpisodes, stepBudget, metrics);
    case 8: return play8(maxEpisodes, stepBudget, metrics);
    default: return playAny(maxEpisodes, stepBudget, metrics);
  }
}

// One loop per row length up to 8, each compiled (and tiered up by V8) on its own.
function play2(e: i32, b: f64, m: usize): i32 { return play(2, e, b, m); }
function play3(e: i32, b: f64, m: usize): i32 { return play(3, e, b, m); }
function play4(e: i32, b: f64, m: usize): i32 { return play(4, e, b, m); }
function play5(e: i32, b: f64, m: usize): i32 { return play(5, e, b, m); }
function play6(e: i32, b: f64, m: usize): i32 { return play(6, e, b, m); }
function play7(e: i32, b: f64, m: usize): i32 { return play(7, e, b, m); }
function play8(e: i32, b: f64, m: usize): i32 { return play(8, e, b, m); }
function playAny(e: i32, b: f64, m: usize): i32 { return play(0, e, b, m); }

/** The loop, for rows of N actions (2 ≤ N ≤ 8), or of any length when N is 0. */
// @ts-ignore: decorator
@inline function play(N: i32, maxEpisodes: i32, stepBudget: f64, metrics: usize): i32 {
  const nStates = seedToyStates();
  const steps = seedToySteps();
  const n = N > 0 ? N : agentActions();
  const alpha = agentAlpha();
  const gamma = agentGamma();
  const q = agentTable();
  let ep = episode;
  let eps: f64 = 0;
  let taken: f64 = 0;
  let played: i32 = 0;
  while (played < maxEpisodes) {
    eps = scheduleValue(ep);
    const below = <u64>Math.ceil(eps * 4294967296.0); // next() < ε ⇔ u < ⌈ε · 2^32⌉
    // S0 = int(|S|)
    let s = int(ENV_RNG, nStates);
    let t: u32;
    // A0 ε-greedy on Q(S0,·)
    let a: i32;
    {
      const row = q + (<usize>(s * n) << 3);
      a = epsilonGreedy(q, s * n, n, rowChoice(row, N, n, rowMax(row, N, n)), eps, below);
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
      // every step of the block chooses A', but the episode's last
      const choosing = left == 0 ? k - 1 : k;
      for (let i = 0; i < choosing; i++) {
        const w = load<u32>(block + (<usize>i << 2));
        const next = <i32>(w >> 1);
        const reward = <f64>(w & 1);
        ret += reward;
        // max, first argmax and "met a tie" of Q(S',·), scanned as agents.ts's maxOf and greedy do
        const row = q + (<usize>(next * n) << 3);
        let m = rowMax(row, N, n);
        let best = rowChoice(row, N, n, m);
        learn(q + (<usize>(s * n + a) << 3), alpha, reward + gamma * f64x2.extract_lane(m, 0));
        if (next == s) {
          // the update changed this row: scan it again
          m = rowMax(row, N, n);
          best = rowChoice(row, N, n, m);
        }
        // A' ε-greedy on the updated Q(S',·)
        a = epsilonGreedy(q, next * n, n, best, eps, below);
        s = next;
      }
      if (choosing < k) {
        // the episode's last step: the update alone (truncated: its target still bootstraps)
        const w = load<u32>(block + (<usize>choosing << 2));
        const reward = <f64>(w & 1);
        ret += reward;
        const m = rowMax(q + (<usize>(<i32>(w >> 1) * n) << 3), N, n);
        learn(q + (<usize>(s * n + a) << 3), alpha, reward + gamma * f64x2.extract_lane(m, 0));
      }
    }
    ep += 1;
    writeEpisode(metrics, played, ret, <f64>steps, eps);
    played++;
    taken += <f64>steps;
    if (taken >= stepBudget) break;
  }
  setEpisode(ep);
  if (played > 0) setEpsilon(eps); // ε of the last episode, as agentStart leaves it
  return played;
}
