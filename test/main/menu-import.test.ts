// File → Import experiment… in the Electron shell: the dialog that asks before launching says what
// the form says beside Ready (a fittedTo left out, a shift that never happens), and what it
// launches stores no stale fittedTo.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importExperiment } from '../../src/main/menu';
import { ROOT } from '../helpers/cli';
import { openService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

let t: TestService;
beforeAll(() => {
  t = openService({ workers: 1 });
});
afterAll(async () => {
  await t.close();
});

/** The Electron pieces the menu uses: the file picked, and the answer given to the question asked. */
function electronPicking(path: string, response: number) {
  const dialog = { showOpenDialog: vi.fn(() => Promise.resolve({ canceled: false, filePaths: [path] })), showMessageBox: vi.fn(() => Promise.resolve({ response })) };
  return { dialog, pieces: { dialog, Menu: {}, app: {} } as never };
}

describe('Import experiment… from the menu', () => {
  it('asks with the notes before launching, and launches without the stale fittedTo', async () => {
    const file = join(tempDir('aisle-menu-'), 'late.json');
    const fittedTo = { logs: 'logs.csv', where: {}, rows: 10, envHash: 'c'.repeat(64) };
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'late shift', env: { id: 'shop', shiftAt: 50, maxSteps: 5 }, agent: { id: 'random' }, episodes: 20, seeds: 1, fittedTo }));
    const context = { dev: false, version: 'test', dbPath: t.dbPath, handlers: t.service.handlers, window: () => null };

    const cancelled = electronPicking(file, 1);
    await importExperiment(cancelled.pieces, context);
    const [question] = cancelled.dialog.showMessageBox.mock.calls[0] as unknown as [{ message: string; detail: string }];
    expect(question.message).toBe('Launch “late shift”?');
    expect(question.detail).toMatch(/^1 run × 20 episodes\.\n\nNote: fittedTo: no longer applies: it records the rows of logs\.csv .*\n\nNote: env\.shiftAt: the shift at episode 50 never happens in 20 episodes/s);
    expect(await t.call('experiments.list', {})).toHaveLength(0);

    await importExperiment(electronPicking(file, 0).pieces, context);
    const [launched] = await t.call('experiments.list', {});
    expect(launched).toMatchObject({ name: 'late shift', source: file });
    expect((await t.call('experiments.get', { id: launched!.id })).config).not.toHaveProperty('fittedTo');
  });

  it("reads the files its environment names by path, a shop's catalog as an MDP: the calibrated shop preset asks to launch", async () => {
    const preset = join(ROOT, 'resources/experiments/shop-calibrated.json');
    expect(readFileSync(preset, 'utf8')).toContain('"catalog": "../shops/online-retail.shop.json"');
    const context = { dev: false, version: 'test', dbPath: t.dbPath, handlers: t.service.handlers, window: () => null };
    const cancelled = electronPicking(preset, 1);
    await importExperiment(cancelled.pieces, context);
    const [question] = cancelled.dialog.showMessageBox.mock.calls[0] as unknown as [{ message: string }];
    expect(question.message).toMatch(/^Launch “shop calibrated on Online Retail/);
    expect((await t.call('experiments.list', {})).map((e) => e.name)).not.toContain(JSON.parse(readFileSync(preset, 'utf8')).name);
  });

  // Linux's mkfifo makes the pipe; the menu runs on Electron's main process, which a read of it would block.
  it.runIf(process.platform === 'linux')('reads no pipe: one picked is refused, one an experiment names as its MDP is left unread', async () => {
    const dir = tempDir('aisle-menu-');
    const fifo = join(dir, 'cliff.mdp.json');
    execFileSync('mkfifo', [fifo]);
    const file = join(dir, 'piped.json');
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'piped', env: { id: 'tabular-mdp', mdp: 'cliff.mdp.json' }, agent: { id: 'q-learning' }, episodes: 20, seeds: 1 }));
    const context = { dev: false, version: 'test', dbPath: t.dbPath, handlers: t.service.handlers, window: () => null };
    await expect(importExperiment(electronPicking(fifo, 0).pieces, context)).rejects.toThrow('cliff.mdp.json is not a regular file (a pipe, a device or a folder): pick a file');
    await expect(importExperiment(electronPicking(file, 0).pieces, context)).rejects.toThrow(/^piped\.json is not a valid experiment:\n.*env\.mdp/s);
    expect((await t.call('experiments.list', {})).map((e) => e.name)).not.toContain('piped');
  });
});
