// A run's training time in `aisle runs` and `aisle show`, text and --json: its pauses left out (a
// run paused overnight reads its minutes of training, not the night), to now while it runs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainingText } from '../../src/cli/inspect';
import { Store } from '../../src/main/store';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const HOUR = 3_600_000;

describe('trainingText', () => {
  it('reads milliseconds, seconds, minutes and hours, rounding whole seconds before it splits them', () => {
    expect(trainingText({ activeMs: null, activeAt: null })).toBe('–');
    expect(trainingText({ activeMs: 999, activeAt: null })).toBe('999ms');
    expect(trainingText({ activeMs: 59_900, activeAt: null })).toBe('59.9s');
    expect(trainingText({ activeMs: 119_600, activeAt: null })).toBe('2m00s');
    expect(trainingText({ activeMs: 14 * HOUR + 61_000, activeAt: null })).toBe('14h01m01s');
  });

  it("counts a running run's time on from the moment its stored time reaches", () => {
    expect(trainingText({ activeMs: 4_000, activeAt: 9_000 }, 12_000)).toBe('7.0s');
    // A clock a little behind the one that wrote it: never less than the time stored.
    expect(trainingText({ activeMs: 4_000, activeAt: 9_000 }, 8_000)).toBe('4.0s');
  });
});

describe('aisle runs and aisle show', () => {
  it('show a run paused overnight by its training time, not its first start to its end', () => {
    const db = join(tempDir(), 'a.db');
    const store = Store.open(db);
    const { runs } = store.createExperimentWithRuns({
      name: 'overnight',
      // As a launch stores them: show checks a stored config as `aisle again` does.
      config: { format: 'aisle.experiment/v1', name: 'overnight', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [1, 2] },
      configHash: 'a'.repeat(64),
      runs: [1, 2].map((seed) => ({ seed, config: { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seed }, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: 10 })),
    });
    const [overnight, never] = [runs[0]!.id, runs[1]!.id];
    // Trained a minute, paused 14 hours, resumed for another minute.
    store.markRunning(overnight, 0);
    store.finishRun(overnight, 'paused', { at: 60_000 });
    store.resumeRun(overnight);
    store.markRunning(overnight, 14 * HOUR);
    store.finishRun(overnight, 'completed', { at: 14 * HOUR + 60_000, summary: {} });
    store.finishRun(never, 'cancelled');
    store.close();

    const list = aisle(['runs'], { db });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^run +experiment +agent +seed +status +episodes +training +return \(last 100\)/m);
    expect(list.stdout).toMatch(new RegExp(`^${overnight} .* completed +0/10 +2m00s `, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^${never} .* cancelled +0/10 +– `, 'm'));
    expect(list.stdout).not.toContain('14h');

    const json = JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: { id: number; activeMs: number | null; activeAt: number | null; trainingMs: number | null; startedAt: number }[] };
    expect(json.runs.find((r) => r.id === overnight)).toMatchObject({ startedAt: 0, activeMs: 120_000, activeAt: null, trainingMs: 120_000 });
    expect(json.runs.find((r) => r.id === never)).toMatchObject({ activeMs: null, activeAt: null, trainingMs: null });

    const show = aisle(['show', String(overnight)], { db });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('episodes 0/10, training 2m00s, app test');
    expect(JSON.parse(aisle(['show', String(overnight), '--json'], { db }).stdout)).toMatchObject({ startedAt: 0, finishedAt: 14 * HOUR + 60_000, activeMs: 120_000, trainingMs: 120_000 });
  });
});
