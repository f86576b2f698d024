// Off-policy: a synthetic logs CSV (a uniform and an ε-greedy logging policy over four items at two
// positions) is picked, the uniform policy's rows are evaluated for the greedy policy's and for
// uniform, and the IPS estimate the screen shows is the one `aisle ope --json` prints: the two doors
// agree. The truth row appears for the greedy target; a bad propensity is reported inline naming
// its line; the sidebar reaches the screen and its heading takes focus; every control is labelled.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { decimalsOfLargest } from '../../src/shared/figures';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { openScreen, saveScreenshot } from './arrange';
import { expect, ROOT, test } from './fixtures';

interface CliInterval {
  point: number;
  lo: number;
  hi: number;
}
interface CliOutput {
  logged: CliInterval;
  targets: { spec: string; estimates: Record<'ips' | 'snips' | 'dm' | 'dr', CliInterval>; truth?: CliInterval & { rows: number } }[];
}

/**
 * The spec's log files, in one folder removed after its tests. Made in beforeAll, not as the module
 * loads: Playwright also loads spec files in processes that only list the tests and never run
 * afterAll, and each left an empty folder in /tmp.
 */
let logsDir: string;
test.beforeAll(() => {
  logsDir = mkdtempSync(join(tmpdir(), 'aisle-logs-'));
});
test.afterAll(() => rmSync(logsDir, { recursive: true, force: true }));

function writeLogs(name: string, text: string): string {
  const file = join(logsDir, name);
  writeFileSync(file, text);
  return file;
}

/** What has focus, as "h1: its text". */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return a === null || a === document.body ? 'body' : `${a.tagName.toLowerCase()}: ${(a.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 100)}`;
  });

test('evaluates the greedy policy on the uniform policy’s rows as `aisle ope` does', async ({ app }) => {
  const file = writeLogs('logs.csv', logsCsv(syntheticRows(4000, 3)));
  const cli = spawnSync(process.execPath, [join(ROOT, 'out/main/cli.js'), 'ope', file, '--where', 'policy=uniform', '--target', 'logs:policy=greedy', '--target', 'uniform', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(cli.status, cli.stderr).toBe(0);
  const expected = JSON.parse(cli.stdout) as CliOutput;

  // The sidebar link reaches the screen, and its heading takes focus.
  await app.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Off-policy', exact: true }).click();
  await expect(app).toHaveURL(/#\/off-policy$/);
  await expect.poll(() => focused(app)).toBe('h1: Off-policy');

  await app.getByTestId('logs-input').setInputFiles(file);
  await expect(app.getByTestId('logs-summary')).toHaveText('logs.csv: 4,000 rows, 7 columns (policy, ts, item, position, page, click, pscore).');
  // Each panel's heading sits at its top, as on every other screen (not 20 px further down: h2's own margin).
  expect(await app.locator('.off-policy .panel > h2:first-child').evaluateAll((hs) => hs.map((h) => getComputedStyle(h).marginTop))).toEqual(['0px', '0px', '0px']);
  // The roles prefilled from the Open Bandit names; the logs' policies offered with their rows.
  await expect(app.getByTestId('role-action')).toHaveValue('item');
  await expect(app.getByTestId('role-reward')).toHaveValue('click');
  await expect(app.getByTestId('role-propensity')).toHaveValue('pscore');
  await expect(app.getByTestId('role-context')).toHaveValue('position');
  await expect(app.getByTestId('where-policy').locator('option')).toHaveText(['any', 'greedy (2,000 rows)', 'uniform (2,000 rows)']);
  await expect(app.getByTestId('where-ts')).toHaveCount(0); // 4,000 distinct values: not a filter
  // Nor the reward or the propensity: keeping only the clicked rows would make any estimate meaningless.
  await expect(app.getByTestId('where-click')).toHaveCount(0);
  await expect(app.getByTestId('where-pscore')).toHaveCount(0);
  await expect(app.getByTestId('where-item')).toHaveCount(1);

  // Nothing to evaluate: Evaluate says why it is disabled.
  await app.getByTestId('target-uniform').uncheck();
  await expect(app.getByTestId('ope-evaluate')).toBeDisabled();
  await expect(app.getByTestId('ope-blocker')).toHaveText('Choose at least one policy to evaluate.');
  await expect(app.getByTestId('ope-evaluate')).toHaveAccessibleDescription('Choose at least one policy to evaluate.');

  // A target's rows keep the other filters: its values count the rows it would be evaluated on, as
  // the filters' own do (they counted the whole file's).
  await app.getByTestId('where-page').selectOption('home');
  await app.getByTestId('target-logs-column').selectOption('policy');
  const underPage = (await app.getByTestId('where-policy').locator('option').allTextContents()).slice(1);
  expect(underPage).toHaveLength(2);
  expect(underPage).not.toEqual(['greedy (2,000 rows)', 'uniform (2,000 rows)']);
  await expect(app.getByTestId('target-logs-value').locator('option')).toHaveText(underPage);
  await app.getByTestId('where-page').selectOption('');

  await app.getByTestId('where-policy').selectOption('uniform');
  await app.getByTestId('target-logs-column').selectOption('policy');
  await app.getByTestId('target-logs-value').selectOption('greedy');
  await expect(app.getByTestId('target-logs')).toBeChecked();
  await app.getByTestId('target-uniform').check();
  await expect(app.getByTestId('ope-evaluate')).toBeEnabled();
  await app.getByTestId('ope-evaluate').click();

  const results = app.getByTestId('ope-results');
  await expect(results).toBeVisible();
  await expect.poll(() => focused(app)).toBe('h2: Results');
  const [loggedPoint, loggedLo, loggedHi] = decimalsOfLargest([expected.logged.point, expected.logged.lo, expected.logged.hi], 4);
  await expect(app.getByTestId('ope-logged')).toContainText(`The logging policy (the rows where policy = uniform): mean click ${loggedPoint!} (95 % interval ${loggedLo!} … ${loggedHi!})`);
  const targets = results.getByTestId('ope-target');
  await expect(targets).toHaveCount(2);
  // In the form's order, the CLI's in its options' order.
  await expect(targets.nth(0)).toHaveAttribute('data-spec', 'uniform');
  await expect(targets.nth(1)).toHaveAttribute('data-spec', 'logs:policy=greedy');
  for (const want of expected.targets) {
    const target = results.locator(`[data-testid=ope-target][data-spec="${want.spec}"]`);
    const ips = target.locator('[data-testid=ope-row][data-estimator=ips]');
    // The same number through both doors, to the last digit, and shown as the app formats it.
    await expect(ips.getByTestId('ope-value')).toHaveAttribute('data-value', String(want.estimates.ips.point));
    // One number of decimals for the whole table (decimalsOfLargest), so a column reads down.
    const texts = decimalsOfLargest((['ips', 'snips', 'dm', 'dr'] as const).flatMap((k) => [want.estimates[k].point, want.estimates[k].lo, want.estimates[k].hi]), 4);
    await expect(ips.locator('td')).toHaveText([...texts.slice(0, 3), ...(want.truth ? [/^(yes|no)$/] : [])]);
    await expect(target.locator('[data-testid=ope-row][data-estimator=dm] td').nth(1)).toHaveText(texts[7]!);
    await expect(target.getByRole('table')).toHaveAccessibleName(/^Estimates of its mean click per logged decision, with 95 % bootstrap intervals$/);
    await expect(target.getByTestId('ope-chart')).toBeVisible();
    await expect(target.getByTestId('ope-weights')).toContainText('effective sample size');
  }
  // The greedy policy's target has its truth (what it really got on its own rows) and the coverage column.
  const greedy = targets.nth(1);
  const truth = expected.targets[0]!.truth!;
  const [truthPoint, truthLo, truthHi] = decimalsOfLargest([truth.point, truth.lo, truth.hi], 4);
  await expect(greedy.getByTestId('ope-truth')).toHaveText(`What it really got, on its own 2,000 rows: mean click ${truthPoint!} (95 % interval ${truthLo!} … ${truthHi!}).`);
  await expect(greedy.getByTestId('ope-covers')).toHaveCount(4);
  await expect(targets.nth(0).getByTestId('ope-truth')).toHaveCount(0);

  // From the top: the results took focus and scrolled the page, which would leave the sticky sidebar mid-page in a full-page shot.
  await app.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(app, 'off-policy');

  // A changed choice marks the results as stale until Evaluate runs again.
  await expect(app.getByTestId('ope-stale')).toHaveCount(0);
  await app.getByTestId('ope-seed').fill('1');
  await expect(app.getByTestId('ope-stale')).toBeVisible();

  // The reward model's settings reach the engine: with raw cell means fit on every row, DR's
  // correction vanishes where the weight is constant in a cell (uniform logging), so DR repeats DM;
  // cross-fitted, it does not.
  const estimate = (spec: string, k: string) => results.locator(`[data-testid=ope-target][data-spec="${spec}"] [data-testid=ope-row][data-estimator=${k}] [data-testid=ope-value]`).getAttribute('data-value');
  await app.getByTestId('ope-prior').fill('0');
  await app.getByTestId('ope-folds').selectOption('1');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-stale')).toHaveCount(0);
  expect(Number(await estimate('uniform', 'dr'))).toBeCloseTo(Number(await estimate('uniform', 'dm')), 12);
  await app.getByTestId('ope-folds').selectOption('3');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-stale')).toHaveCount(0);
  await expect.poll(async () => Math.abs(Number(await estimate('uniform', 'dr')) - Number(await estimate('uniform', 'dm')))).toBeGreaterThan(1e-9);

  // Every control on the screen has a label.
  const unlabelled = await app.locator('main').evaluate((main) =>
    [...main.querySelectorAll('input, select, button')].filter((el) => !el.closest('label') && !el.getAttribute('aria-label') && !(el.textContent ?? '').trim()).map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unlabelled).toEqual([]);
});

test('a bad propensity is reported inline, naming its line and column', async ({ app }) => {
  const lines = logsCsv(syntheticRows(200, 5)).split('\n');
  lines[7] = lines[7]!.replace(/,[^,]*$/, ',1.5'); // line 8
  const file = writeLogs('bad.csv', lines.join('\n'));
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(file);
  await expect(app.getByTestId('logs-summary')).toContainText('bad.csv: 200 rows');
  await app.getByTestId('ope-evaluate').click();
  const problems = app.getByTestId('logs-problems');
  await expect(problems).toHaveText('bad.csv:8: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "1.5"');
  await expect(problems).toHaveAttribute('role', 'alert');
  await expect.poll(() => focused(app)).toMatch(/^div: bad\.csv:8: /);
  await expect(app.getByTestId('ope-results')).toHaveCount(0);
  // The problem goes with the next edit (it was about the choices it was asked with).
  await app.getByTestId('where-policy').selectOption('greedy');
  await expect(app.getByTestId('logs-problems')).toHaveCount(0);

  // A file no choice of columns can read is reported as soon as it is picked.
  await app.getByTestId('logs-input').setInputFiles(writeLogs('short.csv', 'item,click,pscore\na,1,0.5\nb,0\n'));
  await expect(app.getByTestId('logs-problems')).toHaveText('short.csv:3: has 2 fields, the header has 3: check for a missing or extra comma');
  await expect(app.getByTestId('ope-evaluate')).toHaveCount(0);
});

test('rewards whose estimates would pass a double’s range are refused inline, naming the largest reward and weight', async ({ app }) => {
  const rows = syntheticRows(200, 5).map((r) => ({ ...r, click: r.click === 1 ? 1.7e308 : 0 }));
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('huge.csv', logsCsv(rows)));
  await expect(app.getByTestId('logs-summary')).toContainText('huge.csv: 200 rows');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('logs-problems')).toHaveText(
    /^logs\.reward: the estimates pass a double's range \(~1\.8e308\) and would read ∞: the largest reward is 1\.70e\+308 and the largest importance weight \d.*rescale the reward column/,
  );
  await expect(app.getByTestId('ope-results')).toHaveCount(0);
});

test('a file with too many combinations of values to count them all: the filters say which counts do not follow them', async ({ app }) => {
  // 40,000 rows whose listed columns have ~29,000 combinations (more than the 20,000 counted):
  // policy, campaign, item and u1 (and the click) are combined, u2 (50 values) is not.
  let s = 3;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
  const rows = Array.from({ length: 40_000 }, (_, i) => ({ policy: i % 2 ? 'random' : 'bts', campaign: rnd(2) ? 'men' : 'women', u1: rnd(50), u2: rnd(50), item: `i${rnd(3)}`, click: rnd(2) }));
  const text = `policy,campaign,u1,u2,item,click,pscore\n${rows.map((r) => `${r.policy},${r.campaign},${r.u1},${r.u2},${r.item},${r.click},0.3333`).join('\n')}\n`;
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('wide.csv', text));
  await expect(app.getByTestId('logs-summary')).toContainText('wide.csv: 40,000 rows');
  await expect(app.getByTestId('ope-counts-partial')).toHaveCount(0); // no filter yet: every count is the file's, as it should be
  await app.getByTestId('where-policy').selectOption('bts');
  // The combined columns' counts follow the filter; u2's stay the file's, and the note says so.
  const bts = (campaign: string) => rows.filter((r) => r.policy === 'bts' && r.campaign === campaign).length.toLocaleString('en-US');
  await expect(app.getByTestId('where-campaign').locator('option')).toHaveText(['any', `men (${bts('men')} rows)`, `women (${bts('women')} rows)`]);
  await expect(app.getByTestId('ope-counts-partial')).toHaveText(/^The rows beside the values of u2 do not follow every filter: the file has too many combinations/);
  // A filter on u2 is left out of every other column's counts.
  await app.getByTestId('where-u2').selectOption('7');
  await expect(app.getByTestId('ope-counts-partial')).toContainText('The rows beside the values of policy, campaign, u1, u2, item do not follow every filter');
  await app.getByTestId('where-policy').selectOption('');
  await expect(app.getByTestId('ope-counts-partial')).toContainText('the values of policy, campaign, u1, item do not follow');
});

test('the keyboard alone: Space toggles a target, Enter on Evaluate brings the results, which take focus', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('logs.csv', logsCsv(syntheticRows(400, 9))));
  const uniform = app.getByTestId('target-uniform');
  await uniform.focus();
  await app.keyboard.press('Space');
  await expect(uniform).not.toBeChecked();
  await expect(app.getByTestId('ope-blocker')).toHaveText('Choose at least one policy to evaluate.');
  await app.keyboard.press('Space');
  await expect(uniform).toBeChecked();
  // Tab carries on through the targets and the intervals to Evaluate.
  for (let i = 0; i < 20 && !(await app.getByTestId('ope-evaluate').evaluate((b) => b === document.activeElement)); i++) await app.keyboard.press('Tab');
  await expect(app.getByTestId('ope-evaluate')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('ope-target')).toHaveCount(1);
  await expect.poll(() => focused(app)).toBe('h2: Results');
});

test('the filters count the rows the other filters keep, the rows still mixed are named, and the targets’ charts share one scale', async ({ app }) => {
  const rows = syntheticRows(2000, 4);
  await openScreen(app, '#/off-policy');
  // A button, as New experiment's Import…, that says a file is loaded (the native input said "No file chosen").
  await expect(app.getByTestId('logs-pick')).toHaveText('Choose a logs file (CSV)…');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('mixed.csv', logsCsv(rows)));
  await expect(app.getByTestId('logs-summary')).toContainText('mixed.csv: 2,000 rows');
  await expect(app.getByTestId('logs-pick')).toHaveText('Choose another logs file…');

  // Every row kept: two logging policies and two pages mixed, named (not the action, context, reward or propensity).
  await expect(app.getByTestId('ope-mixed')).toHaveText(
    /^The rows kept mix 2 values of policy \(greedy, uniform\) and 2 values of page \(cart, home\)\. These columns say which policy logged a row or where it was shown: .* Columns that describe the user or the item are context/,
  );
  // The policy filter's counts follow the page filter, and the page's its own values' under the policy filter.
  const count = (policy: string, page: string) => rows.filter((r) => (policy === '' || r.policy === policy) && (page === '' || r.page === page)).length.toLocaleString('en-US');
  await app.getByTestId('where-page').selectOption('home');
  await expect(app.getByTestId('where-policy').locator('option')).toHaveText(['any', `greedy (${count('greedy', 'home')} rows)`, `uniform (${count('uniform', 'home')} rows)`]);
  await expect(app.getByTestId('where-page').locator('option')).toHaveText(['any', `cart (${count('', 'cart')} rows)`, `home (${count('', 'home')} rows)`]);
  await app.getByTestId('where-policy').selectOption('uniform');
  await expect(app.getByTestId('where-page').locator('option')).toHaveText(['any', `cart (${count('uniform', 'cart')} rows)`, `home (${count('uniform', 'home')} rows)`]);
  await expect(app.getByTestId('ope-mixed')).toHaveCount(0);

  // Two targets: both charts on one scale, so their intervals compare at a glance.
  await app.getByTestId('target-logs-column').selectOption('policy');
  await app.getByTestId('target-logs-value').selectOption('greedy');
  await app.getByTestId('ope-evaluate').click();
  const charts = app.getByTestId('ope-chart');
  await expect(charts).toHaveCount(2);
  const scales = await charts.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('data-scale')));
  expect(scales[0]).toMatch(/^-?[\d.e-]+ -?[\d.e-]+$/);
  expect(scales[1]).toBe(scales[0]);
  // Click rates, all ≥ 0: the axis's margin does not cross 0.
  expect(Number(scales[0]!.split(' ')[0])).toBeGreaterThanOrEqual(0);
  // And one place on the page: the greedy target's table has a column more, yet the charts line up.
  const lefts = await charts.evaluateAll((svgs) => svgs.map((s) => Math.round(s.getBoundingClientRect().left)));
  expect(lefts[1]).toBe(lefts[0]);
});

test('a logs file saved as UTF-16 or Latin-1 is refused as the aisle command refuses it, saying how to convert it', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  const problems = app.getByTestId('logs-problems');
  const csv = 'item,click,pscore\na,1,0.5\n';
  const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
  const big = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, 'utf16le').swap16()]);
  for (const [name, buffer] of [['excel.csv', little], ['big.csv', big]] as const) {
    await app.getByTestId('logs-input').setInputFiles({ name, mimeType: 'text/csv', buffer });
    await expect(problems).toHaveText(`${name}: is UTF-16 text, not UTF-8: save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)`);
    await expect(app.getByTestId('logs-summary')).toHaveCount(0);
  }
  // Latin-1: refused at its first byte that is not UTF-8, not read with U+FFFD in its values.
  const latin1 = Buffer.concat([Buffer.from(`${csv}caf`), Buffer.from([0xe9]), Buffer.from(',0,0.5\n')]);
  await app.getByTestId('logs-input').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
  await expect(problems).toHaveText('latin1.csv: is not UTF-8 text (at line 3, column 4): save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)');
  await expect(problems).toHaveAttribute('role', 'alert');
  await expect(app.getByTestId('logs-summary')).toHaveCount(0);
});

test('a logs file past the 64 Mi characters the app reads is refused naming it and the commands that read it, before it is sent', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  const problems = app.getByTestId('logs-problems');
  const commands = (name: string) =>
    `in a terminal, evaluate policies on it with \`aisle ope ${name} --target uniform\` or fit a simulator to it with \`aisle logs mdp ${name}\`, which read larger files`;
  // Sparse, 200 MB: too large to hold 64 Mi characters, refused by its size alone (unread).
  const sparse = writeLogs('year.csv', '');
  truncateSync(sparse, 200 * 2 ** 20);
  await app.getByTestId('logs-input').setInputFiles(sparse);
  await expect(problems).toHaveText(`year.csv: is 200 MB, more than the 64 Mi characters the app reads: ${commands('year.csv')}`);
  // Text of 65 Mi characters: read, refused by its characters before it is sent (it was uploaded
  // whole, then refused as "text: is larger than the logs file limit of 64 Mi characters").
  const line = 'a,1,0.5,c\n';
  const text = writeLogs('month.csv', `action,reward,pscore,context\n${line.repeat(Math.ceil((65 * 2 ** 20) / line.length))}`);
  await app.getByTestId('logs-input').setInputFiles(text);
  await expect(problems).toHaveText(/^month\.csv: holds 65 Mi characters, more than the 64 Mi characters the app reads: /);
  await expect(problems).toContainText(commands('month.csv'));
  await expect(app.getByTestId('logs-summary')).toHaveCount(0);
});

/** 20,000 rows whose propensities differ (no two resample as one group): 100,000 resamples take long. */
function slowLogs(): string {
  const lines = ['action,reward,pscore,context'];
  for (let i = 0; i < 20_000; i++) lines.push(`a${i % 7},${(i * 31) % 11 === 0 ? 1 : 0},${(0.1 + ((i * 7919) % 1000) / 20_000).toFixed(5)},c${i % 3}`);
  return `${lines.join('\n')}\n`;
}

test('a long evaluation says how far it has resampled, on return from another screen too, and Cancel stops it, leaving the results shown before', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('slow.csv', slowLogs()));
  await app.getByTestId('ope-resamples').fill('10');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-target')).toHaveCount(1);
  const ips = app.locator('[data-testid=ope-row][data-estimator=ips] [data-testid=ope-value]');
  const before = await ips.getAttribute('data-value');

  await app.getByTestId('ope-resamples').fill('100000');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-evaluate')).toHaveText('Evaluating…');
  await expect(app.getByTestId('ope-progress-text')).toHaveText(/^Resampling: [\d,]+ of 100,000, \d+ s$/);
  // Another screen and back: the evaluation still running shows its progress and Cancel, and no second one can start.
  await openScreen(app, '#/experiments');
  await expect(app.getByTestId('off-policy-screen')).toHaveCount(0);
  await openScreen(app, '#/off-policy');
  await expect(app.getByTestId('ope-progress-text')).toHaveText(/^Resampling: [\d,]+ of 100,000, \d+ s$/);
  await expect(app.getByTestId('ope-evaluate')).toHaveText('Evaluating…');
  await expect(app.getByTestId('ope-evaluate')).toBeDisabled();
  await app.getByTestId('ope-cancel').click();
  await expect(app.getByTestId('ope-cancelled')).toHaveText('Evaluation cancelled.');
  await expect(app.getByTestId('ope-evaluate')).toHaveText('Evaluate');
  await expect(app.getByTestId('ope-cancel')).toHaveCount(0);
  await expect(app.getByTestId('ope-progress')).toHaveCount(0);
  await expect(app.getByTestId('logs-problems')).toHaveCount(0);
  // The results of the 10 resamples stay, marked as not those of the choices now.
  await expect(app.getByTestId('ope-stale')).toBeVisible();
  await expect(ips).toHaveAttribute('data-value', before!);
  // Another screen and back: it still says so; other choices let it go.
  await openScreen(app, '#/experiments');
  await openScreen(app, '#/off-policy');
  await expect(app.getByTestId('ope-cancelled')).toHaveText('Evaluation cancelled.');
  await app.getByTestId('ope-resamples').fill('1000');
  await expect(app.getByTestId('ope-cancelled')).toHaveCount(0);
});

test('by keyboard: Evaluate, disabled as it runs, hands focus to Cancel, and Cancel, gone as it is pressed, hands it back to Evaluate', async ({ app }) => {
  // Both dropped focus to <body> (found in the keyboard and screen-reader audit), and Tab started over from the sidebar.
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('slow-keys.csv', slowLogs()));
  await app.getByTestId('ope-resamples').fill('100000');
  await app.getByTestId('ope-evaluate').focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('ope-evaluate')).toHaveText('Evaluating…');
  await expect(app.getByTestId('ope-cancel')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('ope-cancelled')).toHaveText('Evaluation cancelled.');
  await expect(app.getByTestId('ope-evaluate')).toBeFocused();
  await expect(app.getByTestId('ope-evaluate')).toHaveText('Evaluate');
});

test('a page reloaded mid-evaluation follows it again: its progress, Cancel and outcome', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('slow.csv', slowLogs()));
  await app.getByTestId('ope-resamples').fill('100000');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-progress-text')).toHaveText(/^Resampling: [\d,]+ of 100,000, \d+ s$/);
  await app.reload();
  // The file is to be picked anew; the evaluation goes on, its progress and Cancel shown.
  const earlier = app.getByTestId('ope-earlier');
  await expect(earlier).toContainText('Of slow.csv, asked before this page was loaded again: it goes on.');
  await expect(earlier.getByTestId('ope-progress-text')).toHaveText(/^Resampling: [\d,]+ of 100,000, \d+ s$/);
  await earlier.getByTestId('ope-cancel').click();
  await expect(earlier.getByTestId('ope-cancelled')).toHaveText('Evaluation cancelled.');
  await expect(earlier.getByTestId('ope-progress')).toHaveCount(0);
  // Cancel leaves as it is pressed: the panel's heading takes focus, which fell to <body> (the keyboard and screen-reader audit).
  await expect(earlier.getByRole('heading', { name: 'Evaluation asked before' })).toBeFocused();
  // Ended: a further reload has nothing to follow.
  await app.reload();
  await expect(app.getByTestId('logs-pick')).toBeVisible();
  await expect(app.getByTestId('ope-earlier')).toHaveCount(0);
});

test('a page reloaded on another screen mid-evaluation follows it at once, not only when Off-policy opens', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('slow.csv', slowLogs()));
  await app.getByTestId('ope-resamples').fill('100000');
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-progress-text')).toHaveText(/^Resampling: [\d,]+ of 100,000, \d+ s$/);
  await openScreen(app, '#/experiments');
  // Reloaded on Experiments: the page follows the evaluation again before Off-policy is opened
  // (Aisle stops one no page follows after 30 s, however soon the page was back).
  const followed = app.waitForRequest((r) => r.url().endsWith('/api/call/logs.followEvaluation'), { timeout: 15_000 });
  await app.reload();
  await followed;
  await expect(app.getByTestId('experiments')).toBeVisible();
  await openScreen(app, '#/off-policy');
  const earlier = app.getByTestId('ope-earlier');
  await expect(earlier).toContainText('Of slow.csv, asked before this page was loaded again: it goes on.');
  await expect(earlier.getByTestId('ope-progress-text')).toHaveText(/^Resampling: [\d,]+ of 100,000, \d+ s$/);
  await earlier.getByTestId('ope-cancel').click();
  await expect(earlier.getByTestId('ope-cancelled')).toHaveText('Evaluation cancelled.');
});

test('one column in two roles is said beside Evaluate at once, and the prior takes fractions as aisle ope --prior does', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(writeLogs('logs.csv', logsCsv(syntheticRows(400, 9))));
  await app.getByTestId('role-propensity').selectOption('click');
  await expect(app.getByTestId('ope-blocker')).toHaveText('The column "click" is both the reward and the propensity: choose another column for one of them.');
  await expect(app.getByTestId('ope-evaluate')).toHaveAccessibleDescription('The column "click" is both the reward and the propensity: choose another column for one of them.');
  await app.getByTestId('role-propensity').selectOption('pscore');
  await expect(app.getByTestId('ope-blocker')).toHaveCount(0);

  await app.getByTestId('ope-prior').fill('-1');
  await expect(app.getByTestId('ope-prior-problem')).toHaveText('Prior, in pseudo-rows: a number from 0 to 1,000,000, such as 2.5.');
  await expect(app.getByTestId('ope-blocker')).toHaveText('The prior must be a number of pseudo-rows from 0 to 1,000,000, such as 2.5.');
  await app.getByTestId('ope-prior').fill('2.5');
  await expect(app.getByTestId('ope-prior-problem')).toHaveCount(0);
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-target')).toHaveCount(1);
});
