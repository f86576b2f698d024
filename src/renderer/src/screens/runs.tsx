/**
 * Runs: a server-side filtered, sorted and paginated table (fast with thousands of runs), whose
 * progress bars move live from run.progress without refetching, and which reads the page again at
 * each push of a run's status (or experiments changed), and now and then as runs report progress
 * (their returns), one read at a time (useFollowedRead). Selected runs can be compared, cancelled or deleted.
 */
import { useRef } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { RunSummary } from '../../../shared/dto';
import { useCall, useEvent } from '../api';
import { ErrorLine } from '../components/error-line';
import { PastEndLine, pagesOf, usePageWithin } from '../components/list-page';
import { Pager } from '../components/pager';
import { usePageTop } from '../components/page-top';
import { UnreadAddress } from '../components/unread-address';
import { searchSent } from '../components/experiments-query';
import { patchOf, readQuery, RUNS_VALUE_KEYS, SearchBox, StatusFilter, type Go } from '../components/runs-filters';
import { SelectionDialogs, SelectionToolbar, useRunSelection } from '../components/runs-selection';
import { RunsTable, useLiveProgress } from '../components/runs-table';
import { RUN_CHANGES, useFollowedRead } from '../followed-read';
import { fmt } from '../format';
import { usePushedStatuses } from '../run-statuses';
import { liveQuery, writeQuery } from '../url-state';

export const PAGE_SIZE = 100;
const NO_RUNS: readonly RunSummary[] = [];

const ID_KEYS = { experiment: { noun: 'experiment' } };

/**
 * The pushes after which the page is read again at once: a run queued, started or stopped, runs
 * deleted or imported. Read through a 500 ms throttle with useCall, and again (250 ms, 3 s) as runs
 * reported progress, a sweep of quick runs kept up to four reads of the page in flight at once, each
 * dropping the one before (39 of 94 answers in the browser mode, 30 runs of a few seconds): the host
 * read the page back to back. Now one read at a time (followRead): a push reads at once or as the
 * read under way answers, and progress (`later()`) asks one more after the answer under way, shown.
 */
export const RUNS_PAGE_CHANGES = RUN_CHANGES;

/**
 * What tells whether the experiment filtered to is stored, once its page lists no runs: that
 * experiment's summary alone (experiments.list with its id answers [] when it is not), not every
 * experiment's (3.9 MB at 6,400 experiments). Nothing while runs are listed, or none is filtered to.
 */
export function missingExperimentRead(experimentId: number | undefined, runs: number | undefined): CommandInput<'experiments.list'> | null {
  return experimentId !== undefined && runs === 0 ? { ids: [experimentId] } : null;
}

export function RunsScreen({ query }: { query: URLSearchParams }) {
  const q = readQuery(query);
  /**
   * Filters, sorting and paging are history entries; typing a search is not. Changes apply to the
   * live URL's view, not this render's `q`: a second click may land before the first re-rendered.
   */
  const go: Go = (changes, mode = 'push') => {
    const live = readQuery(liveQuery());
    writeQuery(patchOf({ ...live, page: 1, ...(typeof changes === 'function' ? changes(live) : changes) }), mode);
  };
  const searched = searchSent(q.q);
  const input: CommandInput<'runs.list'> = {
    ...(q.experiment ? { experimentId: q.experiment } : {}),
    ...(q.status.length ? { status: q.status } : {}),
    ...(q.q ? { search: searched.search } : {}),
    sort: q.sort,
    descending: q.desc,
    offset: (q.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
  const page = useFollowedRead('runs.list', input, RUNS_PAGE_CHANGES);
  // A read asked before a run's last push (a quick run's end, just after the launch's read) never
  // shows it at an earlier status than the push said: finished, not queued.
  const rows = usePushedStatuses(page.data?.runs ?? NO_RUNS);
  // No runs of the experiment filtered to: it may be one that does not exist (a deleted one's link, a
  // typo), which the list should say. Asked of the experiments' list, not by reading the one
  // experiment, whose 404 the browser logged in its console as a failed resource.
  const experimentsList = useCall('experiments.list', missingExperimentRead(q.experiment, page.data?.total));
  const experimentMissing =
    q.experiment !== undefined && experimentsList.current && experimentsList.data !== undefined && !experimentsList.error && !experimentsList.data.some((e) => e.id === q.experiment);

  // Progress changes a row's return, not which runs the page lists: the answer under way is shown.
  const live = useLiveProgress(rows, page.later);
  // An experiment of no runs, filtered to, may be the one deleted.
  useEvent('experiments.changed', () => experimentsList.data !== undefined && experimentsList.refresh());

  // Cancelled or deleted here: read at once (their pushes follow too).
  const selection = useRunSelection(rows, live, page.heard);
  // The experiment chip's ✕ goes with its click: the heading beside it takes focus.
  const heading = useRef<HTMLHeadingElement>(null);
  const table = useRef<HTMLDivElement>(null);
  usePageTop(table, q.page);

  const total = page.data?.total ?? 0;
  const pages = pagesOf(total, PAGE_SIZE);
  // A page past the end (the address's, or after deletes here or elsewhere): the last one instead.
  const pastEnd = usePageWithin(q.page, pages, page.data !== undefined, 'runs');

  return (
    <div className="runs-screen" data-testid="runs">
      <div className="row">
        <h1 ref={heading} tabIndex={-1}>
          Runs
        </h1>
        {q.experiment && (
          <span className="chip" data-testid="experiment-chip">
            {/* Every row shown is the experiment's, so the first names it; with none yet, its number does. */}
            {rows[0] ? (
              <>
                {/* A long name is cut to the row's width (styles.css), whole in its tooltip: one without spaces pushed ✕ out of the window. */}
                <span className="chip-name" title={rows[0].experimentName}>
                  {rows[0].experimentName}
                </span>
                &nbsp;<span className="muted">#{q.experiment}</span>
              </>
            ) : (
              `experiment #${q.experiment}`
            )}{' '}
            <button
              type="button"
              className="link"
              aria-label="Show runs of every experiment"
              onClick={() => {
                go({ experiment: undefined });
                heading.current?.focus();
              }}
            >
              ✕
            </button>
          </span>
        )}
        <span className="spacer" />
        <SearchBox value={q.q} onSearch={(text) => go({ q: text }, 'replace')} />
      </div>
      <UnreadAddress query={query} keys={ID_KEYS} values={RUNS_VALUE_KEYS} />
      {searched.cut !== null && (
        <p className="field-error" role="alert" data-testid="search-cut">
          {searched.cut}
        </p>
      )}
      <PastEndLine text={pastEnd} />
      <StatusFilter q={q} go={go} />

      <SelectionToolbar selection={selection} />
      {page.error && <ErrorLine error={page.error} />}
      {!page.data && !page.error && <p className="muted">Loading…</p>}

      {page.data && (
        <div className="panel flush" ref={table}>
          <RunsTable q={q} go={go} rows={rows} live={live} selected={selection.selected} toggle={selection.toggle} loading={page.loading} />
          {rows.length === 0 &&
            (experimentMissing ? (
              <p className="error empty" role="alert" data-testid="experiment-missing">
                experiment {q.experiment} does not exist: the Experiments screen lists the experiments there are.{' '}
                <button type="button" onClick={() => go({ experiment: undefined })}>
                  Show every experiment's runs
                </button>
              </p>
            ) : q.status.length || q.q || q.experiment ? (
              <p className="muted empty">
                No runs match these filters.{' '}
                <button type="button" data-testid="clear-filters" onClick={() => go({ experiment: undefined, status: [], q: '' })}>
                  Clear filters
                </button>
              </p>
            ) : (
              <p className="muted empty">No runs yet: launch an experiment.</p>
            ))}
        </div>
      )}
      {page.data && (
        <Pager
          page={q.page}
          pages={pages}
          totalTestId="runs-total"
          shown={total === 0 ? '0 runs' : total === 1 ? '1 run' : `${fmt((q.page - 1) * PAGE_SIZE + 1)}–${fmt(Math.min(total, q.page * PAGE_SIZE))} of ${fmt(total)} runs`}
          onStep={(step) => go((live) => ({ page: live.page + step }))}
        />
      )}
      <SelectionDialogs selection={selection} />
    </div>
  );
}
