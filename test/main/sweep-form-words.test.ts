// A grid row's value its parameter cannot take (out of its range, not among its choices, not true or
// false, a schedule's field that makes ε rise) is said by the form (New experiment's Sweep, while the
// draft has a problem of its own the service checks no sweep) in the words the service says it in.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { sweepOf } from '../../src/renderer/src/form/sweep-section';
import { GRID, parameterRanges } from '../../src/renderer/src/form/random-search';
import { parameterChecks } from '../../src/renderer/src/form/sweep-checks';
import { catalog } from '../helpers/catalog';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

it.each([
  ['agent.alpha', '0.1, 2, abc, null'],
  ['agent.gamma', '0.5, 1.5'],
  ['agent.epsilon', '0.1, 2'],
  ['agent.initialQ', '0, 1e300, x'],
  ['episodes', '3, 1e9, 2.5, x, 0'],
])('%s = %s: the form says what the service says', async (path, values) => {
  const draft = setAt(initialDraft(catalog), ['agent'], { id: 'q-learning', alpha: 0.5, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
  const form = sweepOf([{ path, values }], GRID, parameterRanges(catalog, draft), parameterChecks(catalog, draft)).problems;
  const read = sweepOf([{ path, values }]).sweep;
  const service = await t.call('experiments.validate', { experiment: cliff({ name: 'cliff', episodes: 3, seeds: 2 }), sweep: read });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});

// The starter's shop (exact) with Q-learning on an ε schedule from 0.5 to 0.05, the draft sent as it is.
const starter = setAt(initialDraft(catalog), ['agent', 'epsilon'], { start: 0.5, end: 0.05, decayEpisodes: 100 });
const drifting = setAt(starter, ['env', 'exact'], false); // shiftAt takes a number only outside the exact mode
const dqn = setAt(starter, ['agent'], { id: 'dqn' });
// A row left on a parameter the draft no longer has: the environment switched, ε made constant.
const toy = setAt(starter, ['env'], { id: 'seed-toy' });
const constant = setAt(starter, ['agent', 'epsilon'], 0.1);
it.each([
  ['env.ranking', 'quality, best, 3, null', starter],
  ['env.observeSegment', 'true, yes, 1, null', starter],
  ['env.shiftAt', 'null, 2000, 1e9, 2.5, abc, true, -1', drifting],
  ['agent.epsilon', '0.1, abc, null, true, 2', starter],
  ['agent.epsilon.end', '0.01, 2, abc, null, 0.9', starter],
  ['agent.epsilon.start', '0.9, 0.01, 1.5, x', starter],
  ['agent.epsilon.decayEpisodes', '5, 0, 2.5, x', starter],
  ['agent.doubleDqn', 'true, maybe', dqn],
  ['agent.loss', 'mse, l1, true', dqn],
  ['env.ranking', 'quality, attractiveness', toy],
  ['env.ranking', 'quality', toy],
  ['agent.epsilon.end', '0.01, 0.02, 0.03', constant],
])('%s = %s (a choice, a switch, a number or null, ε and its schedule, a parameter the draft no longer has): the form says what the service says', async (path, values, draft) => {
  const form = sweepOf([{ path, values }], GRID, parameterRanges(catalog, draft), parameterChecks(catalog, draft)).problems;
  const read = sweepOf([{ path, values }]).sweep;
  const service = await t.call('experiments.validate', { experiment: draft, sweep: read });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});

it("a random search's choice of a switch the form refuses before drawing: in the words the service says a trial that draws it in", async () => {
  const search = { mode: 'random' as const, trials: '2', seed: '1' };
  const form = sweepOf([{ path: 'agent.doubleDqn', kind: 'choice', values: 'true, maybe' }], search, parameterRanges(catalog, dqn), parameterChecks(catalog, dqn)).problems;
  // The draws the form would send: one trial each.
  const service = await t.call('experiments.validate', { experiment: dqn, sweep: [{ path: 'agent.doubleDqn', values: [true, 'maybe'] }], paired: true });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});
