// experiments.list with `ids`: what a screen reads again after a run.status push, the experiment
// whose run changed status rather than every experiment (3.9 MB at 6,400 experiments, read back to
// back through a sweep). Its rows are those the whole list has for them, run counts included.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

describe('experiments.list with ids', () => {
  it('answers those experiments alone, each as the whole list has it, newest first; one not stored is left out', async () => {
    const first = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    const second = await t.call('experiments.launch', { experiment: cliff({ name: 'second', episodes: 20, seeds: 1, description: 'one seed' }) });
    const third = await t.call('experiments.launch', { experiment: cliff({ name: 'third', episodes: 20, seeds: 1 }) });
    await t.until([...first.runIds, ...second.runIds, ...third.runIds]);
    const whole = await t.call('experiments.list', {});
    expect(whole.map((e) => e.id)).toEqual([third.experimentId, second.experimentId, first.experimentId]);

    const some = await t.call('experiments.list', { ids: [first.experimentId, 999, third.experimentId] });
    expect(some).toEqual([whole[0], whole[2]]);
    expect(some[1]!.runCounts).toMatchObject({ completed: 2 });
    expect(await t.call('experiments.list', { ids: [second.experimentId] })).toEqual([whole[1]]);
    expect(await t.call('experiments.list', { ids: [] })).toEqual([]);
  });

  it('refuses more than 1000 ids, or one that is not a number, naming the field', async () => {
    expect((await t.fail('experiments.list', { ids: Array.from({ length: 1001 }, (_, i) => i + 1) })).message).toMatch(/ids.*at most 1000 ids/);
    expect((await t.fail('experiments.list', { ids: ['x'] })).message).toMatch(/ids/);
  });
});
