// A simulator fitted to logs through the contract (logs.simulator, what `aisle logs mdp` writes) and
// logs.evaluate on the rows it held out: the MDP it returns is one the app imports, the held-out
// rows are exactly the engine's holdout of the kept rows (IPS recomputed here from them), what the user can fix
// comes back as problems, and nothing is written to the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOut, ITEMS, logsCsv, syntheticRows } from '../helpers/logs-csv';
import { contextFreePolicy } from '../helpers/policy';
import { openService, type TestService } from '../helpers/service';
import { storeContents } from '../helpers/store-contents';

const ROWS = syntheticRows(2000, 11);
const TEXT = logsCsv(ROWS);
const uniformRows = ROWS.filter((r) => r.policy === 'uniform');
/** Which of the uniform policy's rows a holdout of 1 in 3 sets aside. */
const HELD = heldOut(uniformRows.length, 3);

let t: TestService;
beforeAll(() => {
  t = openService({ workers: 1 });
});
afterAll(async () => {
  await t.close();
});

describe('logs.simulator', () => {
  it('fits the kept rows but the 1 in k held out, as an aisle.mdp/v1 file the New experiment screen imports', async () => {
    const reply = await t.call('logs.simulator', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, holdout: 3, prior: 5 });
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    const held = HELD.filter(Boolean).length;
    expect(reply).toMatchObject({ states: 4, actions: 4, contexts: 2, rowsRead: 2000, rowsKept: 1000, rowsFitted: 1000 - held, holdout: 3, rewards: 'bernoulli' });
    expect(reply.columns).toEqual({ action: 'item', reward: 'click', propensity: 'pscore', context: 'position' });
    const fitted = uniformRows.filter((_, i) => !HELD[i]);
    expect(reply.logged).toBeCloseTo(fitted.reduce((s, r) => s + r.click, 0) / fitted.length, 12);
    expect(reply.best).toBeGreaterThan(reply.logged);
    const parsed = await t.call('mdp.parseFile', { text: JSON.stringify(reply.mdp), fileName: 'logs.mdp.json' });
    expect(parsed).toMatchObject({ ok: true, states: 4, actions: 4 });
  });

  it('reports what the user can fix as problems, and refuses a holdout below 2', async () => {
    const missing = await t.call('logs.simulator', { text: TEXT, fileName: 'logs.csv', columns: { reward: 'revenue' } });
    expect(missing).toMatchObject({ ok: false, problems: [expect.stringContaining('"revenue"')] });
    const none = await t.call('logs.simulator', { text: TEXT, fileName: 'logs.csv', where: { policy: 'bts' } });
    expect(none).toMatchObject({ ok: false, problems: [expect.stringContaining('policy=bts')] });
    expect((await t.fail('logs.simulator', { text: TEXT, fileName: 'logs.csv', holdout: 1 })).status).toBe(400);
    expect((await t.fail('logs.simulator', { text: TEXT, fileName: 'logs.csv', holdoutLast: 100 })).status).toBe(400);
    const both = await t.fail('logs.simulator', { text: TEXT, fileName: 'logs.csv', holdout: 3, holdoutLast: 20 });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both)).toMatch(/holdoutLast.*not both|not both.*holdoutLast/);
  });

  it('fits the kept rows before the last p % when the holdout is the last share', async () => {
    const reply = await t.call('logs.simulator', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, holdoutLast: 20 });
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    expect(reply).toMatchObject({ rowsKept: 1000, rowsFitted: 800, holdoutLast: 20 });
    const fitted = uniformRows.slice(0, 800);
    expect(reply.logged).toBeCloseTo(fitted.reduce((s, r) => s + r.click, 0) / fitted.length, 12);
  });
});

describe('logs without propensities (a shop\'s purchase records)', () => {
  const PURCHASES = 'customer,item,qty\n1,a,2\n1,b,1\n2,a,4\n2,c,10\n';

  it('logs.simulator fits them, a propensity column absent or chosen as none; one named that the file lacks is a problem', async () => {
    const reply = await t.call('logs.simulator', { text: PURCHASES, fileName: 'purchases.csv', columns: { action: 'item', reward: 'qty', propensity: null, context: null }, prior: 0 });
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    expect(reply).toMatchObject({ actions: 3, rowsFitted: 4, rewards: 'mean', best: 10, columns: { action: 'item', reward: 'qty', propensity: null, context: null } });
    // Not named: none of its usual names, so none.
    const unnamed = await t.call('logs.simulator', { text: PURCHASES, fileName: 'purchases.csv', columns: { reward: 'qty' } });
    expect(unnamed).toMatchObject({ ok: true, columns: { propensity: null } });
    // Logs that have one, told to do without it: fitted as before, without reading it.
    const without = await t.call('logs.simulator', { text: TEXT, fileName: 'logs.csv', columns: { propensity: null } });
    expect(without).toMatchObject({ ok: true, rowsFitted: 2000, columns: { propensity: null } });
    const named = await t.call('logs.simulator', { text: PURCHASES, fileName: 'purchases.csv', columns: { reward: 'qty', propensity: 'prob' } });
    expect(named).toEqual({ ok: false, problems: ['purchases.csv: has no column "prob" (its columns: customer, item, qty): choose the propensity column'] });
  });

  it('logs.evaluate refuses them with one problem naming the column and why', async () => {
    const evaluate = (columns: Record<string, string | null>) => t.call('logs.evaluate', { text: PURCHASES, fileName: 'purchases.csv', columns, targets: [{ kind: 'uniform' }], resamples: 10 });
    const none = await evaluate({ reward: 'qty', propensity: null });
    expect(none).toMatchObject({ ok: false, problems: [expect.stringMatching(/^purchases\.csv: off-policy evaluation needs the propensity column \(the logging policy's probability of showing each row's action, by which off-policy estimates \(IPS, SNIPS, DR\) weight the row;.*\): choose the propensity column$/)] });
    expect(none.ok ? [] : none.problems).toHaveLength(1);
    const absent = await evaluate({ reward: 'qty' });
    expect(absent).toMatchObject({ ok: false, problems: [expect.stringMatching(/^purchases\.csv: has no column "propensity", "pscore" or "propensity_score" .*though a simulator can be fitted to them\)$/)] });
  });
});

describe('logs.evaluate with a holdout', () => {
  it('evaluates on the kept rows the holdout sets aside only, and says so', async () => {
    const reply = await t.call('logs.evaluate', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, targets: [{ kind: 'action', action: 'hats' }], resamples: 10, holdout: 3 });
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    const held = uniformRows.filter((_, i) => HELD[i]);
    expect(reply.result).toMatchObject({ rows: held.length, rowsKept: 1000, holdout: 3 });
    const ips = held.reduce((s, r) => s + (r.item === 'hats' ? r.click / r.pscore : 0), 0) / held.length;
    expect(reply.result.targets[0]!.estimates.ips.point).toBeCloseTo(ips, 12);
    const last = await t.call('logs.evaluate', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, targets: [{ kind: 'action', action: 'hats' }], resamples: 10, holdoutLast: 20 });
    if (!last.ok) throw new Error(last.problems.join('\n'));
    expect(last.result).toMatchObject({ rows: 200, rowsKept: 1000, holdoutLast: 20 });
    const newest = uniformRows.slice(800);
    expect(last.result.targets[0]!.estimates.ips.point).toBeCloseTo(newest.reduce((s, r) => s + (r.item === 'hats' ? r.click / r.pscore : 0), 0) / 200, 12);
    const tooFew = await t.call('logs.evaluate', { text: 'item,click,pscore\na,1,0.5\n', fileName: 'one.csv', targets: [{ kind: 'uniform' }], resamples: 10, holdout: 1000 });
    expect(tooFew).toMatchObject({ ok: false, problems: [expect.stringContaining('holdout: holding out 1 row in 1000 of the 1 row kept holds out none of them: hold out 1 in 2 or 3')] });
  });
});

describe('a stored policy learned on a simulator of these logs', () => {
  it('is warned about when scored on rows the fit used, with the screen’s choices that score the rows held out; not on those', async () => {
    const fitted = HELD.filter((h) => !h).length;
    const fittedTo = { logs: 'logs.csv', where: { policy: 'uniform' }, holdout: 3, rows: fitted };
    const policy = contextFreePolicy({ actions: ITEMS, values: [0, 1, 0.5, 0], provenance: { ...contextFreePolicy().provenance, experimentName: 'learn from logs.csv', fittedTo } });
    const imported = await t.call('policies.import', { text: JSON.stringify(policy), fileName: 'learned.json' });
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    const evaluate = async (holdout: number | undefined) => {
      const reply = await t.call('logs.evaluate', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, targets: [{ kind: 'uniform' }, { kind: 'policy', policyId: imported.policy.id }], resamples: 10, ...(holdout ? { holdout } : {}) });
      if (!reply.ok) throw new Error(reply.problems.join('\n'));
      return reply.result;
    };
    const every = await evaluate(undefined);
    expect(every.fitWarnings).toEqual([
      {
        spec: every.targets[1]!.spec,
        text: `${every.targets[1]!.spec} was learned on a simulator fitted to ${fitted} of the 1,000 rows scored (logs.csv, the rows with policy=uniform, ${fitted} rows fitted, 1 row in 3 held out): an estimate on rows a policy learned from is optimistically biased. To avoid it, score it on the rows the fit held out: evaluate on the rows where policy=uniform with Holdout 1 row in 3.`,
      },
    ]);
    expect((await evaluate(3)).fitWarnings).toEqual([]);
  });

  it('is warned about, in its target’s warnings, when scored on rows of another page than those its simulator was fitted to', async () => {
    const fittedTo = { logs: 'logs.csv', where: { policy: 'uniform', page: 'home' }, rows: 500 };
    const policy = contextFreePolicy({ actions: ITEMS, values: [0, 1, 0.5, 0], provenance: { ...contextFreePolicy().provenance, experimentName: 'learn from logs.csv', fittedTo } });
    const imported = await t.call('policies.import', { text: JSON.stringify({ ...policy, name: 'home page' }), fileName: 'home.json' });
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    const warnings = async (page: string) => {
      const reply = await t.call('logs.evaluate', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform', page }, targets: [{ kind: 'policy', policyId: imported.policy.id }], resamples: 10 });
      if (!reply.ok) throw new Error(reply.problems.join('\n'));
      return reply.result.targets[0]!.warnings;
    };
    expect((await warnings('cart'))[0]).toMatch(/^the policy was learned on a simulator fitted to the rows with page=home, and these rows have page=cart: rows of another logging policy, campaign or page are another experiment/);
    expect((await warnings('home')).filter((w) => w.startsWith('the policy was learned'))).toEqual([]);
  });
});

it('fitting a simulator writes nothing to the store', async () => {
  const before = storeContents(t.store.db);
  await t.call('logs.simulator', { text: TEXT, fileName: 'logs.csv' });
  expect(storeContents(t.store.db)).toBe(before);
  expect(await t.call('experiments.list', {})).toEqual([]);
});
