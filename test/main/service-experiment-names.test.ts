// experiments.names: the experiments' numbers, names, environments and dates, without their run
// counts or other fields; with repeatsOf, only the names a repeat of that name is numbered apart
// from. Policies' Evaluate offers the first (it read every experiment's summary, 3.9 MB at 6,400
// experiments, at each one launched); New experiment reads the second for Run again's draft, where
// it read every experiment for their names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { againName } from '../../src/shared/again-name';
import { repeatNamesRead } from '../../src/renderer/src/screens/new-experiment';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

/** An experiment stored without runs, as another process or an import leaves it. */
function stored(name: string, env: unknown = { id: 'bandit' }): number {
  const config = { format: 'aisle.experiment/v1', name, env, agent: { id: 'ucb1' }, episodes: 10, seeds: [0] };
  return t.store.createExperimentWithRuns({ name, config, configHash: '0'.repeat(64), runs: [] }).experiment.id;
}

describe('experiments.names', () => {
  it('answers every experiment’s number, name, environment and date, newest first, and nothing else', async () => {
    const a = stored('cliff');
    const b = stored('shop', { id: 'shop-sim' });
    const c = stored('no environment id', {});
    const names = await t.call('experiments.names', {});
    expect(names.map((e) => [e.id, e.name, e.envId])).toEqual([
      [c, 'no environment id', ''],
      [b, 'shop', 'shop-sim'],
      [a, 'cliff', 'bandit'],
    ]);
    const summaries = await t.call('experiments.list', {});
    expect(names).toEqual(summaries.map((e) => ({ id: e.id, name: e.name, envId: e.envId, createdAt: e.createdAt })));
  });

  it('the store reads the names starting with a text, in case too, with % and _ as text', () => {
    for (const name of ['cliff', 'cliff (2)', 'Cliff (3)', 'a cliff', 'cliff (2) (alpha=0.1)', '50% off', '50_ off', '500 off', 'École', 'Ecole']) stored(name);
    const starting = (text: string) => t.store.experimentNames(text).map((e) => e.name).sort();
    expect(starting('cliff')).toEqual(['cliff', 'cliff (2)', 'cliff (2) (alpha=0.1)']);
    expect(starting('50%')).toEqual(['50% off']);
    expect(starting('50_')).toEqual(['50_ off']);
    expect(starting('É')).toEqual(['École']);
    expect(starting('nothing')).toEqual([]);
    expect(starting('')).toHaveLength(10);
  });

  it('with repeatsOf, answers the names a repeat takes its number past, and Run again’s draft is named as every stored name would name it', async () => {
    // Names a repeat can be numbered past (its own numbers, a sweep's), beside others that start
    // alike or not, including names cut to the longest a name can be.
    const long = 'x'.repeat(200);
    const names = [
      'cliff', 'cliff (2)', 'cliff (3) (alpha=0.1)', 'cliff (4)x', 'cliffs (2)', 'Cliff (5)', 'cliff (alpha=0.4)', 'cliff (2) (alpha=0.2, epsilon=0.1)', 'cliff (02)', 'cliff (1)',
      long, `${'x'.repeat(196)} (2)`, `${'x'.repeat(196)} (3)`, `${'x'.repeat(195)} (10)`, `${'x'.repeat(194)}🚀 (2)`, '🚀'.repeat(150),
      'shop (alpha=0.1)', 'shop (2) (alpha=0.1)', 'other',
      // A long name's repeats swept, cut to leave room for their numbers and values (fittedName), and one that only starts alike.
      `${'x'.repeat(184)} (4) (alpha=0.1)`, `${'x'.repeat(180)} (5) (alpha=0.12345)`, `${'x'.repeat(150)} (6) (alpha=0.1)`,
    ];
    for (const name of names) stored(name);
    const repeats = async (name: string) => (await t.call('experiments.names', repeatNamesRead({ name })!)).map((e) => e.name).sort();
    expect(await repeats('cliff')).toEqual(['cliff (2)', 'cliff (2) (alpha=0.2, epsilon=0.1)', 'cliff (3) (alpha=0.1)']);
    expect(await repeats('cliff (7) (alpha=0.9)')).toEqual(await repeats('cliff'));
    expect(await repeats('shop (alpha=0.5)')).toEqual(['shop (2) (alpha=0.1)']);
    expect(await repeats(long)).toEqual([`${'x'.repeat(180)} (5) (alpha=0.12345)`, `${'x'.repeat(184)} (4) (alpha=0.1)`, `${'x'.repeat(195)} (10)`, `${'x'.repeat(196)} (2)`, `${'x'.repeat(196)} (3)`]);
    expect(await repeats('other')).toEqual([]);
    for (const name of [...names, 'cliff (7)', 'new one', `${'x'.repeat(194)}🚀rest`, `${'x'.repeat(196)} (4)`]) {
      expect(againName(name, [name, ...(await repeats(name))])).toBe(againName(name, [name, ...names]));
    }
    expect(repeatNamesRead({ name: '  ' })).toBeNull();
    expect(repeatNamesRead({})).toBeNull();
    expect(repeatNamesRead(null)).toBeNull();
    expect((await t.fail('experiments.names', { repeatsOf: 3 })).message).toMatch(/repeatsOf/);
  });
});
