/**
 * The neural-network kernels of src/engine/nn/kernels.ts in WebAssembly SIMD (v128), for the
 * `simdKernels` set of src/engine/nn/simd.ts. Every pointer is a byte offset into the memory the
 * host imports (one memory per slab of arenas: see simd.ts); every array is float32, row-major.
 *
 * Two kinds of kernel:
 * - The matrix products work in float32 lanes (f32x4), four products per instruction, and so agree
 *   with the JavaScript set (which accumulates in float64) to a relative tolerance, not bitwise.
 *   Like the JS set they are register-tiled and skip all-zero blocks of dY.
 * - The element-wise kernels (ReLU, Adam, Σx², scale, Polyak) compute in float64 lanes (f64x2) in
 *   the JS set's operation order, so they give the JS set's bits exactly. The host can then fall
 *   back to the JS set for arrays from two different memories without changing a result.
 */
export { linearForward } from './linear';
import { SCRATCH_BYTES } from './backward';
export { linearBackwardInput, linearBackwardParams } from './backward';
export { reluForward, reluBackward, adamStep, sumSquares, scale, polyak } from './elementwise';

/** First byte the host may use for its arenas: after the static data and backward.ts's scratch. */
export function heapBase(): usize {
  return (__heap_base + SCRATCH_BYTES + 63) & ~63;
}
