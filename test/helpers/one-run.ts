import type { RunSpec } from '../../src/engine/train';
import type { Store } from '../../src/main/store';

/** Seed-toy (10 states, 5 actions, 100-step episodes) under Q-learning: the run the store and pool tests train. */
export function seedToyQLearning(run: Pick<RunSpec, 'episodes' | 'seed'> & Partial<Pick<RunSpec, 'checkpoints'>>): RunSpec {
  return {
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
    agent: { id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 },
    ...run,
  };
}

/** `spec` stored as an experiment `name` of one queued run (its config hash a placeholder): the run's id. */
export function storeOneRun(store: Store, name: string, spec: RunSpec): number {
  const { runs } = store.createExperimentWithRuns({
    name,
    config: {},
    configHash: 'a'.repeat(64),
    runs: [{ seed: spec.seed, config: spec, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: spec.episodes }],
  });
  return runs[0]!.id;
}
