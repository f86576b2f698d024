/**
 * The lab: launching experiments and looking after their runs, on one store and one job pool.
 * Shared by the CLI, the Electron main process and the browser-mode host; imports no electron.
 */
import type { Experiment } from '../engine/experiment';
import { behaviourConfig } from '../engine/experiment';
import type { RunSpec } from '../engine/train';
import type { RunRow, Store } from './store';
import { JobPool } from './jobs/pool';
import type { PoolOptions } from './jobs/pool-contract';
import { configHash } from './hash';
import { APP_VERSION } from './version';

export interface LaunchResult {
  readonly experimentId: number;
  readonly runIds: readonly number[];
}

export function runSpecOf(experiment: Experiment, seed: number): RunSpec {
  return {
    env: experiment.env,
    agent: experiment.agent,
    episodes: experiment.episodes,
    seed,
    checkpoints: experiment.checkpoints,
    ...(experiment.evaluation ? { evaluation: experiment.evaluation } : {}),
  };
}

export class Lab {
  readonly pool: JobPool;

  constructor(
    readonly store: Store,
    options: Omit<PoolOptions, 'sink'>,
  ) {
    this.pool = new JobPool({ ...options, sink: store });
  }

  /**
   * Records experiments (one, or a sweep's) and one queued run per seed of each, all in one
   * transaction (all or nothing) before any run is queued. Each run's full config, hash, seed and
   * app version are stored before it starts.
   */
  launchAll(experiments: readonly Experiment[], source?: string): LaunchResult[] {
    const recorded = this.store.db.transaction(() => experiments.map((experiment) => this.record(experiment, source))).immediate();
    recorded.forEach((runs, i) => runs.forEach((run) => this.pool.enqueue(run.id, runSpecOf(experiments[i]!, run.seed))));
    return recorded.map((runs) => ({ experimentId: runs[0]!.experimentId, runIds: runs.map((r) => r.id) }));
  }

  private record(experiment: Experiment, source?: string): RunRow[] {
    const hash = configHash(behaviourConfig(experiment));
    return this.store.createExperimentWithRuns({
      name: experiment.name,
      config: experiment,
      configHash: hash,
      ...(source ? { source } : {}),
      runs: experiment.seeds.map((seed) => ({
        seed,
        config: runSpecOf(experiment, seed),
        configHash: hash,
        appVersion: APP_VERSION,
        episodesTotal: experiment.episodes,
      })),
    }).runs;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
