/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1) over a
 * network's flat parameter vector, with bias-corrected moments:
 *
 *   t ← t + 1
 *   m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
 *   m̂ ← m / (1 − β₁ᵗ)              v̂ ← v / (1 − β₂ᵗ)
 *   θ ← θ − α·m̂ / (√v̂ + ε)
 *
 * (the same form as torch.optim.Adam without weight decay). The moments live in an arena from the
 * network's kernel set, beside the parameters. Also: global-norm gradient clipping as in
 * torch.nn.utils.clip_grad_norm_ (Pascanu, Mikolov & Bengio 2013).
 */
import { Arena } from './arena';
import { jsKernels, type Kernels } from './kernels';

/** What Adam optimises: a flat parameter vector, its gradient, and the kernels that own them. */
export interface Trainable {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly kernels: Kernels;
}

export interface AdamOptions {
  /** Step size α (default 1e-3). */
  readonly lr?: number;
  /** Decay of the first moment β₁ (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second moment β₂ (default 0.999). */
  readonly beta2?: number;
  /** ε, added to √v̂ (default 1e-8). */
  readonly eps?: number;
}

export class Adam {
  /** Step size α; mutable so that a schedule can anneal it between steps. */
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** First-moment estimate m, same layout as the parameters. */
  readonly m: Float32Array;
  /** Second-moment estimate v, same layout as the parameters. */
  readonly v: Float32Array;
  private readonly target: Trainable;
  private steps = 0;

  constructor(target: Trainable, options: AdamOptions = {}) {
    this.target = target;
    this.lr = options.lr ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    if (!(this.lr >= 0)) throw new RangeError(`lr must be ≥ 0, got ${this.lr}`);
    if (!(this.beta1 >= 0 && this.beta1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${this.beta1}`);
    if (!(this.beta2 >= 0 && this.beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${this.beta2}`);
    if (!(this.eps > 0)) throw new RangeError(`eps must be > 0, got ${this.eps}`);
    const n = target.params.length;
    const arena = target.kernels.createArena(Arena.floatsFor([n, n]));
    this.m = arena.alloc(n);
    this.v = arena.alloc(n);
  }

  /** Timestep t: the number of steps taken (it sets the bias corrections). */
  get t(): number {
    return this.steps;
  }

  /** One update of the parameters from the gradients currently in `grads`. */
  step(): void {
    this.steps++;
    const { params, grads, kernels } = this.target;
    kernels.adamStep(params, grads, this.m, this.v, params.length, this.lr, this.beta1, this.beta2, this.eps, this.steps);
  }

  /** Clips the target's gradients to a global norm (see {@link clipGradNorm}); returns the pre-clip norm. */
  clipGradNorm(maxNorm: number): number {
    return clipGradNorm(this.target.grads, maxNorm, this.target.kernels);
  }

  /** Restores moments and timestep (from a checkpoint); the arrays must match the parameter count. */
  load(state: { readonly m: ArrayLike<number>; readonly v: ArrayLike<number>; readonly t: number }): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new RangeError(`Adam state holds ${state.m.length} moments, the network has ${this.m.length} parameters`);
    }
    if (!Number.isInteger(state.t) || state.t < 0) throw new RangeError(`Adam timestep must be a non-negative integer, got ${state.t}`);
    this.m.set(state.m);
    this.v.set(state.v);
    this.steps = state.t;
  }

  /** Forgets the moments and the timestep. */
  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.steps = 0;
  }
}

/**
 * Global-norm clipping: if ‖g‖₂ > maxNorm, scales g by maxNorm / (‖g‖₂ + 1e-6) (PyTorch's
 * clip_grad_norm_). Returns the norm before clipping (log it: spikes show instability).
 */
export function clipGradNorm(grads: Float32Array, maxNorm: number, kernels: Kernels = jsKernels): number {
  if (!(maxNorm > 0)) throw new RangeError(`maxNorm must be > 0, got ${maxNorm}`);
  const norm = Math.sqrt(kernels.sumSquares(grads, grads.length));
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) kernels.scale(grads, grads.length, coef);
  return norm;
}
