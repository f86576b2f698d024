// Renaming an experiment, or changing its description, after it was launched: its runs, config
// hash and grouping in Compare stay; bad input names the field and changes nothing; the lists and
// other processes watching the database see the new name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

async function launched(overrides: Record<string, unknown> = {}): Promise<{ experimentId: number; runIds: readonly number[] }> {
  const result = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2, ...overrides }) });
  await t.until(result.runIds);
  return result;
}

describe('experiments.update', () => {
  it('renames and describes an experiment; its runs, config hash and Compare grouping stay', async () => {
    const { experimentId, runIds } = await launched({ description: 'alpha 0.5' });
    const before = await t.call('experiments.get', { id: experimentId });
    const runsBefore = (await t.call('runs.list', { experimentId })).runs;
    const groupsBefore = (await t.call('compare.runs', { experimentIds: [experimentId] })).groups.map((g) => [g.configHash, g.runIds]);
    const from = t.events.length;

    expect(await t.call('experiments.update', { id: experimentId, name: '  cliff alpha 0.5  ', description: 'step size 0.5, ε 0.1' })).toEqual({
      id: experimentId,
      name: 'cliff alpha 0.5', // trimmed, as a file's name is
      description: 'step size 0.5, ε 0.1',
    });
    expect(t.events.slice(from).map(({ event, payload }) => ({ event, payload }))).toEqual([{ event: 'experiments.changed', payload: { experimentId } }]);

    const after = await t.call('experiments.get', { id: experimentId });
    expect(after).toMatchObject({ name: 'cliff alpha 0.5', description: 'step size 0.5, ε 0.1', configHash: before.configHash, runIds });
    // Run again starts from the config: it carries the new name and description, and nothing else changed.
    expect(after.config).toEqual({ ...before.config, name: 'cliff alpha 0.5', description: 'step size 0.5, ε 0.1' });
    expect((await t.call('experiments.list', {}))[0]).toMatchObject({ id: experimentId, name: 'cliff alpha 0.5', description: 'step size 0.5, ε 0.1' });
    const runsAfter = (await t.call('runs.list', { experimentId })).runs;
    expect(runsAfter.map((r) => r.experimentName)).toEqual(['cliff alpha 0.5', 'cliff alpha 0.5']);
    expect(runsAfter.map(({ experimentName: _n, ...r }) => r)).toEqual(runsBefore.map(({ experimentName: _n, ...r }) => r));
    expect((await t.call('runs.get', { id: runIds[0]! })).experimentName).toBe('cliff alpha 0.5');
    expect((await t.call('runs.list', { search: 'alpha 0.5' })).total).toBe(2);
    const compared = await t.call('compare.runs', { experimentIds: [experimentId] });
    expect(compared.groups.map((g) => [g.configHash, g.runIds])).toEqual(groupsBefore);
    expect(compared.groups[0]!.label).toBe('cliff alpha 0.5 · q-learning'); // the legend's name
  });

  it('changes only what it is given; an empty description removes it', async () => {
    const { experimentId } = await launched({ description: 'first try' });
    expect(await t.call('experiments.update', { id: experimentId, description: 'second try' })).toEqual({ id: experimentId, name: 'cliff q-learning', description: 'second try' });
    expect(await t.call('experiments.update', { id: experimentId, name: 'renamed' })).toEqual({ id: experimentId, name: 'renamed', description: 'second try' });
    expect(await t.call('experiments.update', { id: experimentId, description: '' })).toEqual({ id: experimentId, name: 'renamed', description: null });
    expect((await t.call('experiments.list', {}))[0]).not.toHaveProperty('description');
    expect((await t.call('experiments.get', { id: experimentId })).config).not.toHaveProperty('description');
  });

  it('refuses an unknown id, a blank or too long name, and an update of nothing, changing nothing', async () => {
    const { experimentId } = await launched({ description: 'kept' });
    const before = JSON.stringify(await t.call('experiments.get', { id: experimentId }));
    const from = t.events.length;
    expect(await t.fail('experiments.update', { id: 999, name: 'x' })).toEqual({
      name: 'NotFound',
      status: 404,
      message: 'experiment 999 does not exist: the Experiments screen lists the experiments there are',
    });
    for (const [input, problem] of [
      [{ id: experimentId, name: '   ' }, 'name: must not be empty: give the experiment a name'],
      [{ id: experimentId, name: 'x'.repeat(201) }, 'name: has 201 characters, more than 200: shorten it'],
      [{ id: experimentId, name: 'a\u001b[31mb' }, expect.stringMatching(/^name: must not contain control characters/)],
      [{ id: experimentId, description: 'x'.repeat(10_001) }, 'description: has 10,001 characters, more than 10,000: shorten it'],
      [{ id: experimentId }, 'give a name or a description to change'],
      [{ id: experimentId, name: 'x', configHash: 'a'.repeat(64) }, expect.stringMatching(/configHash/)],
    ] as const) {
      const error = await t.fail('experiments.update', input);
      expect(error, JSON.stringify(input).slice(0, 80)).toMatchObject({ status: 400, problems: [problem] });
    }
    expect(JSON.stringify(await t.call('experiments.get', { id: experimentId }))).toBe(before);
    expect(t.events.slice(from)).toEqual([]);
  });

  it('another process renaming an experiment is pushed, and the list shows its new description', async () => {
    const { experimentId } = await launched({ description: 'old words' });
    expect((await t.call('experiments.list', {}))[0]).toMatchObject({ description: 'old words' }); // now kept by the list
    const other = Store.open(t.dbPath); // `aisle rename` in a terminal
    try {
      other.editExperiment(experimentId, { name: 'from the terminal', description: 'new words' });
    } finally {
      other.close();
    }
    const from = t.events.length;
    t.service.checkExternalChanges();
    expect(t.events.slice(from).map(({ event, payload }) => ({ event, payload }))).toEqual([{ event: 'experiments.changed', payload: { experimentId } }]);
    expect((await t.call('experiments.list', {}))[0]).toMatchObject({ name: 'from the terminal', description: 'new words' });
    t.service.checkExternalChanges();
    expect(t.events.length).toBe(from + 1); // told once
  });
});
