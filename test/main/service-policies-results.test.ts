// A run's exported policy carried by a results file: exporting that run's policy again in the
// database it was imported into gives the stored policy, as a second export at home does, though
// the import gave the run, its experiment and the default name (made of the run's id) new ids.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TabularPolicyFile } from '../../src/engine/policy/format';
import { exportFile, exportRunPolicy } from '../../src/main/policy-export';
import { Store } from '../../src/main/store';
import { closedAfterEach, finishedCliff, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

const service = closedAfterEach();
const finished = (t: TestService, name: string) => finishedCliff(t, name, 1);

describe('policies.export after experiments.importResults', () => {
  it('gives the policy the results file brought for the imported run, not a second row of it', async () => {
    const home = service();
    await finished(home, 'skipped'); // so the chosen run's ids differ from the ones a fresh database gives it
    const chosen = await finished(home, 'chosen');
    const homeRun = chosen.runIds[0]!;
    const atHome = await home.call('policies.export', { runId: homeRun });
    // At home, a second export is the stored one.
    expect((await home.call('policies.export', { runId: homeRun })).policyId).toBe(atHome.policyId);

    const { base64 } = await home.call('experiments.exportResults', { ids: [chosen.experimentId] });
    const away = service();
    const reply = await away.call('experiments.importResults', { base64, fileName: 'night.aisle-results' });
    if (!reply.ok) throw new Error(reply.problems.join('; '));
    const [imported] = reply.experiments;
    const run = imported!.runs[0]!;
    expect(run).toEqual({ from: homeRun, id: 1 });
    expect(imported!.policies).toEqual([{ from: atHome.policyId, id: 1, alreadyStored: false }]);

    const away1 = await away.call('policies.export', { runId: run.id });
    const away2 = await away.call('policies.export', { runId: run.id });
    expect(away1.policyId).toBe(1);
    expect(away2.policyId).toBe(1);
    // The run's policy came with it: already stored, at the first export here too.
    expect([away1.alreadyStored, away2.alreadyStored]).toEqual([true, true]);
    expect((await away.call('policies.list', {})).map((p) => ({ id: p.id, runId: p.runId }))).toEqual([{ id: 1, runId: run.id }]);
    // The stored file, byte for byte the one exported at home (its provenance names the run there),
    // downloaded under its own name.
    expect(away1.text).toBe(atHome.text);
    expect(away1.fileName).toBe(atHome.fileName);
    // Named otherwise, it is another policy, stored once.
    const named = await away.call('policies.export', { runId: run.id, name: 'mine' });
    expect(named.policyId).not.toBe(1);
    expect((await away.call('policies.export', { runId: run.id, name: 'mine' })).policyId).toBe(named.policyId);
    expect((await away.call('policies.list', {})).length).toBe(2);
  });
});

describe('experiments.importResults of an edited tabular-MDP policy', () => {
  it('refuses a policy whose tables do not fit the MDP the file holds for its run: one line naming the field, nothing imported', async () => {
    const home = service();
    const chosen = await finished(home, 'cliff');
    const homeRun = chosen.runIds[0]!;
    await home.call('policies.export', { runId: homeRun });
    const { base64 } = await home.call('experiments.exportResults', { ids: [chosen.experimentId] });
    // The policy's file edited inside the results file, its row's count with it (so the row agrees):
    // a Q-table column and its action label removed, greedy actions recomputed, as a hand edit would.
    const file = join(tempDir('aisle-results-mdp-'), 'edited.aisle-results');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    const db = new Database(file);
    const row = db.prepare<[], { id: number; json: string }>('SELECT id, json FROM policies').get()!;
    const policy = JSON.parse(row.json) as TabularPolicyFile;
    const q = policy.q.map((r) => r.slice(0, -1));
    const edited = { ...policy, actions: policy.actions.slice(0, -1), q, greedy: q.map((r) => r.indexOf(Math.max(...r))) };
    db.prepare('UPDATE policies SET json = ?, actions = 3 WHERE id = ?').run(JSON.stringify(edited), row.id);
    db.close();

    const away = service();
    // Refused as an answer naming the file (not a failed call: the browser logged a 400 in its console).
    const refused = await away.call('experiments.importResults', { base64: readFileSync(file).toString('base64'), fileName: 'edited.aisle-results' });
    expect(refused).toEqual({
      ok: false,
      problems: [
        expect.stringMatching(
          new RegExp(
            `^edited\\.aisle-results: policy ${row.id}: policy\\.actions: the policy has 48 states × 3 actions but the MDP it names \\(sha256 ${policy.env.mdpHash!.slice(0, 12)}…, run ${homeRun}'s in the file\\) has 48 states × 4 actions`,
          ),
        ),
      ],
    });
    expect(await away.call('experiments.list', {})).toEqual([]);
    expect(await away.call('policies.list', {})).toEqual([]);
  });
});

describe('two processes exporting one run at once', () => {
  it('store one row: the second finds, inside its write transaction, the row the first stored after both looked', async () => {
    const app = service();
    const { runIds } = await finished(app, 'raced');
    const runId = runIds[0]!;
    // The app and `aisle export` on one database: each looks before either stores.
    const cli = Store.open(app.dbPath);
    try {
      const inApp = exportFile(app.store, runId, exportRunPolicy(app.store, runId).policy);
      const inCli = exportFile(cli, runId, exportRunPolicy(cli, runId).policy);
      expect(inApp.storedId).toBeUndefined();
      expect(inCli.storedId).toBeUndefined();
      const first = inApp.store();
      const second = inCli.store();
      expect(first.added).toBe(true);
      expect(second).toEqual({ id: first.id, text: first.text, added: false });
      expect(cli.listPolicies(runId).map((p) => p.id)).toEqual([first.id]);
    } finally {
      cli.close();
    }
  });
});
