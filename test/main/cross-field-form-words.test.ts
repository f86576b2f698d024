// Parameters the service refuses together (engine/cross-field.ts) are said by the form (New
// experiment, next to the field and under a Sweep row) in the words the service says them in: a
// line both say is shown once, and the form says it already while the service checks nothing more.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openService, type TestService } from '../helpers/service';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { crossFieldProblems, parameterChecks } from '../../src/renderer/src/form/sweep-checks';
import { GRID, parameterRanges } from '../../src/renderer/src/form/random-search';
import { sweepOf, type SweepRow } from '../../src/renderer/src/form/sweep-section';
import { catalog } from '../helpers/catalog';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

const start = setAt(initialDraft(catalog), ['episodes'], 20);
const dqn = (params: Record<string, unknown>) => setAt(start, ['agent'], { id: 'dqn', ...params });
const ppo = (params: Record<string, unknown>) => setAt(start, ['agent'], { id: 'ppo', ...params });
const shop = (params: Record<string, unknown>) => setAt(start, ['env'], { id: 'shop', ...params });

it.each([
  ['dqn batchSize above bufferSize', dqn({ batchSize: 2048, bufferSize: 1000 })],
  ['ppo nSteps not a multiple of batchSize', ppo({ nSteps: 100, batchSize: 64 })],
  ['ppo batchSize above nSteps', ppo({ nSteps: 32, batchSize: 64 })],
  ['shop categories above items', shop({ items: 3, categories: 5 })],
  ['shop slateSize above items', shop({ items: 3, categories: 2, slateSize: 4 })],
  ['shop leave probability above 1', shop({ leaveBase: 0.5, leaveSlope: 0.6 })],
  ['shop price sensitivities crossed', shop({ priceSensitivityMin: 2, priceSensitivityMax: 1 })],
  ['shop exact with drift and shift', shop({ exact: true, driftStd: 0.1, shiftAt: 50 })],
  ['shop discrete observation past its states', shop({ items: 30, categories: 30, segments: 100, engagementLevels: 20, fatigueLevels: 20 })],
  ['shop exact MDP past its pairs', shop({ exact: true, segments: 10, categories: 20, items: 1000, engagementLevels: 5, fatigueLevels: 5 })],
  ['shop exact MDP past its actions', shop({ exact: true, items: 20_000 })],
  ['q-learning on the shop\'s vector observation', setAt(shop({ observation: 'vector', segments: 3, categories: 4, items: 20 }), ['agent'], { id: 'q-learning' })],
  ['expected-sarsa on the shop\'s vector observation', setAt(shop({ observation: 'vector' }), ['agent'], { id: 'expected-sarsa' })],
  ['linucb on seed-toy', setAt(setAt(start, ['env'], { id: 'seed-toy', states: 2000 }), ['agent'], { id: 'linucb' })],
  ['linucb on the bandit testbed', setAt(setAt(start, ['env'], { id: 'bandit-testbed' }), ['agent'], { id: 'linucb' })],
  ['linucb on the shop\'s discrete observation', setAt(shop({ observation: 'discrete', segments: 3, categories: 4, items: 20 }), ['agent'], { id: 'linucb' })],
  ['ppo on a one-hot of 150,000 seed-toy states', setAt(setAt(start, ['env'], { id: 'seed-toy', states: 150_000 }), ['agent'], { id: 'ppo', hidden: [8] })],
  ['the myopic oracle on seed-toy', setAt(setAt(start, ['env'], { id: 'seed-toy' }), ['agent'], { id: 'myopic-oracle' })],
])('%s: the form says what the service says', async (_, draft) => {
  const form = crossFieldProblems(catalog, draft);
  const service = await t.call('experiments.validate', { experiment: draft });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});

const grid = (draft: typeof start, list: SweepRow[]) => sweepOf(list, GRID, parameterRanges(catalog, draft), parameterChecks(catalog, draft)).problems;
it.each([
  ['agent.batchSize', '32, 64, 2048', dqn({ batchSize: 64, bufferSize: 1000 })],
  ['agent.bufferSize', '16, 1000', dqn({ batchSize: 64, bufferSize: 1000 })],
  ['agent.nSteps', '128, 100', ppo({ nSteps: 128, batchSize: 64 })],
  ['env.slateSize', '1, 4', shop({ items: 3, categories: 2 })],
  ['env.driftStd', '0, 0.1', shop({ exact: true })],
  ['env.categories', '4, 30', shop({ items: 30, categories: 4, segments: 100, engagementLevels: 20, fatigueLevels: 20 })],
  ['env.items', '20, 20000', shop({ exact: true })],
])('a Sweep row of %s = %s: the form names the value the service refuses, in its words', async (path, values, draft) => {
  const form = grid(draft, [{ path, values }]);
  const read = sweepOf([{ path, values }]).sweep;
  const service = await t.call('experiments.validate', { experiment: draft, sweep: read });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});

it("a random search's draws the service refuses with the draft: the form says them as the service says each trial", async () => {
  const draft = dqn({ batchSize: 64, bufferSize: 1000 });
  const row = { path: 'agent.batchSize', kind: 'int' as const, lo: '900', hi: '1100', values: '' };
  const search = { mode: 'random' as const, trials: '3', seed: '2' };
  const form = sweepOf([row], search, parameterRanges(catalog, draft), parameterChecks(catalog, draft)).problems;
  // What the form would send: the same draws, unchecked.
  const drawn = sweepOf([row], search).sweep;
  const service = await t.call('experiments.validate', { experiment: draft, sweep: drawn, paired: true });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});
