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
