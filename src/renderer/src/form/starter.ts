import { FEW_RUNS } from '../../../shared/compare-text';

/**
 * The starter experiment: what New experiment shows before the user has chosen anything. The
 * catalog's defaults (the full shop, 500 episodes) train in a blink and show flat curves and no
 * optimality gap, so a first launch would show nothing learning; this shows both.
 *
 * It is shop-small.json's shop (exact mode: 19 states × 6 items, solved exactly, so the run reports
 * its greedy policy's gap and normalised score) with Q-learning on a short budget: 20,000 episodes,
 * under a second of training. ε falls from 1 to 0.05 over the first half, so the return curve
 * climbs from the uniform-random level to the learned policy's (exploiting a Q-table that had learned
 * nothing would stay at the random level); the small step (α 0.005, as shop-small's) keeps the
 * estimates steady enough that the greedy policy ends within a few millionths of the optimum (every
 * one of 100 seeds measured scored ≥ 0.99). Five seeds, the fewest Compare gives a verdict for (its
 * help says so beside the field), at under a second each.
 *
 * Parameters not named here take their defaults. Engine defaults stay as they are: experiment files
 * that omit a parameter keep their meaning.
 */
export const STARTER = {
  env: { id: 'shop', exact: true, items: 6, categories: 2, segments: 1, fatigueLevels: 2, catalogSeed: 11, maxSteps: 50 },
  agent: { id: 'q-learning', alpha: 0.005, gamma: 0.9, epsilon: { start: 1, end: 0.05, decayEpisodes: 10_000 } },
  episodes: 20_000,
  seeds: FEW_RUNS,
} as const;

/** The starter's settings of one component (without its id) when `id` is the one it uses, else none. */
export function starterSettings(which: 'env' | 'agent', id: unknown): Readonly<Record<string, unknown>> {
  const { id: starterId, ...settings } = STARTER[which];
  return id === starterId ? settings : {};
}
