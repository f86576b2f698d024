// A user's file's texts in the app's messages, quoted as every message quotes a file's text
// (engine/params' show, listedName): React escapes markup but not a bidirectional override, which
// reversed the rest of the line, nor an ESC or a line break, nor a text of 5,000 characters, which
// was quoted whole. The experiment form's import of a file that is not an Aisle file quotes its
// "format" (raw in the file's first 4 KB, where the format is read without parsing); the Off-policy
// screen's filter text (its blocker, its results' rows, the logs target's rows) the logs' columns
// and values; its blocker for one column chosen for two roles, that column's name. The form's
// file field, the path an imported experiment names for a file not read. The Off-policy screen's
// other sentences naming the logs' columns or labels: the file's summary and the filter counts'
// note (column names), the results' and the simulator's reward, context and action columns, and
// the blocker for an action the rows kept never show.
import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/client';
import { catalog } from '../helpers/catalog';
import { initialDraft } from '../../src/renderer/src/form/draft';
import { importFiles } from '../../src/renderer/src/form/import';
import { createElement, createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { targetRequests, whereText } from '../../src/renderer/src/components/ope-targets';
import { listedNames } from '../../src/engine/params';
import { OpeResults } from '../../src/renderer/src/components/ope-results';
import { SimulatorSummary, SimulatorValues } from '../../src/renderer/src/components/logs-simulator';
import type { LogsEvaluation, LogsSimulator } from '../../src/shared/dto';
import { roleClashText } from '../../src/renderer/src/components/ope-columns';
import { fileFieldText } from '../../src/renderer/src/form/fields';

const client = {} as Client; // refused before anything is asked of the service

/** A file's text holding each kind of trouble, and how a message quotes it (show, listedName). */
const ESCAPED_AND_CUT: [string, string, string][] = [
  ['an ESC sequence', 'a\u001b[31mred', '"a\\u001b[31mred"'],
  ['U+202E', 'a\u202Eb', '"a\\u202eb"'],
  ['a line break', 'two\nlines', '"two\\nlines"'],
  ['5,000 characters', 'x'.repeat(5_000), `"${'x'.repeat(60)}"…`],
];
const CONTROL_SHOWN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

async function problem(text: string): Promise<string> {
  const r = await importFiles(client, catalog, () => initialDraft(catalog), [{ name: 'x.json', text }]);
  expect(r.ok).toBe(false);
  return (r as { problems: readonly string[] }).problems.join('\n');
}

describe("an imported file's format that is not Aisle's", () => {
  it('reads as before for an ordinary one', async () => {
    expect(await problem(JSON.stringify({ format: 'gym/v1' }))).toBe(
      'x.json: not an Aisle file: its "format" is "gym/v1", expected "aisle.experiment/v1" or "aisle.mdp/v1" (or a shop catalog: { "items": [...] })',
    );
  });

  it.each([
    ['an ESC sequence (raw in the file: read from its head)', '{"format": "a\u001b[31mred"}', '"a\\u001b[31mred"'],
    ['U+202E', JSON.stringify({ format: 'a\u202Eb' }), '"a\\u202eb"'],
    ['a line break (raw in the file)', '{"format": "two\nlines"}', '"two\\nlines"'],
    ['5,000 characters', JSON.stringify({ format: 'x'.repeat(5_000) }), `"${'x'.repeat(60)}"…`],
  ])('is quoted escaped and cut when it holds %s', async (_what, text, shown) => {
    const said = await problem(text);
    expect(said).not.toMatch(CONTROL_SHOWN);
    expect(said.length).toBeLessThan(300);
    expect(said).toContain(`its "format" is ${shown},`);
  });
});

describe("the Off-policy screen's filter text", () => {
  it('reads as before for ordinary columns and values', () => {
    expect(whereText({ policy: 'uniform', campaign: 'men' })).toBe('policy = uniform, campaign = men');
  });

  it.each(ESCAPED_AND_CUT)('quotes a column and a value holding %s, escaped and cut', (_what, text, shown) => {
    const said = whereText({ [text]: text, page: 'home' });
    expect(said).not.toMatch(CONTROL_SHOWN);
    expect(said).toBe(`${shown} = ${shown}, page = home`);
  });
});

describe("the Off-policy screen's blocker for one column in two roles", () => {
  it('reads as before for an ordinary column, and is null without a clash', () => {
    expect(roleClashText({ action: 'item', reward: 'click', propensity: 'click', context: '' })).toBe(
      'The column "click" is both the reward and the propensity: choose another column for one of them.',
    );
    expect(roleClashText({ action: 'item', reward: 'click', propensity: 'pscore', context: '' })).toBeNull();
  });

  it.each(ESCAPED_AND_CUT)('quotes a column holding %s, escaped and cut', (_what, text, shown) => {
    const said = roleClashText({ action: text, reward: 'click', propensity: 'pscore', context: text })!;
    expect(said).not.toMatch(CONTROL_SHOWN);
    expect(said).toBe(`The column ${shown} is both the action and the context: choose another column for one of them.`);
  });
});

describe("the experiment form's file field, for a path not read", () => {
  it('quotes an ordinary path whole, and says an inline file or none as before', () => {
    expect(fileFieldText('../mdps/cliff.mdp.json')).toBe('file "../mdps/cliff.mdp.json" (not read yet: import it with the experiment, or replace it)');
    expect(fileFieldText({ items: [{ category: 'a' }] })).toBe('catalog: 1 item in 1 category');
    expect(fileFieldText(undefined)).toBe('none');
  });

  it.each([
    ['an ESC sequence', 'a\u001b[31mred.json', '"a\\u001b[31mred.json"'],
    ['U+202E', 'a\u202Enosj.json', '"a\\u202enosj.json"'],
    ['a line break', 'two\nlines.json', '"two\\nlines.json"'],
    ['5,000 characters', `${'d/'.repeat(2_500)}x.json`, `"${'d/'.repeat(30)}"…`],
  ])('quotes a path holding %s, escaped and cut', (_what, path, shown) => {
    const said = fileFieldText(path);
    expect(said).not.toMatch(CONTROL_SHOWN);
    expect(said).toBe(`file ${shown} (not read yet: import it with the experiment, or replace it)`);
  });

  it.each(ESCAPED_AND_CUT)("quotes an inline MDP's name holding %s (typed into the JSON view, not yet checked), escaped and cut", (_what, name, shown) => {
    expect(fileFieldText({ name: 'two states', states: 2, actions: 2 })).toBe('MDP: two states, 2 states × 2 actions');
    const said = fileFieldText({ name, states: 2, actions: 2 });
    expect(said).not.toMatch(CONTROL_SHOWN);
    expect(said).toBe(`MDP: ${shown}, 2 states × 2 actions`);
  });
});

/** A rendered paragraph's text (tags dropped, entities read back), by its test id. */
function paragraph(html: string, testId: string): string {
  const inner = new RegExp(`<p[^>]*data-testid="${testId}"[^>]*>(.*?)</p>`, 's').exec(html)![1]!;
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" };
  return inner.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#x27);/g, (_m, e: string) => entities[e]!);
}

describe("the Off-policy screen's other sentences naming the logs' columns and labels", () => {
  const interval = { point: 0.1, lo: 0.05, hi: 0.15 };
  const evaluation = (columns: { action: string; reward: string; context: string | null }) =>
    ({ rows: 100, actions: 4, contexts: 2, rowsRead: 100, rowsKept: 100, logged: interval, columns: { propensity: 'pscore', ...columns }, fitWarnings: [], targets: [] }) as unknown as LogsEvaluation;
  const results = (columns: { action: string; reward: string; context: string | null }) =>
    paragraph(renderToStaticMarkup(createElement(OpeResults, { result: evaluation(columns), confidence: 0.95, rowsText: null, stale: false, headingRef: createRef<HTMLHeadingElement>() })), 'ope-logged');
  const simulator = (columns: { action: string; reward: string; context: string | null }) =>
    ({ states: 4, actions: 2, contexts: 2, rowsRead: 100, rowsKept: 100, rowsFitted: 100, rewards: 'bernoulli', logged: 0.1, best: 0.2, columns: { propensity: 'pscore', ...columns }, mixed: [] }) as unknown as LogsSimulator;
  const fitted = (columns: { action: string; reward: string; context: string | null }) => {
    const sim = simulator(columns);
    return `${paragraph(renderToStaticMarkup(createElement(SimulatorSummary, { sim })), 'simulator-summary')} ${paragraph(renderToStaticMarkup(createElement(SimulatorValues, { sim })), 'simulator-values')}`;
  };
  const actionBlocker = (action: string) =>
    targetRequests({ uniform: false, logs: { on: false, column: '', value: '' }, policy: { on: false, policyId: '', positions: false }, action: { on: true, action } }, {}, [], new Map(), ['1', '2']).blocker;

  it('read as before for ordinary names', () => {
    expect(listedNames(['item', 'click', 'pscore'])).toBe('item, click, pscore');
    expect(results({ action: 'item', reward: 'click', context: 'position' })).toMatch(/^The logging policy: mean click 0\.10 \(/);
    expect(fitted({ action: 'item', reward: 'click', context: 'position' })).toBe(
      '2 contexts (position), 2 actions (item), fitted on 100 of the 100 rows kept. A step pays click 1 with the model’s probability, else 0. ' +
        'Its MDP: 4 states (one per context, and two end states, for a reward of 1 and of 0) × 2 actions. ' +
        'The logging policy’s mean click on these rows: 0.1; the best policy in the simulator: 0.2 per decision. Hold out rows above to have some to check a learned policy on.',
    );
    expect(actionBlocker('7')).toBe('The action 7 is never shown on the rows the filters keep: choose one they show, or another filter.');
  });

  // Each sentence with the name in every place it names one, and what it must then read.
  const places: [string, (text: string) => string, (shown: string) => string[]][] = [
    ["the file's columns", (text) => listedNames([text, 'click']), (shown) => [`${shown}, click`]],
    ["the results' reward", (text) => results({ action: 'item', reward: text, context: null }), (shown) => [`: mean ${shown} 0.10 (`]],
    [
      "the simulator's columns",
      (text) => fitted({ action: text, reward: text, context: text }),
      (shown) => [`2 contexts (${shown}), 2 actions (${shown}),`, `A step pays ${shown} 1 with`, `The logging policy’s mean ${shown} on these rows`],
    ],
    ['the action never shown', (text) => actionBlocker(text)!, (shown) => [`The action ${shown} is never shown on the rows the filters keep`]],
  ];
  describe.each(places)('%s', (_place, say, expected) => {
    it.each(ESCAPED_AND_CUT)('quote a name holding %s, escaped and cut', (_what, text, shown) => {
      const said = say(text);
      expect(said).not.toMatch(CONTROL_SHOWN);
      for (const part of expected(shown)) expect(said).toContain(part);
    });
  });
});
