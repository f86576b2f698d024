// Both parameter studies' tables (the sweep's and the random search's): written once in
// study-point-columns.tsx, where each table wrote its own four last headings and cells alike, and
// its own folded table around them.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StudyPointCells, StudyPointHeadings, StudyPointsTable } from '../../src/renderer/src/components/study-point-columns';

describe("the parameter studies' tables' last columns", () => {
  it('head each table with the group, its runs, its mean final and the t interval', () => {
    expect(renderToStaticMarkup(createElement(StudyPointHeadings))).toBe(
      '<th scope="col">Group</th><th scope="col" class="num">Runs</th><th scope="col" class="num">Mean final</th><th scope="col" class="num">Mean 95 % CI (t)</th>',
    );
  });

  it("give a group's row those four cells, its mean under the table's own test id", () => {
    const html = renderToStaticMarkup(createElement(StudyPointCells, { group: 'alpha=0.1', runs: 3, mean: '-17.2', interval: '[-19.0, -15.4]', meanTestId: 'slice-study-mean' }));
    expect(html).toMatch(/^<td class="group-cell">.*alpha=0\.1.*<\/td><td class="num">3<\/td><td class="num" data-testid="slice-study-mean">-17\.2<\/td><td class="num">\[-19\.0, -15\.4\]<\/td>$/);
  });

  it('fold the table under its summary, the settings’ headings before those four, its rows in the body', () => {
    const settings = createElement('th', { scope: 'col' }, 'alpha');
    const row = createElement('tr', { 'data-testid': 'slice-study-point' }, createElement('td', null, '0.1'));
    const html = renderToStaticMarkup(createElement(StudyPointsTable, { summary: 'The groups as a table, best first', label: 'Parameter study: the groups, best first', testId: 'slice-study-points', settings, children: row }));
    expect(html).toBe(
      '<details class="diff-common"><summary>The groups as a table, best first</summary><div class="table-scroll scroll-region" data-scrolls="false">' +
        '<table class="study-points" data-testid="slice-study-points"><thead><tr><th scope="col">alpha</th>' +
        renderToStaticMarkup(createElement(StudyPointHeadings)) +
        '</tr></thead><tbody><tr data-testid="slice-study-point"><td>0.1</td></tr></tbody></table></div></details>',
    );
  });
});
