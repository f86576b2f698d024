/**
 * Where an off-policy evaluation's bootstrap is, in the user's terms, for `aisle ope`'s bar and the
 * app's progress line alike: OpeProgress counts every target's resamples, and a `logs` target's truth
 * (what the other rows' policy really got, its own rows resampled as many times again), in one total
 * the user never asked for; the phase is the target under way's, of the resamples asked.
 */
import type { OpeProgress } from './run';

/** Which targets, in their order, have their truth resampled too (the `logs` ones). */
export function targetsWithTruth(targets: readonly { readonly kind: string }[]): boolean[] {
  return targets.map((t) => t.kind === 'logs');
}

/**
 * Where the bootstrap is in the target under way (`target`): `done` of its `of` resamples (the
 * resamples asked), of its estimates or, for a `logs` target (`withTruth[target]`), first of its
 * truth (what it really got, its own rows resampled as many times).
 */
export function opePhase(p: OpeProgress, withTruth: readonly boolean[]): { done: number; of: number; truth: boolean } {
  const of = p.total / (p.targets + withTruth.filter(Boolean).length);
  let start = 0;
  for (let t = 0; t < p.target; t++) start += withTruth[t] ? 2 * of : of;
  const done = p.done - start;
  if (withTruth[p.target] !== true) return { done, of, truth: false };
  return done <= of ? { done, of, truth: true } : { done: done - of, of, truth: false };
}
