/**
 * Arena: a bump allocator of Float32Array views inside one buffer. Every buffer a network, its
 * optimiser or its kernels touch (parameters, gradients, activations, Adam moments) is carved
 * from an arena, so that a kernel set written in WebAssembly can own the memory: it hands out an
 * arena over its `WebAssembly.Memory` buffer, and a view's `byteOffset` is then the pointer the
 * WASM function receives. The JavaScript kernels accept any Float32Array and use a plain
 * ArrayBuffer.
 *
 * Views are made once, when a network is built, never per call. Growing a WebAssembly.Memory
 * detaches its old buffer and every view into it, so a WASM arena must reserve its memory up front
 * (or be created only after the last grow).
 */

/** Allocation granule: 16 floats = 64 bytes, one cache line, a multiple of the 16-byte v128. */
export const ARENA_ALIGN_FLOATS = 16;

function roundUp(n: number): number {
  return Math.ceil(n / ARENA_ALIGN_FLOATS) * ARENA_ALIGN_FLOATS;
}

export class Arena {
  readonly buffer: ArrayBufferLike;
  /** First byte of the region this arena may hand out. */
  readonly byteOffset: number;
  /** Size of the region in floats. */
  readonly capacity: number;
  private used = 0;

  /**
   * @param buffer the memory to carve from (an ArrayBuffer, a SharedArrayBuffer, or a
   *   WebAssembly.Memory's buffer)
   * @param byteOffset start of the region; a multiple of 64 keeps every view cache-line aligned
   * @param floats size of the region in floats (default: the rest of the buffer)
   */
  constructor(buffer: ArrayBufferLike, byteOffset = 0, floats = Math.floor((buffer.byteLength - byteOffset) / 4)) {
    if (byteOffset % 4 !== 0) throw new RangeError(`arena byteOffset must be a multiple of 4, got ${byteOffset}`);
    if (byteOffset + floats * 4 > buffer.byteLength) throw new RangeError('arena region runs past the end of its buffer');
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.capacity = floats;
  }

  /** A fresh arena on its own ArrayBuffer, large enough for the given allocations. */
  static forSizes(sizes: readonly number[]): Arena {
    return new Arena(new ArrayBuffer(Arena.floatsFor(sizes) * 4));
  }

  /** Floats an arena needs to hold allocations of these sizes, alignment padding included. */
  static floatsFor(sizes: readonly number[]): number {
    let total = 0;
    for (const n of sizes) total += roundUp(n);
    return total;
  }

  /** Floats handed out so far (padding included). */
  get usedFloats(): number {
    return this.used;
  }

  /** A zero-filled view of n floats, starting on a 64-byte boundary relative to the region start. */
  alloc(n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`arena alloc size must be a non-negative integer, got ${n}`);
    const size = roundUp(n);
    if (this.used + size > this.capacity) {
      throw new RangeError(`arena exhausted: ${n} floats requested, ${this.capacity - this.used} of ${this.capacity} left`);
    }
    const view = new Float32Array(this.buffer, this.byteOffset + this.used * 4, n);
    this.used += size;
    view.fill(0); // a reused WASM region may hold old data
    return view;
  }
}
