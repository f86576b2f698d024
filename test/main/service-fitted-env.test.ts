// An experiment's fittedTo stays true: the one the Off-policy screen makes records the fingerprint of
// the simulator's environment, which the form's check and the export compare with the experiment's
// env; an env edited since (the JSON view, a duplicate) drops it, and a fittedTo written before
// fits named their environment keeps today's behaviour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/client';
import type { FittedRows } from '../../src/engine/ope/fitted-rows';
import { fromExperiment, setAt, type Draft } from '../../src/renderer/src/form/draft';
import { simulatorDraft } from '../../src/renderer/src/form/simulator-draft';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { openService, type TestService } from '../helpers/service';

const TEXT = logsCsv(syntheticRows(600, 5));
const SOURCE = { fileName: 'logs.csv', where: { policy: 'uniform' }, prior: 1 };

let t: TestService;
/** The draft Train on these logs → New experiment opens with, as the renderer builds it. */
let draft: Draft;
let envHash: string;
let experimentId: number;
let runId: number;

beforeAll(async () => {
  t = openService({ workers: 1 });
  const reply = await t.call('logs.simulator', { text: TEXT, fileName: SOURCE.fileName, where: SOURCE.where, holdout: 3, prior: SOURCE.prior });
  if (!reply.ok) throw new Error(reply.problems.join('\n'));
  envHash = reply.envHash;
  const client = { door: 'browser', call: (command: 'catalog.get') => t.call(command, {}) } as unknown as Client; // simulatorDraft reads the catalog
  draft = { ...(await simulatorDraft(client, reply, SOURCE)), seeds: 1 };
  const launched = await t.call('experiments.launch', { experiment: draft });
  experimentId = launched.experimentId;
  runId = launched.runIds[0]!;
  await t.until([runId]);
});
afterAll(async () => {
  await t.close();
});

/** The stored experiment's config as another copy of Aisle might have left it (an older one, or one edited in the database). */
function storeFit(fittedTo: FittedRows) {
  const { config } = t.store.getExperiment(experimentId) as { config: Record<string, unknown> };
  t.store.db.prepare('UPDATE experiments SET config = ? WHERE id = ?').run(JSON.stringify({ ...config, fittedTo }), experimentId);
}

const exported = async () => (await t.call('policies.export', { runId })).policy.provenance.fittedTo;

describe('a simulator experiment made on the Off-policy screen', () => {
  it('records the fingerprint of its environment, the one its policies carry, and they carry its fittedTo', async () => {
    expect(envHash).toMatch(/^[0-9a-f]{64}$/);
    expect(draft.fittedTo).toMatchObject({ logs: 'logs.csv', where: { policy: 'uniform' }, holdout: 3, envHash });
    const stored = t.store.getExperiment(experimentId).config as { fittedTo?: FittedRows };
    expect(stored.fittedTo).toEqual(draft.fittedTo);
    const policy = (await t.call('policies.export', { runId })).policy;
    expect(policy.env.hash).toBe(envHash);
    expect(policy.provenance.fittedTo).toEqual(draft.fittedTo);
  });

  it('keeps fittedTo in a duplicate whose environment is not edited', async () => {
    const duplicate = fromExperiment(t.store.getExperiment(experimentId).config);
    const checked = await t.call('experiments.validate', { experiment: setAt(duplicate, ['episodes'], 50) });
    if (!checked.ok) throw new Error(checked.problems.join('\n'));
    expect(checked.experiment.fittedTo).toEqual(draft.fittedTo);
    expect(checked.fitDropped).toBeUndefined();
  });

  it('drops fittedTo, saying why, once the environment is edited (its steps, or its MDP in the JSON view)', async () => {
    const duplicate = fromExperiment(t.store.getExperiment(experimentId).config);
    const rewarded = structuredClone((duplicate.env as { mdp: { transitions: number[][] } }).mdp);
    rewarded.transitions[0]![4] = 7; // [state, action, probability, nextState, reward]
    for (const edited of [setAt(duplicate, ['env', 'maxSteps'], 2), setAt(duplicate, ['env', 'mdp'], rewarded)]) {
      const checked = await t.call('experiments.validate', { experiment: edited });
      if (!checked.ok) throw new Error(checked.problems.join('\n'));
      expect(checked.experiment).not.toHaveProperty('fittedTo');
      expect(checked.fitDropped).toMatch(/^fittedTo: no longer applies: it records the rows of logs\.csv a simulator was fitted to, and env is no longer that simulator .*it was not copied/);
    }
    // Launched, it is not stored, so its policies do not carry it; the reply says so, as validate does.
    const launched = await t.call('experiments.launch', { experiment: { ...setAt(duplicate, ['env', 'maxSteps'], 2), episodes: 200 } });
    expect(launched.fitDropped).toMatch(/^fittedTo: no longer applies: it records the rows of logs\.csv a simulator was fitted to, .*it was not copied/);
    expect(launched.warnings).toEqual([]);
    expect(t.store.getExperiment(launched.experimentId).config).not.toHaveProperty('fittedTo');
    await t.until(launched.runIds);
    expect((await t.call('policies.export', { runId: launched.runIds[0]! })).policy.provenance).not.toHaveProperty('fittedTo');
  });

  it('leaves a stale fittedTo out of an imported experiment file at once, saying why; an unedited file keeps it', async () => {
    const file = t.store.getExperiment(experimentId).config as { env: Record<string, unknown> };
    const kept = await t.call('experiments.parseFile', { text: JSON.stringify(file), fileName: 'learn.json' });
    if (!kept.ok) throw new Error(kept.problems.join('\n'));
    expect(kept.experiment.fittedTo).toEqual(draft.fittedTo);
    expect(kept).not.toHaveProperty('fitDropped');
    const edited = await t.call('experiments.parseFile', { text: JSON.stringify({ ...file, env: { ...file.env, maxSteps: 2 } }), fileName: 'learn.json' });
    if (!edited.ok) throw new Error(edited.problems.join('\n'));
    expect(edited.experiment).not.toHaveProperty('fittedTo');
    expect(edited.fitDropped).toMatch(/^fittedTo: no longer applies: it records the rows of logs\.csv a simulator was fitted to, .*it was not copied/);
  });

  it('exports a policy without a stored fittedTo recorded for another environment', async () => {
    const fit = draft.fittedTo as FittedRows;
    storeFit({ ...fit, envHash: 'c'.repeat(64) });
    expect(await exported()).toBeUndefined();
    storeFit(fit);
    expect(await exported()).toEqual(fit);
  });

  it('keeps a fittedTo written before fits named their environment, edited or not, as before', async () => {
    const { envHash: _envHash, ...older } = draft.fittedTo as FittedRows;
    const duplicate = { ...fromExperiment(t.store.getExperiment(experimentId).config), fittedTo: older };
    const checked = await t.call('experiments.validate', { experiment: setAt(duplicate, ['env', 'maxSteps'], 2) });
    if (!checked.ok) throw new Error(checked.problems.join('\n'));
    expect(checked.experiment.fittedTo).toEqual(older);
    expect(checked.fitDropped).toBeUndefined();
    storeFit(older);
    expect(await exported()).toEqual(older);
  });
});
