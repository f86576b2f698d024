/**
 * Experiments: every experiment with its run counts by status, searched (name, description,
 * environment, agent), sorted by any column and paged, all kept in the URL; links to its runs, to
 * comparing them and to running it again; rename and delete (see experiments-delete); a
 * selection of experiments to compare, delete or export together; and results files imported
 * (experiments-results). Reads again the experiments that change or whose runs change status,
 * never showing counts read before such a push (experiments-follow.ts).
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentSummary } from '../../../shared/dto';
import { ErrorLine } from '../components/error-line';
import { DeleteExperimentsDialog } from '../components/experiments-delete';
import { experimentsPatch, pageCount, pageOf, readExperimentsQuery, shownExperiments, sortedBy, type ExperimentSort, type ExperimentsQuery } from '../components/experiments-query';
import { ExperimentsSelectionToolbar, useExperimentSelection } from '../components/experiments-selection';
import { useResultsImport } from '../components/experiments-results';
import { ExperimentsTable } from '../components/experiments-table';
import { Pager } from '../components/pager';
import { SearchBox } from '../components/runs-filters';
import { useFocusAfterRender } from '../focus';
import { fmt } from '../format';
import { useFollowedExperiments } from '../experiments-follow';
import { href } from '../router';
import { liveQuery, writeQuery } from '../url-state';

/** The pushes after which the experiments they name are read again (experiments-follow.ts). */
const EXPERIMENT_CHANGES = ['run.status', 'experiments.changed'] as const;

export function ExperimentsScreen({ query }: { query: URLSearchParams }) {
  const q = readExperimentsQuery(query);
  // The list follows the search box at once (it is searched here); the URL once typing pauses.
  // What was typed over an address that has changed since (Back, a link) gives way to it; once
  // written to the address (go), it is forgotten.
  const [typed, setTyped] = useState<{ text: string; over: string } | null>(null);
  const search = typed && typed.over === q.q ? typed.text : q.q;
  const typedNow = useRef(typed);
  typedNow.current = typed;
  /**
   * Sorting is a history entry; typing a search is not. Changes apply to the live URL's view (see
   * the Runs screen), with the search typed but not yet written: a sort clicked meanwhile keeps
   * what the list shows in its entry.
   */
  const go = (changes: Partial<ExperimentsQuery> | ((live: ExperimentsQuery) => Partial<ExperimentsQuery>), mode: 'push' | 'replace' = 'push') => {
    const written = readExperimentsQuery(liveQuery());
    const pending = typedNow.current;
    const live = pending && pending.over === written.q ? { ...written, q: pending.text } : written;
    writeQuery(experimentsPatch({ ...live, page: 1, ...(typeof changes === 'function' ? changes(live) : changes) }), mode);
    // The typed search is in the address now (or was typed over one since left): kept, it would
    // come back over the entry Back returns to, whose search is that of the address before it.
    typedNow.current = null;
    setTyped(null);
  };
  // Read again at once on each push (and after a change made here), a read asked before a push never
  // shown after it; a burst of pushes (a sweep finishing) costs one read more: see fresh-read.ts.
  // Only the experiments the pushes name are read again (experiments-follow.ts).
  const list = useFollowedExperiments(EXPERIMENT_CHANGES);
  // Drawing a thousand rows takes a few hundred ms: the box takes each key at once, and the rows follow (React may drop stale redraws).
  const listed = useDeferredValue(search);
  const shown = useMemo(() => shownExperiments(list.data ?? [], { q: listed, sort: q.sort, desc: q.desc }), [list.data, listed, q.sort, q.desc]);
  const total = list.data?.length ?? 0;
  const pages = pageCount(shown.length);
  // A search not yet in the address shows its first page, as it will once written there.
  const searched = listed === q.q;
  const onPage = pageOf(shown, searched ? q.page : 1);
  // After deletes (here or elsewhere) the page may lie past the end: the last one is shown, and the
  // address says so (unless the user has left the screen meanwhile: the path it was drawn for).
  const path = window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const pastEnd = list.data !== undefined && searched && onPage.page !== q.page;
  useEffect(() => {
    if (pastEnd) writeQuery({ page: pages > 1 ? pages : undefined }, 'replace', path);
  }, [pastEnd, pages, path]);

  const selection = useExperimentSelection(list.data);
  const resultsImport = useResultsImport(list.heard);
  const [deleting, setDeleting] = useState<ExperimentSummary | null>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  // Deleted from a row or from the selection: no longer selected, and gone from the list.
  const forgetDeleted = (ids: readonly number[]) => {
    selection.toggle(ids, false);
    list.heard();
  };
  // The deleted experiment's row and its Delete button are gone: focus goes to the heading, not <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
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
        <span className="spacer" />
        {total > 0 && (
          <>
            <span className="muted small" role="status" data-testid="experiments-total">
              {shown.length < total ? `${fmt(shown.length)} of ${fmt(total)} experiments` : total === 1 ? '1 experiment' : `${fmt(total)} experiments`}
            </span>
            <SearchBox
              key={searchKey}
              ref={searchBox}
              value={q.q}
              onSearch={(text) => go({ q: text }, 'replace')}
              onType={(text) => setTyped({ text, over: q.q })}
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
      {resultsImport.outcome}
      {list.error && <ErrorLine error={list.error} />}
      {!list.data && !list.error && <p className="muted">Loading…</p>}
      {list.data?.length === 0 && (
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
      {total > 0 && (
        <>
          <ExperimentsSelectionToolbar selection={selection} shown={shown} />
          <div className="panel flush">
            <ExperimentsTable
              rows={onPage.rows}
              q={q}
              onSort={(sort: ExperimentSort) => go((live) => sortedBy(live, sort))}
              selected={selection.selected}
              toggle={selection.toggle}
              renaming={renaming}
              setRenaming={setRenaming}
              onRenamed={list.heard}
              onDelete={setDeleting}
            />
            {shown.length === 0 && (
              <p className="muted empty" data-testid="experiments-no-match">
                No experiment matches “{listed.trim()}”.{' '}
                <button type="button" data-testid="clear-search" onClick={clearSearch}>
                  Clear search
                </button>
              </p>
            )}
          </div>
          {pages > 1 && (
            <Pager
              page={onPage.page}
              pages={pages}
              totalTestId="experiments-range"
              shown={`${fmt(onPage.first + 1)}–${fmt(onPage.first + onPage.rows.length)} of ${fmt(shown.length)} experiments`}
              onStep={(step) => go({ page: onPage.page + step })}
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
