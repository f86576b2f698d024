/**
 * float32Text (the metrics CSV's numbers) reaches its digits with arithmetic between 1e-4 and 1e9;
 * its text must stay, character for character, that of the loop it replaced (toPrecision(1…9) until
 * one reads back), kept here verbatim as the oracle and held equal over millions of float32s.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { float32Text } from '../../src/main/metrics-csv';

/** float32Text as it was before the arithmetic path (commit 69d60419), word for word. */
function oracle(v: number): string {
  if (Number.isNaN(v)) return '';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(v, -0)) return '-0';
  for (let digits = 1; digits < 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(Number(v.toPrecision(9)));
}

const bits = new Uint32Array(1);
const float = new Float32Array(bits.buffer);

/** The float32 of a bit pattern (NaNs, subnormals and negatives included). */
function fromBits(b: number): number {
  bits[0] = b;
  return float[0]!;
}

function toBits(v: number): number {
  float[0] = v;
  return bits[0]!;
}

/** The values both are run on: each kind where a shortcut could differ, many of each. */
function sample(): Float32Array {
  const rng = new Rng(32);
  const out: number[] = [0, -0, Infinity, -Infinity, NaN, fromBits(0x7fc00001), fromBits(1), fromBits(0x80000001), fromBits(0x7f7fffff), fromBits(0x807fffff), fromBits(0x00800000)];
  const both = (v: number) => out.push(v, -v);
  // Any bit pattern (every exponent, subnormals, NaNs, either sign).
  for (let i = 0; i < 150_000; i++) out.push(fromBits(rng.nextU32()));
  // Any bit pattern within the arithmetic path's range, 1e-4 to 1e9, and a little past either end.
  const lo = toBits(1e-4) - 50_000;
  const span = toBits(1e9) + 50_000 - lo;
  for (let i = 0; i < 800_000; i++) out.push(fromBits((lo + rng.int(span)) | (rng.next() < 0.5 ? 0x80000000 : 0)));
  // Around every power of two (the float32 below is half as far as the one above) and of ten; the
  // farther within 1e-4 to 1e9 (outside it float32Text is the oracle's code).
  for (let exponent = 0; exponent < 255; exponent++) {
    const near = 2 ** (exponent - 127) >= 1e-5 && 2 ** (exponent - 127) <= 1e10 ? 200 : 10;
    for (let d = -near; d <= near; d++) if (exponent > 0 || d >= 0) both(fromBits(exponent * 2 ** 23 + d));
  }
  for (let p = -45; p <= 38; p++) for (let d = -100; d <= 100; d++) both(fromBits(toBits(10 ** p) + d));
  // Half-way cases of toPrecision (ties go to the larger): short binary fractions i / 2^k.
  for (let i = 0; i < 100_000; i++) both(Math.fround((1 + rng.int(1_000_000)) / 2 ** rng.int(31)));
  // Integers: small ones, every one around 2^24 (where float32s stop holding them all), any up to 2^31.
  for (let i = 0; i <= 20_000; i++) both(i);
  for (let i = 2 ** 24 - 20_000; i <= 2 ** 24 + 20_000; i++) both(Math.fround(i));
  for (let i = 0; i < 50_000; i++) both(Math.fround(rng.int(2 ** 31)));
  // What metrics look like: a few decimals at any scale (0.1, 49.94, 2.5e-3, 123456.7).
  for (let i = 0; i < 150_000; i++) both(Math.fround(rng.int(10 ** (1 + rng.int(9))) / 10 ** rng.int(14)));
  return Float32Array.from(out);
}

describe('float32Text', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes every float32 of a 1.7M sample as the toPrecision loop did', () => {
    const values = sample();
    expect(values.length).toBeGreaterThan(1_700_000);
    const differ: string[] = [];
    for (const v of values) {
      const expected = oracle(v);
      if (float32Text(v) !== expected) differ.push(`${toBits(v).toString(16)}: ${float32Text(v)} ≠ ${expected}`);
      if (differ.length >= 10) break;
    }
    expect(differ).toEqual([]);
  });

  it('calls no toPrecision between 1e-4 and 1e9, where metrics are', () => {
    const toPrecision = vi.spyOn(Number.prototype, 'toPrecision');
    const rng = new Rng(5);
    for (let i = 0; i < 10_000; i++) float32Text(Math.fround(10 ** (rng.next() * 12.9 - 3.99) * (rng.next() < 0.5 ? -1 : 1)));
    expect(toPrecision).not.toHaveBeenCalled();
    float32Text(Math.fround(1e-5));
    expect(toPrecision).toHaveBeenCalled();
  });
});
