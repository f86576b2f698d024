/** Typed arrays ⇄ SQLite BLOBs, little-endian on every platform (the file moves between machines). */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A Buffer of `values` as little-endian float32 (a view, not a copy, on little-endian machines). */
export function float32Blob(values: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i]!, i * 4);
  return out;
}

export function float64Blob(values: Float64Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i]!, i * 8);
  return out;
}

/**
 * The float32 values in a BLOB. A view when the Buffer's memory is aligned (it is for the large
 * Buffers better-sqlite3 allocates per blob), otherwise a copy; callers that hand the result out
 * must copy it, since a small Buffer may share Node's pool.
 */
export function readFloat32(blob: Buffer): Float32Array {
  const n = blob.length >>> 2;
  if (LITTLE_ENDIAN && blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}

/**
 * A metric chunk's `count` values from its BLOB, in any of its encodings (see migrations.ts,
 * versions 5 and 6), told apart by the BLOB's length: `count` float32 values (4 · count bytes);
 * one float32 standing for all of them (4 bytes, a constant chunk); whole numbers as int8 (count
 * bytes) or little-endian int16 (2 · count bytes), only ever for count > 4, where those lengths
 * differ from the other two. A view or a copy as {@link readFloat32}; an expanded chunk is a copy.
 */
export function chunkValues(blob: Buffer, count: number): Float32Array {
  const bytes = blob.length;
  if (bytes === 4 * count) return readFloat32(blob);
  if (bytes === 4) return new Float32Array(count).fill(readFloat32(blob)[0]!);
  if (count > 4 && bytes === count) return Float32Array.from(new Int8Array(blob.buffer, blob.byteOffset, count));
  if (count > 4 && bytes === 2 * count) {
    if (LITTLE_ENDIAN && blob.byteOffset % 2 === 0) return Float32Array.from(new Int16Array(blob.buffer, blob.byteOffset, count));
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = blob.readInt16LE(i * 2);
    return out;
  }
  throw new RangeError(`a metric chunk of ${count} values has ${bytes} bytes, which is no encoding of them`);
}

/** Count, minimum and maximum of a chunk's non-NaN values, as the chunk's row stores them. */
export interface ChunkRange {
  readonly present: number;
  readonly min: number;
  readonly max: number;
  /**
   * Whether every value is a plain integer (see {@link isPlainInteger}). When true, and they fit,
   * chunkBlob narrows them to int8 or int16 without testing them again; false keeps float32.
   */
  readonly integers: boolean;
}

/**
 * The BLOB a metric chunk is stored as: the narrowest of {@link chunkValues}' encodings that gives
 * back the very same float32 values. `range` describes `values` (it rules out most chunks without
 * a look at their values). The BLOB may be a view of `values`.
 */
export function chunkBlob(values: Float32Array, range: ChunkRange): Buffer {
  const n = values.length;
  if (n < 2 || range.present !== n) return float32Blob(values);
  if (range.min === range.max && sameBits(values)) return float32Blob(values.subarray(0, 1));
  if (n <= 4 || range.min < -32768 || range.max > 32767 || !range.integers) return float32Blob(values);
  const narrow = range.min >= -128 && range.max <= 127 ? new Int8Array(n) : new Int16Array(n);
  copyIntegers(values, narrow);
  if (LITTLE_ENDIAN || narrow instanceof Int8Array) return Buffer.from(narrow.buffer);
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) out.writeInt16LE(narrow[i]!, i * 2);
  return out;
}

/**
 * Whether every value has the first one's float32 bits (0 and −0 differ; true when empty). Past a
 * few values, as one memcmp of the values against themselves shifted by one (each equals the one
 * before it): ~0.05 ns a value, where comparing them one by one in a loop took ~1.
 */
export function sameBits(values: Readonly<Float32Array>): boolean {
  const n = values.length;
  if (n < 64) {
    const bits = new Int32Array(values.buffer, values.byteOffset, n);
    const first = bits[0]!;
    for (let i = 1; i < n; i++) if (bits[i] !== first) return false;
    return true;
  }
  const bytes = 4 * (n - 1);
  return Buffer.from(values.buffer, values.byteOffset + 4, bytes).equals(Buffer.from(values.buffer, values.byteOffset, bytes));
}

/**
 * Whether x is an integer of int32's range other than −0, which an integer type cannot hold (NaN,
 * fractions and larger values fail `| 0`). One chunk of such values can be stored narrowed.
 */
export function isPlainInteger(x: number): boolean {
  const whole = x | 0;
  return whole === x && !(whole === 0 && 1 / x < 0);
}

/** Copies values known to be integers that fit `narrow` (see ChunkRange.integers). */
function copyIntegers(values: Float32Array, narrow: Int8Array | Int16Array): void {
  for (let i = 0; i < values.length; i++) narrow[i] = values[i]!;
}

/** A fresh Float64Array (never a view) with the BLOB's little-endian float64 values. */
export function copyFloat64(blob: Buffer): Float64Array {
  const n = blob.length >>> 3;
  const out = new Float64Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(blob.subarray(0, n * 8));
  else for (let i = 0; i < n; i++) out[i] = blob.readDoubleLE(i * 8);
  return out;
}
