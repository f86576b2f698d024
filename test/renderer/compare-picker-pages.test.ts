// Compare's list of experiments drew a row for every experiment: 6,400 rows on a database kept for
// months, drawn again at every run's end. Past a page (100) it shows a page, with a filter (as the
// Experiments screen's search finds them) and Previous / Next; what is checked on other pages stays
// named in the chips under it. It read every experiment too (3.9 MB at 6,400 of them) to filter and
// page them here: it now reads the page it shows (experiments.page, searched in SQL), and the
// chosen experiments by their ids (experiments.list with ids) for their chips.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ClientProvider } from '../../src/renderer/src/api';
import { ComparePicker, PICKER_CHANGES, pickerInput, type PickerList } from '../../src/renderer/src/components/compare-picker';
import { EXPERIMENTS_PAGE_SIZE, matchesSearch } from '../../src/renderer/src/components/experiments-query';
import { followExperimentPage, followExperiments } from '../../src/renderer/src/experiments-follow';
import type { FollowedAnswer } from '../../src/renderer/src/followed-read';
import type { Client } from '../../src/shared/client';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import type { ExperimentPage, ExperimentSummary } from '../../src/shared/dto';
import { pushes } from '../helpers/pushes';

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

/** experiments.page over `all` as the service answers it (searched as the Experiments screen searches, newest first). */
function pageOf(all: readonly ExperimentSummary[], input: CommandInput<'experiments.page'>): ExperimentPage {
  const matching = all.filter((e) => matchesSearch(e, input.search ?? ''));
  const offset = input.offset ?? 0;
  return { total: matching.length, stored: all.length, experiments: matching.slice(offset, offset + (input.limit ?? 100)) };
}

/** The list as usePickerList gives it, its page read for `filter` and `page`. */
function listOf(all: readonly ExperimentSummary[], filter = '', page = 1): PickerList {
  return { answer: { data: pageOf(all, pickerInput(filter, page)), current: true }, shown: page, filter, searched: filter, setFilter: () => {}, setPage: () => {} };
}

const picker = (list: PickerList, experimentIds: readonly number[] = [], chosen: readonly ExperimentSummary[] = [], missingExperimentIds: readonly number[] = []) =>
  renderToStaticMarkup(
    createElement(ClientProvider, {
      client: {} as Client,
      children: createElement(ComparePicker, { list, chosen, missingExperimentIds, failed: false, experimentIds, runIds: [], onChange: () => {} }),
    }),
  );
const rows = (html: string) => (html.split('<tbody>')[1] ?? '').split('<tr').length - 1;

describe("Compare's list of experiments", () => {
  it('draws one page of a thousand experiments, with a filter and the pager, and names a chosen one of another page by its read', () => {
    const all = experiments(1000);
    const html = picker(listOf(all), [3, 4000], all.filter((e) => e.id === 3), [4000]);
    expect(rows(html)).toBe(EXPERIMENTS_PAGE_SIZE);
    expect(html).toContain('data-testid="compare-exp-filter"');
    expect(html).toContain('1–100 of 1,000 experiments');
    expect(html).toContain('page 1 of 10');
    expect(html).toContain('data-testid="compare-exp-1000"'); // the newest first
    expect(html).not.toContain('data-testid="compare-exp-3"'); // checked on the last page: its chip says so
    expect(html).toMatch(/Remove experiment 3/);
    expect(html).toMatch(/#3 sweep \(c=3\)/);
    expect(html).toMatch(/experiment 4000 not found/);
  });

  it('draws every experiment of a page or less, without a filter or pager', () => {
    const html = picker(listOf(experiments(EXPERIMENTS_PAGE_SIZE)));
    expect(rows(html)).toBe(EXPERIMENTS_PAGE_SIZE);
    expect(html).not.toContain('compare-exp-filter');
    expect(html).not.toContain('page 1 of');
  });

  it('says the page and count of what the filter finds, and when it finds nothing', () => {
    const all = experiments(1000);
    const fifth = picker(listOf(all, 'ucb1', 5));
    expect(fifth).toContain('401–500 of 500 experiments');
    expect(fifth).toContain('page 5 of 5');
    expect(fifth).toContain('data-testid="compare-exp-200"');
    expect(fifth).not.toContain('data-testid="compare-exp-199"');
    // One found: "1 experiment", as Runs says "1 run", not "1–1 of 1 experiments".
    const one = picker(listOf(all, '#42'));
    expect(rows(one)).toBe(1);
    expect(one).toContain('>1 experiment<');
    expect(one).not.toContain('1–1 of 1');
    const none = picker(listOf(all, 'nothing like it'));
    expect(rows(none)).toBe(0);
    expect(none).toContain('No experiment matches “nothing like it”.');
    expect(none).not.toContain('page 1 of');
  });

  it('says under the filter that a pasted filter past the search’s limit was cut, and quotes it cut where nothing matches', () => {
    // The filter was searched by its first 200 characters without a word, and the no-match line
    // quoted all 5,000 of them.
    const all = experiments(1000);
    const pasted = `zz${'x'.repeat(4998)}`;
    const html = picker(listOf(all, pasted));
    expect(html).toContain('Filter: has 5,000 characters, more than the 200 a search takes: only its first 200 are searched; shorten it');
    expect(html).toContain('aria-describedby="compare-exp-filter-cut"');
    expect(html).toContain(`No experiment matches “zz${'x'.repeat(58)}…”.`);
    expect(html.split('data-testid="compare-exp-none"')[1]).not.toContain('x'.repeat(59));
    // A filter within the limit: no such line.
    expect(picker(listOf(all, 'x'.repeat(200)))).not.toContain('compare-exp-filter-cut');
  });

  it('reads the page for the filter and the page: the search, and a hundred from the page’s first, newest first', () => {
    expect(pickerInput('', 1)).toEqual({ sort: 'id', descending: true, offset: 0, limit: 100 });
    expect(pickerInput('ucb1', 5)).toEqual({ search: 'ucb1', sort: 'id', descending: true, offset: 400, limit: 100 });
    expect(pickerInput('   ', 2)).toEqual({ sort: 'id', descending: true, offset: 100, limit: 100 });
  });
});

describe('what Compare reads of the experiments', () => {
  /** A service of `all` answering the picker's reads at once, recording them and their bytes. */
  function service(all: ExperimentSummary[]) {
    const events = pushes();
    const asked: { command: CommandName; input: unknown; bytes: number }[] = [];
    const client = {
      call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
        let answer: unknown;
        if (command === 'experiments.page') answer = pageOf(all, input as CommandInput<'experiments.page'>);
        else if (command === 'experiments.list') {
          const ids = (input as CommandInput<'experiments.list'>).ids;
          answer = ids === undefined ? all : all.filter((e) => ids.includes(e.id));
        } else throw new Error(`no ${command} here`);
        asked.push({ command, input, bytes: JSON.stringify(answer).length });
        return Promise.resolve(answer as CommandOutput<K>);
      },
      on: events.on,
    };
    return { client, asked, events };
  }
  const settled = () => new Promise((done) => setTimeout(done, 0));

  it('opening on two chosen experiments of 6,400 reads a page and those two, never every experiment', async () => {
    const all = experiments(6400);
    const store = service(all);
    const rows: FollowedAnswer<ExperimentPage>[] = [];
    const chosen: FollowedAnswer<readonly ExperimentSummary[]>[] = [];
    // As CompareScreen reads them: usePickerList's page, useFollowedSomeExperiments' chosen ones.
    followExperimentPage(store.client, pickerInput('', 1), PICKER_CHANGES, (a) => rows.push(a));
    const picked = followExperiments(store.client, ['run.status'], (a) => chosen.push(a), [3, 6399]);
    await settled();
    expect(store.asked.map(({ command, input }) => ({ command, input }))).toEqual([
      { command: 'experiments.page', input: { sort: 'id', descending: true, offset: 0, limit: 100 } },
      { command: 'experiments.list', input: { ids: [3, 6399] } },
    ]);
    expect(rows.at(-1)!.data!.experiments).toHaveLength(100);
    expect(chosen.at(-1)!.data!.map((e) => e.id)).toEqual([6399, 3]);
    // A hundred rows and two, where every experiment was 6,400 rows.
    const bytes = store.asked.reduce((n, a) => n + a.bytes, 0);
    expect(bytes).toBeLessThan(JSON.stringify(all).length / 50);

    // A run of a chosen experiment on another page: that one is read again, for the chips and the
    // comparison; the page is not (it is not on it).
    store.asked.length = 0;
    store.events.push('run.status', { runId: 1, experimentId: 3, status: 'completed' });
    await settled();
    expect(store.asked.map(({ command, input }) => ({ command, input }))).toEqual([{ command: 'experiments.list', input: { ids: [3] } }]);
    // A change made to an experiment (heard by the screen): the chosen ones again, and the page.
    store.asked.length = 0;
    store.events.push('experiments.changed', { experimentId: 6400 });
    picked.heard();
    await settled();
    expect(store.asked.map(({ command, input }) => ({ command, input }))).toEqual([
      { command: 'experiments.page', input: { sort: 'id', descending: true, offset: 0, limit: 100 } },
      { command: 'experiments.list', input: { ids: [3, 6399] } },
    ]);
  });
});
