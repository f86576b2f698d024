// Q-tables and policies through the contract: a run's Q-table with its environment's labels at
// each checkpoint, export → import (a round trip) → evaluate (exactly the run's own greedy value),
// and import refusals that name the field instead of failing the call.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../src/engine/canonical';
import type { Experiment } from '../../src/engine/experiment';
import { findEnvironment } from '../../src/engine/registry';
import type { PolicyFile, TabularPolicyFile } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { evaluatePolicyFile } from '../../src/main/policies';
import { readPolicyRuntime, runtimePathBeside } from '../../src/main/policy-runtime';
import type { RunConfig } from '../../src/main/service/configs';
import { cliff, openService, WORKER, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';
import { renamed } from '../helpers/policy';

let t: TestService;
let experimentId: number;
let runId: number;

beforeAll(async () => {
  t = openService();
  const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 400 }) });
  experimentId = launched.experimentId;
  runId = launched.runIds[0]!;
  await t.until([runId]);
});

afterAll(async () => {
  await t.close();
});

describe('qtables.get', () => {
  it('gives the final Q-table with state and action labels, and every checkpoint to scrub', async () => {
    const table = await t.call('qtables.get', { runId });
    expect(table.states).toHaveLength(48);
    expect(table.states[36]).toBe('r3c0 start');
    expect(table.actions).toEqual(['up', 'right', 'down', 'left']);
    expect(table.episode).toBe(399);
    const episodes = table.checkpoints.map((c) => c.episode);
    expect(episodes).toHaveLength(5); // 4 during training and the final one
    expect(episodes).toEqual([...episodes].sort((x, y) => x - y));
    expect(episodes.at(-1)).toBe(399);
    expect(table.checkpointId).toBe(table.checkpoints.at(-1)!.id);
    expect(table.q).toHaveLength(48);
    expect(table.q.every((row) => row.length === 4 && row.every(Number.isFinite))).toBe(true);
    const stored = t.store.getCheckpoint(table.checkpointId).data;
    expect(table.q.flat()).toEqual(Array.from(stored));

    const early = await t.call('qtables.get', { runId, checkpointId: table.checkpoints[0]!.id });
    expect(early.episode).toBe(table.checkpoints[0]!.episode);
    expect(early.q.flat()).not.toEqual(table.q.flat());
    expect(await t.fail('qtables.get', { runId, checkpointId: 9999 })).toMatchObject({ status: 404, message: expect.stringContaining('checkpoint 9999 does not exist') });
  });
});

describe('policies', () => {
  it('export → import → evaluate: a round trip whose exact value is the run’s greedy value', async () => {
    const exported = await t.call('policies.export', { runId });
    // The file is named after the policy, whose name defaults to the experiment's and the run's.
    expect(exported.policy.name).toBe(`cliff q-learning — run ${runId}`);
    expect(exported.fileName).toBe(`cliff-q-learning-run-${runId}.json`);
    const named = await t.call('policies.export', { runId, name: 'Greedy “cliff” (v2)' });
    expect(named.fileName).toBe('greedy-cliff-v2.json');
    await t.call('policies.delete', { id: named.policyId });
    // Exported again: the stored policy and its very file (createdAt included), not a second row of it.
    const twice = await t.call('policies.export', { runId });
    expect(twice.policyId).toBe(exported.policyId);
    expect(twice.text).toBe(exported.text);
    expect(twice.policy).toEqual(exported.policy);
    // Said to be the one stored before (the notice says so, as Import does), where the first export stored it.
    expect([exported.alreadyStored, named.alreadyStored, twice.alreadyStored]).toEqual([false, false, true]);
    expect(JSON.parse(exported.text)).toEqual(exported.policy);

    // The very file just exported is already stored: not stored again, and the reply names the stored policy.
    const again = await t.call('policies.import', { text: exported.text, fileName: 'mine.json' });
    expect(again).toMatchObject({ ok: true, alreadyStored: true, policy: { id: exported.policyId, origin: 'export' } });
    // Saved by a Windows editor, a byte-order mark first: the same file (refused before as "malformed JSON … Unexpected token").
    expect(await t.call('policies.import', { text: `\uFEFF${exported.text}`, fileName: 'bom.json' })).toMatchObject({ ok: true, alreadyStored: true, policy: { id: exported.policyId } });
    expect((await t.call('policies.list', {})).map((p) => p.id)).toEqual([exported.policyId]);
    // Another file of the same policy (renamed) is a new one.
    const mine = renamed(exported.text, 'mine');
    expect(exported.policy).toMatchObject({ format: 'aisle.policy/v1', states: expect.any(Array), provenance: { runId, experimentId } });
    const run = await t.call('runs.get', { id: runId });
    expect(exported.policy.env).toEqual(run.fingerprint);

    // Read in a worker: a call made meanwhile is answered before the import (a large file held up every call while it was parsed here).
    const done: string[] = [];
    const [imported] = await Promise.all([
      t.call('policies.import', { text: mine, fileName: 'mine.json' }).then((r) => (done.push('import'), r)),
      t.call('app.info', {}).then(() => done.push('info')),
    ]);
    expect(done).toEqual(['info', 'import']);
    expect(imported).toMatchObject({ ok: true, alreadyStored: false, policy: { origin: 'import', runId: null, envId: 'tabular-mdp', states: 48, actions: 4, name: 'mine' } });
    if (!imported.ok) return;
    const back = await t.call('policies.get', { id: imported.policy.id });
    expect(JSON.parse(back.text)).toEqual({ ...exported.policy, name: 'mine' });
    // Imported once more: still one import.
    expect(await t.call('policies.import', { text: mine, fileName: 'mine again.json' })).toMatchObject({ ok: true, alreadyStored: true, policy: { id: imported.policy.id } });

    const list = await t.call('policies.list', {});
    expect(list.map((p) => [p.id, p.origin, p.runId])).toEqual([
      [exported.policyId, 'export', runId],
      [imported.policy.id, 'import', null],
    ]);

    const greedy = run.greedy!.expectedReturn;
    const onStored = await t.call('policies.evaluate', { policyId: imported.policy.id, experimentId, episodes: 200, seed: 3 });
    expect(onStored.exact!.expectedReturn).toBe(greedy);
    expect(onStored).toMatchObject({ env: 'tabular-mdp', fingerprintMatches: true, warnings: [], monteCarlo: { episodes: 200, seed: 3 } });
    const own = await t.call('policies.evaluate', { policyId: exported.policyId, episodes: 50 });
    expect(own.exact!.expectedReturn).toBe(greedy);
    const inline = await t.call('policies.evaluate', { policyId: imported.policy.id, experiment: cliff({ seeds: 1 }), episodes: 50 });
    expect(inline.exact!.expectedReturn).toBe(greedy);
    const elsewhere = await t.call('policies.evaluate', { policyId: imported.policy.id, experiment: cliff({}, { gamma: 0.9 }), episodes: 10 });
    expect(elsewhere.exact!.gamma).toBe(0.9);

    // Imported, it has no run of its own; the run its file names is in this database, with the MDP the file names by hash.
    const found = await t.call('policies.evaluate', { policyId: imported.policy.id, episodes: 50 });
    expect(found.exact!.expectedReturn).toBe(greedy);
    expect(await t.fail('policies.evaluate', { policyId: imported.policy.id, experiment: cliff({}, { alpha: 3 }) })).toMatchObject({ status: 400, problems: [expect.stringMatching(/^experiment\.agent\.alpha: /)] });
    const otherEnv = { ...cliff(), env: { id: 'seed-toy' } };
    expect(await t.fail('policies.evaluate', { policyId: imported.policy.id, experiment: otherEnv })).toMatchObject({ status: 400, message: expect.stringContaining('evaluate it on the environment it was trained on') });

    // A row edited by hand past what the format holds: get, evaluate and fits name the stored policy; delete still works.
    const edited = t.store.savePolicy({ runId: null, origin: 'import', name: 'edited', json: JSON.stringify({ ...(JSON.parse(back.text) as object), greedy: 'x' }) });
    const problem = `stored policy #${edited}: policy.greedy: must have one action per state (48), got "x"`;
    expect(await t.fail('policies.get', { id: edited })).toMatchObject({ status: 400, problems: [problem] });
    expect(await t.fail('policies.fits', { policyId: edited })).toMatchObject({ status: 400, problems: [problem] });
    expect(await t.fail('policies.evaluate', { policyId: edited, episodes: 5 })).toMatchObject({ status: 400, problems: [problem] });
    expect(await t.call('policies.delete', { id: edited })).toEqual({ deleted: edited });

    expect(await t.call('policies.delete', { id: imported.policy.id })).toEqual({ deleted: imported.policy.id });
    expect((await t.fail('policies.get', { id: imported.policy.id })).status).toBe(404);
    expect((await t.call('policies.list', {})).map((p) => p.id)).toEqual([exported.policyId]);
  });

  it('evaluates in a worker thread: the service answers other commands meanwhile, and the figures are the in-process ones', async () => {
    const exported = await t.call('policies.export', { runId });
    const order: string[] = [];
    // 20,000 cliff episodes take a while; on the service's own thread they would run to the end
    // before the next command's handler could even start.
    const long = t.call('policies.evaluate', { policyId: exported.policyId, episodes: 20_000, seed: 11 }).then((r) => (order.push('evaluate'), r));
    const quick = t.call('app.info', {}).then(() => order.push('app.info'));
    const [result] = await Promise.all([long, quick]);
    expect(order).toEqual(['app.info', 'evaluate']);
    const here = evaluatePolicyFile(exported.policy, t.store.getRun(runId).config as RunConfig, { episodes: 20_000, seed: 11, trained: true });
    expect(result).toEqual({ ...here, environment: `run ${runId}'s, the one it was trained on` });
  });

  it('stops an evaluation under way when the service closes, instead of waiting for it', async () => {
    const other = openService();
    const launched = await other.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 50 }) });
    await other.until(launched.runIds);
    const exported = await other.call('policies.export', { runId: launched.runIds[0]! });
    const pending = other.fail('policies.evaluate', { policyId: exported.policyId, episodes: 1_000_000, seed: 1 });
    await other.close();
    expect(await pending).toMatchObject({ status: 500, message: expect.stringContaining('the evaluation was stopped: the app is closing') });
  });

  it('stores a file whose settings no longer match its own hash, and says so in the reply as `aisle policies import` warns', async () => {
    const exported = await t.call('policies.export', { runId });
    const edited = JSON.parse(renamed(exported.text, 'edited')) as { env: { params: { maxSteps: number } } };
    edited.env.params.maxSteps = 300; // within range: a valid file, whose hash now names other settings
    const text = JSON.stringify(edited);
    const warning = /^policy\.env: the settings in the file do not match its own hash [0-9a-f]{12}: the file was edited after export, or written by another version of Aisle, so they may not be the environment the policy was trained on: export the policy again from its run$/;
    const imported = await t.call('policies.import', { text, fileName: 'edited.json' });
    expect(imported).toMatchObject({ ok: true, alreadyStored: false, warnings: [expect.stringMatching(warning)] });
    // Imported again: not stored twice, and still said.
    expect(await t.call('policies.import', { text, fileName: 'edited.json' })).toMatchObject({ ok: true, alreadyStored: true, warnings: [expect.stringMatching(warning)] });
    // The file as exported: nothing to say.
    expect(await t.call('policies.import', { text: exported.text, fileName: 'mine.json' })).toMatchObject({ ok: true, warnings: [] });
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    // Evaluated, it takes its run's environment (the MDP is in the database), the one its hash names:
    // the edited episode cap is not used, and that is said, not only that the file was edited.
    const evaluated = await t.call('policies.evaluate', { policyId: imported.policy.id, episodes: 5 });
    expect(evaluated.warnings).toEqual([expect.stringMatching(warning), expect.stringMatching(/^evaluated on the environment the policy was trained on, which its hash names, not on the settings as edited: params\.maxSteps 300 → \d+$/)]);
    await t.call('policies.delete', { id: imported.policy.id });
  });

  it('refuses a bad file with problems naming the field, storing nothing', async () => {
    const { text } = await t.call('policies.export', { runId });
    const before = (await t.call('policies.list', {})).length;
    const policy = JSON.parse(text) as TabularPolicyFile;
    const wrongSize = { ...policy, q: policy.q.map((row, s) => (s === 3 ? row.slice(0, 3) : row)) };
    const refused = await t.call('policies.import', { text: JSON.stringify(wrongSize), fileName: 'bad.json' });
    expect(refused).toEqual({ ok: false, problems: [expect.stringMatching(/^policy\.q\[3\]: /)] });
    const malformed = await t.call('policies.import', { text: '{\n "format": nope\n}', fileName: 'cut.json' });
    expect(malformed).toEqual({ ok: false, problems: [expect.stringMatching(/^cut\.json: malformed JSON at line 2, column 13/)] });
    const noProvenance = await t.call('policies.import', { text: JSON.stringify({ ...policy, provenance: undefined }), fileName: 'p.json' });
    expect(noProvenance).toMatchObject({ ok: false, problems: [expect.stringMatching(/^policy\.provenance: /)] });
    const unknownEnv = await t.call('policies.import', { text: JSON.stringify({ ...policy, env: { ...policy.env, id: 'no-such-env' } }), fileName: 'e.json' });
    expect(unknownEnv).toEqual({
      ok: false,
      problems: ['policy.env.id: unknown environment "no-such-env": Aisle\'s environments are shop, tabular-mdp, bandit-testbed, seed-toy; export the policy again from its run, or correct env.id'],
    });
    // A setting edited out of range says how to mend it at import, as `aisle eval` says it.
    const edited = await t.call('policies.import', { text: JSON.stringify({ ...policy, env: { ...policy.env, params: { ...policy.env.params, maxSteps: -3 } } }), fileName: 'm.json' });
    expect(edited).toEqual({ ok: false, problems: [expect.stringMatching(/^policy\.env\.params\.maxSteps: .*got -3: export the policy again from its run$/)] });
    expect((await t.call('policies.list', {})).length).toBe(before);
  });

  it("refuses an MDP's policy whose actions or states are not its MDP's, where the database holds that MDP, naming the field: nothing stored", async () => {
    const { text } = await t.call('policies.export', { runId });
    const before = await t.call('policies.list', {});
    const policy = JSON.parse(renamed(text, 'edited')) as TabularPolicyFile;
    const hash = policy.env.mdpHash!.slice(0, 12);
    // A file that reads as sound by itself: its MDP is in it only as a hash, so only the stored one tells.
    const threeActions = withoutLastAction(policy);
    const fewerStates = { ...policy, states: policy.states.slice(0, -1), q: policy.q.slice(0, -1), greedy: policy.greedy.slice(0, -1), updated: policy.updated?.slice(0, -1) };
    for (const [edited, problem] of [
      [threeActions, `policy.actions: the policy has 48 states × 3 actions but the MDP it names (sha256 ${hash}…, run ${runId}'s in this database) has 48 states × 4 actions: export the policy again from its run`],
      [fewerStates, `policy.states: the policy has 47 states × 4 actions but the MDP it names (sha256 ${hash}…, run ${runId}'s in this database) has 48 states × 4 actions: export the policy again from its run`],
    ] as const) {
      expect(await t.call('policies.import', { text: JSON.stringify(edited), fileName: 'edited.json' })).toEqual({ ok: false, problems: [problem] });
    }
    // Its run deleted, its experiment holds the MDP still; a context-free policy of 3 actions on it is refused so too.
    const { experimentId: other, runIds } = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20, name: 'gone' }) });
    await t.until(runIds);
    const gone = JSON.parse((await t.call('policies.export', { runId: runIds[0]!, name: 'gone' })).text) as TabularPolicyFile;
    await t.call('runs.delete', { ids: [...runIds] });
    const { states: _s, q: _q, greedy: _g, updated: _u, ...rest } = withoutLastAction(gone);
    const contextFree = { ...rest, kind: 'context-free', values: [1, 3, 2], greedy: 1 };
    expect(await t.call('policies.import', { text: JSON.stringify(contextFree), fileName: 'cf.json' })).toEqual({
      ok: false,
      problems: [`policy.actions: the policy has 3 actions but the MDP it names (sha256 ${hash}…, experiment ${other}'s in this database) has 4: export the policy again from its run`],
    });
    expect((await t.call('policies.list', {})).map((p) => p.id)).toEqual([...before.map((p) => p.id), expect.any(Number)]); // the one exported from "gone"
    await t.call('experiments.delete', { id: other });
    // Where the database holds neither its run nor its experiment, there is no MDP to check it against: stored.
    const elsewhere = openService();
    try {
      expect(await elsewhere.call('policies.import', { text: JSON.stringify(threeActions), fileName: 'edited.json' })).toMatchObject({ ok: true, alreadyStored: false });
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps an exported policy when its run is deleted, without the run', async () => {
    const firstExperiment = experimentId;
    const { experimentId: short, runIds } = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 30, name: 'short' }) });
    await t.until(runIds);
    const { policyId } = await t.call('policies.export', { runId: runIds[0]!, name: 'keep me' });
    await t.call('runs.delete', { ids: [...runIds] });
    expect(await t.call('policies.get', { id: policyId })).toMatchObject({ name: 'keep me', runId: null, origin: 'export' });
    // Its experiment, still stored, has the MDP the file names by hash (as `aisle eval` finds it).
    const evaluated = await t.call('policies.evaluate', { policyId, episodes: 20 });
    expect(evaluated.fingerprintMatches).toBe(true);
    expect(evaluated.exact?.optimalReturn).toBe(-13);
    await t.call('experiments.delete', { id: short });
    // Its run and experiment deleted, another experiment here on the same MDP (by hash) serves: the
    // first one's (it was refused, though this database held the MDP).
    const elsewhereHere = await t.call('policies.evaluate', { policyId, episodes: 20 });
    expect(elsewhereHere.exact?.optimalReturn).toBe(-13);
    expect(elsewhereHere.environment).toBe(`the MDP of experiment ${firstExperiment} in the database (the file names its MDP by hash only, and this one has it)`);
    // So the picker offers the one it was trained on (policies.fits' own).
    expect((await t.call('policies.fits', { policyId })).own).toBeNull();
    // Another experiment on it whose agent discounts by 0.5: its environment serves, discounted by
    // the γ the policy was trained with (1), named as the policy's, where it took the other's 0.5.
    const { experimentId: halved, runIds: halvedRuns } = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 5, name: 'halved' }, { gamma: 0.5 }) });
    await t.until(halvedRuns);
    const onHalved = await t.call('policies.evaluate', { policyId, episodes: 20 });
    expect(onHalved.environment).toBe(`the MDP of experiment ${halved} in the database (the file names its MDP by hash only, and this one has it)`);
    expect(onHalved.exact).toMatchObject({ gamma: 1, gammaFrom: 'policy', optimalReturn: -13 });
    // In a database with no experiment on that MDP, said in the app's words, not the contract's
    // ('experimentId: policy #… was trained on an MDP … that a policy file names but does not hold').
    const elsewhere = openService();
    try {
      const text = (await t.call('policies.get', { id: policyId })).text;
      const imported = await elsewhere.call('policies.import', { text, fileName: 'keep me.json' });
      if (!imported.ok) throw new Error(imported.problems.join('\n'));
      // Stored, and said at once (it was stored silently, the refusal below its first word of it):
      // the MDP named by its hash, and how to evaluate it, in the words the picker uses below.
      const mdpHash = (JSON.parse(text) as PolicyFile).env.mdpHash!;
      const notHere =
        `its MDP (sha256 ${mdpHash.slice(0, 12)}…) is not in this database (its file names it by hash only, and no run or experiment here is on it): ` +
        "create an experiment on that MDP (from the MDP's file, or import the results that hold one), or ";
      expect(imported.warnings).toEqual([`policy.env.mdpHash: ${notHere}evaluate it meanwhile with \`aisle eval 'keep me.json' --env <an experiment file on that MDP>\``]);
      const { problems } = await elsewhere.fail('policies.evaluate', { policyId: imported.policy.id });
      expect(problems).toEqual([
        expect.stringMatching(
          /^policy #\d+ was trained on an MDP \(sha256 [0-9a-f]{12}…\) that its file names by hash only, and no run or experiment in this database is on that MDP \(its run and experiment were deleted, or it came from another database\): evaluate it on an experiment on that MDP — create one from its MDP file, or import the results that hold one, then choose it as the environment$/,
        ),
      ]);
      // Asked before (the picker's check): "the one it was trained on" was offered, then refused as above.
      expect(await elsewhere.call('policies.fits', { policyId: imported.policy.id })).toEqual({ own: `${notHere}pick another environment`, experiments: [] });
      // An experiment on that MDP here (Evaluate takes it): no warning.
      const { runIds: there } = await elsewhere.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 5, name: 'there' }) });
      await elsewhere.until(there);
      expect(await elsewhere.call('policies.import', { text, fileName: 'keep me.json' })).toMatchObject({ ok: true, alreadyStored: true, warnings: [] });
      expect((await elsewhere.call('policies.fits', { policyId: imported.policy.id })).own).toBeNull();
      expect((await elsewhere.call('policies.evaluate', { policyId: imported.policy.id, episodes: 20 })).exact?.optimalReturn).toBe(-13);
    } finally {
      await elsewhere.close();
    }
  });

  it("warns that another seed is another bandit testbed than the one the policy learned on", async () => {
    const bandit = { format: 'aisle.experiment/v1', name: 'ucb', env: { id: 'bandit-testbed' }, agent: { id: 'ucb1' }, episodes: 50, seeds: [1] };
    const { runIds } = await t.call('experiments.launch', { experiment: bandit });
    await t.until(runIds);
    const { policyId } = await t.call('policies.export', { runId: runIds[0]! });
    const other = await t.call('policies.evaluate', { policyId, episodes: 20, seed: 0 });
    expect(other.warnings.join('\n')).toContain(`bandit-testbed draws its instance from the seed (the testbed's arms' true values): seed 0 makes another one than the policy learned on (run ${runIds[0]!}'s seed 1)`);
    const own = await t.call('policies.evaluate', { policyId, episodes: 20, seed: 1 });
    expect(own.warnings.filter((w) => w.includes('draws its instance'))).toEqual([]);
  });

  it('evaluates a shop policy without its run on the environment its file describes', async () => {
    const shop = { format: 'aisle.experiment/v1', name: 'small shop', env: { id: 'shop', exact: true, items: 6, categories: 2, segments: 1 }, agent: { id: 'q-learning' }, episodes: 50, seeds: 1 };
    const { runIds } = await t.call('experiments.launch', { experiment: shop });
    await t.until(runIds);
    const { policyId } = await t.call('policies.export', { runId: runIds[0]! });
    const withRun = await t.call('policies.evaluate', { policyId, episodes: 30 });
    await t.call('runs.delete', { ids: [...runIds] });
    const fromFile = await t.call('policies.evaluate', { policyId, episodes: 30 });
    expect(fromFile.fingerprintMatches).toBe(true);
    expect(fromFile.monteCarlo).toEqual(withRun.monteCarlo);
    // The exact figure: with the run, its agent's gamma; from the file alone, the gamma it says the
    // agent trained with: the same evaluation either way (it was undiscounted from the file before),
    // said alike as the training's γ, no experiment being named.
    expect(withRun.exact).toMatchObject({ gamma: 0.99, gammaFrom: 'policy' });
    expect(fromFile.exact).toEqual(withRun.exact);
    // Each says which environment it was: the run's, then (the run deleted) the one the file describes.
    expect([withRun.environment, fromFile.environment]).toEqual([`run ${runIds[0]!}'s, the one it was trained on`, 'the one its file describes']);
    // On an experiment named, its agent's.
    const named = await t.call('policies.evaluate', { policyId, experiment: shop, episodes: 30 });
    expect(named.exact).toMatchObject({ gamma: 0.99, gammaFrom: 'experiment' });
    const file = JSON.parse((await t.call('policies.get', { id: policyId })).text) as PolicyFile;
    expect(file.provenance).toMatchObject({ gamma: 0.99, status: 'completed', episodes: 50 });
    // A file from before provenance.gamma: no gamma known, undiscounted, as it says.
    const { provenance: { gamma: _gamma, ...older }, ...rest } = file;
    const imported = await t.call('policies.import', { text: JSON.stringify({ ...rest, provenance: older }), fileName: 'older.json' });
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    expect((await t.call('policies.evaluate', { policyId: imported.policy.id, episodes: 30 })).exact).toMatchObject({ gamma: 1, gammaFrom: 'default' });
  });

  it('refuses to export a run without a Q-table', async () => {
    const { runIds } = await t.call('experiments.launch', {
      experiment: { format: 'aisle.experiment/v1', name: 'random', env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 5, seeds: 1 },
    });
    await t.until(runIds);
    expect(await t.fail('policies.export', { runId: runIds[0]! })).toMatchObject({
      status: 400,
      message: `run ${runIds[0]}: its agent (random) keeps no Q-table or network, and a policy file holds one of those: export a run of a tabular, bandit, LinUCB, DQN or PPO agent`,
    });
    // Q-learning runs stopped before their first checkpoint: the message says so, not that the agent keeps none.
    const config = { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seed: 0 };
    const { runs } = t.store.createExperimentWithRuns({
      name: 'killed',
      config: {},
      configHash: 'e'.repeat(64),
      runs: [0, 1].map((seed) => ({ seed, config: { ...config, seed }, configHash: 'e'.repeat(64), appVersion: 'test', episodesTotal: 10 })),
    });
    const [atStart, midway] = runs.map((r) => r.id) as [number, number];
    for (const id of [atStart, midway]) t.store.markRunning(id);
    t.store.appendMetrics(midway, { start: 0, count: 4, columns: { return: new Float64Array(4) } });
    for (const id of [atStart, midway]) t.store.finishRun(id, 'cancelled', {});
    // Cancelled at episode 0 it learned nothing: more checkpoints would not help, and the message does not say they would.
    expect(await t.fail('policies.export', { runId: atStart })).toMatchObject({
      status: 400,
      message: `run ${atStart} (cancelled) stopped before its first episode and learned nothing to export: export a run that trained`,
    });
    expect(await t.fail('policies.export', { runId: midway })).toMatchObject({
      status: 400,
      message: `run ${midway} (cancelled) stopped at episode 4, before its first Q-table or network was stored: export a completed run, or one trained with more checkpoints (the experiment's "checkpoints")`,
    });
    // Run detail says the same at once (Policies shows it when such a run is chosen); a run that stored a Q-table has nothing to say.
    for (const id of [runIds[0]!, atStart, midway]) expect((await t.call('runs.get', { id })).nothingToExport).toBe((await t.fail('policies.export', { runId: id })).message);
    expect(await t.call('runs.get', { id: runId })).not.toHaveProperty('nothingToExport');
    // A queued run may still store one: its detail says nothing yet, and Export says it is waiting, not that it stopped.
    const { runs: [waiting] } = t.store.createExperimentWithRuns({
      name: 'waiting',
      config: {},
      configHash: 'f'.repeat(64),
      runs: [{ seed: 0, config: { ...config, seed: 0 }, configHash: 'f'.repeat(64), appVersion: 'test', episodesTotal: 10 }],
    });
    expect(await t.call('runs.get', { id: waiting!.id })).not.toHaveProperty('nothingToExport');
    expect(await t.fail('policies.export', { runId: waiting!.id })).toMatchObject({
      status: 400,
      message: `run ${waiting!.id} is queued and has stored no Q-table or network yet: export it once it has stored its first checkpoint`,
    });
    // Neither is offered for export, nor is the random agent's run; the runs that stored something are.
    const exportable = await t.call('runs.list', { stored: 'any', limit: 500 });
    expect(exportable.runs.some((r) => [atStart, midway, runIds[0]].includes(r.id))).toBe(false);
    expect(await t.fail('qtables.get', { runId: runIds[0]! })).toMatchObject({
      status: 404,
      message: `run ${runIds[0]} has no Q-table: its agent (random) is a baseline that learns no values: pick a run of a tabular agent`,
    });
    // The cancelled Q-learning run and the queued one: what the Q-tables screen reads in their detail is the refusal's words.
    expect(await t.fail('qtables.get', { runId: midway })).toMatchObject({
      status: 404,
      message: `run ${midway} has no Q-table (agent q-learning, status cancelled): it stopped before its first checkpoint; a tabular agent saves one at its checkpoints and at the end`,
    });
    expect((await t.fail('qtables.get', { runId: waiting!.id })).message).toBe(`run ${waiting!.id} has no Q-table yet (status queued): a tabular agent saves one at its checkpoints and at the end`);
    for (const id of [runIds[0]!, midway, waiting!.id]) expect((await t.call('runs.get', { id })).noQTable).toBe((await t.fail('qtables.get', { runId: id })).message);
    expect(await t.call('runs.get', { id: runId })).not.toHaveProperty('noQTable');
  });

  it('gives the built policy runtime to save, and says when the build has none', async () => {
    const runtime = await t.call('policies.runtime', {});
    expect(runtime.fileName).toBe('runtime.js');
    expect(runtime.text).toBe(readFileSync(resolve(__dirname, '../../out/runtime/runtime.js'), 'utf8'));
    expect(runtimePathBeside(WORKER)).toBe(resolve(__dirname, '../../out/runtime/runtime.js'));
    const missing = join(tempDir(), 'runtime.js');
    expect(() => readPolicyRuntime(missing)).toThrow(`the policy runtime is not in this build (${missing} is missing): run \`npm run build\`, which builds it`);
  });

  it('counts the states training never updated in a tabular export, the terminal goal aside', async () => {
    const exported = await t.call('policies.export', { runId });
    const policy = exported.policy as TabularPolicyFile;
    const flat = policy.q.map((row) => row.every((v) => v === row[0]));
    expect(flat[47]).toBe(true); // the goal, terminal: never updated, and not counted
    expect(exported.neverUpdated).toEqual({ states: flat.filter((f, s) => f && s !== 47).length, of: 47, terminal: 1 });
  });

  it("counts a shop's \"left\" as its terminal state, as an MDP's goal, in the export and on Q-tables", async () => {
    // A session ends on reaching "left": training never updates it, and it was counted as never updated (741 of 757 on shop-large).
    const launched = await t.call('experiments.launch', {
      experiment: { ...cliff({ seeds: 1, episodes: 30 }), name: 'shop left', env: { id: 'shop', items: 6, categories: 2, segments: 1, fatigueLevels: 2, catalogSeed: 11, maxSteps: 20 } },
    });
    await t.until(launched.runIds);
    const exported = await t.call('policies.export', { runId: launched.runIds[0]! });
    const policy = exported.policy as TabularPolicyFile;
    const left = policy.states.indexOf('left');
    expect(left).toBe(policy.states.length - 1);
    expect(policy.q[left]!.every((v) => v === policy.q[left]![0])).toBe(true);
    const flat = policy.q.map((row) => row.every((v) => v === row[0]));
    expect(exported.neverUpdated).toEqual({ states: flat.filter((f, s) => f && s !== left).length, of: policy.states.length - 1, terminal: 1 });
    expect((await t.call('qtables.get', { runId: launched.runIds[0]! })).terminal).toEqual([left]);
    await t.call('policies.delete', { id: exported.policyId });
  });

  it('counts the states of an environment of one action by their value, not as all never updated', async () => {
    const launched = await t.call('experiments.launch', {
      experiment: { ...cliff({ seeds: 1, episodes: 20 }), name: 'one action', env: { id: 'seed-toy', states: 4, actions: 1, stepsPerEpisode: 20 } },
    });
    await t.until(launched.runIds);
    const exported = await t.call('policies.export', { runId: launched.runIds[0]! });
    const policy = exported.policy as TabularPolicyFile;
    expect(policy.actions).toHaveLength(1);
    // 400 steps over 4 states of Bernoulli(0.5) rewards: each was visited and moved from initialQ (0).
    expect(policy.q.every(([v]) => v !== 0)).toBe(true);
    expect(exported.neverUpdated).toEqual({ states: 0, of: 4, terminal: 0 });
    // The file says so, and the runtime serving it, which knows no initialQ, reads it there.
    expect(policy.updated).toEqual([true, true, true, true]);
    expect([0, 1, 2, 3].map((s) => loadPolicy(exported.text).trained(s))).toEqual([true, true, true, true]);
    // Q-tables marks and counts them by the same test: it is given the agent's initial value.
    expect(await t.call('qtables.get', { runId: launched.runIds[0]! })).toMatchObject({ q: policy.q, initialQ: 0 });
    await t.call('policies.delete', { id: exported.policyId });
  });
});

describe('policies.fits and policies.fitLogs', () => {
  it('builds each environment once per call: experiments that share one share its build', async () => {
    const exported = await t.call('policies.export', { runId });
    // A sweep of the agent on one environment: four experiments, two environments' settings.
    const envs = [{ id: 'seed-toy' }, { id: 'seed-toy' }, { id: 'seed-toy' }, { id: 'seed-toy', states: 3 }];
    for (const [i, env] of envs.entries()) {
      const config = { ...cliff({ seeds: 1, episodes: 5 }), name: `sweep ${i}`, env, agent: { id: 'q-learning', alpha: 0.1 * (i + 1) } };
      t.store.createExperimentWithRuns({ name: config.name, config, configHash: String(i).repeat(64), runs: [] });
    }
    const stored = t.store.listExperiments().map((e) => t.store.getExperiment(e.id).config as Experiment);
    const toys = stored.filter((e) => e.env?.id === 'seed-toy');
    const distinct = new Set(toys.map((e) => canonicalJson(e.env))).size;
    expect(distinct).toBeLessThan(toys.length);
    const create = vi.spyOn(findEnvironment('seed-toy')!, 'create');
    try {
      const fits = await t.call('policies.fits', { policyId: exported.policyId });
      expect(create).toHaveBeenCalledTimes(distinct);
      // Each experiment still has its answer: the cliff's policy fits none of the toys.
      expect(fits.experiments).toHaveLength(stored.length);
      expect(fits.experiments.filter((f) => f.problem !== null).length).toBeGreaterThanOrEqual(toys.length);
    } finally {
      create.mockRestore();
    }
  });

  it('name the stored experiments and logs a policy cannot run on, with the refusal the evaluations give', async () => {
    const exported = await t.call('policies.export', { runId });
    const toy = await t.call('experiments.launch', { experiment: { ...cliff({ seeds: 1, episodes: 5 }), name: 'toy', env: { id: 'seed-toy' } } });
    await t.until(toy.runIds);
    const fits = await t.call('policies.fits', { policyId: exported.policyId });
    expect(fits.experiments.find((f) => f.experimentId === experimentId)).toEqual({ experimentId, problem: null });
    const misfit = fits.experiments.find((f) => f.experimentId === toy.experimentId)!.problem;
    expect(misfit).toMatch(/evaluate it on the environment it was trained on$/);
    // The same check as Evaluate's: its refusal, word for word.
    expect(await t.fail('policies.evaluate', { policyId: exported.policyId, experimentId: toy.experimentId, episodes: 10 })).toMatchObject({ status: 400, problems: [misfit] });

    const onLogs = (actions: string[]) => t.call('policies.fitLogs', { actions }).then((all) => all.find((f) => f.policyId === exported.policyId)!.problem);
    expect(await onLogs(['left', 'shoes'])).toBeNull();
    const noneLogged = await onLogs(['shoes', 'socks']);
    expect(noneLogged).toMatch(/^none of the policy's actions \(up, right, down, left\) appears in the logs' actions \(shoes, socks\)/);
    const text = 'action,reward,propensity\nshoes,1,0.5\nsocks,0,0.5\n';
    const refused = await t.call('logs.evaluate', { text, fileName: 'logs.csv', columns: { action: 'action', reward: 'reward', propensity: 'propensity' }, targets: [{ kind: 'policy', policyId: exported.policyId }] });
    expect(refused).toMatchObject({ ok: false, problems: [expect.stringContaining(noneLogged!)] });
  });
});

/** The policy without its last action: a column of its Q-table and its label removed, its greedy actions the best of those left. */
function withoutLastAction(policy: TabularPolicyFile): TabularPolicyFile {
  const q = policy.q.map((row) => row.slice(0, -1));
  const greedy = q.map((row) => row.indexOf(Math.max(...row)));
  return { ...policy, actions: policy.actions.slice(0, -1), q, greedy };
}
