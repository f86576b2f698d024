// The columns both parameter studies' tables end with (the sweep's and the random search's): written
// once in study-point-columns.tsx, where each table wrote its own four headings and cells alike.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StudyPointCells, StudyPointHeadings } from '../../src/renderer/src/components/study-point-columns';

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
});
