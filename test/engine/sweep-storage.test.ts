// A sweep's metrics on disk in all: each experiment's own warning counts its runs alone, so a sweep
// of experiments each under a gigabyte, many gigabytes together, was launched unsaid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentWarnings, parseExperiment } from '../../src/engine/experiment';
import { sweepStorageWarnings } from '../../src/engine/storage-estimate';
import { openService, type TestService } from '../helpers/service';

const config = (alpha: number, episodes: number, seeds = 1) => ({ format: 'aisle.experiment/v1', name: 'big', env: { id: 'seed-toy' }, agent: { id: 'q-learning', alpha, epsilon: 0.1 }, episodes, seeds });
const experiment = (alpha: number, episodes: number, seeds = 1) => parseExperiment(config(alpha, episodes, seeds));

describe('sweepStorageWarnings', () => {
  it('four experiments of ~0.65 GB each: no experiment warns, the sweep does, with its runs and total', () => {
    const sweep = [0.1, 0.2, 0.3, 0.4].map((alpha) => experiment(alpha, 50_000_000));
    expect(sweep.flatMap((e) => experimentWarnings(e))).toEqual([]);
    expect(sweepStorageWarnings(sweep)).toEqual([
      "sweep: its 4 experiments' 4 runs would store 600,000,000 values in all, up to about 2.6 GB on disk; lower episodes or seeds, or sweep fewer values, if that is not meant",
    ]);
  });

  it('counts every run of every experiment: each experiment warning says its own 1.3 GB, the sweep its 5.2', () => {
    const sweep = [0.1, 0.2, 0.3, 0.4].map((alpha) => experiment(alpha, 50_000_000, 2));
    expect(new Set(sweep.flatMap((e) => experimentWarnings(e)))).toEqual(new Set([expect.stringMatching(/^episodes: 2 runs × 50,000,000 episodes × 3 metrics would store 300,000,000 values, up to about 1\.3 GB/)]));
    expect(sweepStorageWarnings(sweep)).toEqual([expect.stringMatching(/^sweep: its 4 experiments' 8 runs would store 1,200,000,000 values in all, up to about 5\.2 GB on disk/)]);
  });

  it('says nothing of one experiment (its own warning does) nor of a sweep under a gigabyte', () => {
    expect(sweepStorageWarnings([experiment(0.1, 100_000_000)])).toEqual([]);
    expect(sweepStorageWarnings([0.1, 0.2].map((alpha) => experiment(alpha, 30_000_000)))).toEqual([]);
  });
});

describe('experiments.validate of a large sweep', () => {
  let t: TestService;
  beforeAll(() => {
    t = openService();
  });
  afterAll(async () => {
    await t.close();
  });

  it('validate replies the sweep total beside Ready, as aisle run prints it', async () => {
    const reply = await t.call('experiments.validate', { experiment: config(0.5, 50_000_000), sweep: [{ path: 'agent.alpha', values: [0.1, 0.2, 0.3, 0.4] }] });
    expect(reply).toMatchObject({ ok: true, warnings: [expect.stringMatching(/^sweep: its 4 experiments' 4 runs would store 600,000,000 values in all, up to about 2\.6 GB/)] });
  });
});
