/**
 * The median of the nonzero |values| of a column without copying it: a radix selection on the
 * values' bits (a non-negative double orders as its 64 bits read as an unsigned integer), 16 bits a
 * pass into one histogram reused, so it costs a few passes over the column and 256 KB, where
 * filtering, mapping and sorting a copy held 8 to 16 bytes a value more (6.4M rewards: ~100 MB).
 */

/** Bits a pass: four passes cover the 64 bits of a double. */
const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGITS - 1;

/** Which of a double's two 32-bit words holds its sign and exponent, on this machine. */
const HIGH_WORD = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;

/**
 * The median of the nonzero |values| (the mean of the two middle ones when their count is even; 0
 * when there are none), as sorting them would give it: NaN counts as a value above every other
 * (a typed array's sort puts it last), so a NaN in the middle gives NaN; +0 and −0 are left out.
 */
export function nonzeroAbsMedian(values: Float64Array): number {
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  const histogram = new Uint32Array(DIGITS);
  // The key of |v|: its high word without the sign bit, then its low word; 0 for ±0 only.
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const hi = words[2 * i + HIGH_WORD]! & 0x7fffffff;
    if (hi === 0 && words[2 * i + 1 - HIGH_WORD] === 0) continue;
    count++;
  }
  if (count === 0) return 0;
  const middle = (count - 1) >>> 1;
  const [hi, lo, ties] = select(words, values.length, middle, histogram);
  const lower = fromBits(hi, lo);
  if (count % 2 === 1) return lower;
  // The next value up: the same key when it has more values than those up to the middle, else the least key above it.
  const upper = ties ? lower : nextAbove(words, values.length, hi, lo);
  return (lower + upper) / 2;
}

/**
 * The key of the value of rank `rank` (from 0) among the nonzero keys, and whether a value of the
 * same key follows it in that order (a tie), by 16-bit digits from the top.
 */
function select(words: Uint32Array, n: number, rank: number, histogram: Uint32Array): [hi: number, lo: number, tie: boolean] {
  let hiPrefix = 0;
  let loPrefix = 0;
  let left = rank;
  let tie = false;
  for (let digit = 0; digit < 4; digit++) {
    histogram.fill(0);
    for (let i = 0; i < n; i++) {
      const hi = words[2 * i + HIGH_WORD]! & 0x7fffffff;
      const lo = words[2 * i + 1 - HIGH_WORD]!;
      if (hi === 0 && lo === 0) continue;
      // Only the keys whose digits above this one are those chosen so far.
      if (digit === 1 && hi >>> DIGIT_BITS !== hiPrefix >>> DIGIT_BITS) continue;
      if (digit >= 2 && hi !== hiPrefix) continue;
      if (digit === 3 && lo >>> DIGIT_BITS !== loPrefix >>> DIGIT_BITS) continue;
      const d = digit === 0 ? hi >>> DIGIT_BITS : digit === 1 ? hi & DIGIT_MASK : digit === 2 ? lo >>> DIGIT_BITS : lo & DIGIT_MASK;
      histogram[d]!++;
    }
    let d = 0;
    while (left >= histogram[d]!) left -= histogram[d++]!;
    if (digit === 0) hiPrefix = d << DIGIT_BITS;
    else if (digit === 1) hiPrefix |= d;
    else if (digit === 2) loPrefix = (d << DIGIT_BITS) >>> 0;
    else {
      loPrefix = (loPrefix | d) >>> 0;
      tie = left + 1 < histogram[d]!;
    }
  }
  return [hiPrefix, loPrefix, tie];
}

/** The value of the least nonzero key above (hi, lo), which exists: the median's rank is below the last. */
function nextAbove(words: Uint32Array, n: number, hi: number, lo: number): number {
  let bestHi = 0xffffffff;
  let bestLo = 0xffffffff;
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + HIGH_WORD]! & 0x7fffffff;
    const l = words[2 * i + 1 - HIGH_WORD]!;
    if (h < hi || (h === hi && l <= lo)) continue;
    if (h < bestHi || (h === bestHi && l < bestLo)) {
      bestHi = h;
      bestLo = l;
    }
  }
  return fromBits(bestHi, bestLo);
}

const bitsScratch = new Float64Array(1);
const bitsWords = new Uint32Array(bitsScratch.buffer);

/** The double with these words. */
function fromBits(hi: number, lo: number): number {
  bitsWords[HIGH_WORD] = hi;
  bitsWords[1 - HIGH_WORD] = lo;
  return bitsScratch[0]!;
}
