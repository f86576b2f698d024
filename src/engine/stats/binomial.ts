/**
 * Binomial and multinomial draws from the engine's generator, for a bootstrap that resamples n
 * rows falling into G groups in O(G) instead of O(n): the counts of a row resample, summed per
 * group, are exactly Multinomial(n; m_1/n, …, m_G/n), drawn here as G conditional binomials.
 *
 * binomial(n, p): inversion for n·min(p, 1 − p) < 10 (Kachitvichyanukul & Schmeiser 1988, BINV:
 * expected n·p steps), otherwise BTRS, Hörmann's transformed rejection with squeeze ("The
 * generation of binomial random variates", J. Stat. Comput. Simul. 46, 1993), exact up to the
 * precision of logGamma (Lanczos, ~1e-15 relative).
 */
import type { Rng } from '../rng';

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** A Binomial(n, p) draw (n a whole number ≥ 0, p in [0, 1]). */
export function binomial(rng: Rng, n: number, p: number): number {
  if (!(n >= 0 && Number.isInteger(n))) throw new RangeError(`binomial: n must be a whole number ≥ 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial: p must be in [0, 1], got ${p}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  return n * p < 10 ? inversion(rng, n, p) : btrs(rng, n, p);
}

function inversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  for (;;) {
    let r = Math.pow(q, n);
    let u = rng.next();
    let x = 0;
    while (u > r) {
      u -= r;
      x++;
      if (x > n) break; // rounding left u above the whole mass: draw again
      r *= a / x - s;
    }
    if (x <= n) return x;
  }
}

function btrs(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logGamma(m + 1) + logGamma(n - m + 1);
  for (;;) {
    const u = rng.next() - 0.5;
    let v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logGamma(k + 1) - logGamma(n - k + 1) + (k - m) * lpq) return k;
  }
}

/**
 * A Multinomial(n; weights / Σ weights) draw into `out` (weights ≥ 0, not all 0), as conditional
 * binomials: group g gets Binomial(n left, w_g / weight left).
 */
export function multinomialInto(rng: Rng, n: number, weights: ArrayLike<number>, out: Int32Array | Float64Array): void {
  let left = n;
  let mass = 0;
  let last = -1; // the last group with weight: it takes what is left, whatever rounding did to `mass`
  for (let g = 0; g < weights.length; g++) {
    if (weights[g]! > 0) last = g;
    mass += Math.max(0, weights[g]!);
  }
  if (last < 0 && n > 0) throw new RangeError('multinomial: every weight is 0');
  for (let g = 0; g < weights.length; g++) {
    const w = weights[g]!;
    if (left === 0 || !(w > 0)) {
      out[g] = 0;
      continue;
    }
    const k = g === last || w >= mass ? left : binomial(rng, left, w / mass);
    out[g] = k;
    left -= k;
    mass -= w;
  }
}
