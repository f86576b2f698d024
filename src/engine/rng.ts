/**
 * The engine's only source of randomness: xoshiro128** (Blackman & Vigna, 2018), seeded through
 * splitmix32 so that nearby seeds give unrelated states. A run derives independent streams for the
 * environment and the agent from (seed, stream id), so changing how often the agent draws never
 * changes what the environment does, and vice versa.
 */

/** Stream ids: one per consumer of randomness within a run. */
export const Stream = {
  env: 1,
  agent: 2,
  eval: 3,
  bootstrap: 4,
  /** Which logged rows a holdout keeps aside (src/engine/ope/data.ts). */
  holdout: 5,
  /** A random search's draws of its experiments' values (src/engine/sweep-sample.ts), outside any run. */
  search: 6,
  /** Which fold of DR's cross-fitting each logged row is in (src/engine/ope/sampler.ts). */
  folds: 7,
} as const;

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

// Hot methods multiply by the literal 2^-32 (2.3283064365386963e-10) rather than divide by a
// module-level constant: the bundler emits module constants as `var`, which V8 reloads on every
// call (measured ~40 % slower on the tabular benchmark).
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second Box–Muller variate, kept for the next normal() call. */
  private spareNormal = 0;
  private hasSpare = false;
  /** ln of the last gamma() variate drawn for a shape below 1 (see gamma). */
  private smallShapeLog = 0;

  /**
   * @param seed any 32-bit integer (the run's seed)
   * @param stream which consumer this generator serves (see {@link Stream})
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const sm = { s: (seed ^ Math.imul(stream + 1, 0x632be5ab)) | 0 };
    // Stored as int32 (| 0), never as uint32: V8 then keeps the four words as small integers in
    // the object; values above 2^31 would turn the fields into boxed doubles and halve the speed.
    this.a = splitmix32(sm) | 0;
    this.b = splitmix32(sm) | 0;
    this.c = splitmix32(sm) | 0;
    this.d = splitmix32(sm) | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1; // the all-zero state is a fixed point
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    return this.bits() >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution: unit(bits()). */
  next(): number {
    return (this.bits() >>> 0) * 2.3283064365386963e-10;
  }

  /**
   * The generator's step: the next 32 bits as a signed integer (nextU32's bits; next() is
   * unit(bits())). For hot code with many draws: where V8 runs out of inlining budget and calls
   * this instead of inlining it, the result is a small integer, whereas a call to next() would box
   * its double on the heap at every draw.
   */
  bits(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 bits of resolution (two draws). */
  nextDouble(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias below 2^-32·n). */
  int(n: number): number {
    return Math.floor((this.bits() >>> 0) * 2.3283064365386963e-10 * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal variate (Box–Muller, both variates used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u = 0;
    while (u === 0) u = this.nextDouble();
    const v = this.nextDouble();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * v;
    this.spareNormal = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  /**
   * Gamma(shape, 1) variate (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)). For a
   * shape far below 1 the boost underflows to 0 often (u^1000 for shape 0.001), so the draw's log,
   * which does not, is kept as well: {@link lastGammaLog}.
   */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) {
      let u = 0;
      while (u === 0) u = this.nextDouble();
      const boosted = this.gamma(shape + 1);
      this.smallShapeLog = Math.log(boosted) + Math.log(u) / shape;
      return boosted * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** ln of the variate gamma(shape) just returned (`value`): exact where the variate underflowed to 0. */
  lastGammaLog(value: number, shape: number): number {
    return shape < 1 ? this.smallShapeLog : Math.log(value);
  }

  /**
   * Beta(alpha, beta) variate from two gamma variates, X / (X + Y). When both underflowed to 0
   * (both shapes far below 1; 0/0 would be NaN, 22 % of Beta(0.001, 0.001) draws), from their logs:
   * 1 / (1 + e^(ln Y − ln X)).
   */
  beta(alpha: number, beta: number): number {
    const x = this.gamma(alpha);
    const lnX = this.smallShapeLog; // X's log when alpha < 1, read before Y's draw replaces it
    const y = this.gamma(beta);
    if (x === 0 && y === 0) return 1 / (1 + Math.exp(this.smallShapeLog - lnX));
    return x / (x + y);
  }

  /** Index drawn from unnormalised non-negative weights (linear scan). */
  categorical(weights: ArrayLike<number>, total?: number): number {
    let sum = total ?? 0;
    if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i]!;
    let u = this.next() * sum;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    // Rounding left u at or just above zero: return the last index with positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }

  /**
   * Copies the four state words into out[offset..offset+4) (int32), for a kernel that runs this
   * same generator elsewhere (src/engine/wasm). The spare normal variate is not part of it.
   */
  saveState(out: Int32Array, offset = 0): void {
    out[offset] = this.a;
    out[offset + 1] = this.b;
    out[offset + 2] = this.c;
    out[offset + 3] = this.d;
  }

  /** Continues from state words written by {@link saveState} (or by such a kernel). */
  loadState(from: Int32Array, offset = 0): void {
    this.a = from[offset]! | 0;
    this.b = from[offset + 1]! | 0;
    this.c = from[offset + 2]! | 0;
    this.d = from[offset + 3]! | 0;
  }

  /** A new generator for a sub-stream, derived from this generator's next draw. */
  fork(stream: number): Rng {
    return new Rng(this.nextU32() | 0, stream);
  }
}

/**
 * Writes a uniformly random permutation of 0..n−1 into order[0..n) (Fisher–Yates, Durstenfeld's
 * in-place form), drawing from `rng`: PPO's minibatch order of an epoch, the shop catalog's
 * category and clickbait orders. One function, so both draw alike: n − 1 draws of rng.int.
 */
export function shuffledIndices(order: Int32Array, n: number, rng: Rng): void {
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
}

/** A draw of bits() as a uniform float in [0, 1), the same number next() gives. */
export function unit(bits: number): number {
  return (bits >>> 0) * 2.3283064365386963e-10;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
