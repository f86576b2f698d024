/**
 * The Runs screen's view of its table, kept in the URL (experiment, statuses, search, sort, page),
 * and the controls that filter it: the status checkboxes and the search box.
 */
import { useEffect, useRef, useState, type Ref } from 'react';
import { RUN_STATUSES, type RunSort, type RunStatus } from '../../../shared/dto';
import { queryId, type QueryPatch, type ValueKey } from '../url-state';
import { PAGE_VALUE_KEY, queryPage } from './list-page';

const SORTS: readonly RunSort[] = ['id', 'createdAt', 'startedAt', 'finishedAt', 'episodesDone', 'status', 'returnLast100', 'seed', 'elapsed', 'experiment', 'agent', 'env'];

export interface RunsQuery {
  experiment?: number;
  status: RunStatus[];
  q: string;
  sort: RunSort;
  desc: boolean;
  page: number;
}

/** A change of the table's view: fixed, or computed from the view current when it applies. */
export type Go = (changes: Partial<RunsQuery> | ((live: RunsQuery) => Partial<RunsQuery>), mode?: 'push' | 'replace') => void;

/** The values readQuery leaves out, as UnreadAddress names them (status=bogus, sort=nope, page=-3: the defaults in their place). */
export const RUNS_VALUE_KEYS: Readonly<Record<string, ValueKey>> = {
  status: {
    reads: (s) => (RUN_STATUSES as readonly string[]).includes(s),
    what: ['a run status', 'run statuses'],
    takes: `some of ${RUN_STATUSES.join(', ')}, such as status=running,failed`,
    list: true,
  },
  sort: { reads: (s) => (SORTS as readonly string[]).includes(s), what: ['a column to sort by', 'columns to sort by'], takes: `one of ${SORTS.join(', ')}, such as sort=seed` },
  page: PAGE_VALUE_KEY,
};

export function readQuery(query: URLSearchParams): RunsQuery {
  const experiment = queryId(query, 'experiment');
  const sort = query.get('sort') as RunSort | null;
  return {
    ...(experiment ? { experiment } : {}),
    status: (query.get('status') ?? '').split(',').filter((s): s is RunStatus => (RUN_STATUSES as readonly string[]).includes(s)),
    q: query.get('q') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'id',
    desc: query.get('desc') !== '0',
    page: queryPage(query),
  };
}

/** The query of a view of the table; defaults are left out of the URL. */
export function patchOf(q: RunsQuery): QueryPatch {
  return { experiment: q.experiment, status: q.status.join(','), q: q.q, sort: q.sort === 'id' ? undefined : q.sort, desc: q.desc ? undefined : 0, page: q.page > 1 ? q.page : undefined };
}

export function StatusFilter({ q, go }: { q: RunsQuery; go: Go }) {
  return (
    <div className="row filters" role="group" aria-label="Status filter">
      {RUN_STATUSES.map((s) => (
        <label key={s} className="check">
          <input type="checkbox" checked={q.status.includes(s)} data-testid={`filter-${s}`} onChange={() => go((live) => ({ status: live.status.includes(s) ? live.status.filter((x) => x !== s) : [...live.status, s] }))} /> {s}
        </label>
      ))}
    </div>
  );
}

/** How long typing in a filter pauses before the list is read for it: the Runs and Experiments searches and Compare's picker. */
export const FILTER_PAUSE_MS = 300;

/**
 * The text filter: follows the URL, and writes to it once typing pauses or focus leaves it.
 * `label` says the whole of what it searches; the placeholder is short enough for the box at any width.
 */
export function SearchBox({
  value,
  onSearch,
  placeholder = 'Search name, agent, environment',
  label = 'Search runs by experiment name, agent or environment',
  testId = 'runs-search',
  ref,
  onType,
}: {
  value: string;
  onSearch: (text: string) => void;
  /** Every change of the text, before the pause (a list searched on the page follows it at once). */
  onType?: (text: string) => void;
  placeholder?: string;
  label?: string;
  testId?: string;
  ref?: Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const onSearchRef = useRef(onSearch);
  onSearchRef.current = onSearch;
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onSearchRef.current(text), FILTER_PAUSE_MS);
    return () => clearTimeout(t);
  }, [text, value]);
  return (
    <input
      ref={ref}
      type="search"
      placeholder={placeholder}
      aria-label={label}
      value={text}
      data-testid={testId}
      onChange={(e) => {
        setText(e.target.value);
        onType?.(e.target.value);
      }}
      // Leaving the box writes at once: a click on a link or a button (Compare selected) that
      // leaves the screen would otherwise drop the search from the entry Back returns to.
      onBlur={() => {
        if (text !== value) onSearchRef.current(text);
      }}
    />
  );
}
