/**
 * The Runs screen's table: headers that sort it, a row per run with a checkbox to select it, and
 * the progress pushed by running runs, drawn over the page's rows without refetching it.
 */
import { useRef, useState } from 'react';
import type { RunSort, RunSummary } from '../../../shared/dto';
import { useEvent, useThrottled } from '../api';
import { fmt } from '../format';
import { href, navigate } from '../router';
import { DatabaseWaitMark } from './database-wait';
import { TrainingTime } from './elapsed';
import type { Go, RunsQuery } from './runs-filters';
import { SortHeader } from './sort-header';
import { NameLink } from './name-link';
import { returnTexts } from './runs-returns';
import { ElsewhereMark, isActive, ProgressBar, StatusBadge } from './status';

/** Names read A to Z at the first click; numbers, times and statuses (running first) the other way. */
const ASCENDING_FIRST: readonly RunSort[] = ['experiment', 'agent', 'env'];

/**
 * Live progress of the rows shown: kept beside the page and drawn over its rows, flushed at most 4
 * times a second. A running row's return (last 100) is over its episodes so far: `refresh` reads
 * the page again every few seconds while runs progress, and at once for a row that shows no return
 * yet (its first episodes are stored before their progress is pushed). One 3 s pace for every row
 * left a run started beside another without its return for up to 3 s, "–" meanwhile.
 */
export function useLiveProgress(rows: readonly RunSummary[], refresh: () => void): ReadonlyMap<number, number> {
  const [live, setLive] = useState<ReadonlyMap<number, number>>(new Map());
  const pending = useRef(new Map<number, number>());
  const visible = useRef(new Set<number>());
  visible.current = new Set(rows.map((r) => r.id));
  const withoutReturn = useRef(new Set<number>());
  withoutReturn.current = new Set(rows.filter((r) => r.returnLast100 === null).map((r) => r.id));
  const flush = useThrottled(() => {
    const batch = pending.current;
    pending.current = new Map();
    setLive((prev) => new Map([...prev].filter(([id]) => visible.current.has(id)).concat([...batch])));
  }, 250);
  const refetchReturns = useThrottled(refresh, 3000);
  const refetchFirstReturn = useThrottled(refresh, 250);
  useEvent('run.progress', (p) => {
    if (!visible.current.has(p.runId)) return;
    pending.current.set(p.runId, p.episodesDone);
    flush();
    if (p.episodesDone > 0 && withoutReturn.current.has(p.runId)) refetchFirstReturn();
    else refetchReturns();
  });
  return live;
}

export function RunsTable({
  q,
  go,
  rows,
  live,
  selected,
  toggle,
  loading,
}: {
  q: RunsQuery;
  go: Go;
  rows: readonly RunSummary[];
  live: ReadonlyMap<number, number>;
  selected: ReadonlySet<number>;
  toggle: (ids: readonly number[], on: boolean) => void;
  loading: boolean;
}) {
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  // One number of decimals down the column, as Compare's tables (-44.50 above -49.61).
  const returns = returnTexts(rows);
  return (
    <table className="runs-table" data-testid="runs-table" aria-busy={loading}>
      <thead>
        <tr>
          <th className="select">
            <input type="checkbox" aria-label="Select every run on this page" checked={allOnPage} onChange={(e) => toggle(rows.map((r) => r.id), e.target.checked)} />
          </th>
          <RunSortHeader q={q} go={go} sort="id" label="#" num />
          <RunSortHeader q={q} go={go} sort="experiment" label="experiment" />
          <RunSortHeader q={q} go={go} sort="agent" label="agent" />
          <RunSortHeader q={q} go={go} sort="env" label="environment" column="env" />
          <RunSortHeader q={q} go={go} sort="seed" label="seed" num />
          <RunSortHeader q={q} go={go} sort="status" label="status" />
          <RunSortHeader q={q} go={go} sort="episodesDone" label="progress" column="progress" />
          <th className="num">episodes</th>
          <RunSortHeader q={q} go={go} sort="elapsed" label="training" num column="elapsed" />
          <RunSortHeader q={q} go={go} sort="returnLast100" label="return (last 100)" num />
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <RunRow key={r.id} run={r} returnText={returns[i]!} done={Math.max(r.episodesDone, live.get(r.id) ?? 0)} selected={selected.has(r.id)} onSelect={(on) => toggle([r.id], on)} />
        ))}
      </tbody>
    </table>
  );
}

function RunRow({ run: r, returnText, done, selected, onSelect }: { run: RunSummary; returnText: string; done: number; selected: boolean; onSelect: (on: boolean) => void }) {
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
        <NameLink name={r.experimentName} href={href('runs', { experiment: r.experimentId })} title={`${r.experimentName}: runs of experiment ${r.experimentId}`} />
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
        <TrainingTime run={r} active={isActive(r.status)} />
      </td>
      <td className="num" data-testid="return-last100" title={stoppedEarly(r) ? 'Over its last 100 stored episodes: the run stopped before the end' : undefined}>
        {returnText}
        {r.status === 'running' && r.returnLast100 !== null && <span className="muted small"> so far</span>}
      </td>
    </tr>
  );
}

/** A run that ended before its last episode, whose return is over the episodes it stored. */
function stoppedEarly(r: RunSummary): boolean {
  return (r.status === 'failed' || r.status === 'cancelled' || r.status === 'interrupted' || r.status === 'paused') && r.returnLast100 !== null;
}

/** `column` names a column a narrow table hides (styles.css: the Runs table in a narrow window). */
function RunSortHeader({ q, go, sort, label, num, column }: { q: RunsQuery; go: Go; sort: RunSort; label: string; num?: boolean; column?: 'env' | 'progress' | 'elapsed' }) {
  return (
    <SortHeader
      sort={sort}
      current={q}
      label={label}
      num={num ?? false}
      className={column && `col-${column}`}
      onSort={() => go((live) => ({ sort, desc: live.sort === sort ? !live.desc : !ASCENDING_FIRST.includes(sort) }))}
    />
  );
}
