// experiments.validate and experiments.parseFile carry the experiment's warnings beside it; a
// launch with one goes ahead (a warning is not a problem) and its reply carries them too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeAll(() => {
  t = openService();
});
afterAll(async () => {
  await t.close();
});

const drift = (episodes: number) => ({ format: 'aisle.experiment/v1', name: 'late shift', env: { id: 'shop', shiftAt: 50, maxSteps: 5 }, agent: { id: 'random' }, episodes, seeds: 1 });

describe('warnings', () => {
  it('validate: a shift after the last episode is a warning, a shift within the run none', async () => {
    const late = await t.call('experiments.validate', { experiment: drift(20) });
    expect(late).toMatchObject({ ok: true, warnings: [expect.stringMatching(/^env\.shiftAt: the shift at episode 50 never happens in 20 episodes/)] });
    expect(await t.call('experiments.validate', { experiment: drift(60) })).toMatchObject({ ok: true, warnings: [] });
  });

  it('validate: 1,000 seeds × 100,000,000 episodes is valid, with a note of the disk its metrics would take', async () => {
    const huge = { format: 'aisle.experiment/v1', name: 'huge', env: { id: 'seed-toy' }, agent: { id: 'dqn' }, episodes: 100_000_000, seeds: 1000 };
    expect(await t.call('experiments.validate', { experiment: huge })).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/^episodes: 1,000 runs × 100,000,000 episodes × 5 metrics would store 500,000,000,000 values, up to about 2,200 GB on disk/)],
    });
  });

  it("a shop catalog named by its path is read before the warnings, which count its items as an inline catalog's", async () => {
    // The warnings' catalogSize reads only an inline catalog: parseExperiment puts the named file in
    // its place first (here from the files picked with the experiment; `aisle run` from its folder).
    const items = Array.from({ length: 10_001 }, (_, i) => ({ category: i % 4, price: 1, quality: 0.5, attractiveness: 0 }));
    const named = { format: 'aisle.experiment/v1', name: 'wide', env: { id: 'shop', catalog: 'wide.catalog.json', maxSteps: 2 }, agent: { id: 'q-learning' }, episodes: 1, seeds: 1 };
    const parsed = await t.call('experiments.parseFile', { text: JSON.stringify(named), fileName: 'wide.json', files: { 'wide.catalog.json': JSON.stringify({ items }) } });
    const wide = expect.stringMatching(/^env\.catalog: 10,001 items, one action each, are more than the 10,000 actions a policy file holds/);
    expect(parsed).toMatchObject({ ok: true, warnings: [wide] });
    if (!parsed.ok) return;
    expect(await t.call('experiments.validate', { experiment: parsed.experiment })).toMatchObject({ ok: true, warnings: [wide] });
  });

  it('parseFile says the same, and a launch goes ahead, its reply saying it too', async () => {
    const parsed = await t.call('experiments.parseFile', { text: JSON.stringify(drift(20)), fileName: 'late.json' });
    expect(parsed).toMatchObject({ ok: true, warnings: [expect.stringContaining('env.shiftAt')] });
    const launched = await t.call('experiments.launch', { experiment: drift(20) });
    // A script that launches without validating first learns it from the reply.
    expect(launched.warnings).toEqual([expect.stringMatching(/^env\.shiftAt: the shift at episode 50 never happens in 20 episodes/)]);
    expect(launched).not.toHaveProperty('fitDropped');
    await t.until(launched.runIds);
    expect(t.store.getRun(launched.runIds[0]!).status).toBe('completed');
  });
});
