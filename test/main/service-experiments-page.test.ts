// experiments.page: the Experiments screen's page of experiments, searched, sorted and paged in SQL
// (reading every experiment took 0.9–1.9 s and 3.9 MB at 6,400 of them). Its rows are those
// experiments.list gives the same experiments; its order and search are the screen's before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../src/shared/contract';
import { EXPERIMENT_SORTS, type ExperimentSort } from '../../src/shared/dto';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

/** An experiment stored with `runs` runs (never started), as another process or an import leaves it. */
function stored(name: string, env: string, agent: string, episodes: number, runs: number, description?: string): number {
  const config = { format: 'aisle.experiment/v1', name, env: { id: env }, agent: { id: agent }, episodes, seeds: Array.from({ length: runs }, (_, i) => i), ...(description ? { description } : {}) };
  const hash = String(episodes).padStart(64, '0');
  const spec = (seed: number) => ({ seed, config, configHash: hash, appVersion: 'test', episodesTotal: episodes });
  return t.store.createExperimentWithRuns({ name, config, configHash: hash, runs: Array.from({ length: runs }, (_, i) => spec(i)) }).experiment.id;
}

/** Five experiments, ids 1–5, each sort telling them apart (episodes and run counts tie once, ties by id). */
function five() {
  stored('cliff', 'tabular-mdp', 'q-learning', 300, 2, 'the textbook check');
  stored('École bandit', 'bandit', 'UCB1', 100, 1);
  stored('beta', 'Shop', 'sarsa', 300, 3);
  stored('alpha', 'bandit', 'thompson', 50, 1, 'École normale');
  stored('delta', 'shop', 'dqn', 1000, 0);
}

const ids = async (input: CommandInput<'experiments.page'>) => (await t.call('experiments.page', input)).experiments.map((e) => e.id);

describe('experiments.page', () => {
  it('pages the newest first by default, with the total, each row as experiments.list has it', async () => {
    five();
    const whole = await t.call('experiments.list', {});
    const first = await t.call('experiments.page', { limit: 2 });
    expect(first).toEqual({ total: 5, stored: 5, experiments: [whole[0], whole[1]] });
    expect(first.experiments[0]).toMatchObject({ id: 5, name: 'delta', envId: 'shop', agentId: 'dqn', episodes: 1000, seeds: 0 });
    expect(await ids({ offset: 2, limit: 2 })).toEqual([3, 2]);
    expect(await ids({ offset: 4, limit: 2 })).toEqual([1]);
    expect(await t.call('experiments.page', { offset: 10, limit: 2 })).toEqual({ total: 5, stored: 5, experiments: [] });
    expect(await ids({ descending: false })).toEqual([1, 2, 3, 4, 5]);
    // With `ids` it still answers those alone (what a push reads).
    expect((await t.call('experiments.list', { ids: [4, 2] })).map((e) => e.id)).toEqual([4, 2]);
  });

  it('sorts by each column either way, ties by number in the same direction', async () => {
    five();
    const sorts: Record<ExperimentSort, number[]> = {
      // Folded as the search folds them: "École" with the e's, after "delta".
      name: [4, 3, 1, 5, 2],
      // Ids ignore case: "Shop" beside "shop".
      env: [2, 4, 3, 5, 1],
      agent: [5, 1, 3, 4, 2],
      episodes: [4, 2, 1, 3, 5],
      runs: [5, 2, 4, 1, 3],
      createdAt: [1, 2, 3, 4, 5],
      id: [1, 2, 3, 4, 5],
    };
    for (const sort of EXPERIMENT_SORTS) {
      const ascending = sorts[sort];
      expect(await ids({ sort, descending: false }), `${sort} ascending`).toEqual(ascending);
      expect(await ids({ sort, descending: true }), `${sort} descending`).toEqual([...ascending].reverse());
    }
    // A page of a sorted list is that part of it.
    expect(await ids({ sort: 'name', descending: false, offset: 1, limit: 3 })).toEqual([3, 1, 5]);
  });

  it('searches the name, description, environment and agent (case and accents aside) or the number, the total counting the matches', async () => {
    five();
    const found = async (search: string) => {
      const page = await t.call('experiments.page', { search, descending: false });
      expect(page.total, search).toBe(page.experiments.length);
      return page.experiments.map((e) => e.id);
    };
    expect(await found('ecole')).toEqual([2, 4]); // a name, and a description
    expect(await found('TEXTBOOK')).toEqual([1]);
    expect(await found('shop')).toEqual([3, 5]);
    expect(await found('ucb')).toEqual([2]);
    expect(await found('#3')).toEqual([3]);
    expect(await found('5')).toEqual([5]);
    expect(await found('  ')).toEqual([1, 2, 3, 4, 5]);
    expect(await found('100%')).toEqual([]);
    expect(await t.call('experiments.page', { search: 'a', sort: 'name', descending: false, limit: 2 })).toMatchObject({ total: 5 });
    expect(await t.call('experiments.page', { search: 'bandit', limit: 1 })).toMatchObject({ total: 2, stored: 5, experiments: [{ id: 4 }] });
  });

  it('refuses a negative offset, a limit out of range or an unknown sort, naming the field', async () => {
    expect(await t.fail('experiments.page', { offset: -1 })).toMatchObject({ status: 400, problems: [expect.stringMatching(/^offset: /)] });
    expect(await t.fail('experiments.page', { limit: 0 })).toMatchObject({ status: 400, problems: [expect.stringMatching(/^limit: /)] });
    expect(await t.fail('experiments.page', { limit: 501 })).toMatchObject({ status: 400, problems: [expect.stringMatching(/^limit: /)] });
    const sort = await t.fail('experiments.page', { sort: 'seeds' });
    expect(sort).toMatchObject({ status: 400, problems: [expect.stringMatching(/^sort: .*"id".*"createdAt"/)] });
    expect((await t.fail('experiments.page', { search: 'x'.repeat(201) })).problems).toEqual([expect.stringMatching(/^search: /)]);
  });
});
