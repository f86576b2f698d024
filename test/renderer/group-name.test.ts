// Compare's tables wrap a group's name in a narrow cell: GroupName keeps each short hyphenated word (an agent's or environment's
// id) in a span that does not break, where the improvement matrix broke "q-learning" into "q-" over "learning" at 800 px. The
// text is the name's own, character for character, so copying it or matching it finds the name.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { GroupName } from '../../src/renderer/src/components/group-name';
import { ImprovementMatrix, SummaryTable } from '../../src/renderer/src/components/compare-tables';
import type { CompareResult } from '../../src/shared/dto';

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
const whole = (html: string) => [...html.matchAll(/<span class="whole">([^<]*)<\/span>/g)].map((m) => m[1]);

describe('GroupName', () => {
  it('keeps the ids whole and the text the name’s own', () => {
    const name = 'quickstart: cliff walking, q-learning · q-learning (env.id=tabular-mdp, agent.epsilon=0.1)';
    const html = renderToStaticMarkup(createElement(GroupName, { name }));
    expect(whole(html)).toEqual(['q-learning', 'q-learning', 'tabular-mdp']);
    expect(text(html)).toBe(name);
    expect(html).not.toContain('\u2011');
  });

  it('leaves a name without hyphens as it is, and a long hyphenated word free to break', () => {
    expect(renderToStaticMarkup(createElement(GroupName, { name: 'cliff walking, sarsa · sarsa' }))).toBe('cliff walking, sarsa · sarsa');
    const long = 'a-hyphenated-experiment-name-longer-than-any-id · epsilon-greedy';
    const html = renderToStaticMarkup(createElement(GroupName, { name: long }));
    expect(whole(html)).toEqual(['epsilon-greedy']);
    expect(text(html)).toBe(long);
  });

  it('is what the final-performance table and the improvement matrix show', () => {
    const label = 'cliff, q-learning · q-learning';
    const group = (key: string) =>
      ({ key, label, configHash: key.repeat(8), runIds: [1, 2], seeds: [0, 1], partial: [], repeats: [], final: { values: [1, 2] } }) as unknown as CompareResult['groups'][number];
    const pair = { p: 0.5, lo: 0.2, hi: 0.8, mannWhitneyP: 1 };
    const result = { metric: 'return', direction: 'higher', window: 100, groups: [group('a'), group('b')], improvement: [[pair, pair], [pair, pair]] } as unknown as CompareResult;
    // Each group's name: twice in the matrix (its row and its column), once in the summary.
    expect(whole(renderToStaticMarkup(createElement(ImprovementMatrix, { result })))).toEqual(Array(8).fill('q-learning'));
    expect(whole(renderToStaticMarkup(createElement(SummaryTable, { result })))).toEqual(Array(4).fill('q-learning'));
  });
});
