// The Off-policy screen's Train on these logs: beside a fit where one row drives a cell's mean,
// the warning `aisle logs mdp` gives (dominant-rows.ts), in the screen's words; nothing otherwise.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DominantRowsNotice } from '../../src/renderer/src/components/logs-simulator';
import type { DominantRows } from '../../src/engine/ope/dominant-rows';

const columns = { action: 'item', reward: 'qty', propensity: null, context: null };
const row = { context: '', action: '23843', line: 395871, row: 395869, reward: 80995, share: 0.99987, cellRows: 1, mean: 40504.01, meanWithout: 12.81 };
const render = (dominant: DominantRows) => renderToStaticMarkup(createElement(DominantRowsNotice, { simulator: { dominant, columns }, fileName: 'online_retail_events.csv' }));

describe('DominantRowsNotice', () => {
  it('names the row by file and line, its cell, reward and share, and the row filter and Prior to mend it', () => {
    const html = render({ rows: [row], count: 1, median: 6, prior: 1, clearingPrior: 5000 });
    expect(html).toContain('data-testid="simulator-dominant"');
    expect(html).toContain(
      'One row drives the fitted mean of a cell: online_retail_events.csv:395871 (item=23843): &quot;qty&quot; 80,995, 99.9 % of the cell&#x27;s fitted mean, 40,504.01 with it and 12.81 without it (1 row in the cell).',
    );
    expect(html).toContain('(the row filter keeps the rows with a value, so it leaves one row out only when a column marks it), cap the reward column, or raise the Prior (now 1 pseudo-row; at 5,000 no row drives its cell, every cell then pulled that much harder toward its action&#x27;s and the overall mean).');
  });

  it('says nothing when no row drives a cell', () => {
    expect(render({ rows: [], count: 0, median: 1, prior: 1, clearingPrior: null })).toBe('');
  });
});
