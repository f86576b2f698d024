/**
 * The Experiments screen's table: headers that sort it, a row per experiment with a checkbox to
 * select it, its run counts by status, and its actions (Runs, Compare, Run again, Rename, Delete),
 * Rename opening the experiment's name and description in a row under it.
 */
import { Fragment, memo, useRef } from 'react';
import { RUN_STATUSES, type ExperimentSummary } from '../../../shared/dto';
import { useFocusAfterRender } from '../focus';
import { fmt } from '../format';
import { Created } from './created';
import { href } from '../router';
import { ExperimentRename } from './experiment-rename';
import type { ExperimentSort, ExperimentsQuery } from './experiments-query';
import { NameLink } from './name-link';
import { SortHeader } from './sort-header';
import { ElsewhereMark } from './status';

/** The table's columns, with the checkbox's and the actions': what the rename row spans. */
const COLUMNS = 10;

export function ExperimentsTable({
  rows,
  q,
  onSort,
  selected,
  toggle,
  renaming,
  setRenaming,
  onRenamed,
  onDelete,
}: {
  rows: readonly ExperimentSummary[];
  q: ExperimentsQuery;
  onSort: (sort: ExperimentSort) => void;
  selected: ReadonlySet<number>;
  toggle: (ids: readonly number[], on: boolean) => void;
  renaming: number | null;
  setRenaming: (id: number | null) => void;
  onRenamed: () => void;
  onDelete: (e: ExperimentSummary) => void;
}) {
  const table = useRef<HTMLTableElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const allShown = rows.length > 0 && rows.every((e) => selected.has(e.id));
  const header = (sort: ExperimentSort, label: string, num = false, className?: string) => (
    <SortHeader sort={sort} current={q} onSort={onSort} label={label} num={num} className={className} />
  );
  return (
    <table ref={table} className="experiments-table" data-testid="experiments-table">
      <thead>
        <tr>
          <th className="select">
            <input type="checkbox" aria-label="Select every experiment shown" checked={allShown} data-testid="select-all-experiments" onChange={(e) => toggle(rows.map((r) => r.id), e.target.checked)} />
          </th>
          {header('id', '#', true)}
          {header('name', 'name')}
          {header('env', 'environment', false, 'col-env')}
          {header('agent', 'agent')}
          {header('episodes', 'episodes', true)}
          <th className="num col-seeds">seeds</th>
          {header('runs', 'runs')}
          {header('createdAt', 'created')}
          <th className="actions-cell">
            <span className="sr-only">actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <Fragment key={e.id}>
            <ExperimentRow experiment={e} selected={selected.has(e.id)} toggle={toggle} renaming={renaming === e.id} setRenaming={setRenaming} onDelete={onDelete} />
            {renaming === e.id && (
              <tr className="rename-row" data-testid="rename-row">
                <td colSpan={COLUMNS}>
                  <ExperimentRename
                    experiment={e}
                    onDone={(saved) => {
                      setRenaming(null);
                      if (saved) onRenamed();
                      // Back to the row's Rename, as a dialog gives focus back to what opened it.
                      focusAfterRender(() => table.current?.querySelector<HTMLElement>(`tr[data-id="${e.id}"] [data-testid="rename-experiment"]`));
                    }}
                  />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/** A row re-renders only when its experiment or its own state changes: typing a search redraws hundreds of rows. */
const ExperimentRow = memo(function ExperimentRow({
  experiment: e,
  selected,
  toggle,
  renaming,
  setRenaming,
  onDelete,
}: {
  experiment: ExperimentSummary;
  selected: boolean;
  toggle: (ids: readonly number[], on: boolean) => void;
  renaming: boolean;
  setRenaming: (id: number | null) => void;
  onDelete: (e: ExperimentSummary) => void;
}) {
  const about = `experiment ${e.id}, ${e.name}`;
  return (
    <tr className={selected ? 'selected' : undefined} data-testid="experiment-row" data-id={e.id}>
      <td className="select">
        <input type="checkbox" aria-label={`Select experiment ${e.id}, ${e.name}`} checked={selected} data-testid="select-experiment" onChange={(event) => toggle([e.id], event.target.checked)} />
      </td>
      <td className="num">{e.id}</td>
      <td className="name-cell" title={[e.name, e.source, e.description].filter(Boolean).join('\n')}>
        <NameLink name={e.name} href={href('runs', { experiment: e.id })} />
        {e.description && (
          <div className="muted small description" data-testid="experiment-description">
            {e.description}
          </div>
        )}
      </td>
      {/* An id is whole up to a width, then wraps (styles.css): a long one never widens the table past its panel. */}
      <td className="col-env">
        <span className="id">{e.envId}</span>
      </td>
      <td className="col-agent">
        <span className="id">{e.agentId}</span>
        {/* In a narrow panel the environment's and the seeds' columns give way and they stand under the agent and the episodes (styles.css). */}
        <span className="folded-env muted small"> on {e.envId}</span>
      </td>
      <td className="num">
        {fmt(e.episodes)}
        <span className="folded-seeds muted small"> × {e.seeds === 1 ? '1 seed' : `${fmt(e.seeds)} seeds`}</span>
      </td>
      <td className="num col-seeds">{fmt(e.seeds)}</td>
      <td>
        <RunCounts counts={e.runCounts} />
        <ElsewhereMark runs={e.elsewhere} />
      </td>
      <td className="muted created">
        <Created at={e.createdAt} />
      </td>
      <td className="actions-cell">
        {/* Each action names its experiment to a screen reader ("Rename experiment 3, cliff"): a list of
            rows' links and buttons read "Runs, Compare, Run again, Rename, Delete" in every row alike. */}
        <span className="actions">
          <a href={href('runs', { experiment: e.id })} aria-label={`Runs of ${about}`}>
            Runs
          </a>
          <a href={href('compare', { experiments: e.id })} aria-label={`Compare ${about}`}>
            Compare
          </a>
          <a href={href('experiments', 'new', { from: e.id })} aria-label={`Run again ${about}`}>
            Run again
          </a>
          <button type="button" className="link" data-testid="rename-experiment" aria-expanded={renaming} onClick={() => setRenaming(renaming ? null : e.id)} aria-label={`Rename ${about}`}>
            Rename
          </button>
          <button type="button" className="link danger" data-testid="delete-experiment" onClick={() => onDelete(e)} aria-label={`Delete ${about}`}>
            Delete
          </button>
        </span>
      </td>
    </tr>
  );
});

/** An experiment's runs by status, each count grouped as the table's other numbers are ("1,000 cancelled"). */
export function RunCounts({ counts }: { counts: ExperimentSummary['runCounts'] }) {
  const shown = RUN_STATUSES.filter((s) => counts[s] > 0);
  if (shown.length === 0) return <span className="muted">none</span>;
  return (
    <span className="counts" data-testid="run-counts">
      {shown.map((s) => (
        <span key={s} className={`status ${s}`} title={`${fmt(counts[s])} ${s}`}>
          {fmt(counts[s])} {s}
        </span>
      ))}
    </span>
  );
}
