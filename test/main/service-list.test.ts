// runs.list over 1,200 real runs (two experiments of many seeds with a tiny budget): filters,
// search, every sort in both directions, and pages that are the right slices in the right order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/shared/dto';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
let all: RunSummary[];
let toy: number;
let bandit: number;

beforeAll(async () => {
  t = openService({ workers: 3 });
  const experiment = (name: string, env: Record<string, unknown>, agent: Record<string, unknown>, seeds: number) => ({
    format: 'aisle.experiment/v1',
    name,
    env,
    agent,
    episodes: 3,
    seeds,
    checkpoints: 0,
  });
  const a = await t.call('experiments.launch', { experiment: experiment('toy sweep', { id: 'seed-toy', stepsPerEpisode: 5 }, { id: 'sarsa' }, 700) });
  const b = await t.call('experiments.launch', { experiment: experiment('Bandit check', { id: 'bandit-testbed' }, { id: 'ucb1' }, 500) });
  toy = a.experimentId;
  bandit = b.experimentId;
  const started = performance.now();
  await t.until([...a.runIds, ...b.runIds]);
  console.log(`1,200 tiny runs trained and recorded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Every run, read page by page in id order, is the reference the other orders are checked against.
  all = [];
  for (let offset = 0; ; offset += 500) {
    const page = await t.call('runs.list', { sort: 'id', descending: false, offset, limit: 500 });
    expect(page.total).toBe(1200);
    all.push(...page.runs);
    if (page.runs.length < 500) break;
  }
}, 120_000);

afterAll(async () => {
  await t.close();
});

/** What each sort orders by (the ASCII names here compare as SQLite's NOCASE does, lower-cased). */
const KEY = {
  id: (r: RunSummary) => r.id,
  createdAt: (r: RunSummary) => r.createdAt,
  startedAt: (r: RunSummary) => r.startedAt,
  finishedAt: (r: RunSummary) => r.finishedAt,
  episodesDone: (r: RunSummary) => r.episodesDone / r.episodesTotal,
  status: (r: RunSummary) => r.status,
  returnLast100: (r: RunSummary) => r.returnLast100,
  seed: (r: RunSummary) => r.seed,
  // Training time: every run here has finished, so its stored time.
  elapsed: (r: RunSummary) => r.activeMs,
  experiment: (r: RunSummary) => r.experimentName.toLowerCase(),
  agent: (r: RunSummary) => r.agentId,
  env: (r: RunSummary) => r.envId,
};
type SortKey = keyof typeof KEY;

/** SQLite's order: NULL first ascending and last descending; ties by id in the same direction. */
function expectedOrder(runs: RunSummary[], sort: SortKey, descending: boolean): number[] {
  const value = KEY[sort];
  const sorted = [...runs].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const byKey = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
    return byKey !== 0 ? byKey : a.id - b.id;
  });
  return (descending ? sorted.reverse() : sorted).map((r) => r.id);
}

describe('runs.list', () => {
  it('holds every run with its experiment, environment, agent and key metric', () => {
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((x, y) => x - y));
    const sample = all[0]!;
    expect(sample).toMatchObject({ experimentId: toy, experimentName: 'toy sweep', envId: 'seed-toy', agentId: 'sarsa', status: 'completed', episodesDone: 3, episodesTotal: 3 });
    expect(all.every((r) => typeof r.returnLast100 === 'number')).toBe(true);
    const detail = t.store.getRun(sample.id).summary as { return: { last100: number } };
    expect(sample.returnLast100).toBe(detail.return.last100);
  });

  it('pages every sort in both directions as the right slices in the right order', async () => {
    for (const sort of Object.keys(KEY) as SortKey[]) {
      for (const descending of [true, false]) {
        const expected = expectedOrder(all, sort, descending);
        for (const [offset, limit] of [[0, 100], [100, 100], [1150, 100], [537, 23], [1200, 50]] as const) {
          const page = await t.call('runs.list', { sort, descending, offset, limit });
          expect(page.total).toBe(1200);
          expect(page.runs.map((r) => r.id), `${sort} ${descending} ${offset}`).toEqual(expected.slice(offset, offset + limit));
        }
      }
    }
  });

  it('filters by experiment and status, and searches names, agents, environments and run ids', async () => {
    const bySeed = await t.call('runs.list', { experimentId: bandit, sort: 'seed', descending: false, offset: 10, limit: 5 });
    expect(bySeed.total).toBe(500);
    expect(bySeed.runs.map((r) => r.seed)).toEqual([10, 11, 12, 13, 14]);
    expect((await t.call('runs.list', { status: ['completed'] })).total).toBe(1200);
    expect((await t.call('runs.list', { status: ['running', 'queued'] })).total).toBe(0);
    expect((await t.call('runs.list', { search: 'UCB' })).total).toBe(500);
    expect((await t.call('runs.list', { search: 'bandit-test' })).total).toBe(500);
    expect((await t.call('runs.list', { search: 'check' })).total).toBe(500);
    expect((await t.call('runs.list', { search: 'toy' })).total).toBe(700);
    expect((await t.call('runs.list', { search: 'nothing like it' })).total).toBe(0);
    const one = await t.call('runs.list', { search: `#${all[42]!.id}` });
    expect(one.runs.map((r) => r.id)).toEqual([all[42]!.id]);
    const within = await t.call('runs.list', { experimentId: toy, search: 'sarsa', sort: 'returnLast100', descending: true, limit: 500 });
    expect(within.total).toBe(700);
    expect(within.runs.map((r) => r.id)).toEqual(expectedOrder(all.filter((r) => r.experimentId === toy), 'returnLast100', true).slice(0, 500));
    const started = performance.now();
    for (let i = 0; i < 20; i++) await t.call('runs.list', { search: 'a', sort: 'returnLast100', offset: 600, limit: 100 });
    console.log(`runs.list over 1,200 runs (search, sort, offset 600): ${((performance.now() - started) / 20).toFixed(2)} ms`);
  });
});
