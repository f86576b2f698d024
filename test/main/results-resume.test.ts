// A run paused at home, carried in a results file to another database, resumes there: its metrics,
// summary and final network weights are those of the same run trained straight through.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { behaviourConfig } from '../../src/engine/experiment';
import type { RunSpec } from '../../src/engine/train';
import { configHash } from '../../src/main/hash';
import { exportResults } from '../../src/main/results/export';
import { importResults } from '../../src/main/results/import';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import { expectStoredEqualsStraight, pausedOnItsOwnPool, poolOfOne } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

const DQN: RunSpec = {
  env: { id: 'seed-toy', states: 6, actions: 3, stepsPerEpisode: 50 },
  agent: { id: 'dqn', hidden: [8], batchSize: 8, bufferSize: 500, learningStarts: 50 },
  episodes: 600,
  seed: 2,
  checkpoints: 2,
};

function withExperiment(store: Store, name: string): number {
  const { runs } = store.createExperimentWithRuns({
    name,
    config: { name, env: DQN.env, agent: DQN.agent, episodes: DQN.episodes, seeds: [DQN.seed] },
    configHash: configHash(behaviourConfig(DQN)),
    runs: [{ seed: DQN.seed, config: DQN, configHash: configHash(behaviourConfig(DQN)), appVersion: 'test', episodesTotal: DQN.episodes }],
  });
  return runs[0]!.id;
}

it('a paused run exported and imported into a database whose ids collide resumes there as if never stopped', async () => {
  const dir = tempDir();
  const home = Store.open(join(dir, 'home.db'));
  const away = Store.open(join(dir, 'away.db'));
  try {
    const runId = withExperiment(home, 'paused at home');
    await pausedOnItsOwnPool(home, runId, DQN);
    const paused = home.getRun(runId);
    expect(paused.status).toBe('paused');
    expect(paused.episodesDone).toBeLessThan(DQN.episodes);

    const file = join(dir, 'paused.aisle-results');
    exportResults(home, [1], file, 'home.db');
    for (const name of ['a', 'b']) withExperiment(away, name);
    const [imported] = importResults(away, file).experiments;
    const here = imported!.runs[0]!.id;
    expect(here).toBe(3);
    expect(away.getRun(here)).toMatchObject({ status: 'paused', episodesDone: paused.episodesDone });

    const there = poolOfOne(away);
    expect(resumeRun(away, there, here).episode).toBe(paused.episodesDone);
    await there.idle();
    await there.close();
    expectStoredEqualsStraight(away, here, DQN);
  } finally {
    home.close();
    away.close();
  }
});
