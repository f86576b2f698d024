// A random search from the app (experiments.validate and experiments.launchSweep with `paired`):
// experiment t takes the t-th drawn value of every field, named as `aisle run --sample` names it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleValues } from '../../src/engine/sweep-sample';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

const small = () => cliff({ name: 'cliff', episodes: 3, seeds: 2 });

describe('random search', () => {
  it('stores one experiment per trial, not per combination, with the values drawn for it', async () => {
    const [alpha, epsilon] = sampleValues(
      [
        { kind: 'log', lo: 0.001, hi: 1 },
        { kind: 'uniform', lo: 0.01, hi: 0.3 },
      ],
      3,
      5,
    );
    const sweep = [
      { path: 'agent.alpha', values: alpha as number[] },
      { path: 'agent.epsilon', values: epsilon as number[] },
    ];
    expect(await t.call('experiments.validate', { experiment: small(), sweep, paired: true })).toMatchObject({ ok: true, sweep: { experiments: 3, runs: 6 } });
    const launched = await t.call('experiments.launchSweep', { experiment: small(), sweep, paired: true });
    expect(launched.experiments.map((e) => e.name)).toEqual([0, 1, 2].map((k) => `cliff (alpha=${alpha![k]}, epsilon=${epsilon![k]})`));
    await t.until(launched.experiments.flatMap((e) => e.runIds));
  });

  it("says a drawn value the field cannot take under that field's row, and values of unequal counts", async () => {
    const sweep = [
      { path: 'agent.epsilon', values: [0.1, 0.2] },
      { path: 'agent.alpha', values: [0.5, 1.5] },
    ];
    expect(await t.call('experiments.validate', { experiment: small(), sweep, paired: true })).toEqual({
      ok: false,
      problems: ['sweep[1]: epsilon = 0.2, alpha = 1.5: must be a number in (0, 1], got 1.5'],
    });
    const uneven = [
      { path: 'agent.epsilon', values: [0.1, 0.2] },
      { path: 'agent.alpha', values: [0.5] },
    ];
    expect(await t.call('experiments.validate', { experiment: small(), sweep: uneven, paired: true })).toMatchObject({ ok: false, problems: [expect.stringContaining('as many values for every field')] });
  });

  it('refuses two trials of the same values, which would make two experiments of one setting, and launches nothing', async () => {
    const sweep = [
      { path: 'agent.epsilon', values: [0.1, 0.2, 0.1] },
      { path: 'agent.alpha', values: [0.5, 0.5, 0.5] },
    ];
    const problems = ['sweep: trials 1 and 3 draw the same values (epsilon=0.1, alpha=0.5): two experiments of one setting; draw each trial\'s values apart'];
    expect(await t.call('experiments.validate', { experiment: small(), sweep, paired: true })).toEqual({ ok: false, problems });
    await expect(t.call('experiments.launchSweep', { experiment: small(), sweep, paired: true })).rejects.toThrow('trials 1 and 3 draw the same values');
    expect(await t.call('experiments.list', {})).toEqual([]);
  });
});
