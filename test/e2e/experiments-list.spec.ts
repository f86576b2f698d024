// The Experiments screen with many experiments (a sweep's worth): searching as one types, sorting
// by a column's header (with aria-sort), both kept in the URL across a reload and Back, a search
// that matches nothing saying so, and selected experiments compared and deleted together (their
// runs cancelled first when they are still training).
import type { Page } from '@playwright/test';
import type { ExperimentSummary, RunPage } from '../../src/shared/dto';
import { openScreen } from './arrange';
import { call, cliffExperiment, expect, test, type AisleServer } from './fixtures';

/** 30 experiments of tiny budgets: a sweep of 24 toy ones, 3 bandits (one described) and 3 cliffs; resolves once every run has ended. */
async function seed(server: AisleServer): Promise<void> {
  const toy = { format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', stepsPerEpisode: 5 }, agent: { id: 'sarsa' }, episodes: 3, seeds: 1, checkpoints: 0 };
  const alphas = Array.from({ length: 12 }, (_, i) => (i + 1) / 20);
  await call(server, 'experiments.launchSweep', { experiment: toy, sweep: [{ path: 'agent.alpha', values: alphas }, { path: 'episodes', values: [3, 5] }] });
  const bandit = (name: string, description?: string) => ({
    format: 'aisle.experiment/v1',
    name,
    ...(description ? { description } : {}),
    env: { id: 'bandit-testbed' },
    agent: { id: 'ucb1' },
    episodes: 4,
    seeds: 1,
    checkpoints: 0,
  });
  for (const e of [bandit('Bandit check'), bandit('bandit again'), bandit('arms race', 'A Bandit with ten arms')]) await call(server, 'experiments.launch', { experiment: e });
  for (const name of ['cliff one', 'cliff two', 'cliff three']) await call(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { episodes: 5, seeds: 1, checkpoints: 0 }) });
  await expect
    .poll(async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total, { timeout: 60_000, intervals: [200, 500] })
    .toBe(30);
}

const rowIds = (app: Page) => app.getByTestId('experiment-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
const listed = (server: AisleServer) => call<ExperimentSummary[]>(server, 'experiments.list');
const hashQuery = (app: Page) => new URLSearchParams(new URL(app.url()).hash.split('?')[1] ?? '');

test('many experiments: search, sort, the view kept in the URL, and the selected ones compared and deleted', async ({ app, server }) => {
  test.setTimeout(120_000);
  await seed(server);
  const all = await listed(server);
  expect(all).toHaveLength(30);
  const idOf = (name: string) => all.find((e) => e.name === name)!.id;
  await openScreen(app, '#/experiments');
  await expect(app.getByTestId('experiment-row')).toHaveCount(30);
  await expect(app.getByTestId('experiments-total')).toHaveText('30 experiments');
  // Newest first, as before the list could be sorted.
  expect(await rowIds(app)).toEqual(all.map((e) => e.id).sort((a, b) => b - a));

  // The search matches the name, the description, the environment and the agent, ignoring case, as one types.
  const search = app.getByTestId('experiments-search');
  await expect(search).toHaveAccessibleName('Search experiments by name, description, environment or agent');
  await search.fill('BANDIT');
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);
  await expect(app.getByTestId('experiments-total')).toHaveText('3 of 30 experiments');
  await expect.poll(() => hashQuery(app).get('q')).toBe('BANDIT');
  await search.fill('ten arms');
  await expect(app.getByTestId('experiment-row')).toHaveCount(1);
  await expect(app.getByTestId('experiment-row')).toContainText('arms race');
  await search.fill('sarsa');
  await expect(app.getByTestId('experiment-row')).toHaveCount(24);
  await search.fill('tabular-mdp');
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);

  // Sorting: a header's button, from the keyboard, names A to Z first; aria-sort says the order.
  await search.fill('toy');
  await expect(app.getByTestId('experiment-row')).toHaveCount(24);
  const toys = all.filter((e) => e.name.startsWith('toy'));
  const byName = [...toys].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id - b.id)).map((e) => e.id);
  await app.getByTestId('sort-name').focus();
  await app.keyboard.press('Enter');
  await expect(app.locator('th', { has: app.getByTestId('sort-name') })).toHaveAttribute('aria-sort', 'ascending');
  await expect(app.locator('th', { has: app.getByTestId('sort-id') })).toHaveAttribute('aria-sort', 'none');
  await expect.poll(() => rowIds(app)).toEqual(byName);
  // Episodes, largest first; ties (the same episodes) by number, largest first too.
  await app.getByTestId('sort-episodes').click();
  await expect(app.locator('th', { has: app.getByTestId('sort-episodes') })).toHaveAttribute('aria-sort', 'descending');
  const byEpisodes = [...toys].sort((a, b) => b.episodes - a.episodes || b.id - a.id).map((e) => e.id);
  await expect.poll(() => rowIds(app)).toEqual(byEpisodes);
  expect(Object.fromEntries(hashQuery(app))).toEqual({ q: 'toy', sort: 'episodes' });

  // A reload keeps the search and the order; Back returns to the order before.
  await app.reload();
  await expect(app.getByTestId('experiments-search')).toHaveValue('toy');
  await expect(app.locator('th', { has: app.getByTestId('sort-episodes') })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => rowIds(app)).toEqual(byEpisodes);
  await app.goBack();
  await expect(app.locator('th', { has: app.getByTestId('sort-name') })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => rowIds(app)).toEqual(byName);
  await expect(app.getByTestId('experiments-search')).toHaveValue('toy');

  // A search that matches nothing says so, and offers to clear it: every experiment is back, the box focused.
  await search.fill('no such experiment');
  await expect(app.getByTestId('experiment-row')).toHaveCount(0);
  await expect(app.getByTestId('experiments-no-match')).toContainText('No experiment matches “no such experiment”.');
  await app.getByTestId('clear-search').click();
  await expect(app.getByTestId('experiment-row')).toHaveCount(30);
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('');
  await expect.poll(() => hashQuery(app).get('q')).toBeNull();

  // Two selected experiments, compared: Compare opens on both.
  await expect(app.getByTestId('compare-selected')).toHaveAttribute('aria-disabled', 'true');
  await search.fill('cliff');
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);
  const row = (name: string) => app.getByTestId('experiment-row').filter({ hasText: name });
  await row('cliff one').getByTestId('select-experiment').check();
  await row('cliff three').getByRole('checkbox', { name: `Select experiment ${idOf('cliff three')}, cliff three` }).check();
  await expect(app.getByTestId('selection-count')).toHaveText('2 selected');
  await expect(row('cliff one')).toHaveClass(/selected/);
  // Selected experiments a search hides stay selected, and the count says so.
  await search.fill('bandit');
  await expect(app.getByTestId('selection-count')).toHaveText('2 selected (2 hidden by the search)');
  await app.getByTestId('compare-selected').click();
  await expect(app.getByTestId('compare-screen')).toBeVisible();
  expect(hashQuery(app).get('experiments')).toBe([idOf('cliff one'), idOf('cliff three')].sort((a, b) => a - b).join(','));
  await expect(app.locator('canvas[data-drawn]').first()).toBeVisible();

  // Back on the list, a long experiment still training: selected with every bandit shown, it is
  // cancelled first, and all four are deleted together.
  const long = await call<{ experimentId: number; runIds: number[] }>(server, 'experiments.launch', {
    experiment: { format: 'aisle.experiment/v1', name: 'bandit long', env: { id: 'seed-toy', stepsPerEpisode: 10 }, agent: { id: 'sarsa' }, episodes: 10_000_000, seeds: 1, checkpoints: 0 },
  });
  await app.goBack();
  await expect(app.getByTestId('experiments-search')).toHaveValue('bandit');
  await expect(app.getByTestId('experiment-row')).toHaveCount(4);
  await expect(row('bandit long').getByTestId('run-counts')).toContainText('1 running');
  await app.getByRole('checkbox', { name: 'Select every experiment shown' }).check();
  await expect(app.getByTestId('selection-count')).toHaveText('4 selected');
  await app.getByTestId('delete-selected').click();
  const dialog = app.getByTestId('confirm-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Delete 4 experiments?');
  await expect(dialog.getByTestId('delete-names').getByRole('listitem')).toHaveCount(4);
  await expect(dialog).toContainText('Their queued or running run is cancelled first. Their 4 runs, their metrics and checkpoints are deleted too. This cannot be undone.');
  // Keep leaves everything as it was.
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await expect(app.getByTestId('delete-selected')).toBeFocused();
  expect(await listed(server)).toHaveLength(31);
  await app.getByTestId('delete-selected').click();
  await dialog.getByTestId('confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(app.getByTestId('selection-count')).toBeFocused();
  await expect(app.getByTestId('selection-count')).toHaveText('Select experiments to compare, delete or export them.');
  await expect(app.getByTestId('experiment-row')).toHaveCount(0);
  const left = await listed(server);
  expect(left.map((e) => e.name).filter((name) => /bandit|arms/i.test(name))).toEqual([]);
  expect(left).toHaveLength(27);
  expect((await call<RunPage>(server, 'runs.list', { experimentId: long.experimentId })).total).toBe(0);
});

test('more than a hundred experiments: pages of a hundred read by the service, the page kept in the URL, a selection across pages, a search back on the first, and a page emptied by a delete gives way to the last', async ({ app, server }) => {
  test.setTimeout(120_000);
  const toy = { format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', stepsPerEpisode: 5 }, agent: { id: 'sarsa' }, episodes: 2, seeds: 1, checkpoints: 0 };
  // A sweep makes at most 64 experiments: 8 × 8 twice, and 2 more.
  const sweep = (gamma: number, alphas: number[], episodes: number[]) =>
    call(server, 'experiments.launchSweep', {
      experiment: { ...toy, agent: { id: 'sarsa', gamma } },
      sweep: [
        { path: 'agent.alpha', values: alphas },
        { path: 'episodes', values: episodes },
      ],
    });
  const eight = Array.from({ length: 8 }, (_, i) => i + 1);
  await sweep(0.9, eight.map((i) => i / 10), eight);
  await sweep(0.99, eight.map((i) => i / 10), eight);
  await sweep(0.5, [0.5, 0.6], [1]);
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total, { timeout: 60_000, intervals: [200, 500] }).toBe(130);
  const ids = (await listed(server)).map((e) => e.id).sort((a, b) => b - a);
  await openScreen(app, '#/experiments');
  await expect(app.getByTestId('experiment-row')).toHaveCount(100);
  await expect(app.getByTestId('experiments-range')).toHaveText('1–100 of 130 experiments');
  expect(await rowIds(app)).toEqual(ids.slice(0, 100));

  await app.getByTestId('next-page').click();
  await expect(app.getByTestId('experiment-row')).toHaveCount(30);
  await expect(app.getByTestId('experiments-range')).toHaveText('101–130 of 130 experiments');
  expect(hashQuery(app).get('page')).toBe('2');
  await app.reload();
  await expect(app.getByTestId('experiment-row')).toHaveCount(30);
  expect(await rowIds(app)).toEqual(ids.slice(100));

  // A selected experiment stays selected on another page, and goes with the selection's actions.
  await app.getByRole('button', { name: '‹ Previous' }).click();
  await expect(app.getByTestId('experiment-row')).toHaveCount(100);
  await app.getByTestId('experiment-row').first().getByTestId('select-experiment').check();
  await expect(app.getByTestId('selection-count')).toHaveText('1 selected');
  await app.getByTestId('next-page').click();
  await expect(app.getByTestId('experiment-row')).toHaveCount(30);

  // Every experiment of the last page, deleted with the one selected on the first: the page is gone, and the list shows the one before.
  await expect(app.getByTestId('selection-count')).toHaveText('1 selected (1 on other pages)');
  await app.getByRole('checkbox', { name: 'Select every experiment shown' }).check();
  await expect(app.getByTestId('selection-count')).toHaveText('31 selected (1 on other pages)');
  await app.getByTestId('delete-selected').click();
  await expect(app.getByTestId('confirm-dialog').getByRole('heading')).toHaveText('Delete 31 experiments?');
  await app.getByTestId('confirm-dialog').getByTestId('confirm').click();
  await expect(app.getByTestId('experiment-row')).toHaveCount(99);
  await expect(app.getByTestId('experiments-total')).toHaveText('99 experiments');
  await expect(app.getByTestId('experiments-range')).toHaveCount(0); // one page: no pager
  await expect.poll(() => hashQuery(app).get('page')).toBeNull();
  expect((await listed(server)).map((e) => e.id)).toEqual(ids.slice(1, 100));

  // On page 2 again (more experiments), a search starts from the first page.
  await sweep(0.5, [0.7, 0.8], [1]);
  await expect(app.getByTestId('experiments-total')).toHaveText('101 experiments');
  await app.getByTestId('next-page').click();
  await expect(app.getByTestId('experiment-row')).toHaveCount(1);
  const eights = (await listed(server)).filter((e) => e.name.includes('episodes=8')).length;
  await app.getByTestId('experiments-search').fill('episodes=8');
  await expect(app.getByTestId('experiment-row')).toHaveCount(eights);
  await expect(app.getByTestId('experiments-total')).toHaveText(`${eights} of 101 experiments`);
  await expect.poll(() => Object.fromEntries(hashQuery(app))).toEqual({ q: 'episodes=8' });
});

test('Back from a search written over a sort: the list, the count and the box all follow the address', async ({ app, server }) => {
  for (const name of ['alpha cliff', 'beta cliff', 'gamma cliff']) await call(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { episodes: 2, seeds: 1, checkpoints: 0 }) });
  await openScreen(app, '#/experiments');
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);
  await app.getByTestId('sort-name').click(); // a history entry
  await expect.poll(() => Object.fromEntries(hashQuery(app))).toEqual({ sort: 'name', desc: '0' });
  await app.getByTestId('experiments-search').fill('beta'); // written over that entry
  await expect.poll(() => Object.fromEntries(hashQuery(app))).toEqual({ q: 'beta', sort: 'name', desc: '0' });
  await expect(app.getByTestId('experiment-row')).toHaveCount(1);

  // Back returns to the entry before the sort: no search there, so every experiment shows.
  await app.goBack();
  await expect.poll(() => Object.fromEntries(hashQuery(app))).toEqual({});
  await expect(app.getByTestId('experiments-search')).toHaveValue('');
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);
  await expect(app.getByTestId('experiments-total')).toHaveText('3 experiments');
  // A sort clicked now does not bring the old search back into the address.
  await app.getByTestId('sort-name').click();
  await expect.poll(() => Object.fromEntries(hashQuery(app))).toEqual({ sort: 'name', desc: '0' });
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);
});

test('a name longer than the delete dialog (no spaces to wrap at) wraps in its heading rather than scrolling the dialog sideways', async ({ app, server }) => {
  const name = `shop_fatigue_${'x'.repeat(150)}_end`;
  await call(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { episodes: 2, seeds: 1, checkpoints: 0 }) });
  await app.setViewportSize({ width: 900, height: 700 });
  await openScreen(app, '#/experiments');
  await app.getByTestId('delete-experiment').click();
  const dialog = app.getByTestId('confirm-dialog');
  await expect(dialog.getByRole('heading')).toContainText('_end');
  expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBeLessThanOrEqual(0);
  await expect(dialog.getByTestId('confirm')).toBeInViewport({ ratio: 1 });
});

test('a search past its limit is said cut beside the box, and not on an empty database, which has no box to shorten it in', async ({ app, server }) => {
  const long = `toy ${'x'.repeat(300)}`;
  await openScreen(app, `#/experiments?q=${long}`);
  await expect(app.getByTestId('experiments-empty')).toBeVisible();
  await expect(app.getByTestId('experiments-search')).toHaveCount(0);
  await expect(app.getByTestId('search-cut')).toHaveCount(0);
  await call(server, 'experiments.launch', { experiment: cliffExperiment('cliff', undefined, { episodes: 2, seeds: 1, checkpoints: 0 }) });
  await expect(app.getByTestId('search-cut')).toHaveText('Search: has 304 characters, more than the 200 a search takes: only its first 200 are searched; shorten it');
  await expect(app.getByTestId('experiments-search')).toBeVisible();
});
