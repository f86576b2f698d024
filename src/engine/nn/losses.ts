/**
 * Losses and output heads. Each returns the loss as a mean over the batch and ADDS the gradient of
 * that mean w.r.t. the network's output into `dOut` (so terms of a combined objective add up;
 * `Mlp.zeroGrad()` clears the network's own `dOut`). Outputs are row-major, batch × width.
 *
 * - Value-based heads, on SELECTED actions (Mnih et al. 2015, DQN): only Q(sᵢ, aᵢ) meets the target
 *   yᵢ, so only that output receives gradient.
 *   Huber (Huber 1964, "Robust Estimation of a Location Parameter"; δ = 1 is the smooth L1 of
 *   Girshick 2015 and PyTorch's smooth_l1_loss):  ρ(d) = ½d² if |d| ≤ δ, δ(|d| − ½δ) otherwise;
 *   ∂ρ/∂d = clip(d, −δ, δ).  MSE (PyTorch's mse_loss, no ½): d², ∂/∂d = 2d.
 *   Optional per-row weights wᵢ (importance-sampling weights of prioritised replay).
 * - Softmax policy head (primitives for PPO, Schulman et al. 2017): log-softmax forward and
 *   backward, the gradient of Σᵢ cᵢ·log π(aᵢ|sᵢ) for per-row coefficients cᵢ (for the clipped
 *   surrogate −(1/B)Σ min(rᵢAᵢ, clip(rᵢ)Aᵢ), cᵢ = −rᵢAᵢ/B where the unclipped term is the
 *   minimum and 0 elsewhere), and the entropy H = −Σ p log p with its gradient.
 * - Value head: MSE on one output column (a separate critic, or a column of a shared head).
 */
import { jsKernels, type In } from './kernels';

/** Action indices, one per row. */
export type Actions = Readonly<ArrayLike<number>>;

function actionAt(actions: Actions, i: number, nActions: number): number {
  const a = actions[i]!;
  if (!(a >= 0 && a < nActions && (a | 0) === a)) throw new RangeError(`action ${a} in row ${i} is not in [0, ${nActions})`);
  return a;
}

/**
 * Huber loss between Q(sᵢ, aᵢ) = q[i·nActions + aᵢ] and targets[i]:
 * (1/B) Σᵢ wᵢ·ρ_δ(Q(sᵢ, aᵢ) − yᵢ). Adds its gradient into dOut at the taken actions only.
 */
export function huberSelected(
  q: In, actions: Actions, targets: In, batch: number, nActions: number, dOut: Float32Array,
  delta = 1, weights: In | null = null,
): number {
  if (!(delta > 0)) throw new RangeError(`Huber delta must be > 0, got ${delta}`);
  return selectedLoss(q, actions, targets, batch, nActions, dOut, weights, delta);
}

/** Mean squared error on the taken actions: (1/B) Σᵢ wᵢ·(Q(sᵢ, aᵢ) − yᵢ)². */
export function mseSelected(
  q: In, actions: Actions, targets: In, batch: number, nActions: number, dOut: Float32Array,
  weights: In | null = null,
): number {
  return selectedLoss(q, actions, targets, batch, nActions, dOut, weights, 0);
}

/** Both selected-action losses: Huber with threshold delta > 0, squared error when delta is 0. */
function selectedLoss(
  q: In, actions: Actions, targets: In, batch: number, nActions: number, dOut: Float32Array,
  weights: In | null, delta: number,
): number {
  const invB = 1 / batch;
  let loss = 0;
  for (let i = 0; i < batch; i++) {
    const k = i * nActions + actionAt(actions, i, nActions);
    const d = q[k]! - targets[i]!;
    const w = weights === null ? 1 : weights[i]!;
    let value: number, grad: number;
    if (delta === 0) {
      value = d * d;
      grad = 2 * d;
    } else {
      const ad = Math.abs(d);
      value = ad <= delta ? 0.5 * d * d : delta * (ad - 0.5 * delta);
      grad = d > delta ? delta : d < -delta ? -delta : d;
    }
    loss += w * value;
    dOut[k] = dOut[k]! + w * grad * invB;
  }
  return loss * invB;
}

/** logp = log softmax(logits), row-wise and max-subtracted (stable for any finite logits). */
export function logSoftmax(logp: Float32Array, logits: In, batch: number, nActions: number): void {
  jsKernels.logSoftmax(logp, logits, batch, nActions);
}

/** Backward of log-softmax: dLogits += dLogp − softmax·Σⱼ dLogpⱼ, row by row. */
export function logSoftmaxBackward(dLogits: Float32Array, dLogp: In, logp: In, batch: number, nActions: number): void {
  for (let i = 0; i < batch; i++) {
    const o = i * nActions;
    let s = 0;
    for (let j = 0; j < nActions; j++) s += dLogp[o + j]!;
    for (let j = 0; j < nActions; j++) dLogits[o + j] = dLogits[o + j]! + dLogp[o + j]! - Math.exp(logp[o + j]!) * s;
  }
}

/** out[i] = log π(aᵢ|sᵢ) = logp[i·nActions + aᵢ]. */
export function selectedLogProb(out: Float32Array, logp: In, actions: Actions, batch: number, nActions: number): void {
  for (let i = 0; i < batch; i++) out[i] = logp[i * nActions + actionAt(actions, i, nActions)]!;
}

/**
 * Gradient of Σᵢ cᵢ·log π(aᵢ|sᵢ) w.r.t. the logits, added into dLogits:
 * cᵢ·(1[j = aᵢ] − πⱼ(sᵢ)). Put the 1/B of a mean into the coefficients.
 */
export function selectedLogProbBackward(
  dLogits: Float32Array, logp: In, actions: Actions, coefs: In, batch: number, nActions: number,
): void {
  for (let i = 0; i < batch; i++) {
    const o = i * nActions;
    const c = coefs[i]!;
    if (c === 0) continue;
    for (let j = 0; j < nActions; j++) dLogits[o + j] = dLogits[o + j]! - c * Math.exp(logp[o + j]!);
    const k = o + actionAt(actions, i, nActions);
    dLogits[k] = dLogits[k]! + c;
  }
}

/** Mean entropy (1/B) Σᵢ Hᵢ, Hᵢ = −Σⱼ πⱼ log πⱼ, from log-probabilities. */
export function entropy(logp: In, batch: number, nActions: number): number {
  let total = 0;
  for (let i = 0; i < batch; i++) total += rowEntropy(logp, i * nActions, nActions);
  return total / batch;
}

function rowEntropy(logp: In, o: number, n: number): number {
  let h = 0;
  for (let j = 0; j < n; j++) {
    const lp = logp[o + j]!;
    h -= Math.exp(lp) * lp;
  }
  return h;
}

/**
 * Gradient of coef·(mean entropy) w.r.t. the logits, added into dLogits:
 * ∂Hᵢ/∂zⱼ = −πⱼ(log πⱼ + Hᵢ). A loss that rewards entropy passes a negative coef.
 */
export function entropyBackward(dLogits: Float32Array, logp: In, batch: number, nActions: number, coef: number): void {
  const c = coef / batch;
  for (let i = 0; i < batch; i++) {
    const o = i * nActions;
    const h = rowEntropy(logp, o, nActions);
    for (let j = 0; j < nActions; j++) {
      const lp = logp[o + j]!;
      dLogits[o + j] = dLogits[o + j]! - c * Math.exp(lp) * (lp + h);
    }
  }
}

/**
 * Value head: (1/B) Σᵢ (vᵢ − yᵢ)² with vᵢ = values[i·stride + column] (stride 1 for a critic with
 * one output). Adds coef·2(vᵢ − yᵢ)/B into dOut at the same places; returns the loss without coef.
 */
export function valueMse(
  values: In, targets: In, batch: number, dOut: Float32Array, stride = 1, column = 0, coef = 1,
): number {
  const g = (2 * coef) / batch;
  let loss = 0;
  for (let i = 0; i < batch; i++) {
    const k = i * stride + column;
    const d = values[k]! - targets[i]!;
    loss += d * d;
    dOut[k] = dOut[k]! + g * d;
  }
  return loss / batch;
}
