// Policies with more than a hundred stored: the list drew every policy at once (a page thousands of
// rows long at a thousand policies); it now shows a hundred a page, as Runs and Experiments do, with
// their pager and the page kept in the address, a malformed page value and one past the end named.
// Newest first, as Runs and Experiments list theirs (they were listed oldest first).
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { PolicyExport } from '../../src/shared/dto';
import { test, expect, call, cliffExperiment } from './fixtures';
import { launchAndWait, openScreen } from './arrange';

const hashQuery = (app: Page) => new URLSearchParams(new URL(app.url()).hash.split('?')[1] ?? '');
const rowIds = async (app: Page) => (await app.getByTestId('policy-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id')))));

test('more than a hundred policies: a hundred a page, newest first, the page in the address, a policy imported opening its page, a malformed page or one past the end named', async ({ app, server }, testInfo) => {
  test.setTimeout(120_000);
  const trained = await launchAndWait(server, cliffExperiment('cliff', undefined, { seeds: 1, episodes: 5 }));
  const exported = await call<PolicyExport>(server, 'policies.export', { runId: trained.runIds[0]!, name: 'cliff 0' });
  // 104 more, each file its own name (the same file is stored once).
  for (let i = 1; i <= 104; i++) {
    await call(server, 'policies.import', { text: JSON.stringify({ ...(JSON.parse(exported.text) as object), name: `cliff ${i}` }), fileName: `cliff-${i}.json` });
  }
  // Newest first.
  const ids = Array.from({ length: 105 }, (_, i) => exported.policyId + 104 - i);

  await openScreen(app, '#/policies');
  const rows = app.getByTestId('policy-row');
  await expect(rows).toHaveCount(100);
  await expect(app.getByTestId('policies-range')).toHaveText('1–100 of 105 policies');
  expect(await rowIds(app)).toEqual(ids.slice(0, 100));
  await app.getByTestId('next-page').click();
  await expect(rows).toHaveCount(5);
  await expect(app.getByTestId('policies-range')).toHaveText('101–105 of 105 policies');
  expect(hashQuery(app).get('page')).toBe('2');
  expect(await rowIds(app)).toEqual(ids.slice(100));
  // Evaluate still offers every policy, whichever page is shown, in the list's order.
  const offered = app.getByTestId('eval-policy').locator('option[value]:not([value=""])');
  await expect(offered).toHaveCount(105);
  expect((await offered.evaluateAll((options) => options.map((o) => Number((o as HTMLOptionElement).value)))).slice(0, 3)).toEqual(ids.slice(0, 3));
  // The oldest's file imported again (already stored): its page opens with its row marked; a new file: the first page.
  const again = testInfo.outputPath('cliff-0.json');
  writeFileSync(again, exported.text);
  await app.getByRole('button', { name: '‹ Previous' }).click();
  await expect.poll(() => hashQuery(app).get('page')).toBeNull();
  await app.getByTestId('policy-import-file').setInputFiles(again);
  await expect(app.getByTestId('policy-import-same')).toContainText(`already stored as policy #${exported.policyId}`);
  await expect.poll(() => hashQuery(app).get('page')).toBe('2');
  await expect(app.locator(`[data-testid=policy-row][data-id="${exported.policyId}"]`)).toHaveClass('selected');
  const fresh = testInfo.outputPath('cliff-105.json');
  writeFileSync(fresh, JSON.stringify({ ...(JSON.parse(exported.text) as object), name: 'cliff 105' }));
  await app.getByTestId('policy-import-file').setInputFiles(fresh);
  await expect(app.getByTestId('policy-import-ok')).toBeVisible();
  await expect.poll(() => hashQuery(app).get('page')).toBeNull();
  await expect(rows.first()).toHaveClass('selected');
  const newest = Number(await rows.first().getAttribute('data-id'));
  expect(newest).toBe(ids[0]! + 1);
  await call(server, 'policies.delete', { id: newest });
  await expect(rows.first()).toHaveAttribute('data-id', String(ids[0]));
  await app.getByTestId('next-page').click();
  await expect(rows).toHaveCount(5);
  await app.reload();
  await expect(rows).toHaveCount(5);
  await app.getByRole('button', { name: '‹ Previous' }).click();
  await expect(rows).toHaveCount(100);
  await expect.poll(() => hashQuery(app).get('page')).toBeNull();

  // A malformed page value is named, and the first page shown.
  await openScreen(app, '#/policies?page=abc');
  await expect(app.getByTestId('unread-address')).toHaveText('Left out of this address: page=abc (“abc” is not a page number: page takes a whole number from 1, such as page=2).');
  await expect(app.getByTestId('policies-range')).toHaveText('1–100 of 105 policies');

  // A page past the end is named, and the last shown in its place, the address with it.
  await openScreen(app, '#/policies?page=9');
  await expect(app.getByTestId('page-past-end')).toHaveText('Left out of this address: page=9 (past the last page, 2: page 2 is shown).');
  await expect(app.getByTestId('policies-range')).toHaveText('101–105 of 105 policies');
  await expect.poll(() => hashQuery(app).get('page')).toBe('2');
  await expect(app.getByTestId('unread-address')).toHaveCount(0);
  // Another page chosen: the line has said what it had to.
  await app.getByRole('button', { name: '‹ Previous' }).click();
  await expect(rows).toHaveCount(100);
  await expect(app.getByTestId('page-past-end')).toHaveCount(0);

  // The policies of the last page's five (the oldest) deleted, down to a hundred: one page, no pager, and no line (the user asked for no page).
  await app.getByTestId('next-page').click();
  await expect(rows).toHaveCount(5);
  for (const id of ids.slice(100)) {
    await call(server, 'policies.delete', { id });
  }
  await expect(rows).toHaveCount(100);
  await expect.poll(() => hashQuery(app).get('page')).toBeNull();
  await expect(app.getByTestId('policies-range')).toHaveCount(0);
  await expect(app.getByTestId('page-past-end')).toHaveCount(0);
});
