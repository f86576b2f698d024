/**
 * The stage loops of the exact MDP solver (src/engine/mdp/solve.ts) as WebAssembly: value
 * iteration's backup and max, deterministic and stochastic policy evaluation, and the settled check,
 * the same f64 operations in the same order as the JavaScript loops (WebAssembly's f64 arithmetic is
 * IEEE 754 without fused multiply-adds), so values, Q and stage counts are bit-identical. The host
 * (src/engine/wasm/mdp.ts) copies the MDP's CSR arrays into the memory it gives the instance, once
 * per MDP, and lays out two value vectors, the Q table and a policy beside them.
 */

let offsets: usize = 0;
let next: usize = 0;
let prob: usize = 0;
let reward: usize = 0;
let terminal: usize = 0;
let states: i32 = 0;
let actions: i32 = 0;

/** The first byte the host may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

/** Where the MDP's arrays are (byte addresses), and its size. */
export function layout(offsetsAt: usize, nextAt: usize, probAt: usize, rewardAt: usize, terminalAt: usize, s: i32, a: i32): void {
  offsets = offsetsAt;
  next = nextAt;
  prob = probAt;
  reward = rewardAt;
  terminal = terminalAt;
  states = s;
  actions = a;
}

/** Σ_{s'} p(s' | s, a) · [r + γ · V_{t+1}(s')] over the pair's transitions, in their order. */
// @ts-ignore: decorator
@inline function pairValue(pair: i32, vNext: usize, gamma: f64, o: usize, n: usize, p: usize, r: usize): f64 {
  let total: f64 = 0;
  const end = load<i32>(o + (<usize>(pair + 1) << 2));
  for (let k = load<i32>(o + (<usize>pair << 2)); k < end; k++) {
    const ns = load<i32>(n + (<usize>k << 2));
    total += load<f64>(p + (<usize>k << 3)) * (load<f64>(r + (<usize>k << 3)) + gamma * load<f64>(vNext + (<usize>ns << 3)));
  }
  return total;
}

/** V_t(s) = max_a Q_t(s, a), writing Q_t (terminal rows are left as they are: 0). */
function optimalStage(v: usize, vNext: usize, q: usize, gamma: f64): void {
  // Locals, not globals, in the hot loops: V8 reloads a mutable global at every use.
  const o = offsets, n = next, p = prob, r = reward, term = terminal, S = states, A = actions;
  for (let s = 0; s < S; s++) {
    if (load<u8>(term + <usize>s)) {
      store<f64>(v + (<usize>s << 3), 0);
      continue;
    }
    // `if (qsa > best) best = qsa` without a branch: V8 compiles it (and f64 select) to one, which
    // noisy Q values mispredict about every other action. f64x2.pmax(best, qsa) is defined as exactly
    // best < qsa ? qsa : best (NaN and ±0 included), one maxpd on x64; both lanes carry the same value.
    let best = f64x2.splat(-Infinity);
    for (let a = 0; a < A; a++) {
      const pair = s * A + a;
      const qsa = pairValue(pair, vNext, gamma, o, n, p, r);
      store<f64>(q + (<usize>pair << 3), qsa);
      best = f64x2.pmax(best, f64x2.splat(qsa));
    }
    store<f64>(v + (<usize>s << 3), f64x2.extract_lane(best, 0));
  }
}

/** V_t(s) = Q_t(s, π(s)) for a policy of one action per state (i32). */
function deterministicStage(v: usize, vNext: usize, policy: usize, gamma: f64): void {
  // Locals, not globals, in the hot loops: V8 reloads a mutable global at every use.
  const o = offsets, n = next, p = prob, r = reward, term = terminal, S = states, A = actions;
  for (let s = 0; s < S; s++) {
    const value = load<u8>(term + <usize>s) ? 0 : pairValue(s * A + load<i32>(policy + (<usize>s << 2)), vNext, gamma, o, n, p, r);
    store<f64>(v + (<usize>s << 3), value);
  }
}

/** V_t(s) = Σ_a π(a | s) · Q_t(s, a) over the actions with π(a | s) > 0 (f64, row-major). */
function stochasticStage(v: usize, vNext: usize, policy: usize, gamma: f64): void {
  // Locals, not globals, in the hot loops: V8 reloads a mutable global at every use.
  const o = offsets, n = next, p = prob, r = reward, term = terminal, S = states, A = actions;
  for (let s = 0; s < S; s++) {
    let total: f64 = 0;
    if (!load<u8>(term + <usize>s)) {
      for (let a = 0; a < A; a++) {
        const pair = s * A + a;
        const pi = load<f64>(policy + (<usize>pair << 3));
        if (pi > 0) total += pi * pairValue(pair, vNext, gamma, o, n, p, r);
      }
    }
    store<f64>(v + (<usize>s << 3), total);
  }
}

/** Exactly equal values, or (gamma < 1 only) a largest change at most `relative` of the largest value. */
function settled(v: usize, vNext: usize, gamma: f64, relative: f64): bool {
  let diff: f64 = 0;
  let scale: f64 = 0;
  for (let s = 0; s < states; s++) {
    const x = load<f64>(vNext + (<usize>s << 3));
    const d = abs<f64>(load<f64>(v + (<usize>s << 3)) - x);
    if (d > diff) diff = d;
    const m = abs<f64>(x);
    if (m > scale) scale = m;
  }
  return diff == 0 || (gamma < 1 && diff <= relative * scale);
}

/**
 * One backward stage, V_t from V_{t+1} = vNext into v: kind 0 is value iteration (writes Q_t at q);
 * 1 evaluates the i32 policy at `policy`; 2 the f64 policy at `policy`. Returns whether the values
 * settled (see solve.ts), checked only when `check` is set. The host drives the stages, one call
 * each: V8 runs a call to the end on the code it started with and uses the optimised code it
 * compiles in the background from the next call on, so one call for the whole recursion ran all of
 * it on the baseline code (`aisle solve` on a 100k-state MDP: 30 s in the kernel, against 13 s).
 */
export function stage(kind: i32, v: usize, vNext: usize, q: usize, policy: usize, gamma: f64, check: bool, settledRelative: f64): bool {
  if (kind == 0) optimalStage(v, vNext, q, gamma);
  else if (kind == 1) deterministicStage(v, vNext, policy, gamma);
  else stochasticStage(v, vNext, policy, gamma);
  return check && settled(v, vNext, gamma, settledRelative);
}
