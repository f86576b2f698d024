// experiments.exportResults and importResults: the app's doors to `aisle results`, bytes over the
// contract, errors as one line naming the file the user picked.
import { afterEach, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

const services: TestService[] = [];
afterEach(async () => {
  while (services.length) await services.pop()!.close();
});

function service(): TestService {
  const t = openService({ workers: 1 });
  services.push(t);
  return t;
}

async function finished(t: TestService, name: string): Promise<{ experimentId: number; runIds: readonly number[] }> {
  const launched = await t.call('experiments.launch', { experiment: cliff({ name, episodes: 10, seeds: 2, checkpoints: 1 }) });
  await t.until(launched.runIds);
  return launched;
}

describe('experiments.exportResults / importResults', () => {
  it('carry experiments between two services as a file to save, once, and push the change', async () => {
    const home = service();
    const away = service();
    await finished(home, 'skipped');
    const chosen = await finished(home, 'chosen');
    await finished(away, 'already here');
    const exported = await home.call('experiments.exportResults', { ids: [chosen.experimentId] });
    expect(exported).toMatchObject({ fileName: `experiment-${chosen.experimentId}.aisle-results`, experiments: [{ id: chosen.experimentId, name: 'chosen', runs: 2, policies: 0 }] });
    expect(Buffer.from(exported.base64, 'base64').subarray(0, 16).toString()).toBe('SQLite format 3\0');

    const from = away.events.length;
    const imported = await away.call('experiments.importResults', { base64: exported.base64, fileName: 'night.aisle-results' });
    expect(imported.experiments).toEqual([expect.objectContaining({ from: chosen.experimentId, id: 2, alreadyImported: false, runs: [{ from: chosen.runIds[0], id: 3 }, { from: chosen.runIds[1], id: 4 }] })]);
    expect(away.events.slice(from).map((e) => e.event)).toEqual(['experiments.changed']);
    expect((await away.call('experiments.list', {})).map((e) => e.name).sort()).toEqual(['already here', 'chosen']);
    expect((await away.call('runs.metricsCsv', { id: 3 })).text).toBe((await home.call('runs.metricsCsv', { id: chosen.runIds[0]! })).text);

    const again = await away.call('experiments.importResults', { base64: exported.base64, fileName: 'night.aisle-results' });
    expect(again.experiments).toEqual([expect.objectContaining({ id: 2, alreadyImported: true })]);
  });

  it('refuse a file that is not one, or a damaged one, with a 400 naming it in plain words, and an unknown experiment with a 404', async () => {
    const t = service();
    const bad = await t.fail('experiments.importResults', { base64: Buffer.from('not a database at all, not even close').toString('base64'), fileName: 'notes.txt' });
    expect(bad).toMatchObject({ status: 400, problems: ['notes.txt: is not an Aisle results file (not a SQLite database): give a file `aisle results export` wrote'] });
    expect(await t.fail('experiments.exportResults', { ids: [9] })).toMatchObject({ status: 404, message: 'experiment 9 does not exist: the Experiments screen lists the experiments there are' });
    await finished(t, 'cut short');
    const whole = Buffer.from((await t.call('experiments.exportResults', { ids: [1] })).base64, 'base64');
    const half = whole.subarray(0, whole.length / 2).toString('base64');
    expect(await t.fail('experiments.importResults', { base64: half, fileName: 'night.aisle-results' })).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "night.aisle-results: is damaged (its database failed SQLite's integrity check): export it again from the source, or copy it again in full if it was cut short",
      problems: ["night.aisle-results: is damaged (its database failed SQLite's integrity check): export it again from the source, or copy it again in full if it was cut short"],
    });
  });
});
