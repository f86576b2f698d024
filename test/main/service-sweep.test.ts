// A sweep from the app (experiments.validate and experiments.launchSweep): an experiment per
// combination of the values, named with them, all checked before any is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

const small = () => cliff({ name: 'cliff', episodes: 3, seeds: 2 });

describe('sweeps', () => {
  it('stores an experiment per combination, named with its values, with a run per seed', async () => {
    const sweep = [
      { path: 'agent.alpha', values: [0.1, 0.5] },
      { path: ['agent', 'epsilon'], values: [0.05, 0.2] },
    ];
    const checked = await t.call('experiments.validate', { experiment: small(), sweep });
    expect(checked).toMatchObject({ ok: true, sweep: { experiments: 4, runs: 8 } });

    const launched = await t.call('experiments.launchSweep', { experiment: small(), sweep });
    const names = ['cliff (alpha=0.1, epsilon=0.05)', 'cliff (alpha=0.1, epsilon=0.2)', 'cliff (alpha=0.5, epsilon=0.05)', 'cliff (alpha=0.5, epsilon=0.2)'];
    expect(launched.experiments.map((e) => [e.name, e.runIds.length])).toEqual(names.map((n) => [n, 2]));
    const stored = launched.experiments.map((e) => t.store.getExperiment(e.experimentId));
    expect(stored.map((e) => e.name)).toEqual(names);
    expect(stored.map((e) => e.source)).toEqual(['app', 'app', 'app', 'app']);
    expect(stored.map((e) => (e.config as { agent: { alpha: number; epsilon: number } }).agent)).toEqual([
      expect.objectContaining({ alpha: 0.1, epsilon: 0.05 }),
      expect.objectContaining({ alpha: 0.1, epsilon: 0.2 }),
      expect.objectContaining({ alpha: 0.5, epsilon: 0.05 }),
      expect.objectContaining({ alpha: 0.5, epsilon: 0.2 }),
    ]);
    // The screens hear of each new experiment, as after a launch.
    const changed = t.events.filter((e) => e.event === 'experiments.changed').map((e) => (e.payload as { experimentId: number }).experimentId);
    expect(changed).toEqual(launched.experiments.map((e) => e.experimentId));
    await t.until(launched.experiments.flatMap((e) => e.runIds));
  });

  it("sets its values in the list a Run again draft's name ends in, keeping the values it does not sweep", async () => {
    const again = cliff({ name: 'cliff (2) (alpha=0.1, epsilon=0.05)', episodes: 3, seeds: 1 }, { alpha: 0.1, epsilon: 0.05 });
    const launched = await t.call('experiments.launchSweep', { experiment: again, sweep: [{ path: 'agent.alpha', values: [0.3, 0.4] }] });
    expect(launched.experiments.map((e) => e.name)).toEqual(['cliff (2) (alpha=0.3, epsilon=0.05)', 'cliff (2) (alpha=0.4, epsilon=0.05)']);
    await t.until(launched.experiments.flatMap((e) => e.runIds));
  });

  it('warns of a swept parameter the other settings make do nothing, as `aisle run --set` does', async () => {
    const preset = await t.call('presets.load', { file: 'shop-calibrated.json' });
    if (!preset.ok) throw new Error(preset.problems.join('\n'));
    const experiment = { ...preset.experiment, episodes: 2, seeds: 1 };
    // Its explicit catalog replaces the generator's items.
    const checked = await t.call('experiments.validate', { experiment, sweep: [{ path: 'env.items', values: [20, 50] }] });
    expect(checked).toMatchObject({ ok: true, sweep: { experiments: 2 } });
    expect(checked.ok && checked.warnings).toContain("sweep of env.items: the shop environment's other settings make env.items do nothing here: the experiments it makes train alike");
    const alpha = await t.call('experiments.validate', { experiment, sweep: [{ path: 'agent.alpha', values: [0.1, 0.2] }] });
    expect(alpha.ok && alpha.warnings.filter((w) => w.includes('do nothing here'))).toEqual([]);
  });

  it('stores nothing when a value is bad, and names the value under its row, once', async () => {
    const sweep = [
      { path: 'episodes', values: [2, 3] },
      { path: 'agent.alpha', values: [0.1, 1.5] },
    ];
    const expected = { ok: false, problems: ['sweep[1]: alpha = 1.5: must be a number in (0, 1], got 1.5'] };
    expect(await t.call('experiments.validate', { experiment: small(), sweep })).toEqual(expected);
    const error = await t.fail('experiments.launchSweep', { experiment: small(), sweep });
    expect(error).toMatchObject({ status: 400, problems: expected.problems });
    expect(await t.call('experiments.list', {})).toEqual([]);
    // The experiment's own problems come first, on its own fields.
    const own = await t.call('experiments.validate', { experiment: cliff({ episodes: 0 }), sweep });
    expect(own).toEqual({ ok: false, problems: [expect.stringMatching(/^episodes: /)] });
  });

  it("sweeps an ε schedule's fields, named with their parameter, and says a bad one under its row", async () => {
    const scheduled = () => cliff({ name: 'cliff', episodes: 3, seeds: 1 }, { epsilon: { start: 1, end: 0.05, decayEpisodes: 2 } });
    const sweep = [
      { path: 'agent.epsilon.end', values: [0.01, 0.1] },
      { path: 'agent.epsilon.decayEpisodes', values: [1, 3] },
    ];
    expect(await t.call('experiments.validate', { experiment: scheduled(), sweep })).toMatchObject({ ok: true, sweep: { experiments: 4, runs: 4 } });
    const launched = await t.call('experiments.launchSweep', { experiment: scheduled(), sweep });
    expect(launched.experiments.map((e) => e.name)).toEqual([
      'cliff (epsilon.end=0.01, epsilon.decayEpisodes=1)',
      'cliff (epsilon.end=0.01, epsilon.decayEpisodes=3)',
      'cliff (epsilon.end=0.1, epsilon.decayEpisodes=1)',
      'cliff (epsilon.end=0.1, epsilon.decayEpisodes=3)',
    ]);
    const epsilons = launched.experiments.map((e) => (t.store.getExperiment(e.experimentId).config as { agent: { epsilon: unknown } }).agent.epsilon);
    expect(epsilons).toEqual([
      { start: 1, end: 0.01, decayEpisodes: 1 },
      { start: 1, end: 0.01, decayEpisodes: 3 },
      { start: 1, end: 0.1, decayEpisodes: 1 },
      { start: 1, end: 0.1, decayEpisodes: 3 },
    ]);
    await t.until(launched.experiments.flatMap((e) => e.runIds));

    const bad = [
      { path: 'agent.alpha', values: [0.1, 0.5] },
      { path: 'agent.epsilon.decayEpisodes', values: [0, 3] },
    ];
    expect(await t.call('experiments.validate', { experiment: scheduled(), sweep: bad })).toEqual({
      ok: false,
      problems: ['sweep[1]: epsilon.decayEpisodes = 0: must be a whole number ≥ 1, got 0'],
    });
    // A constant epsilon has no fields: said under the row, with what to sweep instead.
    expect(await t.call('experiments.validate', { experiment: small(), sweep: [{ path: 'agent.epsilon.end', values: [0.01] }] })).toEqual({
      ok: false,
      problems: ['sweep[0]: epsilon.end = 0.01: agent.epsilon: is 0.1 in the experiment, not an object with fields: sweep agent.epsilon itself'],
    });
  });

  it("sweeps the shop's shiftAt, a number or null (a drift study's parameter), as the form's row sends it", async () => {
    const drift = { format: 'aisle.experiment/v1', name: 'drift', env: { id: 'shop', shiftAt: null }, agent: { id: 'random' }, episodes: 5, seeds: 1 };
    const checked = await t.call('experiments.validate', { experiment: drift, sweep: [{ path: ['env', 'shiftAt'], values: [null, 2000, 4000] }] });
    expect(checked).toMatchObject({ ok: true, sweep: { experiments: 3, runs: 3 } });
  });

  it('refuses two rows of one parameter, which would not sweep together (the later overriding)', async () => {
    const cases: [{ path: string; values: number[] }[], string][] = [
      [[{ path: 'agent.alpha', values: [0.1] }, { path: 'episodes', values: [2, 3] }, { path: 'agent.alpha', values: [0.5] }], 'sweep[2]: alpha is also set by the row of alpha: give each parameter one row, with all its values'],
      [[{ path: 'agent.epsilon', values: [0.1] }, { path: 'agent.epsilon.end', values: [0.01] }], 'sweep[1]: epsilon.end is also set by the row of epsilon: give each parameter one row, with all its values'],
    ];
    for (const [sweep, problem] of cases) {
      expect(await t.call('experiments.validate', { experiment: small(), sweep })).toEqual({ ok: false, problems: [problem] });
    }
  });

  it('refuses rows for the seeds, a name or a description, which change no run', async () => {
    expect(await t.call('experiments.validate', { experiment: small(), sweep: [{ path: 'seeds', values: [2, 3] }] })).toMatchObject({
      ok: false,
      problems: ['sweep[0]: seeds: several values of seeds train the same seeds again (seeds=5,6 trains seeds 0–4 twice): give one count or one list, the largest'],
    });
    expect(await t.call('experiments.validate', { experiment: small(), sweep: [{ path: 'description', values: ['a', 'b'] }] })).toMatchObject({ ok: false, problems: [expect.stringMatching(/^sweep\[0\]: description: several values of description make experiments that train alike/)] });
  });

  it('refuses a value given twice in a grid, nothing launched; a random search may draw one value in two trials', async () => {
    const sweep = [{ path: 'agent.alpha', values: [0.1, 0.5, 0.1] }];
    const problem = 'sweep[0]: alpha = 0.1 is given twice: give each value once (each makes an experiment of its own)';
    expect(await t.call('experiments.validate', { experiment: small(), sweep })).toEqual({ ok: false, problems: [problem] });
    const before = (await t.call('experiments.list', {})) as unknown[];
    await expect(t.call('experiments.launchSweep', { experiment: small(), sweep })).rejects.toThrow(problem);
    expect(await t.call('experiments.list', {})).toHaveLength(before.length);
    const drawn = [
      { path: 'agent.alpha', values: [0.1, 0.1] },
      { path: 'agent.epsilon', values: [0.2, 0.3] },
    ];
    expect(await t.call('experiments.validate', { experiment: small(), sweep: drawn, paired: true })).toMatchObject({ ok: true });
  });

  it('refuses more than 64 experiments, and a sweep the contract does not take', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) / 100);
    const sweep = [
      { path: 'agent.alpha', values: many(13) },
      { path: 'agent.epsilon', values: many(5) },
    ];
    expect(await t.call('experiments.validate', { experiment: small(), sweep })).toEqual({
      ok: false,
      problems: ['sweep: 13 × 5 values give 65 experiments, more than 64 in one sweep: sweep fewer values at a time'],
    });
    expect(await t.fail('experiments.launchSweep', { experiment: small(), sweep })).toMatchObject({ status: 400 });
    for (const bad of [[], [{ path: 'agent.__proto__', values: [1] }], [{ path: 'agent..alpha', values: [1] }], [{ path: 'agent.alpha', values: [[0.1]] }], [{ path: 'agent.alpha', values: [] }]]) {
      expect((await t.fail('experiments.launchSweep', { experiment: small(), sweep: bad })).status, JSON.stringify(bad)).toBe(400);
    }
    expect(await t.call('experiments.list', {})).toEqual([]);
  });
});
