// nonzeroAbsMedian (src/engine/stats/abs-median.ts), the median of the nonzero |values| taken on the
// values' bits without copying them, held equal bit for bit to the sort of a copy it replaced in
// dominant-rows.ts, on columns drawn from the engine's generator: odd and even lengths, zeros of both
// signs, ties, negative values, subnormals, infinities and NaN.
import { describe, expect, it } from 'vitest';
import { nonzeroAbsMedian } from '../../src/engine/stats/abs-median';
import { Rng } from '../../src/engine/rng';

/** What dominant-rows.ts computed before: the nonzero values, their |·|, sorted (NaN last), the middle one or two. */
function sortedMedian(values: Float64Array): number {
  const nonzero = Float64Array.from(values.filter((r) => r !== 0), Math.abs).sort();
  const k = nonzero.length;
  if (k === 0) return 0;
  return k % 2 === 1 ? nonzero[(k - 1) / 2]! : (nonzero[k / 2 - 1]! + nonzero[k / 2]!) / 2;
}

/** The same value, NaN matching NaN and −0 told from +0. */
function expectIdentical(actual: number, expected: number, what: string): void {
  expect(Object.is(actual, expected), `${what}: ${actual} against ${expected}`).toBe(true);
}

/** A value of one of several kinds, so that ties, zeros and extremes turn up in short columns. */
function draw(rng: Rng, special: boolean): number {
  const kind = rng.int(special ? 12 : 8);
  switch (kind) {
    case 0:
      return 0;
    case 1:
      return -0;
    case 2:
      return rng.int(4) - 2; // small integers, many ties
    case 3:
      return (rng.next() - 0.5) * 1e6;
    case 4:
      return rng.normal() * 1e-300;
    case 5:
      return rng.int(2) === 0 ? 1 : 0; // clicks
    case 6:
      return -rng.next();
    case 7:
      return rng.next() * 2 ** (rng.int(200) - 100);
    case 8:
      return Number.MIN_VALUE * (1 + rng.int(3)); // subnormals
    case 9:
      return rng.int(2) === 0 ? Infinity : -Infinity;
    case 10:
      return NaN;
    default:
      return Number.MAX_VALUE;
  }
}

describe('nonzeroAbsMedian', () => {
  it('gives what sorting a copy gave, on columns from the engine generator', () => {
    const rng = new Rng(17, 0);
    let even = 0;
    let odd = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const special = trial % 3 === 0;
      const n = trial < 2000 ? rng.int(12) : rng.int(5000);
      const values = Float64Array.from({ length: n }, () => draw(rng, special));
      const nonzero = values.filter((v) => v !== 0).length;
      if (nonzero % 2 === 0) even++;
      else odd++;
      expectIdentical(nonzeroAbsMedian(values), sortedMedian(values), `trial ${trial}, ${n} values`);
    }
    expect(even).toBeGreaterThan(500);
    expect(odd).toBeGreaterThan(500);
  });

  it('takes the middle two of an even count, ties and a NaN in the middle as the sort did', () => {
    expect(nonzeroAbsMedian(new Float64Array([0, -0, 0]))).toBe(0);
    expect(nonzeroAbsMedian(new Float64Array([]))).toBe(0);
    expect(nonzeroAbsMedian(new Float64Array([3, 0, -1, 0]))).toBe(2);
    expect(nonzeroAbsMedian(new Float64Array([-5, 5, 1, 9]))).toBe(5);
    expect(nonzeroAbsMedian(new Float64Array([1, NaN]))).toBeNaN();
    expect(nonzeroAbsMedian(new Float64Array([1, NaN, 2]))).toBe(2);
    expect(nonzeroAbsMedian(new Float64Array([NaN, -Infinity, 2, 7]))).toBe(Infinity);
  });

  it('reads a column inside a larger buffer without its neighbours', () => {
    const buffer = new Float64Array([100, 100, 1, 2, 3, 100]);
    expect(nonzeroAbsMedian(buffer.subarray(2, 5))).toBe(2);
  });
});
