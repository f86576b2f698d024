// A sortable column's header: its button is named by the column alone, the order said by the
// header's aria-sort; the ▴ or ▾ shown beside the name is hidden from screen readers, which read it
// into the name as "black down-pointing small triangle".
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SortHeader } from '../../src/renderer/src/components/sort-header';

const header = (sort: 'id' | 'name', desc: boolean) =>
  renderToStaticMarkup(createElement('table', null, createElement('thead', null, createElement('tr', null, createElement(SortHeader<'id' | 'name'>, { sort: 'name', current: { sort, desc }, onSort: () => {}, label: 'name' })))));

/** The text a screen reader takes for the button's name: its text, less what is aria-hidden. */
const spokenName = (html: string) =>
  /<button[^>]*>(.*)<\/button>/.exec(html)![1]!.replace(/<span aria-hidden="true">.*?<\/span>/g, '').replace(/<[^>]+>/g, '');

describe('SortHeader', () => {
  it('shows the order with an arrow, hidden from screen readers, and says it with aria-sort', () => {
    const descending = header('name', true);
    expect(descending).toContain('aria-sort="descending"');
    expect(descending).toContain('\u00a0▾');
    expect(spokenName(descending)).toBe('name');
    const ascending = header('name', false);
    expect(ascending).toContain('aria-sort="ascending"');
    expect(ascending).toContain('\u00a0▴');
    expect(spokenName(ascending)).toBe('name');
  });

  it('shows no arrow on a column the table is not sorted by', () => {
    const other = header('id', true);
    expect(other).toContain('aria-sort="none"');
    expect(other).not.toMatch(/[▴▾]/);
    expect(spokenName(other)).toBe('name');
  });
});
