/**
 * Runs: a server-side filtered, sorted and paginated table (fast with thousands of runs), whose
 * progress bars move live from run.progress without refetching, and which refetches (throttled)
 * when a run changes status. Selected runs can be compared, cancelled or deleted.
 */
import { useEffect, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import { RUN_STATUSES, type RunSort, type RunStatus, type RunSummary } from '../../../shared/dto';
import { notCancelledHere, plural } from '../../../shared/text';
import { errorText, useCall, useClient, useEvent, useThrottled } from '../api';
import { BlockableButton } from '../components/blockable-button';
import { cancelAndDelete } from '../components/cancel-and-delete';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DatabaseWaitMark } from '../components/database-wait';
import { Elapsed } from '../components/elapsed';
import { ErrorLine } from '../components/error-line';
import { UnreadAddress } from '../components/unread-address';
import { ElsewhereMark, isActive, notDeletedYet, ProgressBar, StatusBadge } from '../components/status';
import { fmt } from '../format';
import { href, navigate } from '../router';
import { liveQuery, queryId, queryNumber, writeQuery, type QueryPatch } from '../url-state';

export const PAGE_SIZE = 100;
const SORTS: readonly RunSort[] = ['id', 'createdAt', 'startedAt', 'finishedAt', 'episodesDone', 'status', 'returnLast100', 'seed', 'elapsed', 'experiment', 'agent', 'env'];
/** Names read A to Z at the first click; numbers, times and statuses (running first) the other way. */
const ASCENDING_FIRST: readonly RunSort[] = ['experiment', 'agent', 'env'];

interface RunsQuery {
  experiment?: number;
  status: RunStatus[];
  q: string;
  sort: RunSort;
  desc: boolean;
  page: number;
}

/** A change of the table's view: fixed, or computed from the view current when it applies. */
type Go = (changes: Partial<RunsQuery> | ((live: RunsQuery) => Partial<RunsQuery>), mode?: 'push' | 'replace') => void;

function readQuery(query: URLSearchParams): RunsQuery {
  const experiment = queryId(query, 'experiment');
  const sort = query.get('sort') as RunSort | null;
  return {
    ...(experiment ? { experiment } : {}),
    status: (query.get('status') ?? '').split(',').filter((s): s is RunStatus => (RUN_STATUSES as readonly string[]).includes(s)),
    q: query.get('q') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'id',
    desc: query.get('desc') !== '0',
    page: Math.floor(queryNumber(query, 'page', 1, 1)),
  };
}

/** The query of a view of the table; defaults are left out of the URL. */
function patchOf(q: RunsQuery): QueryPatch {
  return { experiment: q.experiment, status: q.status.join(','), q: q.q, sort: q.sort === 'id' ? undefined : q.sort, desc: q.desc ? undefined : 0, page: q.page > 1 ? q.page : undefined };
}

const ID_KEYS = { experiment: { noun: 'experiment' } };

export function RunsScreen({ query }: { query: URLSearchParams }) {
  const client = useClient();
  const q = readQuery(query);
  /**
   * Filters, sorting and paging are history entries; typing a search is not. Changes apply to the
   * live URL's view, not this render's `q`: a second click may land before the first re-rendered.
   */
  const go: Go = (changes, mode = 'push') => {
    const live = readQuery(liveQuery());
    writeQuery(patchOf({ ...live, page: 1, ...(typeof changes === 'function' ? changes(live) : changes) }), mode);
  };
  const input: CommandInput<'runs.list'> = {
    ...(q.experiment ? { experimentId: q.experiment } : {}),
    ...(q.status.length ? { status: q.status } : {}),
    ...(q.q ? { search: q.q } : {}),
    sort: q.sort,
    descending: q.desc,
    offset: (q.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
  const page = useCall('runs.list', input);
  const rows = page.data?.runs ?? [];
  // No runs of the experiment filtered to: it may be one that does not exist (a deleted one's link, a typo), which the list should say.
  const filtered = useCall('experiments.get', q.experiment !== undefined && page.data?.total === 0 ? { id: q.experiment } : null);

  // Live progress: kept beside the page and drawn over its rows, flushed at most 4 times a second.
  const [live, setLive] = useState<ReadonlyMap<number, number>>(new Map());
  const pending = useRef(new Map<number, number>());
  const visible = useRef(new Set<number>());
  visible.current = new Set(rows.map((r) => r.id));
  const flush = useThrottled(() => {
    const batch = pending.current;
    pending.current = new Map();
    setLive((prev) => new Map([...prev].filter(([id]) => visible.current.has(id)).concat([...batch])));
  }, 250);
  // A running row's return (last 100) is over its episodes so far: the page is read again every few seconds.
  const refetchReturns = useThrottled(page.refresh, 3000);
  useEvent('run.progress', (p) => {
    if (!visible.current.has(p.runId)) return;
    pending.current.set(p.runId, p.episodesDone);
    flush();
    refetchReturns();
  });
  const refetch = useThrottled(page.refresh, 500);
  useEvent('run.status', refetch);
  useEvent('experiments.changed', refetch);

  // Selection survives paging and refetches; each run's status and whose it is, as last seen on a
  // page, decide whether Cancel applies: runs another process trains are that process's to cancel.
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const seen = useRef(new Map<number, { status: RunStatus; elsewhere: boolean }>());
  for (const r of rows) seen.current.set(r.id, { status: r.status, elsewhere: r.elsewhere });
  // Episodes played, as last seen: cancelling a run that has played some is asked first.
  const played = useRef(new Map<number, number>());
  for (const r of rows) played.current.set(r.id, Math.max(r.episodesDone, live.get(r.id) ?? 0));
  const toggle = (ids: readonly number[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const selectedIds = [...selected].sort((a, b) => a - b);
  // Runs this screen asked to cancel: their rows may leave a filtered page (running, queued) before
  // their new status is read there, and "Cancel N" must not stay enabled for them.
  const [cancelAsked, setCancelAsked] = useState<ReadonlySet<number>>(new Set());
  const activeSelected = selectedIds.flatMap((id) => {
    const run = seen.current.get(id);
    return run && isActive(run.status) ? [{ id, ...run }] : [];
  });
  const cancellable = activeSelected.filter((r) => !cancelAsked.has(r.id) && !r.elsewhere).map((r) => r.id);
  // Selected runs another process trains: Cancel says so (and leaves them to it), Delete waits for them.
  const selectedElsewhere = activeSelected.filter((r) => r.elsewhere);
  const notHere = selectedElsewhere.length > 0 ? notCancelledHere(selectedElsewhere) : undefined;
  const [actionError, setActionError] = useState<unknown>(null);
  // What the last cancel left to another process (`aisle run`, another window) that trains it.
  const [notCancelled, setNotCancelled] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The runs the cancel dialog asks about, fixed when it opens (cancelling them changes `cancellable`).
  const [confirmCancel, setConfirmCancel] = useState<{ ids: readonly number[]; count: number; progressed: readonly number[]; notHere: string | undefined } | null>(null);
  // Cancel and Delete are blocked by their own success (nothing left to cancel, nothing selected):
  // the selection's status line takes focus instead, and says what is left selected rather than why
  // the button pressed cannot act again.
  const selectionLine = useRef<HTMLSpanElement>(null);
  // The experiment chip's ✕ goes with its click: the heading beside it takes focus.
  const heading = useRef<HTMLHeadingElement>(null);
  const cancel = async (ids: readonly number[]) => {
    const { cancelled, elsewhere } = await client.call('runs.cancel', { ids: [...ids] });
    setNotCancelled(elsewhere && `${cancelled.length > 0 ? `Cancelled ${idsText(cancelled)}. ` : ''}Not cancelled: ${elsewhere.message}.`);
    selectionLine.current?.focus();
    setCancelAsked((prev) => new Set([...prev, ...ids]));
    page.refresh();
  };
  // The selected runs still queued or running as last seen (`activeSelected`): Delete cancels them
  // first (the statuses follow every change of status, so the dialog says what holds when it is
  // confirmed), or waits for another process to stop those it trains.
  const deleteCancels = activeSelected.filter((r) => !r.elsewhere);
  // A run not seen on a page (selected on another) may have played episodes: asked as if it had.
  const progressed = cancellable.filter((id) => (played.current.get(id) ?? 1) > 0);

  const total = page.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // After deletes (here or elsewhere) the page may lie past the end: show the last one instead.
  const pastEnd = page.data !== undefined && q.page > pages;
  useEffect(() => {
    if (pastEnd) writeQuery({ page: pages > 1 ? pages : undefined }, 'replace', 'runs');
  }, [pastEnd, pages]);
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));

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
                {rows[0].experimentName} <span className="muted">#{q.experiment}</span>
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
      <UnreadAddress query={query} keys={ID_KEYS} />
      <div className="row filters" role="group" aria-label="Status filter">
        {RUN_STATUSES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={q.status.includes(s)} data-testid={`filter-${s}`} onChange={() => go((live) => ({ status: live.status.includes(s) ? live.status.filter((x) => x !== s) : [...live.status, s] }))} /> {s}
          </label>
        ))}
      </div>

      <div className="row toolbar selection" aria-label="Selected runs">
        <span ref={selectionLine} tabIndex={-1} className="muted small" data-testid="selection-count">
          {selected.size ? `${fmt(selected.size)} selected` : 'Select runs to compare, cancel or delete them.'}
        </span>
        <BlockableButton
          blocker={selected.size === 0 ? 'Select runs to compare them.' : null}
          blockerTestId="compare-selected-blocker"
          popup
          data-testid="compare-selected"
          onClick={() => navigate(href('compare', { runs: selectedIds }))}
        >
          Compare selected
        </BlockableButton>
        <BlockableButton
          // Nothing this process can cancel: no selected run is queued or running, or another process trains them (only it can cancel them).
          blocker={cancellable.length === 0 ? (notHere ?? 'Select running or queued runs to cancel them.') : null}
          blockerTestId="cancel-selected-blocker"
          popup
          data-testid="cancel-selected"
          onClick={() => {
            setActionError(null);
            setNotCancelled(null);
            // Those another process trains are asked too: the answer says where to stop them, as it finds them now.
            const ids = [...cancellable, ...selectedElsewhere.map((r) => r.id)];
            if (progressed.length > 0) setConfirmCancel({ ids, count: cancellable.length, progressed, notHere });
            else cancel(ids).catch(setActionError);
          }}
        >
          {cancellable.length ? `Cancel ${plural(cancellable.length, 'run')}` : 'Cancel runs'}
        </BlockableButton>
        <BlockableButton
          className="danger"
          blocker={selected.size === 0 ? 'Select runs to delete them.' : null}
          blockerTestId="delete-selected-blocker"
          popup
          data-testid="delete-selected"
          onClick={() => setConfirmDelete(true)}
        >
          Delete
        </BlockableButton>
        {selected.size > 0 && (
          <button type="button" className="link" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
      </div>
      {actionError !== null && <ErrorLine error={actionError} testId="runs-action-error" />}
      {notCancelled && (
        <p className="notice" role="status" data-testid="not-cancelled">
          {notCancelled}
        </p>
      )}
      {page.error && <ErrorLine error={page.error} />}
      {!page.data && !page.error && <p className="muted">Loading…</p>}

      {page.data && (
        <div className="panel flush">
          <table className="runs-table" data-testid="runs-table" aria-busy={page.loading}>
            <thead>
              <tr>
                <th className="select">
                  <input type="checkbox" aria-label="Select every run on this page" checked={allOnPage} onChange={(e) => toggle(rows.map((r) => r.id), e.target.checked)} />
                </th>
                <SortHeader q={q} go={go} sort="id" label="#" num />
                <SortHeader q={q} go={go} sort="experiment" label="experiment" />
                <SortHeader q={q} go={go} sort="agent" label="agent" />
                <SortHeader q={q} go={go} sort="env" label="environment" column="env" />
                <SortHeader q={q} go={go} sort="seed" label="seed" num />
                <SortHeader q={q} go={go} sort="status" label="status" />
                <SortHeader q={q} go={go} sort="episodesDone" label="progress" column="progress" />
                <th className="num">episodes</th>
                <SortHeader q={q} go={go} sort="elapsed" label="elapsed" num column="elapsed" />
                <SortHeader q={q} go={go} sort="returnLast100" label="return (last 100)" num />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <RunRow key={r.id} run={r} done={Math.max(r.episodesDone, live.get(r.id) ?? 0)} selected={selected.has(r.id)} onSelect={(on) => toggle([r.id], on)} />
              ))}
            </tbody>
          </table>
          {rows.length === 0 &&
            (filtered.error ? (
              <p className="error" role="alert" data-testid="experiment-missing">
                {errorText(filtered.error)}.{' '}
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
        <nav className="row pager" aria-label="Pages">
          <span className="muted small" data-testid="runs-total">
            {total === 0 ? '0 runs' : total === 1 ? '1 run' : `${fmt((q.page - 1) * PAGE_SIZE + 1)}–${fmt(Math.min(total, q.page * PAGE_SIZE))} of ${fmt(total)} runs`}
          </span>
          <button type="button" disabled={q.page <= 1} onClick={() => go((live) => ({ page: live.page - 1 }))}>
            ‹ Previous
          </button>
          <span className="small">
            page {q.page} of {pages}
          </span>
          <button type="button" disabled={q.page >= pages} data-testid="next-page" onClick={() => go((live) => ({ page: live.page + 1 }))}>
            Next ›
          </button>
        </nav>
      )}
      {confirmCancel && (
        <ConfirmDialog
          title={`Cancel ${plural(confirmCancel.count, 'run')}?`}
          confirmLabel={`Cancel ${plural(confirmCancel.count, 'run')}`}
          keepLabel="Keep training"
          onClose={() => setConfirmCancel(null)}
          focusAfter={() => selectionLine.current}
          onConfirm={() => cancel(confirmCancel.ids)}
        >
          <p>
            {confirmCancel.progressed.length === 1 ? `Run ${confirmCancel.progressed[0]} has` : `Runs ${idList(confirmCancel.progressed)} have`}{' '}
            played episodes. Cancelled runs stop now and cannot be resumed; what they stored (curves, checkpoints, summary) is kept.
          </p>
          {confirmCancel.notHere && <p data-testid="cancel-not-here">{confirmCancel.notHere}</p>}
        </ConfirmDialog>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${plural(selectedIds.length, 'run')}?`}
          confirmLabel={`${deleteCancels.length > 0 ? 'Cancel and delete' : 'Delete'} ${plural(selectedIds.length, 'run')}`}
          // Nothing is deleted while another process trains one of them (all or none are).
          blocker={notDeletedYet(selectedElsewhere)}
          onClose={() => setConfirmDelete(false)}
          focusAfter={() => selectionLine.current}
          onConfirm={async () => {
            const r = await cancelAndDelete(client, selectedIds);
            toggle(r.deleted, false);
            page.refresh();
          }}
        >
          <p>
            {selectedIds.length === 1 ? 'Run' : 'Runs'} {idList(selectedIds)}, with {selectedIds.length === 1 ? 'its' : 'their'} metrics and checkpoints.{' '}
            {deleteCancels.length > 0 &&
              (deleteCancels.length === 1
                ? `Run ${deleteCancels[0]!.id} is ${deleteCancels[0]!.status}: it is cancelled first. `
                : `Runs ${idList(deleteCancels.map((r) => r.id))} are queued or running: they are cancelled first. `)}
            This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** "run 3" or "runs 3, 4", up to 12 ids. */
function idsText(ids: readonly number[]): string {
  return `${ids.length === 1 ? 'run' : 'runs'} ${idList(ids)}`;
}

/** Up to 12 run ids, then how many more. */
function idList(ids: readonly number[]): string {
  return `${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ` and ${ids.length - 12} more` : ''}`;
}

function RunRow({ run: r, done, selected, onSelect }: { run: RunSummary; done: number; selected: boolean; onSelect: (on: boolean) => void }) {
  return (
    <tr
      className={selected ? 'selected clickable' : 'clickable'}
      data-testid="run-row"
      data-id={r.id}
      data-status={r.status}
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('a, button, input, label')) navigate(href('runs', r.id));
      }}
    >
      <td className="select">
        <input type="checkbox" aria-label={`Select run ${r.id}`} checked={selected} data-testid="select-run" onChange={(e) => onSelect(e.target.checked)} />
      </td>
      <td className="num">
        <a href={href('runs', r.id)}>{r.id}</a>
      </td>
      <td className="name-cell">
        <a href={href('runs', { experiment: r.experimentId })} title={`${r.experimentName}: runs of experiment ${r.experimentId}`}>
          {r.experimentName}
        </a>
      </td>
      <td>
        {r.agentId}
        <span className="folded-env muted small"> on {r.envId}</span>
      </td>
      <td className="col-env">{r.envId}</td>
      <td className="num">{r.seed}</td>
      <td>
        <StatusBadge status={r.status} title={r.error} />
        <ElsewhereMark runs={r.elsewhere ? [r] : []} />
        <DatabaseWaitMark runId={r.id} />
      </td>
      <td className="col-progress">
        <ProgressBar done={done} total={r.episodesTotal} label={`Run ${r.id} progress`} />
      </td>
      <td className="num">
        {fmt(done)} / {fmt(r.episodesTotal)}
      </td>
      <td className="num col-elapsed">
        <Elapsed startedAt={r.startedAt} finishedAt={r.finishedAt} active={isActive(r.status)} />
      </td>
      <td className="num" data-testid="return-last100" title={stoppedEarly(r) ? 'Over its last 100 stored episodes: the run stopped before the end' : undefined}>
        {fmt(r.returnLast100)}
        {r.status === 'running' && r.returnLast100 !== null && <span className="muted small"> so far</span>}
      </td>
    </tr>
  );
}

/** A run that ended before its last episode, whose return is over the episodes it stored. */
function stoppedEarly(r: RunSummary): boolean {
  return (r.status === 'failed' || r.status === 'cancelled' || r.status === 'interrupted') && r.returnLast100 !== null;
}

/** `column` names a column a narrow table hides (styles.css: the Runs table in a narrow window). */
function SortHeader({ q, go, sort, label, num, column }: { q: RunsQuery; go: Go; sort: RunSort; label: string; num?: boolean; column?: 'env' | 'progress' | 'elapsed' }) {
  const active = q.sort === sort;
  const className = [num ? 'num' : '', column ? `col-${column}` : ''].filter(Boolean).join(' ');
  return (
    <th className={className || undefined} aria-sort={active ? (q.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" data-testid={`sort-${sort}`} onClick={() => go((live) => ({ sort, desc: live.sort === sort ? !live.desc : !ASCENDING_FIRST.includes(sort) }))}>
        {label}
        {active ? (q.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
}

/** The text filter: follows the URL, and writes to it once typing pauses. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
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
    const t = setTimeout(() => onSearchRef.current(text), 300);
    return () => clearTimeout(t);
  }, [text, value]);
  // The placeholder short enough for the box at any width; the label says the whole of it.
  return <input type="search" placeholder="Search name, agent, environment" aria-label="Search runs by experiment name, agent or environment" value={text} data-testid="runs-search" onChange={(e) => setText(e.target.value)} />;
}
