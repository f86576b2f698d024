/**
 * xoshiro128** (Blackman & Vigna 2018), word for word the generator of src/engine/rng.ts, for the
 * two streams a tabular run draws from: the environment's and the agent's. The host copies each
 * stream's four state words in from the engine's Rng objects (so seeding through splitmix32 lives
 * in one place) and reads them back when the kernel stops.
 */

/** Where each stream keeps its state words a, b, c, d (u32, in that order). */
export const ENV_RNG: usize = memory.data(16, 16);
export const AGENT_RNG: usize = memory.data(16, 16);

/** Next 32-bit unsigned integer of the stream whose state is at `s` (Rng.nextU32). */
// @ts-ignore: decorator
@inline export function nextU32(s: usize): u32 {
  let a = load<u32>(s, 0);
  let b = load<u32>(s, 4);
  let c = load<u32>(s, 8);
  let d = load<u32>(s, 12);
  const result = rotl<u32>(b * 5, 7) * 9;
  const t = b << 9;
  c ^= a;
  d ^= b;
  b ^= c;
  a ^= d;
  c ^= t;
  d = rotl<u32>(d, 11);
  store<u32>(s, a, 0);
  store<u32>(s, b, 4);
  store<u32>(s, c, 8);
  store<u32>(s, d, 12);
  return result;
}

/** Uniform float in [0, 1) with 32 bits of resolution (Rng.next: u32 · 2^-32). */
// @ts-ignore: decorator
@inline export function next(s: usize): f64 {
  return <f64>nextU32(s) * 2.3283064365386963e-10;
}

/**
 * Uniform integer in [0, n) for 1 ≤ n ≤ 2^21: Rng.int's ⌊u · 2^-32 · n⌋, computed as (u · n) >> 32.
 * The two are equal, not merely close: u · 2^-32 is exact (a power of two), and u · n < 2^32 · 2^21
 * = 2^53 fits a double's 53-bit significand, so the double product is exact too and its floor is
 * the integer quotient. The host keeps n within the bound (states ≤ 2^21, actions ≤ 10,000), and
 * test/engine/wasm-tabular.test.ts checks both forms on edge values.
 */
// @ts-ignore: decorator
@inline export function int(s: usize, n: i32): i32 {
  return scaled(nextU32(s), n);
}

/** ⌊u · n / 2^32⌋: a 32-bit draw scaled to [0, n). */
// @ts-ignore: decorator
@inline export function scaled(u: u32, n: i32): i32 {
  return <i32>((<u64>u * <u64>n) >> 32);
}
