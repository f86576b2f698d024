// `aisle ope` (and the Off-policy screen) read action and context labels holding control
// characters (only fitting a simulator refuses them), and a policy file's fittedTo texts: the lines
// that name them (a target's name, its warnings, its refusals) quote them as a message quotes a
// file's text (show, listedName: control characters escaped, cut after 60 characters), where they
// reached the terminal raw (ESC[31m recolouring it, U+202E reversing the rest of the line, a line
// break splitting it) or whole (a line of 5,000 characters). So are a logs: target's or a --where
// filter's columns and values (describeWhere).
import { describe, expect, it } from 'vitest';
import { describeWhere, whereArgument } from '../../src/engine/ope/data';
import { dominantRowsText, CLI_DOMINANT_FIX, type DominantRows } from '../../src/engine/ope/dominant-rows';
import { fitOverlapText, fitWhereWarning, type FittedRows } from '../../src/engine/ope/fitted-rows';
import { evaluateTargets, policyTarget } from '../../src/engine/ope/run';
import { parsePolicy } from '../../src/engine/policy/format';
import { logs, loggedRows } from '../helpers/logged-bandit';

const HOSTILE = ['a\u001b[31mred', 'a\u202Eb', 'two\nlines', 'x'.repeat(5_000)];

/** No raw control character (C0, C1, DEL, overrides, isolates) and nothing near the 5,000 characters. */
function safe(line: string): void {
  expect(line).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
  expect(line.length).toBeLessThan(1_500);
}

const provenance = { runId: 1, agent: 'q-learning', seed: 0, episodes: 2, configHash: 'b'.repeat(64), appVersion: 'test', createdAt: '2026-12-07T00:00:00.000Z' };
const env = { id: 'tabular-mdp', params: {}, mdpHash: 'a'.repeat(64), hash: 'c'.repeat(64) };

describe.each(HOSTILE.map((label) => [JSON.stringify(label.slice(0, 12)), label]))('a label %s', (_shown, label) => {
  const data = logs([
    ['c', label, 1, 0.5],
    ['c', 'b', 0, 0.5],
    [label, 'b', 1, 0.5],
    [label, label, 0, 0.5],
  ]);

  it("in an action target's name", async () => {
    const run = await evaluateTargets(data, [{ kind: 'action', action: label }], () => Promise.reject(new Error('no logs: target')), { resamples: 5 });
    safe(run.targets[0]!.name);
    expect(run.targets[0]!.name.startsWith('always action "')).toBe(true);
  });

  it("in a logs: target's warning of a context its rows never show", async () => {
    const source = loggedRows([['c', 'b', 1], ['c', label, 0]]);
    const run = await evaluateTargets(data, [{ kind: 'logs', where: { policy: 'bts' } }], () => Promise.resolve(source), { resamples: 5 });
    const unseen = run.targets[0]!.warnings.find((w) => w.includes('never show context'));
    expect(unseen).toBeDefined();
    safe(unseen!);
  });

  it("in a logs: target's filter, its column and value: in the target's name and its warning, its spec kept as given", async () => {
    const source = loggedRows([['c', 'b', 1], ['c', 'b', 0]]);
    const run = await evaluateTargets(data, [{ kind: 'logs', where: { [label]: label } }], () => Promise.resolve(source), { resamples: 5 });
    const target = run.targets[0]!;
    safe(target.name);
    const unseen = target.warnings.find((w) => w.includes('never show context'));
    expect(unseen).toBeDefined();
    safe(unseen!);
    // The spec names the target as --target gave it (the app matches the fit warnings to it): raw.
    expect(target.spec).toBe(`logs:${label}=${label}`);
  });

  it("in a policy's refusal of contexts that are not its states", () => {
    const policy = parsePolicy({ format: 'aisle.policy/v1', kind: 'tabular', env, states: ['c', 'd'], actions: ['b'], q: [[0], [0]], greedy: [0, 0], provenance });
    let said = '';
    try {
      policyTarget(policy, 'p.json', data, false);
    } catch (e) {
      said = (e as Error).message;
    }
    expect(said).toContain("the logs' contexts");
    safe(said);
  });

  it("in the warning of a policy fitted to rows, its file's fittedTo texts and experiment name", () => {
    const fit: FittedRows = { logs: label, where: { policy: label }, rows: 4 };
    for (const line of [
      fitOverlapText({ spec: 'p.json', fit, fitted: 2, scored: 4 }, 'p.json', () => '`aisle ope …`'),
      fitOverlapText({ spec: 'p.json', experiment: label, scored: 4 }, 'p.json', () => ''),
      fitWhereWarning(fit, { policy: 'random' })!,
    ])
      safe(line);
  });

  it('in the warning of a row that drives its cell', () => {
    const d: DominantRows = { rows: [{ context: label, action: label, line: 3, row: 2, reward: 100, share: 0.9, cellRows: 2, mean: 50, meanWithout: 1 }], count: 1, median: 1, prior: 1, clearingPrior: 100 };
    safe(dominantRowsText(d, 'logs.csv', { action: 'item', reward: 'click', context: 'page' }, CLI_DOMINANT_FIX)!);
  });
});

it('a filter is described with each column and value escaped and cut once, as listedName lists a name; whereArgument keeps them as given', () => {
  expect(describeWhere({ policy: 'bts', campaign: 'men' })).toBe('policy=bts, campaign=men');
  expect(describeWhere({ 'pa\u001b[31mge': 'two\nlines' })).toBe('"pa\\u001b[31mge"="two\\nlines"');
  expect(describeWhere({ policy: 'z'.repeat(10_000) })).toBe(`policy="${'z'.repeat(60)}"…`);
  expect(whereArgument({ policy: 'bts', campaign: 'two\nlines' })).toBe('policy=bts,campaign=two\nlines');
  // A policy file's filter in the warning of a policy fitted to the rows scored: escaped once, not its backslash again.
  const fit: FittedRows = { logs: 'logs.csv', where: { policy: 'a\u001b[31mred' }, rows: 4 };
  const text = fitOverlapText({ spec: 'p.json', fit, fitted: 2, scored: 4 }, 'p.json', () => '`aisle ope …`');
  expect(text).toContain('the rows with policy="a\\u001b[31mred"');
});

it("a policy's long state is cut in the warning that training never updated it", async () => {
  const long = 'y'.repeat(5_000);
  const data = logs([[long, 'a', 1, 0.5], [long, 'b', 0, 0.5]]);
  const policy = parsePolicy({ format: 'aisle.policy/v1', kind: 'tabular', env, states: [long], actions: ['a', 'b'], q: [[0, 0]], greedy: [0], updated: [false], provenance });
  const run = await evaluateTargets(data, [{ kind: 'policy', policy, label: 'few.json' }], () => Promise.reject(new Error('no logs: target')), { resamples: 5 });
  const never = run.targets[0]!.warnings.find((w) => w.includes('training never updated'));
  expect(never).toContain(`"${'y'.repeat(60)}"…`);
  safe(never!);
});
