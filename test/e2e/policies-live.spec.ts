// An open Policies screen follows the stored policies without a reload: a policy stored or deleted
// by a second client of the same server (another window or tab) and by `aisle policies
// import|delete` in a terminal (another process on the same database) appears or goes at once.
// So does Off-policy's stored-policy target, which lists the same policies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { contextFreePolicy, tabularPolicy } from '../helpers/policy';
import { launchAndWait, openScreen } from './arrange';
import { call, cliffExperiment, expect, ROOT, test } from './fixtures';

test('policies stored and deleted by another window or by `aisle policies` show on the open screen', async ({ app, server }) => {
  const dir = mkdtempSync(join(tmpdir(), 'aisle-policies-'));
  const aisle = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'out/main/cli.js'), '--db', server.dbPath, ...args], { cwd: ROOT, encoding: 'utf8' });
  try {
    await openScreen(app, '#/policies');
    await expect(app.getByText('No policies yet')).toBeVisible();
    const rows = app.getByTestId('policy-row');
    const named = (name: string) => rows.filter({ hasText: name });

    // Window 2 imports one through the contract: this window's list shows it.
    const imported = await call<{ ok: true; policy: { id: number } }>(server, 'policies.import', { text: JSON.stringify(tabularPolicy({ name: 'from window 2' })), fileName: 'window.json' });
    await expect(named('from window 2')).toHaveCount(1);

    // The terminal imports another: another process's commit, noticed within a look (about a second).
    const file = join(dir, 'terminal.json');
    writeFileSync(file, JSON.stringify(tabularPolicy({ name: 'from the terminal' })));
    const stored = aisle('policies', 'import', file);
    expect(stored.status, stored.stderr).toBe(0);
    await expect(named('from the terminal')).toHaveCount(1);
    await expect(rows).toHaveCount(2);
    const terminalId = Number(await named('from the terminal').getAttribute('data-id'));

    // And deletes it; window 2 deletes its own: the list is empty again.
    const deleted = aisle('policies', 'delete', String(terminalId), '--yes');
    expect(deleted.status, deleted.stderr).toBe(0);
    await expect(named('from the terminal')).toHaveCount(0);
    await call(server, 'policies.delete', { id: imported.policy.id });
    await expect(rows).toHaveCount(0);
    await expect(app.getByText('No policies yet')).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Off-policy\'s stored-policy target offers a policy `aisle policies import` stores, and drops it when deleted', async ({ app, server }) => {
  const dir = mkdtempSync(join(tmpdir(), 'aisle-policies-'));
  const aisle = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'out/main/cli.js'), '--db', server.dbPath, ...args], { cwd: ROOT, encoding: 'utf8' });
  try {
    await openScreen(app, '#/off-policy');
    const logs = join(dir, 'logs.csv');
    writeFileSync(logs, logsCsv(syntheticRows(400, 5)));
    await app.getByTestId('logs-input').setInputFiles(logs);
    const options = app.getByTestId('target-policy-id').locator('option');
    await expect(options).toHaveText(['none stored (context-free, tabular, or a network on discrete states)']);
    await expect(app.getByTestId('target-policy-id')).toBeDisabled();

    // Another process stores a context-free policy: the open screen offers it, with no reload.
    const file = join(dir, 'ranking.json');
    // Its actions (shoes, hats, bags) are logged items, so the target can run on these logs.
    writeFileSync(file, JSON.stringify(contextFreePolicy({ name: 'ranking from the terminal' })));
    const stored = aisle('policies', 'import', file, '--json');
    expect(stored.status, stored.stderr).toBe(0);
    const id = (JSON.parse(stored.stdout) as { policy: { id: number } }).policy.id;
    await expect(options).toHaveText(['choose…', `#${id} ranking from the terminal (context-free, 3 actions)`]);
    await expect(app.getByTestId('target-policy-id')).toBeEnabled();

    // A second one is offered first: newest first, as the Policies screen lists them (it was offered last, in the order stored).
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify(contextFreePolicy({ name: 'newer ranking from the terminal' })));
    const second = aisle('policies', 'import', newer, '--json');
    expect(second.status, second.stderr).toBe(0);
    const newerId = (JSON.parse(second.stdout) as { policy: { id: number } }).policy.id;
    expect(newerId).toBeGreaterThan(id);
    await expect(options).toHaveText(['choose…', `#${newerId} newer ranking from the terminal (context-free, 3 actions)`, `#${id} ranking from the terminal (context-free, 3 actions)`]);

    // And deletes them: the target is offered no more.
    for (const gone of [newerId, id]) {
      const deleted = aisle('policies', 'delete', String(gone), '--yes');
      expect(deleted.status, deleted.stderr).toBe(0);
    }
    await expect(options).toHaveText(['none stored (context-free, tabular, or a network on discrete states)']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a policy says where it came from: its run, imported, or its run deleted (as `aisle policies` says), when the run goes while the screen is open', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff', undefined, { seeds: 1, episodes: 50 }));
  const exported = await call<{ policyId: number }>(server, 'policies.export', { runId: runIds[0]! });
  await call(server, 'policies.import', { text: JSON.stringify(tabularPolicy({ name: 'from a file' })), fileName: 'file.json' });
  await openScreen(app, '#/policies');
  const origin = (id: string | RegExp) => app.getByTestId('policy-row').filter({ hasText: id }).locator('td').nth(2);
  await expect(origin('from a file')).toHaveText('imported');
  const row = app.locator(`[data-testid="policy-row"][data-id="${exported.policyId}"]`).locator('td').nth(2);
  await expect(row).toHaveText(`exported from run ${runIds[0]}`);
  await call(server, 'runs.delete', { ids: runIds });
  // It read the stored origin's raw word, "export".
  await expect(row).toHaveText('run deleted');
});
