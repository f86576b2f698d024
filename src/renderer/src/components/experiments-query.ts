/**
 * The Experiments screen's view of its list, kept in the URL (search, sort), and the list as that
 * view shows it: searched and sorted here, since experiments.list answers every experiment at once
 * (~10 ms and ~370 KB for 1,000 of them).
 */
import type { ExperimentSummary } from '../../../shared/dto';
import { queryNumber, type QueryPatch } from '../url-state';
import { searchFold } from '../../../shared/search-fold';

/** Rows per page: a thousand rows take a browser most of a second to draw, a hundred a tenth of that. */
export const EXPERIMENTS_PAGE_SIZE = 100;

export const EXPERIMENT_SORTS = ['id', 'name', 'env', 'agent', 'episodes', 'runs', 'createdAt'] as const;
export type ExperimentSort = (typeof EXPERIMENT_SORTS)[number];

/** Names read A to Z at the first click; numbers and times the other way (as on Runs). */
export const ASCENDING_FIRST: readonly ExperimentSort[] = ['name', 'env', 'agent'];

export interface ExperimentsQuery {
  q: string;
  sort: ExperimentSort;
  desc: boolean;
  page: number;
}

export function readExperimentsQuery(query: URLSearchParams): ExperimentsQuery {
  const sort = query.get('sort');
  return {
    q: query.get('q') ?? '',
    sort: (EXPERIMENT_SORTS as readonly string[]).includes(sort ?? '') ? (sort as ExperimentSort) : 'id',
    desc: query.get('desc') !== '0',
    page: Math.floor(queryNumber(query, 'page', 1, 1)),
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

const KEY: Record<ExperimentSort, (e: ExperimentSummary) => string | number> = {
  id: (e) => e.id,
  // Folded as the Runs screen's sort folds it (any script's case, accents aside: "École" with the e's).
  name: (e) => searchFold(e.name),
  env: (e) => e.envId.toLowerCase(),
  agent: (e) => e.agentId.toLowerCase(),
  episodes: (e) => e.episodes,
  runs: runCount,
  createdAt: (e) => e.createdAt,
};

/** The experiments ordered by `sort`, ties by number in the same direction (as the Runs screen orders runs). */
export function sortExperiments(experiments: readonly ExperimentSummary[], sort: ExperimentSort, descending: boolean): ExperimentSummary[] {
  const key = KEY[sort];
  const sign = descending ? -1 : 1;
  // Each key once, not per comparison: a name's fold (normalize, a regular expression) is the costly part.
  const keys = new Map(experiments.map((e) => [e, key(e)]));
  return [...experiments].sort((a, b) => {
    const [x, y] = [keys.get(a)!, keys.get(b)!];
    return sign * (x < y ? -1 : x > y ? 1 : a.id - b.id);
  });
}

/** The experiments the view's search and sort show (every page of them): those matching its search, in its order. */
export function shownExperiments(experiments: readonly ExperimentSummary[], q: Pick<ExperimentsQuery, 'q' | 'sort' | 'desc'>): ExperimentSummary[] {
  return sortExperiments(
    experiments.filter((e) => matchesSearch(e, q.q)),
    q.sort,
    q.desc,
  );
}

/** How many pages `count` experiments take (one when there are none). */
export function pageCount(count: number): number {
  return Math.max(1, Math.ceil(count / EXPERIMENTS_PAGE_SIZE));
}

/** The experiments on the page (from 1) of those shown; the last page when it lies past the end (after deletes). */
export function pageOf<T>(shown: readonly T[], page: number): { rows: readonly T[]; page: number; first: number } {
  const at = Math.min(page, pageCount(shown.length));
  const first = (at - 1) * EXPERIMENTS_PAGE_SIZE;
  return { rows: shown.slice(first, first + EXPERIMENTS_PAGE_SIZE), page: at, first };
}
