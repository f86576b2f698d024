// The lab service through the contract, exactly as the doors call it: checking and parsing
// experiments, launching them on real workers with status and progress pushed back, one run's
// detail and metrics, cancelling and deleting, and the statuses of refused requests.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Experiment } from '../../src/engine/experiment';
import { canonicalMdpJson, parseMdp } from '../../src/engine/mdp/format';
import { runFingerprint } from '../../src/main/service/configs';
import type { EventPayloads } from '../../src/shared/contract';
import type { ExperimentWithoutFiles } from '../../src/shared/dto';
import { CLIFF_MDP, CLIFF_MDP_TEXT, cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

const quickstartText = JSON.stringify({
  format: 'aisle.experiment/v1',
  name: 'quickstart',
  env: { id: 'tabular-mdp', mdp: 'experiments/cliff.mdp.json', maxSteps: 1000 },
  agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 },
  episodes: 50,
  seeds: 2,
});

describe('app and catalog', () => {
  it('describes the app, and every environment and agent with its parameter schema', async () => {
    expect(await t.call('app.info', {})).toEqual({ version: expect.any(String), door: 'browser', dbPath: t.dbPath, workers: 2 });
    const catalog = await t.call('catalog.get', {});
    const mdpEnv = catalog.environments.find((e) => e.id === 'tabular-mdp')!;
    expect(mdpEnv.fileParams).toEqual(['mdp']);
    expect(mdpEnv.schema).toMatchObject({ type: 'object', properties: { maxSteps: { default: 1000, minimum: 1 } } });
    const q = catalog.agents.find((a) => a.id === 'q-learning')!;
    expect(q.family).toBe('tabular');
    expect((q.schema.properties as Record<string, { description?: string }>).alpha!.description).toBeTruthy();
    expect(catalog.agents.map((a) => a.id)).toContain('ucb1');
    expect(catalog.experimentSchema).toMatchObject({ type: 'object', properties: { env: expect.any(Object), agent: expect.any(Object) } });
  });
});

describe('checking experiments', () => {
  it('validates a good experiment, and names the field of each problem', async () => {
    const good = await t.call('experiments.validate', { experiment: cliff() });
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.experiment).toMatchObject({ seeds: [0, 1, 2], agent: { id: 'q-learning', alpha: 0.5, initialQ: 0 } });

    const bad = await t.call('experiments.validate', { experiment: cliff({ episodes: 0 }, { alpha: -0.5 }) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.some((p) => p.startsWith('agent.alpha: '))).toBe(true);
      expect(bad.problems.some((p) => p.startsWith('episodes: '))).toBe(true);
    }
    const path = await t.call('experiments.validate', { experiment: { ...cliff(), env: { id: 'tabular-mdp', mdp: 'cliff.mdp.json' } } });
    expect(path).toEqual({ ok: false, problems: [expect.stringMatching(/^env\.mdp: .*import the experiment file together with cliff\.mdp\.json/)] });
    // The shop's catalog is a file parameter too, and the advice names that file, not an MDP.
    const catalog = await t.call('experiments.validate', {
      experiment: { ...cliff(), env: { id: 'shop', catalog: '../shops/online-retail.shop.json' }, agent: { id: 'random' } },
    });
    expect(catalog).toEqual({
      ok: false,
      problems: [
        'env.catalog: "../shops/online-retail.shop.json" is a file path, which the app cannot read from here: import the experiment file together with online-retail.shop.json (New experiment → Import) to inline it',
      ],
    });
    expect(await t.call('experiments.validate', { experiment: 'nope' })).toMatchObject({ ok: false, problems: [expect.stringContaining('JSON object')] });
  });

  it('withoutFiles: the reply leaves the inline MDP out (the form holds it), the rest and the problems as without', async () => {
    const full = await t.call('experiments.validate', { experiment: cliff() });
    const brief = await t.call('experiments.validate', { experiment: cliff(), withoutFiles: true });
    if (!full.ok) throw new Error(full.problems.join('\n'));
    // Typed as what it is: whole, or (withoutFiles) without env's files, which the caller holds; not always a whole Experiment.
    if (brief.ok) expectTypeOf(brief.experiment).toEqualTypeOf<Experiment | ExperimentWithoutFiles>();
    const { mdp: _mdp, ...envWithoutMdp } = full.experiment.env;
    expect(brief).toEqual({ ...full, experiment: { ...full.experiment, env: envWithoutMdp } });
    expect(brief.ok && brief.experiment.env).toEqual({ id: 'tabular-mdp', maxSteps: 200 });
    const sweep = [{ path: 'agent.alpha', values: [0.1, 0.2] }];
    const swept = await t.call('experiments.validate', { experiment: cliff(), sweep, withoutFiles: true });
    expect(swept).toMatchObject({ ok: true, experiment: { env: { id: 'tabular-mdp', maxSteps: 200 } }, sweep: { experiments: 2, runs: 6 } });
    expect(swept.ok && 'mdp' in swept.experiment.env).toBe(false);
    const wrong = cliff({ episodes: 0 });
    expect(await t.call('experiments.validate', { experiment: wrong, withoutFiles: true })).toEqual(await t.call('experiments.validate', { experiment: wrong }));
  });

  it('parses an experiment file with its MDP file picked beside it, and reports malformed JSON by line and column', async () => {
    const parsed = await t.call('experiments.parseFile', { text: quickstartText, fileName: 'quickstart.json', files: { 'cliff.mdp.json': CLIFF_MDP_TEXT } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.experiment.env.mdp).toEqual(CLIFF_MDP);

    const missing = await t.call('experiments.parseFile', { text: quickstartText, fileName: 'quickstart.json' });
    expect(missing).toEqual({ ok: false, problems: [expect.stringMatching(/^env\.mdp: "experiments\/cliff\.mdp\.json" was not among the files given: pick cliff\.mdp\.json/)] });

    const brokenMdp = await t.call('experiments.parseFile', { text: quickstartText, fileName: 'q.json', files: { 'cliff.mdp.json': '{"format": ' } });
    expect(brokenMdp).toMatchObject({ ok: false, problems: [expect.stringMatching(/^env\.mdp: cliff\.mdp\.json: malformed JSON/)] });

    const malformed = await t.call('experiments.parseFile', { text: '{\n  "name": "x",\n  oops\n}', fileName: 'broken.json' });
    expect(malformed).toEqual({ ok: false, problems: [expect.stringMatching(/^broken\.json: malformed JSON at line 3, column 3/)] });
  });

  it('parses an MDP file into the validated object, or its problems', async () => {
    const mdp = await t.call('mdp.parseFile', { text: CLIFF_MDP_TEXT, fileName: 'cliff.mdp.json' });
    expect(mdp).toMatchObject({ ok: true, name: 'cliff walking (Sutton & Barto, Example 6.6)', states: 48, actions: 4 });
    const bad = await t.call('mdp.parseFile', { text: JSON.stringify({ ...(CLIFF_MDP as object), start: { 36: 0.5 } }), fileName: 'm.json' });
    expect(bad).toEqual({ ok: false, problems: [expect.stringMatching(/^mdp\.start: probabilities sum to 0\.5/)] });
  });
});

describe('launching and watching runs', () => {
  it('launches all seeds, pushes their status and progress, and records them', async () => {
    const launched = await t.call('experiments.launch', { experiment: cliff() });
    expect(launched.runIds).toHaveLength(3);
    expect(t.events[0]).toMatchObject({ event: 'experiments.changed', payload: { experimentId: launched.experimentId } });
    const done = await t.until(launched.runIds);
    expect(done.map((s) => s.status)).toEqual(['completed', 'completed', 'completed']);
    for (const runId of launched.runIds) {
      const statuses = t.events.filter((e) => e.event === 'run.status' && (e.payload as { runId: number }).runId === runId).map((e) => e.payload);
      expect(statuses).toEqual([
        { runId, experimentId: launched.experimentId, status: 'running' },
        { runId, experimentId: launched.experimentId, status: 'completed' },
      ]);
      const progress = t.events.filter((e) => e.event === 'run.progress' && (e.payload as { runId: number }).runId === runId);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)!.payload).toEqual({ runId, episodesDone: 300, episodesTotal: 300 });
      // The final progress arrives before the final status.
      const completedAt = t.events.findIndex((e) => e.event === 'run.status' && (e.payload as EventPayloads['run.status']).runId === runId && (e.payload as EventPayloads['run.status']).status === 'completed');
      expect(t.events.indexOf(progress.at(-1)!)).toBeLessThan(completedAt);
    }

    const experiments = await t.call('experiments.list', {});
    expect(experiments).toEqual([
      expect.objectContaining({ id: launched.experimentId, name: 'cliff q-learning', envId: 'tabular-mdp', agentId: 'q-learning', episodes: 300, seeds: 3, source: 'app' }),
    ]);
    expect(experiments[0]!.runCounts).toMatchObject({ completed: 3, queued: 0, running: 0 });
    const detail = await t.call('experiments.get', { id: launched.experimentId });
    expect(detail.runIds).toEqual(launched.runIds);
    expect(detail.config.env.mdp).toEqual(CLIFF_MDP);

    const run = await t.call('runs.get', { id: launched.runIds[1]! });
    // The MDP's data, not its name (a display text): see src/main/fingerprint.ts.
    const { name: _name, ...unnamed } = CLIFF_MDP as Record<string, unknown>;
    const mdpHash = createHash('sha256').update(canonicalMdpJson(parseMdp(unnamed))).digest('hex');
    expect(run).toMatchObject({ id: launched.runIds[1], seed: 1, status: 'completed', experimentName: 'cliff q-learning', envId: 'tabular-mdp', agentId: 'q-learning', episodesDone: 300 });
    expect(run.fingerprint).toEqual({ id: 'tabular-mdp', params: { maxSteps: 200 }, mdpHash, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The inline MDP is listed by its name and sizes, not sent whole on every refresh.
    expect(run.config.env.mdp).toEqual({ name: (CLIFF_MDP as { name: string }).name, states: 48, actions: 4 });
    expect(run.config.env).toMatchObject({ id: 'tabular-mdp', maxSteps: 200 });
    // Its fingerprint is computed once per config (it builds the environment).
    const stored = t.store.getRun(launched.runIds[1]!);
    expect(runFingerprint(stored)).toBe(runFingerprint(stored));
    expect(runFingerprint(stored)).toEqual(run.fingerprint);
    expect(run.metrics).toEqual(expect.arrayContaining(['return', 'length', 'train/epsilon']));
    // A run's config (an inline MDP can be tens of MB) is parsed once, not on each of a live view's reads.
    const configReads = vi.spyOn(t.store, 'getRunConfig');
    const fullReads = vi.spyOn(t.store, 'getRun');
    for (let i = 0; i < 3; i++) expect(await t.call('runs.get', { id: launched.runIds[1]! })).toEqual(run);
    expect(configReads).not.toHaveBeenCalled();
    expect(fullReads).not.toHaveBeenCalled();
    await t.call('runs.get', { id: launched.runIds[2]! });
    expect(configReads).toHaveBeenCalledTimes(1);
    configReads.mockRestore();
    fullReads.mockRestore();
    const state = t.store.getRunState(launched.runIds[1]!);
    expect({ ...state, config: t.store.getRunConfig(launched.runIds[1]!) }).toEqual(stored);
    expect(state).not.toHaveProperty('config');
    expect(run.experimentDescription).toBeUndefined(); // the experiment has none
    expect(experiments[0]!.description).toBeUndefined();
    // An experiment's description is listed with it and shown with each of its runs.
    const described = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 5, description: 'Q-learning on the cliff: the textbook check.' }) });
    expect((await t.call('experiments.list', {}))[0]).toMatchObject({ id: described.experimentId, description: 'Q-learning on the cliff: the textbook check.' });
    expect((await t.call('runs.get', { id: described.runIds[0]! })).experimentDescription).toBe('Q-learning on the cliff: the textbook check.');
    expect((await t.call('experiments.get', { id: described.experimentId })).description).toBe('Q-learning on the cliff: the textbook check.');
    await t.until(described.runIds);
    expect(run.checkpoints.map((c) => c.episode)).toEqual([...run.checkpoints.slice(0, -1).map((c) => c.episode), 299]);
    expect(run.checkpoints[0]).toMatchObject({ kind: 'qtable', states: 48, actions: 4 });
    expect(run.greedy?.expectedReturn).toEqual(expect.any(Number));
    expect(run.returnLast100).toBe(run.summary.return!.last100);
    expect(run.config).toMatchObject({ seed: 1, episodes: 300, agent: { alpha: 0.5 } });

    const series = await t.call('runs.metrics', { runIds: [...launched.runIds], metric: 'return', maxPoints: 50 });
    for (const s of series) {
      expect(s).toMatchObject({ metric: 'return', total: 300, downsampled: true });
      expect(s.x.length).toBeLessThanOrEqual(50);
      expect([s.mean.length, s.min.length, s.max.length]).toEqual([s.x.length, s.x.length, s.x.length]);
      expect(Array.isArray(s.x)).toBe(true);
    }
    const zoomed = await t.call('runs.metrics', { runIds: [launched.runIds[0]!], metric: 'length', maxPoints: 10, from: 100, to: 150 });
    expect(zoomed[0]!.x[0]).toBeGreaterThanOrEqual(100);
    expect(zoomed[0]!.x.at(-1)).toBeLessThan(150);
    expect((await t.fail('runs.metrics', { runIds: [launched.runIds[0]!], metric: 'nope' })).status).toBe(404);
    // Asked with onlyStored (Run detail's curve reads), a run not stored (deleted meanwhile) is left
    // out of the answer rather than answering 404; an unknown metric of a stored run still does.
    const [kept] = launched.runIds as [number];
    expect(await t.call('runs.metrics', { runIds: [9999, kept], metric: 'return', maxPoints: 50, onlyStored: true })).toEqual([series[0]]);
    expect(await t.call('runs.metrics', { runIds: [9999], metric: 'return', onlyStored: true })).toEqual([]);
    expect((await t.fail('runs.metrics', { runIds: [kept], metric: 'nope', onlyStored: true })).status).toBe(404);

    // The run's metrics as CSV: every stored episode, one column per metric, as stored.
    const csv = await t.call('runs.metricsCsv', { id: launched.runIds[0]! });
    expect(csv).toMatchObject({ fileName: `run-${launched.runIds[0]}-metrics.csv`, episodes: 300, metrics: ['length', 'return', 'train/epsilon'] });
    const [header, ...rows] = csv.text.trimEnd().split('\n');
    expect(header).toBe('episode,length,return,train/epsilon');
    expect(rows).toHaveLength(300);
    const lengths = await t.call('runs.metrics', { runIds: [launched.runIds[0]!], metric: 'length', maxPoints: 1000 });
    expect(rows.map((r) => Number(r.split(',')[1]))).toEqual(lengths[0]!.mean);
    expect((await t.fail('runs.metricsCsv', { id: 9999 })).status).toBe(404);
  });

  it('throttles progress to ten a second per run, cancels a long run, and refuses to delete active runs', async () => {
    await t.close();
    t = openService({ workers: 1, flushMs: 2 }); // the pool reports ~500 times a second
    // 10^9 steps: still running when looked at after 1.2 s, even on the WebAssembly kernel of a fast machine.
    const long = { ...cliff({ name: 'long', episodes: 100_000_000, seeds: 2 }), env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 10 } };
    const { experimentId, runIds } = await t.call('experiments.launch', { experiment: long });
    const [first, second] = runIds as [number, number];
    await t.until([first], ['running']);
    await new Promise((r) => setTimeout(r, 1200));

    // The second run waits in the queue: deleting either is refused, and so is the experiment.
    expect((await t.call('runs.list', { experimentId })).runs.map((r) => [r.id, r.status])).toEqual([
      [second, 'queued'],
      [first, 'running'],
    ]);
    const refused = await t.fail('runs.delete', { ids: [first] });
    expect(refused).toMatchObject({ status: 409, message: expect.stringMatching(/run \d+ is running: cancel it first/) });
    expect(await t.fail('experiments.delete', { id: experimentId })).toMatchObject({
      status: 409,
      message: `experiment ${experimentId} has active runs: run ${first} is running, run ${second} is queued: cancel them first`,
    });

    expect(await t.call('runs.metrics', { runIds: [second], metric: 'return' })).toEqual([
      { runId: second, metric: 'return', total: 0, values: 0, downsampled: false, x: [], mean: [], min: [], max: [] },
    ]);
    // Cancelled, the running one finishes its episode before it stops: a delete meanwhile (both
    // handlers run before the worker can answer) says it is stopping, not to cancel it.
    const cancelling = t.call('runs.cancel', { ids: [second, first] });
    const deleting = t.fail('runs.delete', { ids: [first, second] });
    expect(await cancelling).toEqual({ cancelled: [second, first], elsewhere: null });
    expect(await deleting).toMatchObject({ status: 409, message: `run ${first} is running: cancelled, it stops after the current episode` });
    const ends = await t.until(runIds);
    expect(ends.map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
    expect((await t.call('runs.get', { id: first })).status).toBe('cancelled');

    const progress = t.events.filter((e) => e.event === 'run.progress' && (e.payload as { runId: number }).runId === first);
    const gaps = progress.slice(1, -1).map((e, i) => e.at - progress[i]!.at);
    console.log(`run.progress: ${progress.length} events over ${((progress.at(-1)!.at - progress[0]!.at) / 1000).toFixed(2)} s, smallest gap ${Math.min(...gaps).toFixed(1)} ms`);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
    // The last one reports where the run stopped, as stored.
    expect((progress.at(-1)!.payload as { episodesDone: number }).episodesDone).toBe((await t.call('runs.get', { id: first })).episodesDone);
    expect(t.events.filter((e) => e.event === 'run.progress' && (e.payload as { runId: number }).runId === second)).toEqual([]);

    expect(await t.call('runs.cancel', { ids: [first] })).toEqual({ cancelled: [], elsewhere: null }); // already over
    // A run named twice is deleted once (its second delete in the transaction used to find it gone: 404, nothing deleted).
    expect(await t.call('runs.delete', { ids: [first, first] })).toEqual({ deleted: [first] });
    expect(t.events.at(-1)).toMatchObject({ event: 'experiments.changed', payload: { experimentId } });
    expect((await t.fail('runs.get', { id: first })).status).toBe(404);
    expect(await t.call('experiments.delete', { id: experimentId })).toEqual({ deleted: experimentId });
    expect(await t.call('experiments.list', {})).toEqual([]);
    expect((await t.fail('runs.get', { id: second })).status).toBe(404);
  });

  it('cancels a run left queued by a process that is gone, so it can be deleted', async () => {
    const { experiment, runs } = t.store.createExperimentWithRuns({
      name: 'orphan',
      config: {},
      configHash: 'e'.repeat(64),
      runs: [{ seed: 0, config: { env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 5, seed: 0 }, configHash: 'e'.repeat(64), appVersion: 'old', episodesTotal: 5 }],
    });
    const runId = runs[0]!.id;
    expect((await t.fail('runs.delete', { ids: [runId] })).status).toBe(409);
    expect(await t.call('runs.cancel', { ids: [runId] })).toEqual({ cancelled: [runId], elsewhere: null });
    expect(t.events.at(-1)).toMatchObject({ event: 'run.status', payload: { runId, experimentId: experiment.id, status: 'cancelled' } });
    expect(await t.call('runs.delete', { ids: [runId] })).toEqual({ deleted: [runId] });
  });

  it('closing cancels what is running', async () => {
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 50_000_000, seeds: 1 }) });
    await t.until(runIds, ['running']);
    await t.service.close();
    expect(t.store.getRun(runIds[0]!).status).toBe('cancelled');
  });
});

describe('refused requests', () => {
  it('answers 404 for every unknown id', async () => {
    const unknown: [string, unknown][] = [
      ['experiments.get', { id: 999 }],
      ['experiments.delete', { id: 999 }],
      ['runs.get', { id: 999 }],
      ['runs.cancel', { ids: [999] }],
      ['runs.delete', { ids: [999] }],
      ['runs.metrics', { runIds: [999], metric: 'return' }],
      ['compare.runs', { runIds: [999] }],
      ['compare.runs', { experimentIds: [999] }],
      ['qtables.get', { runId: 999 }],
      ['policies.export', { runId: 999 }],
      ['policies.get', { id: 999 }],
      ['policies.delete', { id: 999 }],
      ['policies.evaluate', { policyId: 999 }],
      ['runs.nothing', {}],
    ];
    for (const [name, input] of unknown) {
      const error = await t.fail(name, input);
      expect(error.status, name).toBe(404);
      expect(error.message, name).toMatch(/does not exist|unknown command/);
      expect(error.message, name).not.toContain('`aisle'); // the app's words, not the CLI's
    }
    expect((await t.fail('runs.get', { id: 999 })).message).toBe('run 999 does not exist: the Runs screen lists the runs there are');
  });

  it('answers 400 for input its schema refuses, and for an invalid experiment, and changes nothing', async () => {
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
    await t.until(runIds);
    const before = JSON.stringify(await t.call('runs.list', {}));
    for (const [name, input] of [
      ['runs.get', { id: -1 }],
      ['runs.delete', { ids: [-1] }],
      ['runs.delete', { ids: [runIds[0], 1.5] }],
      ['experiments.delete', { id: 'one' }],
      ['runs.list', { limit: 100_000 }],
      ['runs.list', { sort: 'config' }],
      ['experiments.launch', { experiment: cliff(), extra: true }],
    ] as const) {
      const error = await t.fail(name, input);
      expect(error.status, name).toBe(400);
      expect(error.problems?.length, name).toBeGreaterThan(0);
    }
    const invalid = await t.fail('experiments.launch', { experiment: cliff({}, { alpha: 2 }) });
    expect(invalid).toMatchObject({ status: 400, problems: [expect.stringMatching(/^agent\.alpha: /)] });
    expect(JSON.stringify(await t.call('runs.list', {}))).toBe(before);
    expect(await t.call('experiments.list', {})).toHaveLength(1);
  });
});
