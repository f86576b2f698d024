// A grid row's value out of its parameter's range is said by the form (New experiment's Sweep, while
// the draft has a problem of its own the service checks no sweep) in the words the service says it in.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { sweepOf } from '../../src/renderer/src/form/sweep-section';
import { GRID, parameterRanges } from '../../src/renderer/src/form/random-search';
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
  const form = sweepOf([{ path, values }], GRID, parameterRanges(catalog, draft)).problems;
  const read = sweepOf([{ path, values }]).sweep;
  const service = await t.call('experiments.validate', { experiment: cliff({ name: 'cliff', episodes: 3, seeds: 2 }), sweep: read });
  expect(form.length).toBeGreaterThan(0);
  expect(service).toEqual({ ok: false, problems: form });
});
