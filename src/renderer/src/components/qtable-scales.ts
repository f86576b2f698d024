/**
 * Whether the Q-tables screen colours its two tables on one scale or on one each. One scale makes
 * equal colours equal values, which is what diffing two tables of one environment needs; but
 * tables of different environments can lie in unrelated ranges (a cliff's −100…0 beside a coin
 * toss's 0…5), and on a scale spanning both, one of them came out all one colour.
 */
import type { QTable } from '../../../shared/dto';
import { scaleOf, type HeatScale } from './heatmap';

/** A run's environment as its fingerprint names it (RunDetail.fingerprint). */
export interface TableEnvironment {
  readonly id: string;
  readonly hash: string;
}

export interface TableScales {
  readonly shared: boolean;
  readonly a: HeatScale;
  readonly b: HeatScale;
  /** Why one scale or two, finishing the legend's sentence ("… because they are …"). */
  readonly reason: string;
}

/**
 * One scale when the tables are comparable: two checkpoints of one run, or two runs whose
 * environment fingerprints match (and so their states and actions). Separate scales otherwise,
 * including when an environment is unknown: nothing says the ranges are alike.
 */
export function tableScales(a: QTable, b: QTable, envA: TableEnvironment | undefined, envB: TableEnvironment | undefined): TableScales {
  const shared = (reason: string): TableScales => {
    const scale = scaleOf('sequential', [a.q, b.q]);
    return { shared: true, a: scale, b: scale, reason };
  };
  const separate = (reason: string): TableScales => ({ shared: false, a: scaleOf('sequential', [a.q]), b: scaleOf('sequential', [b.q]), reason });

  if (a.runId === b.runId) return shared('two checkpoints of one run');
  if (a.states.length !== b.states.length || a.actions.length !== b.actions.length) {
    return separate(`tables of different sizes (${a.states.length} × ${a.actions.length} and ${b.states.length} × ${b.actions.length})`);
  }
  if (!envA || !envB) return separate('runs whose environments could not be read');
  if (envA.hash === envB.hash) return shared(`runs of the same environment (${envA.id}, fingerprint ${envA.hash.slice(0, 8)})`);
  if (envA.id !== envB.id) return separate(`runs of different environments (${envA.id} and ${envB.id})`);
  return separate(`runs of ${envA.id} with different settings (fingerprints ${envA.hash.slice(0, 8)} and ${envB.hash.slice(0, 8)})`);
}

/**
 * A note when the two runs' agents discount by different γ, or undefined. A Q value is the return
 * its agent expects, discounted by that agent's γ (about r / (1 − γ) for a steady reward r): one
 * colour scale and B − A then show the discounts as much as what each run learned (a sweep's
 * γ 0.9 against γ 0.99 on shop-small differed by up to 1.1 where every greedy action agreed).
 */
export function discountNote(gammaA: unknown, gammaB: unknown): string | undefined {
  if (typeof gammaA !== 'number' || typeof gammaB !== 'number' || gammaA === gammaB) return undefined;
  return (
    `A's agent discounts by γ ${gammaA}, B's by γ ${gammaB}: each Q value is a return discounted by its own agent's γ, ` +
    'so the values and B − A differ by the discount as well as by what was learned; the greedy actions compare as they are.'
  );
}
