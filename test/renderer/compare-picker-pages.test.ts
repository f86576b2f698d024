// Compare's list of experiments drew a row for every experiment: 6,400 rows on a database kept for
// months, drawn again at every run's end. Past a page (100) it shows a page, with a filter (as the
// Experiments screen's search finds them) and Previous / Next; what is checked on other pages stays
// named in the chips under it.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ClientProvider } from '../../src/renderer/src/api';
import { ComparePicker, pickerPage } from '../../src/renderer/src/components/compare-picker';
import { EXPERIMENTS_PAGE_SIZE } from '../../src/renderer/src/components/experiments-query';
import type { Client } from '../../src/shared/client';
import type { ExperimentSummary } from '../../src/shared/dto';

function experiments(n: number): ExperimentSummary[] {
  return Array.from({ length: n }, (_, i) => {
    const id = n - i; // newest first, as experiments.list answers
    return {
      id,
      name: `sweep (c=${id})`,
      envId: id % 2 === 0 ? 'bandit-testbed' : 'tabular-mdp',
      agentId: id % 2 === 0 ? 'ucb1' : 'q-learning',
      episodes: 300,
      seeds: 5,
      configHash: 'a'.repeat(64),
      source: null,
      createdAt: 0,
      runCounts: { queued: 0, running: 0, completed: 5, failed: 0, cancelled: 0, interrupted: 0, paused: 0 },
      elsewhere: [],
    };
  });
}

const picker = (list: readonly ExperimentSummary[], experimentIds: readonly number[] = []) =>
  renderToStaticMarkup(
    createElement(ClientProvider, {
      client: {} as Client,
      children: createElement(ComparePicker, { experiments: list, failed: false, experimentIds, runIds: [], onChange: () => {} }),
    }),
  );
const rows = (html: string) => (html.split('<tbody>')[1] ?? '').split('<tr').length - 1;

describe("Compare's list of experiments", () => {
  it('draws one page of a thousand experiments, with a filter and the pager', () => {
    const html = picker(experiments(1000), [3]);
    expect(rows(html)).toBe(EXPERIMENTS_PAGE_SIZE);
    expect(html).toContain('data-testid="compare-exp-filter"');
    expect(html).toContain('1–100 of 1,000 experiments');
    expect(html).toContain('page 1 of 10');
    expect(html).toContain('data-testid="compare-exp-1000"'); // the newest first
    expect(html).not.toContain('data-testid="compare-exp-3"'); // checked on the last page: its chip says so
    expect(html).toMatch(/Remove experiment 3/);
  });

  it('draws every experiment of a page or less, without a filter or pager', () => {
    const html = picker(experiments(EXPERIMENTS_PAGE_SIZE));
    expect(rows(html)).toBe(EXPERIMENTS_PAGE_SIZE);
    expect(html).not.toContain('compare-exp-filter');
    expect(html).not.toContain('page 1 of');
  });

  it('filters as the Experiments search does, and pages what matches', () => {
    const list = experiments(1000);
    expect(pickerPage(list, 'ucb1', 1)).toMatchObject({ matching: 500, pages: 5, page: 1, first: 0 });
    expect(pickerPage(list, 'ucb1', 5).rows.map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, i) => 200 - 2 * i));
    expect(pickerPage(list, '#77', 1).rows.map((e) => e.id)).toEqual([77]);
    expect(pickerPage(list, 'C=100', 1).rows.map((e) => e.id)).toEqual([1000, 100]);
    // A page past the end (experiments deleted meanwhile) is the last one.
    expect(pickerPage(list, 'ucb1', 9)).toMatchObject({ page: 5, first: 400 });
    expect(pickerPage(list, 'nothing like it', 1)).toMatchObject({ matching: 0, pages: 1, rows: [] });
  });
});
