// `aisle runs` named its runs' experiments by reading every experiment, config and all (0.5 s on a
// database of 6,400 experiments, and an inline MDP can be tens of MB): it now reads the names of
// the listed runs' experiments only, and prints them as before.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runsCommand } from '../../src/cli/inspect';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

afterEach(() => vi.restoreAllMocks());

describe('aisle runs', () => {
  it("reads the listed runs' experiment names, not every experiment", () => {
    const db = join(tempDir(), 'aisle.db');
    const store = Store.open(db);
    const spec = { seed: 0, config: { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5, seed: 0 }, configHash: 'b'.repeat(64), episodesTotal: 5, appVersion: 'test' };
    for (let i = 1; i <= 30; i++) store.createExperimentWithRuns({ name: `experiment ${i}`, config: { big: 'x'.repeat(1000) }, configHash: 'a'.repeat(64), runs: [spec] });
    store.close();
    const everyExperiment = vi.spyOn(Store.prototype, 'listExperiments');
    const named = vi.spyOn(Store.prototype, 'experimentName');
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
    expect(runsCommand({ db, limit: 3 })).toBe(0);
    expect(everyExperiment).not.toHaveBeenCalled();
    expect(named.mock.calls.map((c) => c[0])).toEqual([30, 29, 28]);
    expect(out).toMatch(/^30 +30 experiment 30 +q-learning/m);
    expect(out).toMatch(/^28 +28 experiment 28 +q-learning/m);
    expect(out).toContain('(3 of 30 runs; use --limit to see more)');
  });
});
