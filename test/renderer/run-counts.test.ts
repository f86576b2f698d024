// The Experiments table's run counts by status read as its other numbers do: grouped ("1,000
// cancelled", where it read "1000 cancelled" beside "100,000,000" episodes), in the text and the title.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RUN_STATUSES, type RunStatus } from '../../src/shared/dto';
import { RunCounts } from '../../src/renderer/src/components/experiments-table';

const counts = (given: Partial<Record<RunStatus, number>>) => Object.fromEntries(RUN_STATUSES.map((s) => [s, given[s] ?? 0])) as Record<RunStatus, number>;
const render = (given: Partial<Record<RunStatus, number>>) => renderToStaticMarkup(createElement(RunCounts, { counts: counts(given) }));

describe('RunCounts', () => {
  it('groups each count, in the text and the title, and leaves statuses with none out', () => {
    const html = render({ cancelled: 1000, completed: 12_345, running: 2 });
    expect(html).toContain('title="1,000 cancelled">1,000 cancelled</span>');
    expect(html).toContain('title="12,345 completed">12,345 completed</span>');
    expect(html).toContain('title="2 running">2 running</span>');
    expect(html).not.toContain('queued');
  });

  it('says none when the experiment has no runs', () => {
    expect(render({})).toBe('<span class="muted">none</span>');
  });
});
