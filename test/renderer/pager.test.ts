// A table's pager at its first and last page: Previous or Next does nothing, says so with
// aria-disabled, and stays focusable (a disabled button pressed onto the last page dropped focus);
// the rows it shows are a status, said when a step or a search changes them.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Pager } from '../../src/renderer/src/components/pager';

const buttons = (page: number, pages: number) =>
  [...renderToStaticMarkup(createElement(Pager, { page, pages, shown: 'x', totalTestId: 't', onStep: () => {} })).matchAll(/<button[^>]*>/g)].map((m) => m[0]);

describe('Pager', () => {
  it('marks Previous on the first page and Next on the last aria-disabled, never disabled', () => {
    const [previous, next] = buttons(1, 2);
    expect(previous).toContain('aria-disabled="true"');
    expect(next).not.toContain('aria-disabled');
    const [previousLast, nextLast] = buttons(2, 2);
    expect(previousLast).not.toContain('aria-disabled');
    expect(nextLast).toContain('aria-disabled="true"');
    for (const b of [previous, next, previousLast, nextLast]) expect(b).not.toMatch(/ disabled(=|>| )/);
  });
});

describe('Pager’s rows shown', () => {
  it('are a status, so a screen reader says the rows after Next or Previous (focus stays on the button) or a search', () => {
    const html = renderToStaticMarkup(createElement(Pager, { page: 2, pages: 2, shown: '101–108 of 108 runs', totalTestId: 'runs-total', onStep: () => {} }));
    expect(html).toMatch(/<span [^>]*role="status"[^>]*data-testid="runs-total"[^>]*>101–108 of 108 runs<\/span>/);
  });
});
