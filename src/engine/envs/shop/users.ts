/**
 * The shop's users: segments with category affinities (Dirichlet) and a price sensitivity, drawn
 * with the catalog from catalogSeed; and the two ways affinities move over a run, a per-episode
 * random walk on the log scale (driftStd) and a one-off shift towards other affinities (shiftAt).
 */
import type { Rng } from '../../rng';

/** Affinities below this are read as this (their log enters the utilities). */
export const AFFINITY_FLOOR = 1e-6;

export interface Segments {
  readonly count: number;
  /** a[s · C + c]: segment s's share of interest in category c; each row sums to 1. */
  readonly affinity: Float64Array;
  /** β_s: how strongly segment s dislikes high prices. */
  readonly priceSensitivity: Float64Array;
  /** Where the shift at `shiftAt` moves each segment's affinities (drawn whether or not it is used). */
  readonly shiftTarget: Float64Array;
}

/**
 * A Dirichlet(α, …, α) draw over `n` categories into out[offset..offset+n): gamma variates over
 * their sum. With α far below 1 every variate can underflow to 0 (a 0.001 boosts by u^1000); then
 * their logs, which do not, give the shares: e^(ℓ_c − max ℓ) / Σ e^(ℓ_j − max ℓ), nearly all on one
 * category, as such an α means.
 */
export function dirichlet(out: Float64Array, offset: number, n: number, alpha: number, rng: Rng): void {
  const logs = alpha < 1 ? new Float64Array(n) : null;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const g = rng.gamma(alpha);
    if (logs) logs[c] = rng.lastGammaLog(g, alpha);
    sum += out[offset + c] = g;
  }
  if (sum > 0) {
    for (let c = 0; c < n; c++) out[offset + c] = out[offset + c]! / sum;
    return;
  }
  const top = Math.max(...logs!);
  let total = 0;
  for (let c = 0; c < n; c++) total += out[offset + c] = Math.exp(logs![c]! - top);
  for (let c = 0; c < n; c++) out[offset + c] = out[offset + c]! / total;
}

export function generateSegments(count: number, categories: number, concentration: number, betaMin: number, betaMax: number, rng: Rng): Segments {
  const affinity = new Float64Array(count * categories);
  const priceSensitivity = new Float64Array(count);
  const shiftTarget = new Float64Array(count * categories);
  for (let s = 0; s < count; s++) {
    dirichlet(affinity, s * categories, categories, concentration, rng);
    priceSensitivity[s] = betaMin + (betaMax - betaMin) * rng.next();
  }
  for (let s = 0; s < count; s++) dirichlet(shiftTarget, s * categories, categories, concentration, rng);
  return { count, affinity, priceSensitivity, shiftTarget };
}

/**
 * One step of the random walk of segment s's affinities: ln a_c ← ln a_c + σ·Z_c, renormalised to
 * sum to 1 (a geometric random walk on the simplex).
 */
export function driftSegment(affinity: Float64Array, s: number, categories: number, std: number, rng: Rng): void {
  const o = s * categories;
  let sum = 0;
  for (let c = 0; c < categories; c++) sum += affinity[o + c] = Math.max(AFFINITY_FLOOR, affinity[o + c]!) * Math.exp(std * rng.normal());
  for (let c = 0; c < categories; c++) affinity[o + c] = affinity[o + c]! / sum;
}

/** The shift: a ← (1 − m)·a + m·a_new for every segment (rows still sum to 1). */
export function shiftSegments(affinity: Float64Array, target: Float64Array, magnitude: number): void {
  for (let i = 0; i < affinity.length; i++) affinity[i] = (1 - magnitude) * affinity[i]! + magnitude * target[i]!;
}
