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
import { nameApart } from '../shared/again-name';
import { configHash } from './hash';
import { APP_VERSION } from './version';

export interface LaunchResult {
  readonly experimentId: number;
  readonly runIds: readonly number[];
  /** The experiment's name as recorded: a repeat's is picked in the transaction (see launchAll). */
  readonly name: string;
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
   * @param repeat the experiments repeat a stored one (`aisle again`, Run again): each is named apart
   *   from the stored experiments inside the transaction (nameApart), so concurrent repeats of one
   *   experiment get "(2)", "(3)", … rather than all the "(2)" each picked before its transaction.
   */
  launchAll(experiments: readonly Experiment[], source?: string, repeat = false): LaunchResult[] {
    const recorded = this.store.db
      .transaction(() => {
        const before = repeat ? this.store.db.prepare<[], string>('SELECT name FROM experiments').pluck().all() : [];
        const assigned = new Set<string>();
        return experiments.map((given) => {
          const name = repeat ? nameApart(given.name, before, assigned, true) : given.name;
          assigned.add(name);
          const experiment = name === given.name ? given : { ...given, name };
          return { experiment, runs: this.record(experiment, source) };
        });
      })
      .immediate();
    recorded.forEach(({ experiment, runs }) => runs.forEach((run) => this.pool.enqueue(run.id, runSpecOf(experiment, run.seed))));
    return recorded.map(({ experiment, runs }) => ({ experimentId: runs[0]!.experimentId, runIds: runs.map((r) => r.id), name: experiment.name }));
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
