/**
 * A multilayer perceptron over one flat parameter vector, the network DQN and PPO are built on.
 *
 * Initialisation: a layer followed by ReLU draws W ~ N(0, 2/fan_in) (He, Zhang, Ren & Sun 2015,
 * "Delving Deep into Rectifiers", §2.2); a tanh or linear layer draws W ~ U(±√(6/(fan_in+fan_out)))
 * (Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural
 * networks", eq. 16). Biases start at zero. Draws come from the caller's seeded Rng, so the same
 * seed gives the same network bit for bit.
 *
 * Memory layout. `params` is ONE Float32Array, layer after layer: W₁ (nOut×nIn, row-major
 * W[out][in], as PyTorch's nn.Linear stores it), b₁ (nOut), W₂, b₂, … `grads` has the same
 * layout; `layers[l].w/b/dw/db` are subarray views into the two. Parameters, gradients,
 * activations and backward scratch all live in one Arena from the kernel set, so WASM kernels
 * can own that memory. `forward` keeps each layer's post-activation output (ReLU' and tanh' are
 * computed from the output), sized for `maxBatch` rows.
 */
import { Arena } from './arena';
import type { In, Kernels } from './kernels';
import { defaultKernels } from './simd';
import type { Rng } from '../rng';

export type Activation = 'relu' | 'tanh' | 'linear';

export interface MlpSpec {
  /** Widths from input to output, e.g. [64, 128, 128, 100]. */
  readonly sizes: readonly number[];
  /** One activation per layer (sizes.length − 1 of them); the last is usually 'linear'. */
  readonly activations: readonly Activation[];
}

export interface MlpOptions {
  /** The seeded generator the initial weights are drawn from. */
  readonly rng: Rng;
  /** Most rows one forward pass will take (activations are allocated for it). */
  readonly maxBatch: number;
  /** The kernel set (default: {@link defaultKernels}, WebAssembly SIMD where it runs, else jsKernels). */
  readonly kernels?: Kernels;
  /** Multiplies the last layer's initial weights (e.g. 0.01 for a PPO policy head). */
  readonly outputGain?: number;
}

export interface Layer {
  readonly nIn: number;
  readonly nOut: number;
  readonly activation: Activation;
  /** Offset of W in `params` (b follows at offset + nIn·nOut). */
  readonly offset: number;
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly dw: Float32Array;
  readonly db: Float32Array;
}

/** Number of parameters of a network with these widths: Σ (nIn·nOut + nOut). */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
  return n;
}

/** dst[0..n) ← src[0..n), without making a subarray view. */
function copyPrefix(dst: Float32Array, src: In, n: number): void {
  if (src.length === n) dst.set(src);
  else for (let i = 0; i < n; i++) dst[i] = src[i]!;
}

function checkSpec(spec: MlpSpec): void {
  const { sizes, activations } = spec;
  if (sizes.length < 2) throw new RangeError(`an MLP needs at least an input and an output width, got [${sizes.join(', ')}]`);
  for (const s of sizes) if (!Number.isInteger(s) || s < 1) throw new RangeError(`layer widths must be positive integers, got [${sizes.join(', ')}]`);
  if (activations.length !== sizes.length - 1) {
    throw new RangeError(`${sizes.length - 1} layers need ${sizes.length - 1} activations, got ${activations.length}`);
  }
}

export class Mlp {
  readonly spec: MlpSpec;
  readonly nIn: number;
  readonly nOut: number;
  readonly maxBatch: number;
  readonly kernels: Kernels;
  readonly arena: Arena;
  /** All weights and biases, layer after layer (see the module comment). */
  readonly params: Float32Array;
  /** Gradients of the loss, same layout as `params`; `backward` adds into them. */
  readonly grads: Float32Array;
  readonly layers: readonly Layer[];
  /** The input rows of the last forward pass (maxBatch × nIn); may be written directly. */
  readonly input: Float32Array;
  /** Gradient of the loss w.r.t. the output (maxBatch × nOut); losses add into it. */
  readonly dOut: Float32Array;
  /** acts[0] = input, acts[l + 1] = output of layer l after its activation. */
  private readonly acts: Float32Array[];
  /** Two scratch buffers for the backward pass (maxBatch × widest hidden layer). */
  private readonly scratch: [Float32Array, Float32Array];
  private batch = 0;

  constructor(spec: MlpSpec, options: MlpOptions) {
    checkSpec(spec);
    const { maxBatch } = options;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
    this.spec = { sizes: [...spec.sizes], activations: [...spec.activations] };
    const sizes = this.spec.sizes;
    this.nIn = sizes[0]!;
    this.nOut = sizes[sizes.length - 1]!;
    this.maxBatch = maxBatch;
    this.kernels = options.kernels ?? defaultKernels();

    const nParams = parameterCount(sizes);
    const hidden = Math.max(1, ...sizes.slice(1, -1));
    const alloc = [nParams, nParams, ...sizes.map((s) => maxBatch * s), maxBatch * this.nOut, maxBatch * hidden, maxBatch * hidden];
    this.arena = this.kernels.createArena(Arena.floatsFor(alloc));
    this.params = this.arena.alloc(nParams);
    this.grads = this.arena.alloc(nParams);
    this.acts = sizes.map((s) => this.arena.alloc(maxBatch * s));
    this.input = this.acts[0]!;
    this.dOut = this.arena.alloc(maxBatch * this.nOut);
    this.scratch = [this.arena.alloc(maxBatch * hidden), this.arena.alloc(maxBatch * hidden)];

    const layers: Layer[] = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const nIn = sizes[l]!;
      const nOut = sizes[l + 1]!;
      const wEnd = offset + nIn * nOut;
      layers.push({
        nIn,
        nOut,
        activation: this.spec.activations[l]!,
        offset,
        w: this.params.subarray(offset, wEnd),
        b: this.params.subarray(wEnd, wEnd + nOut),
        dw: this.grads.subarray(offset, wEnd),
        db: this.grads.subarray(wEnd, wEnd + nOut),
      });
      offset = wEnd + nOut;
    }
    this.layers = layers;
    this.initialise(options.rng, options.outputGain ?? 1);
  }

  private initialise(rng: Rng, outputGain: number): void {
    for (let l = 0; l < this.layers.length; l++) {
      const { w, b, nIn, nOut, activation } = this.layers[l]!;
      const gain = l === this.layers.length - 1 ? outputGain : 1;
      if (activation === 'relu') {
        const std = gain * Math.sqrt(2 / nIn);
        for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
      } else {
        const limit = gain * Math.sqrt(6 / (nIn + nOut));
        for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.next() - 1);
      }
      b.fill(0);
    }
  }

  /**
   * Runs `batch` rows of x (row-major, batch × nIn) through the network and returns the output
   * buffer (maxBatch × nOut; the first batch rows are valid until the next forward). Keeps the
   * activations for `backward`. x is copied into `input` unless it is `input`.
   */
  forward(x: In, batch: number): Float32Array {
    if (!Number.isInteger(batch) || batch < 1 || batch > this.maxBatch) {
      throw new RangeError(`batch must be an integer in [1, ${this.maxBatch}], got ${batch}`);
    }
    const n = batch * this.nIn;
    if (x !== this.input) {
      if (x.length < n) throw new RangeError(`forward: ${batch} rows of ${this.nIn} need ${n} floats, got ${x.length}`);
      copyPrefix(this.input, x, n);
    }
    const k = this.kernels;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l]!;
      const y = this.acts[l + 1]!;
      k.linearForward(y, this.acts[l]!, layer.w, layer.b, batch, layer.nIn, layer.nOut);
      const m = batch * layer.nOut;
      switch (layer.activation) {
        case 'relu':
          k.reluForward(y, y, m);
          break;
        case 'tanh':
          k.tanhForward(y, y, m);
          break;
        case 'linear':
          break;
        default:
          throw new Error(`unknown activation ${layer.activation satisfies never}`);
      }
    }
    this.batch = batch;
    return this.acts[this.layers.length]!;
  }

  /**
   * Backpropagates dOut (batch × nOut, the gradient of the loss w.r.t. the last forward's output)
   * and ADDS the parameter gradients into `grads`. With a non-linear output layer the gradient
   * buffer is overwritten in place. If `dInput` is given, it receives ∂loss/∂input (batch × nIn).
   */
  backward(dOut: In = this.dOut, dInput?: Float32Array): void {
    const batch = this.batch;
    if (batch === 0) throw new Error('backward needs a forward pass first');
    const k = this.kernels;
    let d = this.dOut;
    if (dOut !== d) {
      if (dOut.length < batch * this.nOut) throw new RangeError(`backward: dOut needs ${batch * this.nOut} floats, got ${dOut.length}`);
      copyPrefix(d, dOut, batch * this.nOut);
    }
    let spare = 0;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const y = this.acts[l + 1]!;
      const m = batch * layer.nOut;
      switch (layer.activation) {
        case 'relu':
          k.reluBackward(d, d, y, m);
          break;
        case 'tanh':
          k.tanhBackward(d, d, y, m);
          break;
        case 'linear':
          break;
        default:
          throw new Error(`unknown activation ${layer.activation satisfies never}`);
      }
      k.linearBackwardParams(layer.dw, layer.db, d, this.acts[l]!, batch, layer.nIn, layer.nOut);
      if (l > 0) {
        const next = this.scratch[spare]!;
        spare ^= 1;
        k.linearBackwardInput(next, d, layer.w, batch, layer.nIn, layer.nOut);
        d = next;
      } else if (dInput) {
        k.linearBackwardInput(dInput, d, layer.w, batch, layer.nIn, layer.nOut);
      }
    }
  }

  /** Zeroes the parameter gradients and the `dOut` buffer (everything that accumulates). */
  zeroGrad(): void {
    this.grads.fill(0);
    this.dOut.fill(0);
  }

  /** Loads a flat parameter vector in this network's layout (a checkpoint, or weights from a worker). */
  loadParams(src: ArrayLike<number>): void {
    if (src.length !== this.params.length) throw new RangeError(`expected ${this.params.length} parameters, got ${src.length}`);
    this.params.set(src);
  }

  /** Hard target update: this network's parameters become a copy of `other`'s. */
  copyFrom(other: Mlp): void {
    this.checkSameShape(other);
    this.params.set(other.params);
  }

  /** Soft target update θ ← (1−τ)·θ + τ·θ_other (Lillicrap et al. 2016). */
  polyak(other: Mlp, tau: number): void {
    this.checkSameShape(other);
    if (!(tau >= 0 && tau <= 1)) throw new RangeError(`tau must be in [0, 1], got ${tau}`);
    this.kernels.polyak(this.params, other.params, this.params.length, tau);
  }

  private checkSameShape(other: Mlp): void {
    const a = this.spec.sizes;
    const b = other.spec.sizes;
    if (a.length !== b.length || a.some((s, i) => s !== b[i])) {
      throw new RangeError(`networks differ in shape: [${a.join(', ')}] vs [${b.join(', ')}]`);
    }
  }
}
