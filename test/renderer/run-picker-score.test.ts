// The run pickers of Q-tables and Policies show each run's greedy score, labelled with where it comes
// from: its greedy policy's exact return (a tabular agent on an MDP), else its greedy evaluations'
// last-100 mean return, else its training return's last-100 mean. They listed "run 12 · name ·
// agent · seed 3" only, and finding the best of a sweep's runs meant opening each.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/shared/dto';
import { runPickerLabel, runScoreText } from '../../src/shared/text';
import { Side } from '../../src/renderer/src/screens/qtables';
import { cliff, openService, type TestService } from '../helpers/service';

/** The texts of a select's options in rendered markup. */
function options(html: string): string[] {
  return [...html.matchAll(/<option[^>]*>(.*?)<\/option>/g)].map((m) => m[1]!.replace(/<!-- -->/g, '').replace(/&#x27;/g, "'"));
}

describe('runScoreText', () => {
  const run = { id: 12, experimentName: 'cliff', agentId: 'q-learning', seed: 3, returnLast100: -49.61 };
  it('labels the exact greedy return first, then the greedy evaluations, then the training return', () => {
    expect(runScoreText({ ...run, greedyScore: { value: -13, source: 'exact' } })).toBe('greedy return -13 (exact)');
    expect(runScoreText({ ...run, greedyScore: { value: 4.312, source: 'exact', gamma: 0.9 } })).toBe('greedy return 4.312 (exact, γ 0.9)');
    expect(runScoreText({ ...run, greedyScore: { value: 6.1234, source: 'evaluation' } })).toBe('greedy return 6.123 (evaluated)');
    expect(runScoreText(run)).toBe('return (last 100) -49.61');
    expect(runScoreText({ ...run, returnLast100: null })).toBeUndefined();
  });

  it('stands next to the run number in a picker option, before the name a narrow select cuts', () => {
    expect(runPickerLabel({ ...run, greedyScore: { value: -13, source: 'exact' } })).toBe('run 12 · greedy return -13 (exact) · cliff · q-learning · seed 3');
    expect(runPickerLabel({ ...run, returnLast100: null })).toBe('run 12 · cliff · q-learning · seed 3');
  });
});

describe('the pickers’ scores, from runs.list', () => {
  let t: TestService;
  let cliffRun: number;
  let evaluatedRun: number;
  let plainRun: number;

  beforeAll(async () => {
    t = openService({ workers: 1 });
    const a = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 200 }) });
    // seed-toy is no MDP: no exact value. One run with greedy evaluations, one without.
    const toy = (name: string, extra: Record<string, unknown>) => ({
      format: 'aisle.experiment/v1',
      name,
      env: { id: 'seed-toy', states: 4, actions: 3, stepsPerEpisode: 20 },
      agent: { id: 'q-learning', alpha: 0.5, gamma: 0.9, epsilon: 0.1 },
      episodes: 250,
      seeds: 1,
      ...extra,
    });
    const b = await t.call('experiments.launch', { experiment: toy('toy evaluated', { evaluation: { every: 100, episodes: 5 } }) });
    const c = await t.call('experiments.launch', { experiment: toy('toy plain', {}) });
    [cliffRun, evaluatedRun, plainRun] = [a.runIds[0]!, b.runIds[0]!, c.runIds[0]!];
    await t.until([cliffRun, evaluatedRun, plainRun]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('gives each run its score: exact, evaluated or the training return, each as the run itself holds it', async () => {
    const { runs } = await t.call('runs.list', { status: ['completed'], stored: 'qtable', limit: 500 });
    const byId = new Map(runs.map((r) => [r.id, r]));
    const exact = await t.call('runs.get', { id: cliffRun });
    expect(byId.get(cliffRun)!.greedyScore).toEqual({ value: exact.greedy!.expectedReturn, source: 'exact' });
    // runs.get, which Policies reads for a run the list does not hold, carries it too.
    expect(exact.greedyScore).toEqual(byId.get(cliffRun)!.greedyScore);
    const evaluated = await t.call('runs.get', { id: evaluatedRun });
    expect(evaluated.greedy).toBeNull();
    expect(byId.get(evaluatedRun)!.greedyScore).toEqual({ value: evaluated.summary['eval/greedy_return']!.last100, source: 'evaluation' });
    expect(byId.get(plainRun)!.greedyScore).toBeUndefined();
    expect(byId.get(plainRun)!.returnLast100).not.toBeNull();

    // The Q-tables picker lists them so.
    const html = renderToStaticMarkup(createElement(Side, { side: 'A', runId: undefined, checkpointId: undefined, runs: runs as RunSummary[], table: undefined, onRun: () => {}, onCheckpoint: () => {} }));
    const listed = options(html);
    expect(listed).toContain(runPickerLabel(byId.get(cliffRun)!));
    expect(listed.find((o) => o.startsWith(`run ${cliffRun} ·`))).toMatch(new RegExp(`^run ${cliffRun} · greedy return -?[\\d.,]+ \\(exact\\) · cliff q-learning · q-learning · seed 0$`));
    expect(listed.find((o) => o.startsWith(`run ${evaluatedRun} ·`))).toMatch(/ · greedy return [\d.,]+ \(evaluated\) · toy evaluated · /);
    expect(listed.find((o) => o.startsWith(`run ${plainRun} ·`))).toMatch(/ · return \(last 100\) [\d.,]+ · toy plain · /);
  });
});
