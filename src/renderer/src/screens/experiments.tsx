/**
 * Experiments: every experiment with its run counts by status, searched (name, description,
 * environment, agent), sorted by any column and paged by the service (experiments.page), all kept in the URL; links to its runs, to
 * comparing them and to running it again; rename and delete (see experiments-delete); a
 * selection of experiments to compare, delete or export together; and results files imported
 * (experiments-results). Reads again the page when experiments change, and the rows whose runs
 * change status, never showing counts read before such a push (experiments-follow.ts).
 */
import { useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { ExperimentSummary } from '../../../shared/dto';
import { ErrorLine } from '../components/error-line';
import { PastEndLine, usePageWithin } from '../components/list-page';
import { UnreadAddress } from '../components/unread-address';
import { DeleteExperimentsDialog } from '../components/experiments-delete';
import { EXPERIMENTS_PAGE_SIZE, EXPERIMENTS_VALUE_KEYS, experimentsPatch, noExperimentMatches, pageCount, readExperimentsQuery, searchSent, sortedBy, type ExperimentSort, type ExperimentsQuery } from '../components/experiments-query';
import { ExperimentsSelectionToolbar, useExperimentSelection } from '../components/experiments-selection';
import { useResultsImport } from '../components/experiments-results';
import { ExperimentsTable } from '../components/experiments-table';
import { Pager } from '../components/pager';
import { usePageTop } from '../components/page-top';
import { SearchBox } from '../components/runs-filters';
import { useFocusAfterRender } from '../focus';
import { fmt } from '../format';
import { useFollowedExperimentPage } from '../experiments-follow';
import { href } from '../router';
import { liveQuery, writeQuery } from '../url-state';

/** The pushes after which the page is read again, or the experiments they name on it (experiments-follow.ts). */
const EXPERIMENT_CHANGES = ['run.status', 'experiments.changed'] as const;
const NONE: readonly ExperimentSummary[] = [];

export function ExperimentsScreen({ query }: { query: URLSearchParams }) {
  const q = readExperimentsQuery(query);
  /**
   * Sorting and paging are history entries; typing a search is not (the box writes it once typing
   * pauses, or as it loses focus). Changes apply to the live URL's view, not this render's `q`: a
   * second click may land before the first re-rendered (as on the Runs screen).
   */
  const go = (changes: Partial<ExperimentsQuery> | ((live: ExperimentsQuery) => Partial<ExperimentsQuery>), mode: 'push' | 'replace' = 'push') => {
    const live = readExperimentsQuery(liveQuery());
    writeQuery(experimentsPatch({ ...live, page: 1, ...(typeof changes === 'function' ? changes(live) : changes) }), mode);
  };
  // The page the address names, searched, sorted and paged by the service (6,402 experiments read
  // whole took 0.75 to 1.6 s to open in the browser mode, 3.96 MB; a page, 0.27 to 0.36 s and 65 KB). Read again at once on each push that can change it (a
  // run's status: its experiment's row alone) and after a change made here, a read asked before a
  // push never shown after it: see experiments-follow.ts.
  const searched = searchSent(q.q);
  const input: CommandInput<'experiments.page'> = {
    ...(q.q.trim() !== '' ? { search: searched.search } : {}),
    sort: q.sort,
    descending: q.desc,
    offset: (q.page - 1) * EXPERIMENTS_PAGE_SIZE,
    limit: EXPERIMENTS_PAGE_SIZE,
  };
  const page = useFollowedExperimentPage(input, EXPERIMENT_CHANGES);
  const rows = page.data?.experiments ?? NONE;
  // Matching the search, and stored in all.
  const total = page.data?.total ?? 0;
  const stored = page.data?.stored ?? 0;
  const pages = pageCount(total);
  const first = (q.page - 1) * EXPERIMENTS_PAGE_SIZE;
  // Past the end (the address's page, or after deletes here or elsewhere): the last one is read, and
  // the address says so (unless the user has left the screen meanwhile: the path it was drawn for).
  const path = window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const pastEnd = usePageWithin(q.page, pages, page.current, path);

  const selection = useExperimentSelection(page.data?.experiments, EXPERIMENT_CHANGES);
  const resultsImport = useResultsImport(page.heard);
  const [deleting, setDeleting] = useState<ExperimentSummary | null>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  // Deleted from a row or from the selection: no longer selected, and gone from the list.
  const forgetDeleted = (ids: readonly number[]) => {
    selection.toggle(ids, false);
    page.heard();
  };
  // The deleted experiment's row and its Delete button are gone: focus goes to the heading, not <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLDivElement>(null);
  usePageTop(table, q.page);
  // Clearing the search remounts the box: a search still waiting to reach the URL is dropped with it.
  const [searchKey, setSearchKey] = useState(0);
  const focusAfterRender = useFocusAfterRender();
  const clearSearch = () => {
    setSearchKey((k) => k + 1);
    go({ q: '' });
    // The button goes with the message that held it: the search box takes focus.
    focusAfterRender(() => searchBox.current);
  };

  return (
    <div className="experiments-screen" data-testid="experiments">
      <div className="row">
        <h1 ref={heading} tabIndex={-1}>
          Experiments
        </h1>
        {/* One group, so a narrow window moves the actions under the title together (right-aligned), not New experiment alone. */}
        <div className="row head-actions">
          {stored > 0 && (
            <>
              <span className="muted small" role="status" data-testid="experiments-total">
                {total < stored ? `${fmt(total)} of ${fmt(stored)} experiments` : stored === 1 ? '1 experiment' : `${fmt(stored)} experiments`}
              </span>
              <SearchBox
                key={searchKey}
                ref={searchBox}
                value={q.q}
                onSearch={(text) => go({ q: text }, 'replace')}
                placeholder="Search name, agent, environment"
                label="Search experiments by name, description, environment or agent"
                testId="experiments-search"
              />
            </>
          )}
          {resultsImport.button}
          <a className="button primary" href={href('experiments', 'new')} data-testid="new-experiment-link">
            New experiment
          </a>
        </div>
      </div>
      {resultsImport.outcome}
      <UnreadAddress query={query} values={EXPERIMENTS_VALUE_KEYS} />
      {/* Beside the search box, which shows only once there are experiments: an address's long q on
          an empty database said "shorten it" of a box that was not there. */}
      {searched.cut !== null && stored > 0 && (
        <p className="field-error" role="alert" data-testid="search-cut">
          {searched.cut}
        </p>
      )}
      <PastEndLine text={pastEnd} />
      {page.error && <ErrorLine error={page.error} />}
      {!page.data && !page.error && <p className="muted">Loading…</p>}
      {page.data?.stored === 0 && (
        <div className="panel empty" data-testid="experiments-empty">
          <p>No experiments yet.</p>
          <p className="muted">
            Start from one of the presets that come with Aisle (cliff walking, the 10-armed bandit, simulated shops), fill in the form yourself, or import an
            experiment file. Experiments run with the <code>aisle</code> command show up here too.
          </p>
          <div className="row">
            <a className="button primary" href={href('experiments', 'new', { presets: 'open' })} data-testid="empty-start-from-preset">
              Start from a preset
            </a>
            <a className="button" href={href('experiments', 'new')}>
              New experiment
            </a>
          </div>
        </div>
      )}
      {stored > 0 && (
        <>
          <ExperimentsSelectionToolbar selection={selection} shown={rows} search={q.q} />
          <div className="panel flush" ref={table}>
            <ExperimentsTable
              rows={rows}
              q={q}
              onSort={(sort: ExperimentSort) => go((live) => sortedBy(live, sort))}
              selected={selection.selected}
              toggle={selection.toggle}
              renaming={renaming}
              setRenaming={setRenaming}
              onRenamed={page.heard}
              onDelete={setDeleting}
            />
            {total === 0 && (
              <p className="muted empty" data-testid="experiments-no-match">
                {noExperimentMatches(q.q)}{' '}
                <button type="button" data-testid="clear-search" onClick={clearSearch}>
                  Clear search
                </button>
              </p>
            )}
          </div>
          {pages > 1 && (
            <Pager
              page={q.page}
              pages={pages}
              totalTestId="experiments-range"
              shown={`${fmt(first + 1)}–${fmt(first + rows.length)} of ${fmt(total)} experiments`}
              onStep={(step) => go((live) => ({ page: live.page + step }))}
            />
          )}
        </>
      )}
      {deleting && (
        <DeleteExperimentsDialog
          experiments={[deleting]}
          from="row"
          onClose={() => setDeleting(null)}
          focusAfter={() => heading.current}
          onDeleted={forgetDeleted}
        />
      )}
      {selection.confirmDelete && (
        <DeleteExperimentsDialog
          experiments={selection.chosen}
          from="selection"
          onClose={() => selection.setConfirmDelete(false)}
          focusAfter={() => selection.selectionLine.current}
          onDeleted={forgetDeleted}
        />
      )}
    </div>
  );
}
