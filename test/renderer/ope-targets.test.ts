// Off-policy's target list: how a stored policy is offered, and a stored policy none of whose actions
// the logs show (policies.fitLogs says so) not sent, what blocks it saying why.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { firstTargetValue, initialTargets, pickedPolicyName, storedPolicyLabel, TargetPickers, targetRequests, ValueOptions } from '../../src/renderer/src/components/ope-targets';
import { commands } from '../../src/shared/contract';
import type { PolicySummary } from '../../src/shared/dto';

describe('storedPolicyLabel', () => {
  it('names the policy with its kind and its actions counted with grouped digits', () => {
    // shop-large's exported Q-learning policy was offered as "(tabular, 1000 actions)".
    expect(storedPolicyLabel({ id: 2, name: 'shop-large q-learning — run 11', envId: 'shop', kind: 'tabular', actions: 1000 })).toBe(
      '#2 shop-large q-learning — run 11 (tabular, 1,000 actions)',
    );
    expect(storedPolicyLabel({ id: 7, name: null, envId: 'bandit-testbed', kind: 'context-free', actions: 1 })).toBe('#7 bandit-testbed policy (context-free, 1 action)');
  });
  it('cuts a long name as a run picker cuts its experiment’s: a name of 500 characters made the picker wider than the window', () => {
    const label = storedPolicyLabel({ id: 3, name: `${'a'.repeat(500)} (alpha=0.1)`, envId: 'seed-toy', kind: 'tabular', actions: 5 });
    expect(label).toMatch(/^#3 a+… \(alpha=0\.1\) \(tabular, 5 actions\)$/);
    expect(label.length).toBeLessThan(80);
    expect(pickedPolicyName({ name: 'greedy cliff', envId: 'tabular-mdp' })).toBe('greedy cliff');
  });
});

const policy: PolicySummary = { id: 7, name: 'cliff', runId: 1, origin: 'export', envId: 'tabular-mdp', kind: 'tabular', states: 48, actions: 4, createdAt: 0 };
const targets = { ...initialTargets({ columns: [], combinations: { columns: [], rows: [] } } as never), uniform: false, policy: { on: true, policyId: '7', positions: false } };

describe('targetRequests', () => {
  it('sends a stored policy the logs can take, and blocks one they cannot, saying why', () => {
    expect(targetRequests(targets, {}, [policy])).toEqual({ list: [{ kind: 'policy', policyId: 7 }], blocker: null });
    const why = "none of the policy's actions (up, right, down, left) appears in the logs' actions (bags, hats)";
    expect(targetRequests(targets, {}, [policy], new Map([[7, why]]))).toEqual({ list: null, blocker: `The stored policy cannot be a target on these logs: ${why}.` });
    expect(targetRequests(targets, {}, [policy], new Map([[8, why]]))).toMatchObject({ blocker: null });
  });
});

describe('the rows of a target policy, by a value too long to filter on', () => {
  // A logs column whose first value is past what a filter takes (1,500 characters): its option is
  // disabled, yet it was picked as the target's rows, and Evaluate sent it to a 400.
  const long = 'A'.repeat(1_500);
  const column = { name: 'policy', values: [{ value: long, rows: 150 }, { value: 'b', rows: 3 }] };
  const inspection = { columns: [column], combinations: { columns: [], rows: [] } } as never;

  it('starts at the first value a filter takes, and blocks a long one with the reason', () => {
    expect(initialTargets(inspection).logs).toEqual({ on: false, column: 'policy', value: 'b' });
    expect(firstTargetValue(column, 'b')).toBe('');
    const picked = { ...initialTargets(inspection), uniform: false, logs: { on: true, column: 'policy', value: long } };
    expect(targetRequests(picked, {}, [])).toEqual({ list: null, blocker: 'Choose other rows of the target policy: a filter takes a value of at most 1,000 characters.' });
  });
});

describe('targetRequests with Always one action', () => {
  // The picker lists the file's actions: on Open Bandit under campaign = men, item 40 (a women's item)
  // was sent, and the evaluation refused it only after reading the file ('"40" never appears in the logs' actions').
  const always = (action: string) => ({ ...initialTargets({ columns: [], combinations: { columns: [], rows: [] } } as never), uniform: false, action: { on: true, action } });

  it('blocks an action the rows the filters keep never show, and sends one they show', () => {
    expect(targetRequests(always('40'), { campaign: 'men' }, [], new Map(), ['0', '1', '33'])).toEqual({
      list: null,
      blocker: 'The action 40 is never shown on the rows the filters keep: choose one they show, or another filter.',
    });
    expect(targetRequests(always('33'), { campaign: 'men' }, [], new Map(), ['0', '1', '33'])).toEqual({ list: [{ kind: 'action', action: '33' }], blocker: null });
    // The actions not known (too many to list): sent, the evaluation checks it.
    expect(targetRequests(always('40'), {}, [], new Map(), null)).toEqual({ list: [{ kind: 'action', action: '40' }], blocker: null });
  });
});

describe('TargetPickers with no stored policy to offer', () => {
  it('says which stored policies can be targets, networks on discrete states among them', () => {
    // The screen offers context-free and tabular policies and networks trained on discrete states;
    // the empty list said 'none stored (context-free or tabular)', leaving the networks out.
    const html = renderToStaticMarkup(
      createElement(TargetPickers, {
        targets: initialTargets({ columns: [], combinations: { columns: [], rows: [] } } as never),
        onChange: () => undefined,
        listed: [],
        where: {},
        policies: [],
        misfits: new Map(),
        actionValues: null,
      }),
    );
    expect(html).toMatch(/<option value=""[^>]*>none stored \(context-free, tabular, or a network on discrete states\)<\/option>/);
  });
});

describe('a logs value longer than a filter takes', () => {
  it('is offered cut and disabled, saying why, where it was chosen and refused with a 400', () => {
    const long = 'c'.repeat(1500);
    const html = renderToStaticMarkup(createElement('select', null, createElement(ValueOptions, { values: [{ value: 'short', rows: 150 }, { value: long, rows: 150 }] })));
    expect(html).toContain('<option value="short">short (150 rows)</option>');
    expect(html).toContain(`disabled="">${'c'.repeat(60)}… (150 rows; 1,500 characters, too long to filter on: at most 1,000)</option>`);
    // What it keeps from being chosen is what the contract refuses.
    const evaluate = (value: string) => commands['logs.evaluate'].safeParse({ text: 'a', fileName: 'l.csv', where: { ctx: value }, columns: { action: 'a', reward: 'r', propensity: 'p' }, targets: [{ kind: 'uniform' }] });
    expect(evaluate('c'.repeat(1000)).error?.issues.some((i) => i.path.includes('where'))).not.toBe(true);
    expect(evaluate(long).error?.issues.some((i) => i.path.includes('where'))).toBe(true);
  });
});
