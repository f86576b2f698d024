// The experiment form's own fields (the environment and agent selects, seeds) are wired for screen
// readers as the parameters' fields are: marked invalid, and described by the problems shown under them.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { findAgent } from '../../src/engine/registry';
import { epsilonProblem } from '../../src/engine/schedule';
import { discrete } from '../../src/engine/spaces';
import { ExperimentForm, formFieldPaths } from '../../src/renderer/src/form/experiment-form';
import { initialDraft, switchTo, type Draft } from '../../src/renderer/src/form/draft';
import { placeProblems } from '../../src/renderer/src/form/problems';
import { catalog } from '../helpers/catalog';
import { WholeNumberField } from '../../src/renderer/src/components/whole-number-field';

/** The form as HTML, with `lines` (the service's problems) placed under their fields. */
function formHtml(draft: Draft, lines: readonly string[]): string {
  const { byField, unplaced } = placeProblems(lines, formFieldPaths(catalog, draft));
  expect(unplaced).toEqual([]);
  return renderToStaticMarkup(createElement(ExperimentForm, { catalog, draft, onDraft: () => {}, problems: byField, onLocalProblem: () => {}, onImport: () => {} }));
}

/** The attributes of the element whose id is `id`. */
function attributesOf(html: string, id: string): Record<string, string> {
  const tag = new RegExp(`<[a-z]+ [^>]*id="${id.replace(/[.[\]]/g, '\\$&')}"[^>]*>`).exec(html)?.[0];
  expect(tag, id).toBeDefined();
  return Object.fromEntries([...tag!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The text of the element whose id is `id` (its entities read back). */
function textOf(html: string, id: string): string {
  const text = new RegExp(`id="${id.replace(/[.[\]]/g, '\\$&')}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '';
  return text.replaceAll('&quot;', '"').replaceAll('&#x27;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

describe('ARIA of the form’s own fields', () => {
  it('describes an agent select marked invalid (LinUCB on the bandit testbed) by its reason', () => {
    let draft = initialDraft(catalog);
    draft = switchTo(catalog, draft, 'env', catalog.environments.find((e) => e.id === 'bandit-testbed')!);
    draft = switchTo(catalog, draft, 'agent', catalog.agents.find((a) => a.id === 'linucb')!);
    const reason = findAgent('linucb')!.compatible(discrete(1), discrete(10), { id: 'bandit-testbed' });
    expect(reason).not.toBeNull();
    const html = formHtml(draft, [`agent.id: ${reason!}`]); // as the service places it
    const select = attributesOf(html, 'f-agent.id');
    expect(select['aria-invalid']).toBe('true');
    expect(select['aria-describedby']).toBe('f-agent.id-problems');
    expect(textOf(html, 'f-agent.id-problems')).toBe(reason);
    // A valid select is described by nothing.
    const environment = attributesOf(html, 'f-env.id');
    expect(environment['aria-invalid']).toBe('false');
    expect(environment['aria-describedby']).toBeUndefined();
  });

  it('describes seeds by their help, and by their problem when there is one', () => {
    const draft = { ...initialDraft(catalog), seeds: 0 };
    expect(attributesOf(formHtml(draft, []), 'f-seeds')['aria-describedby']).toBe('f-seeds-help');
    const html = formHtml(draft, ['seeds: must be a whole number ≥ 1, got 0']);
    expect(attributesOf(html, 'f-seeds')).toMatchObject({ 'aria-invalid': 'true', 'aria-describedby': 'f-seeds-help f-seeds-problems' });
    expect(textOf(html, 'f-seeds-problems')).toContain('got 0');
  });
});

describe('problems a screen reader says as they come', () => {
  it("puts a field's problems in a polite live region that is there before them", () => {
    const draft = { ...initialDraft(catalog), seeds: 0 };
    const live = /<div aria-live="polite">(.*?)<\/div>/;
    // Before: the region, empty, after the field's help.
    expect(live.exec(formHtml(draft, []).split('id="f-seeds-help"')[1] ?? '')?.[1]).toBe('');
    // With a problem: the problem, the one the field's aria-describedby names, inside it.
    const after = formHtml(draft, ['seeds: must be a whole number ≥ 1, got 0']).split('id="f-seeds-help"')[1] ?? '';
    expect(after).toMatch(/^[^]*?<div aria-live="polite"><div id="f-seeds-problems" class="field-error"[^>]*>[^<]*got 0<\/div><\/div>/);
  });

  it("announces a number field's range problem (Off-policy's, Policies') as an alert, as the run number's is", () => {
    const field = (value: string) =>
      renderToStaticMarkup(createElement(WholeNumberField, { label: 'Seed', value, onChange: () => {}, min: 0, max: 1000, testId: 'seed' }));
    expect(field('7')).not.toContain('role="alert"');
    expect(field('7x')).toMatch(/<span id="[^"]+" class="field-error" role="alert" data-testid="seed-problem">Seed: a whole number from 0 to 1,000\.<\/span>/);
  });
});

describe('a schedule’s problems said under it as a whole', () => {
  const withEpsilon = (epsilon: unknown): Draft => {
    const draft = initialDraft(catalog);
    return { ...draft, agent: { ...(draft.agent as Record<string, unknown>), epsilon } };
  };

  it('marks the fields it lacks invalid, described by them, so "N problems to fix" has a field to focus', () => {
    const schedule = { start: 1, end: 0.05 }; // decayEpisodes emptied in the form
    const html = formHtml(withEpsilon(schedule), [`agent.epsilon: ${epsilonProblem(schedule)}`]);
    expect(textOf(html, 'f-agent.epsilon-problems')).toContain('"decayEpisodes" is missing');
    expect(attributesOf(html, 'f-agent.epsilon.decayEpisodes')).toMatchObject({ 'aria-invalid': 'true', 'aria-describedby': 'f-agent.epsilon.decayEpisodes-help f-agent.epsilon-problems' });
    // The fields it has are not the problem.
    expect(attributesOf(html, 'f-agent.epsilon.start')['aria-invalid']).toBe('false');
    expect(html.match(/aria-invalid="true"/g)).toHaveLength(1);
  });

  it('marks the schedule’s choice when it lacks no field (one it has no place for, from the JSON view)', () => {
    const schedule = { start: 1, end: 0.05, decayEpisodes: 10, decay: 5 };
    const html = formHtml(withEpsilon(schedule), [`agent.epsilon: ${epsilonProblem(schedule)}`]);
    const choice = /<input [^>]*data-testid="mode-agent\.epsilon-object"[^>]*>/.exec(html)?.[0] ?? '';
    expect(choice).toContain('aria-invalid="true"');
    expect(choice).toContain('aria-describedby="f-agent.epsilon-problems"');
    expect(html.match(/aria-invalid="true"/g)).toHaveLength(1);
  });
});
