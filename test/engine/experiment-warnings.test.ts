// experimentWarnings: what a valid experiment probably does not mean, said beside "Ready" and by
// `aisle run`, never refused (a smoke run of shop-drift with fewer episodes than its shift is fine).
import { describe, expect, it, vi } from 'vitest';
import { experimentWarnings, parseExperiment } from '../../src/engine/experiment';
import { metricsPerEpisode } from '../../src/engine/storage-estimate';
import { prepareRun } from '../../src/engine/train';
import { findAgent } from '../../src/engine/registry';

const shop = (shiftAt: number | null, episodes: number) =>
  parseExperiment({ format: 'aisle.experiment/v1', name: 'drift', env: { id: 'shop', driftStd: 0, shiftAt }, agent: { id: 'q-learning' }, episodes });

describe('experimentWarnings', () => {
  it('a shop shift at or after the last episode never happens: named with its path and the fix', () => {
    expect(experimentWarnings(shop(3000, 3000))).toEqual([
      'env.shiftAt: the shift at episode 3,000 never happens in 3,000 episodes (episodes 0 to 2,999): set shiftAt below 3,000, or raise episodes',
    ]);
    expect(experimentWarnings(shop(12_000, 1))).toEqual(['env.shiftAt: the shift at episode 12,000 never happens in 1 episode (episodes 0 to 0): set shiftAt below 1, or raise episodes']);
  });

  it('an ε schedule that decays over more episodes than the run has never reaches its end: said with where it ends and the fix', () => {
    const run = (epsilon: unknown, episodes: number) =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'decay', env: { id: 'seed-toy' }, agent: { id: 'q-learning', epsilon }, episodes }));
    // The starter's decay, kept while the run is cut to 500 episodes.
    expect(run({ start: 1, end: 0.05, decayEpisodes: 10_000 }, 500)).toEqual([
      'agent.epsilon.decayEpisodes: ε falls from 1 to 0.05 over 10,000 episodes, and the run has 500 episodes: it ends at 0.953, never reaching 0.05; lower decayEpisodes to at most 500, or raise episodes',
    ]);
    // A decay that ends within the run (or with it), a flat schedule, a constant: nothing to say.
    expect(run({ start: 1, end: 0.05, decayEpisodes: 500 }, 500)).toEqual([]);
    expect(run({ start: 0.1, end: 0.1, decayEpisodes: 10_000 }, 500)).toEqual([]);
    expect(run(0.1, 500)).toEqual([]);
  });

  it('a shop of more items, one action each, than a policy file holds actions: the runs train, but their policy cannot be exported', () => {
    // `aisle export` of such a run refused it after the training ("it has 20,000 actions, more than the 10,000 a policy file holds").
    const wide = (env: Record<string, unknown>, agent = 'most-popular') =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'wide', env: { id: 'shop', ...env }, agent: { id: agent }, episodes: 10 }));
    const past = (field: string) =>
      `env.${field}: 10,001 items, one action each, are more than the 10,000 actions a policy file holds: the runs train, but their policy cannot be exported to serve: use actionLevel "category", or at most 10,000 items`;
    expect(wide({ items: 10_001 })).toEqual([past('items')]);
    const catalog = { items: Array.from({ length: 10_001 }, () => ({ category: 0, price: 1, quality: 0.5, attractiveness: 0 })) };
    expect(wide({ catalog })).toEqual([past('catalog')]);
    expect(wide({ items: 10_000 })).toEqual([]);
    expect(wide({ items: 10_001, actionLevel: 'category' })).toEqual([]);
    // An agent that keeps nothing a policy file holds exports no run of any shop: nothing lost to say.
    expect(wide({ items: 10_001 }, 'random')).toEqual([]);
    expect(wide({ items: 10_001 }, 'myopic-oracle')).toEqual([]);
  });

  it('a tabular agent on a shop whose Q-table holds more values than a policy file: the runs train, but their policy cannot be exported', () => {
    // A table keeps up to 2^25 (~33.5M) values, a policy file 10M: such a run trained and only
    // `aisle policies export` refused it ("its Q-table has … values, more than the 10,000,000 a policy file holds").
    const table = (env: Record<string, unknown>, agent = 'q-learning') =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'table', env: { id: 'shop', ...env }, agent: { id: agent }, episodes: 10 }));
    // 2 segments × (100 categories + 1) × 3 × 3 levels + 1 = 1,819 states.
    expect(table({ items: 10_000, categories: 100 })).toEqual([
      'env.items: a tabular agent\'s Q-table here holds 1,819 states × 10,000 item actions = 18,190,000 values, more than the 10,000,000 a policy file holds: ' +
        'the runs train, but their policy cannot be exported to serve: use at most 5,497 items, or actionLevel "category", or accept that these runs cannot be exported',
    ]);
    // The file holds one table, however many the agent keeps (Double Q-learning's two: 2 × 12,733,000 values fit it).
    expect(table({ items: 7_000, categories: 100 }, 'double-q-learning')).toHaveLength(1);
    expect(table({ items: 5_497, categories: 100 })).toEqual([]);
    // Category actions too: 2 × 1,001 × 9 + 1 = 18,019 states × 1,000 categories.
    expect(table({ items: 1_000, categories: 1_000, actionLevel: 'category' })).toEqual([
      'env.categories: a tabular agent\'s Q-table here holds 18,019 states × 1,000 category actions = 18,019,000 values, more than the 10,000,000 a policy file holds: ' +
        'the runs train, but their policy cannot be exported to serve: use fewer categories, segments (or observeSegment false), engagementLevels or fatigueLevels, or accept that these runs cannot be exported',
    ]);
    // An inline catalog counts its items and categories as the shop does.
    const catalog = { items: Array.from({ length: 10_000 }, (_, i) => ({ category: i % 100, price: 1, quality: 0.5, attractiveness: 0 })) };
    expect(table({ catalog })[0]).toMatch(/^env\.catalog: a tabular agent's Q-table here holds 1,819 states × 10,000 item actions = 18,190,000 values/);
    // No table (a network, a random policy), or a vector observation: nothing to say.
    expect(table({ items: 10_000, categories: 100 }, 'random')).toEqual([]);
    expect(table({ items: 10_000, categories: 100, observation: 'vector' }, 'dqn')).toEqual([]);
  });

  it('a shift before the last episode, no shift, or another environment: nothing to say', () => {
    expect(experimentWarnings(shop(2999, 3000))).toEqual([]);
    expect(experimentWarnings(shop(null, 10))).toEqual([]);
    const toy = parseExperiment({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5 });
    expect(experimentWarnings(toy)).toEqual([]);
  });

  it('a network whose first update would come at or after the run’s last step never trains: said with the steps it can take', () => {
    const run = (env: Record<string, unknown>, agent: Record<string, unknown>, episodes: number) =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'late', env, agent, episodes }));
    // The reviewer's case: DQN's default learningStarts 500 on a bandit, one step per episode.
    expect(run({ id: 'bandit-testbed' }, { id: 'dqn' }, 500)).toEqual([
      "agent.learningStarts: the network's first update would come at step 500 (learningStarts 500), and 500 episodes take at most 500 steps (1 each): it never trains before the run ends; lower learningStarts well below 500, or raise episodes",
    ]);
    expect(run({ id: 'bandit-testbed' }, { id: 'dqn' }, 501)).toEqual([]);
    // trainFrequency moves the first update too, and is named when it does.
    expect(run({ id: 'bandit-testbed' }, { id: 'dqn', learningStarts: 0, trainFrequency: 1000 }, 600)[0]).toMatch(
      /^agent\.learningStarts: the network's first update would come at step 1,000 \(learningStarts 0, trainFrequency 1,000\), and 600 episodes take at most 600 steps/,
    );
    // PPO's first update waits for a full rollout of nSteps.
    expect(run({ id: 'bandit-testbed' }, { id: 'ppo' }, 100)).toEqual([
      "agent.nSteps: the network's first update would come at step 128 (nSteps 128), and 100 episodes take at most 100 steps (1 each): it never trains before the run ends; lower nSteps well below 100, or raise episodes",
    ]);
    // The seed toy's episodes take stepsPerEpisode steps: 5 × 100 = 500 is too few for learningStarts 500, 6 × 100 is not.
    expect(run({ id: 'seed-toy' }, { id: 'dqn' }, 5)).toHaveLength(1);
    expect(run({ id: 'seed-toy' }, { id: 'dqn' }, 6)).toEqual([]);
    // A smoke run of one episode: "1 episode takes", not "take".
    expect(run({ id: 'seed-toy' }, { id: 'dqn' }, 1)[0]).toContain(', and 1 episode takes at most 100 steps (100 each):');
    expect(run({ id: 'bandit-testbed' }, { id: 'ucb1' }, 1)).toEqual([]);
  });

  it('a DQN target network that would first move at or after the run’s last step never moves: said with the steps and the fix', () => {
    const run = (agent: Record<string, unknown>, episodes: number) =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'frozen', env: { id: 'seed-toy', stepsPerEpisode: 10 }, agent: { id: 'dqn', learningStarts: 100, ...agent }, episodes }));
    // stable-baselines3's target_update_interval copied into a run of 3,000 steps: it trains, on targets of the initial network.
    expect(run({ targetUpdate: 10_000 }, 300)).toEqual([
      'agent.targetUpdate: the target network would first move at step 10,000 (targetUpdate 10,000, learningStarts 100), and 300 episodes take at most 3,000 steps (10 each): every TD target comes from the untrained initial network; lower targetUpdate well below 3,000 (or set tau 0.005 with targetUpdate 1), or raise episodes',
    ]);
    // A soft update that moves rarely is as frozen; the first move is the first multiple of targetUpdate from learningStarts on.
    expect(run({ targetUpdate: 3_000, tau: 0.005 }, 300)[0]).toMatch(/^agent\.targetUpdate: the target network would first move at step 3,000 /);
    expect(run({ targetUpdate: 3_000 }, 301)).toEqual([]);
    expect(run({ targetUpdate: 1, tau: 0.005 }, 300)).toEqual([]);
    // A network that never trains is said once, by learningStarts: its target does not matter.
    expect(run({ learningStarts: 5_000, targetUpdate: 10_000 }, 300)).toEqual([expect.stringMatching(/^agent\.learningStarts: /)]);
  });

  it('metrics past a gigabyte on disk: said with the runs, episodes and metrics behind it, at the store’s bytes per value', () => {
    const run = (agent: string, seeds: number, episodes: number) =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'huge', env: { id: 'seed-toy' }, agent: { id: agent, epsilon: 0.1 }, episodes, seeds }));
    // The QA case: 1,000 seeds × 100,000,000 episodes of DQN, which records return, length and three train/ metrics.
    expect(run('dqn', 1000, 100_000_000)).toEqual([
      'episodes: 1,000 runs × 100,000,000 episodes × 5 metrics would store 500,000,000,000 values, up to about 2,200 GB on disk; lower episodes or seeds if that is not meant',
    ]);
    // The count of metrics is the agent's: 50M episodes of Q-learning (3 metrics, ~0.65 GB) stay under, of DQN (5, ~1.1 GB) do not.
    expect(run('q-learning', 1, 50_000_000)).toEqual([]);
    expect(run('dqn', 1, 50_000_000)).toEqual(['episodes: 1 run × 50,000,000 episodes × 5 metrics would store 250,000,000 values, up to about 1.1 GB on disk; lower episodes or seeds if that is not meant']);
    expect(run('q-learning', 1, 100_000_000)[0]).toMatch(/^episodes: 1 run × 100,000,000 episodes × 3 metrics would store 300,000,000 values, up to about 1\.3 GB/);
  });

  it('builds an environment and agent once to count their metrics, not at every check (a large DQN allocates its replay buffer)', () => {
    // Validation runs at every edit of the form, and once per experiment of a sweep: the count is the same for every alpha.
    const dqn = findAgent('dqn')!;
    const create = vi.spyOn(dqn, 'create');
    try {
      for (const alpha of [0.001, 0.002, 0.003]) {
        const e = parseExperiment({ format: 'aisle.experiment/v1', name: 'huge', env: { id: 'bandit-testbed' }, agent: { id: 'dqn', learningRate: alpha }, episodes: 100_000_000, seeds: 10 });
        expect(experimentWarnings(e)[0]).toMatch(/^episodes: 10 runs × 100,000,000 episodes × 7 metrics/);
      }
      expect(create.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      create.mockRestore();
    }
  });

  it('counts the metrics an episode records as the training loop lists them', () => {
    for (const [env, agent] of [['seed-toy', 'q-learning'], ['seed-toy', 'dqn'], ['shop', 'ppo'], ['bandit-testbed', 'ucb1'], ['shop', 'random']] as const) {
      const e = parseExperiment({ format: 'aisle.experiment/v1', name: 'count', env: { id: env }, agent: { id: agent }, episodes: 10 });
      expect(metricsPerEpisode(e)).toBe(prepareRun({ ...e, seed: 0 }).metricNames.length);
    }
  });
});
