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
 * A metric chunk's `count` values from its BLOB: `count` float32 values, or one float32 standing for
 * all of them (a constant chunk, see migrations.ts). A view or a copy as {@link readFloat32}.
 */
export function chunkValues(blob: Buffer, count: number): Float32Array {
  if (blob.length === 4 && count > 1) return new Float32Array(count).fill(readFloat32(blob)[0]!);
  return readFloat32(blob);
}

/** A fresh Float64Array (never a view) with the BLOB's little-endian float64 values. */
export function copyFloat64(blob: Buffer): Float64Array {
  const n = blob.length >>> 3;
  const out = new Float64Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(blob.subarray(0, n * 8));
  else for (let i = 0; i < n; i++) out[i] = blob.readDoubleLE(i * 8);
  return out;
}
