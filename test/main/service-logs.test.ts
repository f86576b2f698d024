// Off-policy evaluation through the contract: logs.inspect lists a logs CSV's columns, the values
// of its few-valued ones and the columns each role takes by default; logs.evaluate gives every kind
// of target's estimates (IPS held to a value recomputed here from the rows), the problems a user can
// fix inline, a 404 for an unknown policy, and writes nothing to the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../src/shared/contract';
import type { LogsEvaluation } from '../../src/shared/dto';
import { heldOut, logsCsv, syntheticRows, type LogRow } from '../helpers/logs-csv';
import { contextFreePolicy, tabularPolicy } from '../helpers/policy';
import { openService, type TestService } from '../helpers/service';
import { OPEN_QUOTE_FAULT } from '../../src/engine/csv';
import { storeContents } from '../helpers/store-contents';

const ROWS = syntheticRows(2000, 7);
const TEXT = logsCsv(ROWS);
const uniformRows = ROWS.filter((r) => r.policy === 'uniform');
const greedyRows = ROWS.filter((r) => r.policy === 'greedy');

/** IPS recomputed from the rows: (1/n) Σ π(a_i | x_i) / p_i · r_i. */
function ips(rows: readonly LogRow[], pi: (r: LogRow) => number): number {
  return rows.reduce((s, r) => s + (pi(r) / r.pscore) * r.click, 0) / rows.length;
}
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

let t: TestService;
let contextFree = 0;
let tabular = 0;

beforeAll(async () => {
  t = openService({ workers: 1 });
  const imported = await Promise.all([
    t.call('policies.import', { text: JSON.stringify(contextFreePolicy({ actions: ['shoes', 'hats', 'bags', 'socks'], values: [0.25, 0.5, 0.125, 0] })), fileName: 'cf.json' }),
    t.call('policies.import', { text: JSON.stringify(tabularPolicy({ actions: ['shoes', 'hats', 'bags'], states: ['home', 'cart'] })), fileName: 'tab.json' }),
  ]);
  [contextFree, tabular] = imported.map((r) => (r.ok ? r.policy.id : 0)) as [number, number];
  expect(contextFree).toBeGreaterThan(0);
  expect(tabular).toBeGreaterThan(0);
});

afterAll(async () => {
  await t.close();
});

type EvaluateInput = CommandInput<'logs.evaluate'>;

async function evaluate(input: Partial<EvaluateInput> & Pick<EvaluateInput, 'targets'>): Promise<LogsEvaluation> {
  const reply = await t.call('logs.evaluate', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, resamples: 200, ...input });
  if (!reply.ok) throw new Error(`logs.evaluate refused: ${reply.problems.join('\n')}`);
  return reply.result;
}

async function problems(input: Partial<EvaluateInput>): Promise<readonly string[]> {
  const reply = await t.call('logs.evaluate', { text: TEXT, fileName: 'logs.csv', where: { policy: 'uniform' }, targets: [{ kind: 'uniform' }], resamples: 10, ...input });
  if (reply.ok) throw new Error('logs.evaluate was expected to report problems');
  return reply.problems;
}

describe('logs.inspect', () => {
  it('lists the columns, the distinct values of the few-valued ones with their rows, and the default roles', async () => {
    const reply = await t.call('logs.inspect', { text: `\uFEFF${TEXT.replace(/\n/g, '\r\n')}`, fileName: 'logs.csv' });
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    expect(reply.rows).toBe(2000);
    expect(reply.columns.map((c) => c.name)).toEqual(['policy', 'ts', 'item', 'position', 'page', 'click', 'pscore']);
    const values = Object.fromEntries(reply.columns.map((c) => [c.name, c.values]));
    expect(values.policy).toEqual([
      { value: 'greedy', rows: 1000 },
      { value: 'uniform', rows: 1000 },
    ]);
    expect(values.ts).toBeNull(); // 2,000 distinct values
    expect(values.position).toEqual([
      { value: '1', rows: 1000 },
      { value: '2', rows: 1000 },
    ]);
    expect(values.item!.map((v) => v.value)).toEqual(['bags', 'hats', 'shoes', 'socks']);
    expect(values.item!.reduce((s, v) => s + v.rows, 0)).toBe(2000);
    expect(values.click).toEqual([
      { value: '0', rows: ROWS.filter((r) => r.click === 0).length },
      { value: '1', rows: ROWS.filter((r) => r.click === 1).length },
    ]);
    expect(reply.roles).toEqual({ action: 'item', reward: 'click', propensity: 'pscore', context: 'position' });
    // The rows per combination of the listed columns' values, for the filters' counts to follow each other.
    const combinations = reply.combinations!;
    expect(combinations.columns).toEqual(['policy', 'item', 'position', 'page', 'click', 'pscore']);
    expect(combinations.rows.reduce((s, r) => s + r.at(-1)!, 0)).toBe(2000);
    const uniformHats = ROWS.filter((r) => r.policy === 'uniform' && r.item === 'hats').length;
    expect(combinations.rows.filter((r) => r[0] === 1 && r[1] === 1).reduce((s, r) => s + r.at(-1)!, 0)).toBe(uniformHats);
  });

  it('names no role the header lacks, and prefers the generic names', async () => {
    const reply = await t.call('logs.inspect', { text: 'action,item,weight\na,b,1\n', fileName: 'x.csv' });
    expect(reply).toMatchObject({ ok: true, rows: 1, roles: { action: 'action', reward: null, propensity: null, context: null } });
  });

  it('reports what no choice of columns gets past, naming the line', async () => {
    const bad = await t.call('logs.inspect', { text: 'a,b\n1,2\n3\n"4,5\n', fileName: 'bad.csv' });
    expect(bad).toEqual({
      ok: false,
      problems: ['bad.csv:3: has 1 fields, the header has 2: check for a missing or extra comma', `bad.csv:4: ${OPEN_QUOTE_FAULT}`],
    });
    expect(await t.call('logs.inspect', { text: 'a,b,a\n1,2,3\n', fileName: 'twice.csv' })).toMatchObject({ ok: false, problems: [expect.stringContaining('names column "a" twice')] });
    expect(await t.call('logs.inspect', { text: '\n\n', fileName: 'empty.csv' })).toMatchObject({ ok: false, problems: [expect.stringContaining('the file is empty')] });
    expect(await t.call('logs.inspect', { text: 'a,b\n', fileName: 'header.csv' })).toMatchObject({ ok: false, problems: [expect.stringContaining('has a header but no rows')] });
  });
});

describe('logs.evaluate', () => {
  it('evaluates uniform, one action and the policy of other rows (with its truth), IPS as recomputed here', async () => {
    const result = await evaluate({ targets: [{ kind: 'uniform' }, { kind: 'action', action: 'hats' }, { kind: 'logs', where: { policy: 'greedy' } }] });
    expect(result).toMatchObject({ rowsRead: 2000, rowsKept: 1000, rows: 1000, actions: 4, contexts: 2 });
    expect(result.columns).toEqual({ action: 'item', reward: 'click', propensity: 'pscore', context: 'position' });
    expect(result.logged.point).toBeCloseTo(mean(uniformRows.map((r) => r.click)), 12);
    const [uniform, hats, greedy] = result.targets;
    expect(uniform!.spec).toBe('uniform');
    expect(uniform!.estimates.ips.point).toBeCloseTo(ips(uniformRows, () => 0.25), 12);
    expect(uniform!.truth).toBeUndefined();
    expect(hats!.name).toBe('always action hats');
    expect(hats!.estimates.ips.point).toBeCloseTo(ips(uniformRows, (r) => (r.item === 'hats' ? 1 : 0)), 12);
    // The greedy rows' action frequencies per position are the target.
    const freq = (r: LogRow) => greedyRows.filter((g) => g.position === r.position && g.item === r.item).length / greedyRows.filter((g) => g.position === r.position).length;
    expect(greedy!.spec).toBe('logs:policy=greedy');
    expect(greedy!.estimates.ips.point).toBeCloseTo(ips(uniformRows, freq), 12);
    expect(greedy!.truth).toMatchObject({ rows: 1000 });
    expect(greedy!.truth!.point).toBeCloseTo(mean(greedyRows.map((r) => r.click)), 12);
    for (const target of result.targets) {
      for (const e of Object.values(target.estimates)) expect(e.lo).toBeLessThanOrEqual(e.hi);
      expect(target.diagnostics.meanWeight).toBeGreaterThan(0.8);
    }
  });

  it("takes the policy of other rows without their propensities (a deterministic policy logs none), as with them; the rows evaluated still need theirs", async () => {
    // The greedy rows' pscore emptied: they are only the target's source, never weighted.
    const emptied = TEXT.replace(/^(greedy,.*),[\d.]+$/gm, '$1,');
    expect(emptied.split('\n')[2]).toMatch(/^greedy,.*,$/);
    const targets = [{ kind: 'logs' as const, where: { policy: 'greedy' } }];
    const [without] = (await evaluate({ text: emptied, targets })).targets;
    const [withThem] = (await evaluate({ targets })).targets;
    expect(without!.estimates).toEqual(withThem!.estimates);
    expect(without!.truth).toMatchObject({ rows: 1000, point: withThem!.truth!.point });
    // A row evaluated without one is refused, named by its line and column as before.
    const lines = emptied.split('\n');
    lines[5] = lines[5]!.replace(/,0\.25$/, ',');
    expect(lines[5]).toMatch(/^uniform,.*,$/);
    expect(await problems({ text: lines.join('\n'), targets })).toEqual([
      'logs.csv:6: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got ""',
    ]);
  });

  it('with a holdout evaluates only the rows held out, so only they need a propensity: the same rows and estimates', async () => {
    // The uniform rows are those evaluated (where policy=uniform); of them, Holdout 1 in 3 sets some aside by the seeded draw.
    const held = heldOut(uniformRows.length, 3);
    const fitRows = new Set(uniformRows.filter((_, j) => !held[j]));
    const lines = TEXT.split('\n');
    ROWS.forEach((r, i) => {
      if (fitRows.has(r)) lines[i + 1] = lines[i + 1]!.replace(/,[\d.]+$/, ',');
    });
    const targets = [{ kind: 'logs' as const, where: { policy: 'greedy' } }];
    const without = await evaluate({ text: lines.join('\n'), targets, holdout: 3 });
    const withThem = await evaluate({ targets, holdout: 3 });
    expect(without.rows).toBe(held.filter(Boolean).length);
    expect(without.rows).toBe(withThem.rows);
    expect(without.targets[0]!.estimates).toEqual(withThem.targets[0]!.estimates);
    // A row held out without one is refused, by its line and column.
    const first = ROWS.indexOf(uniformRows[held.indexOf(true)]!);
    lines[first + 1] = lines[first + 1]!.replace(/,[\d.]+$/, ',');
    expect(await problems({ text: lines.join('\n'), targets, holdout: 3 })).toEqual([
      `logs.csv:${first + 2}: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got ""`,
    ]);
  });

  it('evaluates stored policies: context-free (greedy, or k-th best at position k) and tabular on its states', async () => {
    const result = await evaluate({
      targets: [
        { kind: 'policy', policyId: contextFree },
        { kind: 'policy', policyId: contextFree, positions: true },
      ],
    });
    const [greedy, ranked] = result.targets;
    expect(greedy!.spec).toBe(`stored policy #${contextFree} “cf.json”`);
    expect(greedy!.estimates.ips.point).toBeCloseTo(ips(uniformRows, (r) => (r.item === 'hats' ? 1 : 0)), 12);
    // Its ranking: hats (0.5), shoes (0.25), bags, socks.
    expect(ranked!.estimates.ips.point).toBeCloseTo(ips(uniformRows, (r) => (r.item === (r.position === 1 ? 'hats' : 'shoes') ? 1 : 0)), 12);
  });

  it('a tabular policy evaluates on the context column that holds its states (home → hats, cart → shoes)', async () => {
    const [onPages] = (await evaluate({ targets: [{ kind: 'policy', policyId: tabular }], columns: { context: 'page' } })).targets;
    expect(onPages!.estimates.ips.point).toBeCloseTo(ips(uniformRows, (r) => (r.item === (r.page === 'home' ? 'hats' : 'shoes') ? 1 : 0)), 12);
  });
});

describe('what the user can fix comes back inline', () => {
  it('a malformed row, named by its line and column as the engine words it', async () => {
    const lines = TEXT.split('\n');
    lines[5] = lines[5]!.replace(/,0\.25$/, ',0'); // line 6: a uniform row
    expect(lines[5]).toMatch(/^uniform,.*,0$/);
    expect(await problems({ text: lines.join('\n') })).toEqual([
      'logs.csv:6: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "0": a propensity of 0 says the logging policy never shows this action, yet this row shows it: were the propensities rounded when the logs were written (0.00001 as 0.0000)? Write them with more significant digits',
    ]);
  });

  it('a column that fails on every row checked (the page as the propensity): one problem, asking whether it is the column meant', async () => {
    expect(await problems({ columns: { propensity: 'page' } })).toEqual([
      expect.stringMatching(
        /^logs\.csv:2–20: column "page": must be a decimal number in \(0, 1\], the logging policy's probability of showing this action, got "(home|cart)", "(home|cart)", on each of the first 10 rows checked, so reading stopped: is "page" the propensity column\? If not, choose the propensity column$/,
      ),
    ]);
  });

  it('a missing column, saying to choose it', async () => {
    const missing = await problems({ columns: { reward: 'reward' } });
    expect(missing).toEqual(['logs.csv: has no column "reward" (its columns: policy, ts, item, position, page, click, pscore): choose the reward column']);
    const none = await problems({ text: TEXT.replace(/^policy,ts,item,position,page,click,pscore/, 'policy,ts,item,position,page,clicked,pscore') });
    expect(none).toEqual([expect.stringMatching(/has no column "reward" or "click" .*: choose the reward column$/)]);
  });

  it('no row matching, with the values the column does hold; also for a target’s rows', async () => {
    expect(await problems({ where: { policy: 'bts' } })).toEqual(['logs.csv: no row has policy=bts (values seen in column "policy": greedy, uniform)']);
    expect(await problems({ targets: [{ kind: 'logs', where: { policy: 'greedy', page: 'checkout' } }] })).toEqual([
      'logs.csv: no row has policy=greedy, page=checkout (values seen in column "page": cart, home)',
    ]);
  });

  it('a policy these logs cannot evaluate', async () => {
    const [line] = await problems({ targets: [{ kind: 'policy', policyId: tabular }] });
    expect(line).toMatch(new RegExp(`^stored policy #${tabular} “tab.json”: the logs' contexts "1", "2" are not states of the policy .*: choose the context column that holds its states$`));
    expect(await problems({ targets: [{ kind: 'policy', policyId: tabular, positions: true }] })).toEqual([expect.stringMatching(/^positions: only a context-free policy/)]);
  });

  it('an unknown policy id is a 404; input out of range a 400 before anything runs', async () => {
    const unknown = await t.fail('logs.evaluate', { text: TEXT, fileName: 'logs.csv', targets: [{ kind: 'uniform' }, { kind: 'policy', policyId: 999 }] });
    expect(unknown.status).toBe(404);
    expect(unknown.message).toMatch(/999/);
    const bad = await t.fail('logs.evaluate', { text: TEXT, fileName: 'logs.csv', targets: [] });
    expect(bad).toMatchObject({ status: 400, problems: ['targets: give at least one policy to evaluate'] });
    expect((await t.fail('logs.evaluate', { text: TEXT, fileName: 'logs.csv', targets: [{ kind: 'uniform' }], resamples: 5 })).status).toBe(400);
    expect((await t.fail('logs.evaluate', { text: TEXT, fileName: 'logs.csv', targets: [{ kind: 'nope' }] })).status).toBe(400);
  });
});

it('inspecting and evaluating write nothing to the store', async () => {
  const before = storeContents(t.store.db);
  const policies = await t.call('policies.list', {});
  await t.call('logs.inspect', { text: TEXT, fileName: 'logs.csv' });
  await evaluate({ targets: [{ kind: 'uniform' }, { kind: 'logs', where: { policy: 'greedy' } }, { kind: 'policy', policyId: contextFree }] });
  await problems({ where: { policy: 'bts' } });
  expect(storeContents(t.store.db)).toBe(before);
  expect(await t.call('policies.list', {})).toEqual(policies);
  expect(await t.call('experiments.list', {})).toEqual([]);
});

it('the roles inspect names are the columns the evaluation takes by default', async () => {
  const csvs = [TEXT, 'action,reward,propensity,context,item,click,pscore,position\na,1,0.5,x,b,0,1,2\n', 'item,click,pscore\na,1,0.5\n'];
  for (const text of csvs) {
    const inspected = await t.call('logs.inspect', { text, fileName: 'x.csv' });
    const evaluated = await t.call('logs.evaluate', { text, fileName: 'x.csv', targets: [{ kind: 'uniform' }], resamples: 10 });
    if (!inspected.ok || !evaluated.ok) throw new Error('expected both to succeed');
    expect(inspected.roles).toEqual(evaluated.result.columns);
  }
});
