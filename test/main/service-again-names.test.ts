// The app's Run again names its experiment apart where it is stored: two windows (or the app and
// `aisle again`) that opened Run again on one experiment both offer "(2)", and both were stored so.
import { describe, expect, it } from 'vitest';
import { cliff, closedAfterEach } from '../helpers/service';

const open = closedAfterEach();

describe('experiments.launch with repeat', () => {
  it('stores two repeats picked as "(2)" in two services on one database under two names', async () => {
    const a = open();
    const b = open(a.dbPath);
    const first = await a.call('experiments.launch', { experiment: cliff({ name: 'cliff', episodes: 5, seeds: 1 }) });
    const again = cliff({ name: 'cliff (2)', episodes: 5, seeds: 1 });
    const one = await a.call('experiments.launch', { experiment: again, repeat: true });
    const two = await b.call('experiments.launch', { experiment: again, repeat: true });
    const name = async (id: number) => (await a.call('experiments.get', { id })).name;
    expect([await name(first.experimentId), await name(one.experimentId), await name(two.experimentId)]).toEqual(['cliff', 'cliff (2)', 'cliff (3)']);
    // A sweep of a repeat says the names it was stored under, one number for all.
    const sweep = await b.call('experiments.launchSweep', { experiment: again, sweep: [{ path: 'agent.alpha', values: [0.1, 0.5] }], repeat: true });
    expect(sweep.experiments.map((e) => e.name)).toEqual(['cliff (4) (alpha=0.1)', 'cliff (4) (alpha=0.5)']);
    // Without repeat (a file launched twice), the name is kept as given.
    const plain = await b.call('experiments.launch', { experiment: cliff({ name: 'cliff', episodes: 5, seeds: 1 }) });
    expect(await name(plain.experimentId)).toBe('cliff');
    await a.until([...one.runIds]);
    await b.until([...two.runIds, ...sweep.experiments.flatMap((e) => e.runIds), ...plain.runIds]);
  });
});
