// The Experiments screen's view and Compare's picker's search: what a search matches on the page
// (name, description, environment, agent, the experiment's number; any case) as experiments.page
// matches in SQL (whose sorts store-experiments-page.test holds), pages of a hundred, and the view
// read from and written to the URL.
import { describe, expect, it } from 'vitest';
import type { ExperimentSummary } from '../../src/shared/dto';
import { EXPERIMENT_SORTS, experimentsPatch, matchesSearch, pageCount, readExperimentsQuery, sortedBy } from '../../src/renderer/src/components/experiments-query';

const counts = (completed: number, queued = 0) => ({ queued, running: 0, completed, failed: 0, cancelled: 0, interrupted: 0, paused: 0 });

function experiment(id: number, fields: Partial<ExperimentSummary> = {}): ExperimentSummary {
  return {
    id,
    name: `experiment ${id}`,
    envId: 'tabular-mdp',
    agentId: 'q-learning',
    episodes: 100,
    seeds: 2,
    configHash: 'f'.repeat(64),
    source: 'app',
    createdAt: 1_000 * id,
    runCounts: counts(2),
    elsewhere: [],
    ...fields,
  };
}

const list = [
  experiment(1, { name: 'Cliff Q-learning', description: 'Step size 0.5', runCounts: counts(3), episodes: 300 }),
  experiment(2, { name: 'bandit check', envId: 'bandit-testbed', agentId: 'UCB1', runCounts: counts(1, 4), episodes: 50 }),
  experiment(3, { name: 'alpha sweep (alpha=0.1)', envId: 'seed-toy', agentId: 'sarsa', runCounts: counts(0), episodes: 300 }),
  experiment(4, { name: 'Bandit check', envId: 'bandit-testbed', agentId: 'ucb1', runCounts: counts(5), episodes: 50, createdAt: 500 }),
];
const ids = (experiments: readonly ExperimentSummary[]) => experiments.map((e) => e.id);

describe('matchesSearch', () => {
  it('matches the name, description, environment and agent, ignoring case and the spaces around the text', () => {
    const found = (text: string) => ids(list.filter((e) => matchesSearch(e, text)));
    expect(found('cliff')).toEqual([1]);
    expect(found('  STEP SIZE ')).toEqual([1]);
    expect(found('bandit-TESTBED')).toEqual([2, 4]);
    expect(found('ucb1')).toEqual([2, 4]);
    expect(found('sarsa')).toEqual([3]);
    expect(found('alpha=0.1')).toEqual([3]);
    expect(found('nothing like it')).toEqual([]);
    expect(found('')).toEqual([1, 2, 3, 4]);
  });

  it('matches the experiment’s number, written as 3 or #3', () => {
    expect(ids(list.filter((e) => matchesSearch(e, '3')))).toEqual([3]);
    expect(ids(list.filter((e) => matchesSearch(e, '#4')))).toEqual([4]);
    // A number in a name matches as text too.
    expect(ids(list.filter((e) => matchesSearch(e, '0.5')))).toEqual([1]);
  });
});

describe('the view in the URL', () => {
  it('reads the search and sort, and falls back to newest first for what it cannot read', () => {
    expect(readExperimentsQuery(new URLSearchParams(''))).toEqual({ q: '', sort: 'id', desc: true, page: 1 });
    expect(readExperimentsQuery(new URLSearchParams('q=cliff&sort=name&desc=0&page=3'))).toEqual({ q: 'cliff', sort: 'name', desc: false, page: 3 });
    expect(readExperimentsQuery(new URLSearchParams('sort=config&desc=1&page=0'))).toEqual({ q: '', sort: 'id', desc: true, page: 1 });
  });

  it('writes only what differs from the default', () => {
    expect(experimentsPatch({ q: '', sort: 'id', desc: true, page: 1 })).toEqual({ q: '', sort: undefined, desc: undefined, page: undefined });
    expect(experimentsPatch({ q: 'cliff', sort: 'runs', desc: false, page: 2 })).toEqual({ q: 'cliff', sort: 'runs', desc: 0, page: 2 });
    for (const sort of EXPERIMENT_SORTS) {
      const q = { q: 'x', sort, desc: false, page: 4 };
      const params = new URLSearchParams(Object.entries(experimentsPatch(q)).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]])));
      expect(readExperimentsQuery(params)).toEqual(q);
    }
  });

  it('a header’s click: names A to Z first, numbers and times largest first, the sorted column the other way', () => {
    const view = { q: '', sort: 'id' as const, desc: true, page: 1 };
    expect(sortedBy(view, 'name')).toEqual({ sort: 'name', desc: false });
    expect(sortedBy(view, 'runs')).toEqual({ sort: 'runs', desc: true });
    expect(sortedBy(view, 'id')).toEqual({ sort: 'id', desc: false });
    expect(sortedBy({ q: '', sort: 'name', desc: false, page: 1 }, 'name')).toEqual({ sort: 'name', desc: true });
  });

  it('counts the pages of a hundred', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(100)).toBe(1);
    expect(pageCount(250)).toBe(3);
  });
});

describe("names in any script's case, accents aside", () => {
  const named = ['zz 中文', 'ÉCOLE Ünïcødé café', 'many A', 'σίσυφος', 'İstanbul', 'alpha'].map((name, i) => experiment(i + 1, { name }));
  it('finds "école", "CAFÉ", "ΣΊΣΥΦΟΣ" and "istanbul" as the Runs search does', () => {
    const found = (q: string) => named.filter((e) => matchesSearch(e, q)).map((e) => e.name);
    for (const q of ['école', 'ÜNÏCØDÉ', 'CAFÉ', 'ecole']) expect(found(q), q).toEqual(['ÉCOLE Ünïcødé café']);
    expect(found('ΣΊΣΥΦΟΣ')).toEqual(['σίσυφος']);
    expect(found('istanbul')).toEqual(['İstanbul']);
  });
});

describe('a search longer than the contract takes', () => {
  it('is sent cut to its first 200 characters, with a line that says so, and the contract takes it', async () => {
    const { searchSent } = await import('../../src/renderer/src/components/experiments-query');
    const { pickerInput } = await import('../../src/renderer/src/components/compare-picker');
    const { commands } = await import('../../src/shared/contract');
    const pasted = 'é%_'.repeat(2000);
    const sent = searchSent(pasted);
    expect(sent.search).toBe(pasted.slice(0, 200));
    expect(sent.cut).toBe('Search: has 6,000 characters, more than the 200 a search takes: only its first 200 are searched; shorten it');
    expect(searchSent('cliff')).toEqual({ search: 'cliff', cut: null });
    expect(searchSent('x'.repeat(200)).cut).toBeNull();
    // Trimmed first, as the store searches it: a 200-character name pasted with a space before it
    // was cut by a character and said cut; 250 spaces before a word were a blank search (every experiment).
    expect(searchSent(` ${'x'.repeat(200)} `)).toEqual({ search: 'x'.repeat(200), cut: null });
    expect(searchSent(`${' '.repeat(250)}cliff`)).toEqual({ search: 'cliff', cut: null });
    // An emoji across the cut goes whole, not half of its pair (which matched nothing).
    expect(searchSent(`${'x'.repeat(199)}🚀${'y'.repeat(10)}`).search).toBe('x'.repeat(199));
    // What the lists send, the contract takes: it refused the whole search with a 400.
    expect(commands['experiments.page'].safeParse({ search: sent.search }).success).toBe(true);
    expect(commands['runs.list'].safeParse({ search: sent.search }).success).toBe(true);
    expect(pickerInput(pasted, 1).search).toBe(sent.search);
    expect(commands['experiments.page'].safeParse(pickerInput(pasted, 1)).success).toBe(true);
    // Compare's picker names its own box.
    expect(searchSent(pasted, 'Filter').cut).toMatch(/^Filter: has 6,000 characters/);
  });
});

describe('the line of a search that finds no experiment', () => {
  it('quotes the search trimmed, and cut as typedText cuts what was typed: a paste of pages was quoted whole', async () => {
    const { noExperimentMatches } = await import('../../src/renderer/src/components/experiments-query');
    expect(noExperimentMatches('  no such experiment ')).toBe('No experiment matches “no such experiment”.');
    expect(noExperimentMatches('é'.repeat(6000))).toBe(`No experiment matches “${'é'.repeat(60)}…”.`);
  });
});
