/**
 * The Wilcoxon signed-rank test of paired differences: what Compare's verdict rests on when two
 * groups ran the same environment on the same seeds (common random numbers), so each seed's pair of
 * runs shares its environment's random stream and d_i = x_i − y_i cancels what the seed did to both.
 *
 * With the zero differences dropped (Wilcoxon's own treatment, R's wilcox.test and scipy's default,
 * zero_method = 'wilcox'): n the nonzero differences, r_i the midrank of |d_i| among them,
 * T⁺ = Σ_{d_i > 0} r_i and μ = n (n + 1) / 4 its mean when the differences are symmetric about 0
 * (each sign equally likely, independently),
 *
 *     p = P(|T⁺ − μ| ≥ |t⁺ − μ|),
 *
 * two-sided (Hollander & Wolfe, "Nonparametric Statistical Methods", 2nd ed., §3.1). Exact (the 2^n
 * sign flips counted, below) for n ≤ EXACT_SIGNED_RANK_N, with midranks when |d| ties (the
 * conditional permutation distribution, as mann-whitney.ts counts its ties); above, the normal
 * approximation with the ties' variance correction, σ² = n (n + 1)(2n + 1) / 24 − Σ(t³ − t) / 48 over
 * the tie groups of |d|, and a continuity correction of ½ (R's wilcox.test with correct = TRUE;
 * scipy.stats.wilcoxon(correction=True, method='approx')).
 */
import { erfc } from './mann-whitney';
import { dropNaN } from './quantile';

export interface SignedRankTest {
  /** The nonzero differences: the pairs the test ranks (zeros say neither way and are left out). */
  readonly n: number;
  /** T⁺: the rank sum of the positive differences (midranks of |d| among the nonzero ones). */
  readonly plus: number;
  /** T⁻: the rank sum of the negative differences; T⁺ + T⁻ = n (n + 1) / 2. */
  readonly minus: number;
  /** Two-sided p-value; 1 when every difference is 0, NaN when there is none. */
  readonly p: number;
  /** Whether p is the exact count (else the normal approximation). */
  readonly exact: boolean;
}

/**
 * Exact up to this many nonzero differences: counting the doubled rank sums is n · n (n + 1) steps
 * (10⁶ at 100, a few milliseconds), and the normal approximation's relative error in the far tail,
 * where Holm's correction reads a p-value, falls with n.
 */
export const EXACT_SIGNED_RANK_N = 100;

/**
 * The two-sided signed-rank test of the differences d (NaN left out). `method` forces the exact
 * count or the normal approximation (the tests hold one against the other); by default n decides.
 */
export function wilcoxonSignedRankTest(d: ArrayLike<number>, method: 'auto' | 'exact' | 'normal' = 'auto'): SignedRankTest {
  const all = dropNaN(d);
  if (all.length === 0) return { n: 0, plus: NaN, minus: NaN, p: NaN, exact: true };
  const nonzero = all.filter((v) => v !== 0);
  const n = nonzero.length;
  if (n === 0) return { n: 0, plus: 0, minus: 0, p: 1, exact: true };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(nonzero[a]!) - Math.abs(nonzero[b]!));
  // Doubled midranks, whole numbers: a tie group at ranks s+1..s+t has midrank s + (t + 1) / 2.
  const ranks2: number[] = [];
  const ties: number[] = [];
  let plus2 = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && Math.abs(nonzero[order[end]!]!) === Math.abs(nonzero[order[start]!]!)) end++;
    const t = end - start;
    ties.push(t);
    for (let k = start; k < end; k++) {
      ranks2.push(2 * start + t + 1);
      if (nonzero[order[k]!]! > 0) plus2 += 2 * start + t + 1;
    }
    start = end;
  }
  const total2 = n * (n + 1); // 2 (T⁺ + T⁻)
  const plus = plus2 / 2;
  const minus = (total2 - plus2) / 2;
  const distance2 = Math.abs(2 * plus2 - total2); // |2T⁺ − 2μ| doubled: |4T⁺ − n (n + 1)|
  if (method === 'exact' || (method === 'auto' && n <= EXACT_SIGNED_RANK_N)) return { n, plus, minus, p: exactTail(ranks2, distance2), exact: true };
  return { n, plus, minus, p: normalTail(ties, n, Math.abs(plus - total2 / 4)), exact: false };
}

/**
 * P(|2S − n (n + 1)| ≥ distance2 / 2) over the 2^n sign patterns, S the doubled rank sum of the
 * positive ones: ways[s] counts the patterns whose doubled positive sum is s (each rank in or out).
 * The counts reach 2^100 at the threshold and stop being whole, but keep a double's relative precision.
 */
function exactTail(ranks2: readonly number[], distance2: number): number {
  const total2 = ranks2.reduce((a, r) => a + r, 0);
  const ways = new Float64Array(total2 + 1);
  ways[0] = 1;
  let reach = 0;
  for (const r of ranks2) {
    // Descending: ways[s] still holds the patterns without this rank when ways[s + r] adds it.
    for (let s = reach; s >= 0; s--) if (ways[s] !== 0) ways[s + r]! += ways[s]!;
    reach += r;
  }
  let tail = 0;
  let all = 0;
  for (let s = 0; s <= total2; s++) {
    const c = ways[s]!;
    if (c === 0) continue;
    all += c;
    if (Math.abs(2 * s - total2) >= distance2) tail += c;
  }
  return Math.min(1, tail / all);
}

/**
 * The normal approximation: z = (|T⁺ − μ| − ½) / σ, σ² = n (n + 1)(2n + 1) / 24 − Σ(t³ − t) / 48;
 * p = 2 (1 − Φ(z)) = erfc(z / √2).
 */
function normalTail(ties: readonly number[], n: number, distance: number): number {
  let tieSum = 0;
  for (const t of ties) tieSum += t * t * t - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48;
  if (variance <= 0) return 1;
  const z = Math.max(0, distance - 0.5) / Math.sqrt(variance);
  return Math.min(1, erfc(z / Math.SQRT2));
}
