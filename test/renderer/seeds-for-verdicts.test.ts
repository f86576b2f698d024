// Wherever seeds are chosen, Compare's need for 5 or more runs per group is said: the New experiment
// form's seeds field (a count or a list), Start from a preset (each preset's seeds, those too few
// marked) and the experiment file's JSON Schema (`aisle run --seeds` says it in its help: test/cli).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { familyOutOfReachText, FEW_RUNS, type ImprovementInput, mostGroupsForVerdicts, SEEDS_FOR_VERDICTS } from '../../src/shared/compare-text';
import type { Preset } from '../../src/shared/dto';
import { ExperimentForm } from '../../src/renderer/src/form/experiment-form';
import { initialDraft } from '../../src/renderer/src/form/draft';
import { PresetPicker } from '../../src/renderer/src/form/preset-picker';
import { catalog } from '../helpers/catalog';

/** The text of the element whose id is `id`, its tags and entities removed. */
function textOf(html: string, attribute: string): string {
  const at = html.indexOf(attribute);
  expect(at, attribute).toBeGreaterThanOrEqual(0);
  const start = html.indexOf('>', at) + 1;
  const end = html.indexOf('</', start);
  return html.slice(start, end).replace(/<[^>]*>/g, '').replaceAll('&#x27;', "'").replaceAll('&amp;', '&');
}

const formHtml = (seeds: unknown) =>
  renderToStaticMarkup(
    createElement(ExperimentForm, { catalog, draft: { ...initialDraft(catalog), seeds }, onDraft: () => {}, problems: new Map(), onLocalProblem: () => {}, onImport: () => {} }),
  );

describe("Compare's 5 seeds, where seeds are chosen", () => {
  it('says it as one sentence, from the rule Compare applies', () => {
    expect(FEW_RUNS).toBe(5);
    expect(SEEDS_FOR_VERDICTS).toBe(
      "Compare's verdicts (better or worse) need 5 or more runs per group, and more to compare many groups at once (5 runs a group for up to 4 groups, 6 for up to 7, 7 for up to 13): give 5+ seeds to compare",
    );
  });

  it('gives the most groups a verdict is still possible among, as the matrix finds it (familyOutOfReachText)', () => {
    // k groups of n runs each: the matrix says no pair can get a verdict exactly beyond mostGroupsForVerdicts(n).
    const matrix = (groups: number, runs: number) =>
      ({ groups: Array.from({ length: groups }, () => ({ final: { values: Array.from({ length: runs }, (_, i) => i) } })), improvement: [] }) as unknown as ImprovementInput;
    for (const runs of [5, 6, 7]) {
      const most = mostGroupsForVerdicts(runs);
      expect(familyOutOfReachText(matrix(most, runs))).toBeUndefined();
      expect(familyOutOfReachText(matrix(most + 1, runs))).toMatch(/^No verdict is possible in this matrix/);
    }
    expect([5, 6, 7].map(mostGroupsForVerdicts)).toEqual([4, 7, 13]);
  });

  it("in the form's seeds field, as a count or as a list", () => {
    expect(textOf(formHtml(3), 'id="f-seeds-help"')).toBe(`runs: seeds 0..n−1. ${SEEDS_FOR_VERDICTS}.`);
    expect(textOf(formHtml([0, 1, 7]), 'id="f-seeds-help"')).toBe(`${SEEDS_FOR_VERDICTS}.`);
  });

  it('in Start from a preset, with each preset’s seeds and those too few for a verdict marked', () => {
    const presets: Preset[] = [
      { file: 'quickstart.json', name: 'quickstart', description: '', envId: 'tabular-mdp', agentId: 'q-learning', seeds: 5 },
      { file: 'seed-toy.json', name: 'speed', description: '', envId: 'seed-toy', agentId: 'q-learning', seeds: 1 },
    ];
    const html = renderToStaticMarkup(createElement(PresetPicker, { presets, onPick: () => {}, startOpen: true }));
    expect(textOf(html, 'data-testid="preset-help"')).toContain(`${SEEDS_FOR_VERDICTS}.`);
    expect(textOf(html, 'data-testid="preset-seeds-quickstart.json"')).toBe('tabular-mdp · q-learning · 5 seeds');
    expect(textOf(html, 'data-testid="preset-seeds-seed-toy.json"')).toBe('seed-toy · q-learning · 1 seed, too few for a verdict in Compare');
  });

  it("in the experiment file's JSON Schema, which describes seeds to whoever writes a file", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../resources/schemas/experiment.schema.json'), 'utf8')) as { properties: { seeds: { description: string } } };
    expect(schema.properties.seeds.description).toContain(`${SEEDS_FOR_VERDICTS}.`);
  });
});
