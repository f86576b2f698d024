// Accessibility: axe-core's WCAG 2.1 A and AA rules find nothing serious or critical on any screen,
// in the light and in the dark colour scheme, with data on them (an experiment's completed runs, a
// stored policy, cancelled runs, a confirm dialog, a field problem, a logs file loaded and evaluated). Moderate and minor findings are printed, for the
// record, without failing the test. The dark passes check the dark theme as the OS's scheme gives it and as chosen against a light OS.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { RunPage } from '../../src/shared/dto';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { call, cliffExperiment, expect, test } from './fixtures';
import { evaluateLogs, launchAndWait, openScreen, type Launched } from './arrange';
import { audit } from './axe';

// Made in beforeAll, not as the module loads: Playwright also loads spec files in processes that
// only list the tests and never run afterAll, and each left an empty folder in /tmp.
let logsDir: string;
test.beforeAll(() => {
  logsDir = mkdtempSync(join(tmpdir(), 'aisle-a11y-'));
});
test.afterAll(() => rmSync(logsDir, { recursive: true, force: true }));

test('no serious or critical WCAG 2.1 AA violation on any screen, in the light and the dark scheme, and in Dark chosen on a light OS', async ({ app, server }) => {
  test.setTimeout(120_000);
  const { experimentId, runIds } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 2 }));
  const [a, b] = runIds as [number, number];
  await call(server, 'policies.export', { runId: a, name: 'greedy cliff' });
  // Two cancelled runs, whose status pills sit beside the completed ones'.
  const stopped = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('long cliff', undefined, { episodes: 10_000_000, seeds: 2 }) });
  await call(server, 'runs.cancel', { ids: stopped.runIds });
  await expect
    .poll(async () => (await call<RunPage>(server, 'runs.list', { experimentId: stopped.experimentId, limit: 10 })).runs.map((r) => r.status))
    .toEqual(['cancelled', 'cancelled']);
  const logs = join(logsDir, 'logs.csv');
  writeFileSync(logs, logsCsv(syntheticRows(2000, 1)));

  const screens: { name: string; hash: string; ready: (page: Page) => Promise<void>; leave?: (page: Page) => Promise<void> }[] = [
    { name: 'Experiments', hash: '#/experiments', ready: (p) => expect(p.getByTestId('experiment-row')).toHaveCount(2) },
    {
      name: 'Experiments (delete dialog)',
      hash: '#/experiments',
      ready: async (p) => {
        await p.getByTestId('delete-experiment').first().click();
        await expect(p.getByTestId('confirm-dialog')).toBeVisible();
      },
      leave: async (p) => {
        await p.getByRole('button', { name: 'Keep' }).click();
        await expect(p.getByTestId('confirm-dialog')).toHaveCount(0);
      },
    },
    {
      name: 'New experiment (form)',
      hash: '#/experiments/new',
      ready: async (p) => {
        // The tab goes with the draft, so the second scheme's visit may come back to the JSON view.
        await p.getByTestId('tab-form').click();
        await expect(p.getByTestId('launch')).toBeVisible();
      },
    },
    {
      name: 'New experiment (JSON view)',
      hash: '#/experiments/new',
      ready: async (p) => {
        await p.getByTestId('tab-json').click();
        await expect(p.getByTestId('json-view')).toBeVisible();
      },
    },
    {
      name: 'New experiment (a sweep with a bad value)',
      hash: '#/experiments/new',
      ready: async (p) => {
        await p.getByTestId('tab-form').click();
        await p.getByTestId('input-episodes').fill('300');
        // The rows stay in the tab's draft: the next scheme's visit finds the row there, its section open.
        if ((await p.getByTestId('sweep-row-0').count()) === 0) {
          await p.getByTestId('sweep').locator('summary').click();
          await p.getByTestId('sweep-add').click();
        }
        // The random search's visit left its mode in the draft too.
        await p.getByTestId('sweep-mode-grid').check();
        await p.getByTestId('sweep-path-0').selectOption('agent.alpha');
        await p.getByTestId('sweep-values-0').fill('0.1, 1.5');
        await expect(p.getByTestId('sweep-problem-0')).toBeVisible();
      },
    },
    {
      name: 'New experiment (a random search with a bound out of range)',
      hash: '#/experiments/new',
      ready: async (p) => {
        await p.getByTestId('tab-form').click();
        // The grid's visit before this one left a row of alpha, its section open.
        await p.getByTestId('sweep-mode-random').check();
        await p.getByTestId('sweep-path-0').selectOption('agent.alpha');
        await p.getByTestId('sweep-kind-0').selectOption('uniform');
        await p.getByTestId('sweep-lo-0').fill('0.5');
        await p.getByTestId('sweep-hi-0').fill('2');
        await expect(p.getByTestId('sweep-problem-0')).toBeVisible();
      },
    },
    {
      name: 'New experiment (a field problem)',
      hash: '#/experiments/new',
      ready: async (p) => {
        await p.getByTestId('tab-form').click();
        await p.getByTestId('input-episodes').fill('');
        await p.getByTestId('input-episodes').pressSequentially('e');
        await expect(p.getByTestId('problem-episodes')).toBeVisible();
      },
    },
    { name: 'Runs', hash: '#/runs', ready: (p) => expect(p.getByTestId('run-row')).toHaveCount(4) },
    {
      name: 'Run detail',
      hash: `#/runs/${a}`,
      ready: async (p) => {
        await expect(p.getByTestId('greedy-panel')).toBeVisible();
        await expect(p.locator('canvas[data-drawn]').first()).toBeVisible();
      },
    },
    { name: 'Compare', hash: `#/compare?experiments=${experimentId}`, ready: (p) => expect(p.locator('canvas[data-drawn]').first()).toBeVisible() },
    { name: 'Q-tables', hash: `#/qtables?a=${a}&b=${b}`, ready: (p) => expect(p.getByTestId('qt-heatmap-diff')).toBeVisible() },
    { name: 'Policies', hash: '#/policies', ready: (p) => expect(p.getByTestId('policy-row')).toHaveCount(1) },
    {
      name: 'Off-policy',
      hash: '#/off-policy',
      ready: (p) => evaluateLogs(p, logs),
    },
  ];

  const blocking: string[] = [];
  const reported: string[] = [];
  // The OS's light and dark schemes under System, then Dark chosen against a light OS (the sidebar's
  // Theme), where anything still keyed to the OS alone would show light on dark.
  const passes = [
    { colorScheme: 'light', theme: 'System' },
    { colorScheme: 'dark', theme: 'System' },
    { colorScheme: 'light', theme: 'Dark' },
  ] as const;
  for (const { colorScheme, theme } of passes) {
    await app.emulateMedia({ colorScheme });
    // A fresh page for each pass: Off-policy keeps its file and results across visits.
    await app.reload();
    await app.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    const pass = theme === 'System' ? colorScheme : `${theme.toLowerCase()} on a ${colorScheme} OS`;
    for (const screen of screens) {
      // From another screen each time, so every screen arrives fresh (the JSON view's tab click included).
      await openScreen(app, '#/experiments');
      await openScreen(app, screen.hash);
      await screen.ready(app);
      for (const finding of await audit(app)) {
        const line = `[${pass}] ${screen.name}: ${finding.rule} (${finding.impact}, ${finding.nodes.length}) ${finding.help}\n${finding.nodes.map((n) => `    ${n}`).join('\n')}`;
        (finding.impact === 'serious' || finding.impact === 'critical' ? blocking : reported).push(line);
      }
      await screen.leave?.(app);
    }
  }
  console.log(reported.length ? `moderate and minor findings:\n${reported.join('\n')}` : 'no moderate or minor findings');
  expect(blocking, 'serious or critical violations').toEqual([]);
});
