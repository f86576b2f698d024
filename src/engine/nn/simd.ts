/**
 * The WebAssembly SIMD kernel set (`simdKernels`), built from ../wasm/assembly-nn into
 * ../wasm/generated/nn.wasm.ts, and `defaultKernels()`, the set a network gets when it names none:
 * SIMD where this runtime compiles the module, else the reference `jsKernels`. The choice is made
 * once, when this module loads.
 *
 * Memory. Growing a WebAssembly.Memory detaches every Float32Array view into it, and networks keep
 * their views for life. So memory is never grown: it comes in slabs, each its own fixed-size
 * WebAssembly.Memory with its own instance of the module, sized when it is made (at least
 * SLAB_BYTES, or one arena if that is larger). `createArena` carves arenas from the newest slab
 * while they fit, so a network, its target network and its Adam moments, built one after the
 * other, usually share one slab (and so one instance); an old slab is collected with the last view
 * into it.
 *
 * Dispatch. Each call finds the instance that owns the first array's buffer and checks that every
 * array lives in that same memory; otherwise (arrays from two slabs, or plain ArrayBuffers) it runs
 * the JS kernel on the views. The element-wise WASM kernels give the JS set's bits exactly (they
 * compute in float64 lanes in the same order), so that fallback never changes a result. The matrix
 * products compute in float32 lanes and agree with the JS set to a relative tolerance (see
 * kernels.ts); a network's own arrays always share its arena, so those always run in WASM.
 *
 * tanh, softmax and log-softmax run the JS code on the views: they are bound by exp/tanh, which
 * WASM has no instruction for, and a polynomial version would give other bits than Math.exp for
 * little gain at these sizes (PPO's heads, a few thousand floats per update).
 */
import { Arena, ARENA_ALIGN_FLOATS } from './arena';
import { jsKernels, type In, type Kernels } from './kernels';
import { nnKernel } from '../wasm/generated/nn.wasm';
import { PAGE_BYTES, compileKernel } from '../wasm/kernel';

/** The exports of assembly-nn/nn.ts; pointers are byte offsets into the slab's memory. */
interface NnExports {
  linearForward(y: number, x: number, w: number, b: number, batch: number, nIn: number, nOut: number): void;
  linearBackwardInput(dx: number, dy: number, w: number, batch: number, nIn: number, nOut: number): void;
  linearBackwardParams(dw: number, db: number, dy: number, x: number, batch: number, nIn: number, nOut: number): void;
  reluForward(y: number, x: number, n: number): void;
  reluBackward(dx: number, dy: number, y: number, n: number): void;
  adamStep(p: number, g: number, m: number, v: number, n: number, stepSize: number, invSqrtBc2: number, beta1: number, beta2: number, c1: number, c2: number, eps: number): void;
  sumSquares(x: number, n: number): number;
  scale(x: number, n: number, s: number): void;
  polyak(y: number, x: number, n: number, tau: number): void;
}

/** Smallest slab: 8 MiB (2M floats), room for a few networks of the benchmark's size with their optimisers. */
const SLAB_BYTES = 8 << 20;
const ALIGN_BYTES = ARENA_ALIGN_FLOATS * 4;

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN_BYTES) * ALIGN_BYTES;
}

const abort = (): never => {
  throw new Error('the nn WebAssembly kernel aborted');
};

/** The compiled module and the first byte arenas may use, or why there is no SIMD set here. */
function compile(): { module: WebAssembly.Module; heapBase: number } | string {
  // Fails also where WebAssembly SIMD is missing (the module does not validate).
  const kernel = compileKernel(nnKernel, 'nn', { imports: { abort } });
  return typeof kernel === 'string' ? kernel : { module: kernel.module, heapBase: alignUp(kernel.heapBase) };
}

const compiled = compile();

/** Why `simdKernels` is null, or null when it is available. */
export const simdUnavailableReason: string | null = typeof compiled === 'string' ? compiled : null;

/** One fixed-size memory with its own instance; arenas are carved from [next, end). */
interface Slab {
  readonly buffer: ArrayBuffer;
  next: number;
  readonly end: number;
}

function createSimdKernels(module: WebAssembly.Module, heapBase: number): Kernels {
  /** Which instance owns a buffer (weak: a slab goes when its last view goes). */
  const owners = new WeakMap<ArrayBufferLike, NnExports>();
  let slab: Slab | null = null;

  function newSlab(bytes: number): Slab {
    const pages = Math.ceil((heapBase + Math.max(bytes, SLAB_BYTES)) / PAGE_BYTES);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
    const buffer = memory.buffer;
    owners.set(buffer, instance.exports as unknown as NnExports);
    return { buffer, next: heapBase, end: pages * PAGE_BYTES };
  }

  function createArena(floats: number): Arena {
    if (!Number.isInteger(floats) || floats < 0) throw new RangeError(`arena size must be a non-negative integer, got ${floats}`);
    const bytes = alignUp(floats * 4);
    if (slab === null || slab.end - slab.next < bytes) {
      try {
        slab = newSlab(bytes);
      } catch {
        // No memory of that size here (wasm32 stops at 4 GiB): a plain buffer, on the JS kernels.
        return new Arena(new ArrayBuffer(floats * 4));
      }
    }
    const arena = new Arena(slab.buffer, slab.next, floats);
    slab.next += bytes;
    return arena;
  }

  /** The instance owning `a`'s memory, if `b`…`d` live there too. */
  function owner(a: In, b: In = a, c: In = a, d: In = a): NnExports | undefined {
    const buffer = a.buffer;
    if (b.buffer !== buffer || c.buffer !== buffer || d.buffer !== buffer) return undefined;
    return owners.get(buffer);
  }

  return {
    name: 'wasm-simd',
    createArena,
    linearForward(y, x, w, b, batch, nIn, nOut) {
      const k = owner(y, x, w, b);
      if (k) k.linearForward(y.byteOffset, x.byteOffset, w.byteOffset, b.byteOffset, batch, nIn, nOut);
      else jsKernels.linearForward(y, x, w, b, batch, nIn, nOut);
    },
    linearBackwardInput(dx, dy, w, batch, nIn, nOut) {
      const k = owner(dx, dy, w);
      if (k) k.linearBackwardInput(dx.byteOffset, dy.byteOffset, w.byteOffset, batch, nIn, nOut);
      else jsKernels.linearBackwardInput(dx, dy, w, batch, nIn, nOut);
    },
    linearBackwardParams(dw, db, dy, x, batch, nIn, nOut) {
      const k = owner(dw, db, dy, x);
      if (k) k.linearBackwardParams(dw.byteOffset, db.byteOffset, dy.byteOffset, x.byteOffset, batch, nIn, nOut);
      else jsKernels.linearBackwardParams(dw, db, dy, x, batch, nIn, nOut);
    },
    reluForward(y, x, n) {
      const k = owner(y, x);
      if (k) k.reluForward(y.byteOffset, x.byteOffset, n);
      else jsKernels.reluForward(y, x, n);
    },
    reluBackward(dx, dy, y, n) {
      const k = owner(dx, dy, y);
      if (k) k.reluBackward(dx.byteOffset, dy.byteOffset, y.byteOffset, n);
      else jsKernels.reluBackward(dx, dy, y, n);
    },
    tanhForward: jsKernels.tanhForward,
    tanhBackward: jsKernels.tanhBackward,
    softmax: jsKernels.softmax,
    logSoftmax: jsKernels.logSoftmax,
    adamStep(p, g, m, v, n, lr, beta1, beta2, eps, t) {
      const k = owner(p, g, m, v);
      if (!k) {
        jsKernels.adamStep(p, g, m, v, n, lr, beta1, beta2, eps, t);
        return;
      }
      // The bias corrections as the JS set computes them, so both give the same bits.
      const stepSize = lr / (1 - Math.pow(beta1, t));
      const invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(beta2, t));
      k.adamStep(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, n, stepSize, invSqrtBc2, beta1, beta2, 1 - beta1, 1 - beta2, eps);
    },
    sumSquares(x, n) {
      const k = owner(x);
      return k ? k.sumSquares(x.byteOffset, n) : jsKernels.sumSquares(x, n);
    },
    scale(x, n, s) {
      const k = owner(x);
      if (k) k.scale(x.byteOffset, n, s);
      else jsKernels.scale(x, n, s);
    },
    polyak(y, x, n, tau) {
      const k = owner(y, x);
      if (k) k.polyak(y.byteOffset, x.byteOffset, n, tau);
      else jsKernels.polyak(y, x, n, tau);
    },
  };
}

/** The WebAssembly SIMD kernels, or null when the module is missing or does not run here. */
export const simdKernels: Kernels | null = typeof compiled === 'string' ? null : createSimdKernels(compiled.module, compiled.heapBase);

/** The kernels a network uses unless told otherwise: SIMD when available, else the JS reference set. */
export function defaultKernels(): Kernels {
  return simdKernels ?? jsKernels;
}
