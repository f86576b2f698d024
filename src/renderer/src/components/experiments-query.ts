/**
 * The Experiments screen's view of its list, kept in the URL (search, sort, page), which the
 * service searches, sorts and pages (experiments.page); and the search and pages of Compare's
 * picker, which searches the experiments it reads here.
 */
import { MAX_SEARCH } from '../../../shared/contract';
import { EXPERIMENT_SORTS, type ExperimentSort, type ExperimentSummary } from '../../../shared/dto';
import { type QueryPatch, type ValueKey } from '../url-state';
import { PAGE_VALUE_KEY, pagesOf, queryPage } from './list-page';
import { searchFold } from '../../../shared/search-fold';
import { typedText } from '../../../engine/sweep-values';

export { EXPERIMENT_SORTS, type ExperimentSort };

/**
 * A search as the lists send it, at most MAX_SEARCH characters (the contract's limit), with the line
 * that says it was cut: longer (a paste), experiments.page refused it with a 400 and its error took
 * the whole Experiments screen, the search box with it, so the search could not even be shortened.
 * `field` names the box the line is said under (Compare's picker calls its box a filter).
 */
export function searchSent(text: string, field = 'Search'): { search: string; cut: string | null } {
  // Trimmed first, as the store searches it: a 200-character name pasted with a space before it
  // lost its last character, said cut, and 250 spaces before a word were cut to a blank search.
  const trimmed = text.trim();
  if (trimmed.length <= MAX_SEARCH) return { search: trimmed, cut: null };
  // Not half of a pair of UTF-16 units (an emoji), which matches nothing; the limit counts units.
  const search = trimmed.slice(0, MAX_SEARCH).replace(/[\uD800-\uDBFF]$/, '');
  return {
    search,
    cut: `${field}: has ${trimmed.length.toLocaleString('en-US')} characters, more than the ${MAX_SEARCH} a search takes: only its first ${search.length} are searched; shorten it`,
  };
}

/**
 * The line of a list whose search finds no experiment, its search quoted as typedText cuts it: a
 * page of text pasted into the box was quoted whole, a screen of it above the rows.
 */
export function noExperimentMatches(search: string): string {
  return `No experiment matches “${typedText(search.trim())}”.`;
}

/** Rows per page: a thousand rows take a browser most of a second to draw, a hundred a tenth of that. */
export const EXPERIMENTS_PAGE_SIZE = 100;

/** Names read A to Z at the first click; numbers and times the other way (as on Runs). */
export const ASCENDING_FIRST: readonly ExperimentSort[] = ['name', 'env', 'agent'];

export interface ExperimentsQuery {
  q: string;
  sort: ExperimentSort;
  desc: boolean;
  page: number;
}

/** The values readExperimentsQuery leaves out, as UnreadAddress names them (sort=zzz, page=-3: the defaults in their place). */
export const EXPERIMENTS_VALUE_KEYS: Readonly<Record<string, ValueKey>> = {
  sort: {
    reads: (s) => (EXPERIMENT_SORTS as readonly string[]).includes(s),
    what: ['a column to sort by', 'columns to sort by'],
    takes: `one of ${EXPERIMENT_SORTS.join(', ')}, such as sort=name`,
  },
  page: PAGE_VALUE_KEY,
};

export function readExperimentsQuery(query: URLSearchParams): ExperimentsQuery {
  const sort = query.get('sort');
  return {
    q: query.get('q') ?? '',
    sort: (EXPERIMENT_SORTS as readonly string[]).includes(sort ?? '') ? (sort as ExperimentSort) : 'id',
    desc: query.get('desc') !== '0',
    page: queryPage(query),
  };
}

/** The query of a view of the list; defaults (newest first, no search, the first page) are left out of the URL. */
export function experimentsPatch(q: ExperimentsQuery): QueryPatch {
  return { q: q.q, sort: q.sort === 'id' ? undefined : q.sort, desc: q.desc ? undefined : 0, page: q.page > 1 ? q.page : undefined };
}

/** The view after a click on a column's header: the other direction on the sorted column, else the column's first direction. */
export function sortedBy(live: ExperimentsQuery, sort: ExperimentSort): Pick<ExperimentsQuery, 'sort' | 'desc'> {
  return { sort, desc: live.sort === sort ? !live.desc : !ASCENDING_FIRST.includes(sort) };
}

/**
 * Whether the experiment matches the search: its name, description, environment or agent holds the
 * text (in any script's case, accents aside: searchFold), or the text is its number ("12" or "#12", as the Runs search takes a run's).
 * As experiments.page searches in SQL.
 */
export function matchesSearch(e: ExperimentSummary, search: string): boolean {
  const text = searchFold(search.trim());
  if (text === '') return true;
  const id = /^#?(\d{1,15})$/.exec(text);
  if (id && Number(id[1]) === e.id) return true;
  return [e.name, e.description ?? '', e.envId, e.agentId].some((field) => searchFold(field).includes(text));
}

/** The experiment's runs, whatever their status. */
export function runCount(e: ExperimentSummary): number {
  return Object.values(e.runCounts).reduce((a, b) => a + b, 0);
}

/** How many pages `count` experiments take (one when there are none). */
export function pageCount(count: number): number {
  return pagesOf(count, EXPERIMENTS_PAGE_SIZE);
}
