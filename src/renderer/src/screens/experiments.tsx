/**
 * Experiments: every experiment with its run counts by status, links to its runs, to comparing
 * them and to running it again, rename (its name and description edited in a row under it), and delete (its active runs cancelled first; held, as its dialog
 * says, while another Aisle process trains one of them).
 * Refreshes itself when experiments change or runs change status.
 */
import { Fragment, useRef, useState } from 'react';
import { RUN_STATUSES, type ExperimentSummary } from '../../../shared/dto';
import { useCall, useClient, useEvent, useThrottled } from '../api';
import { cancelExperimentRuns } from '../components/cancel-and-delete';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorLine } from '../components/error-line';
import { ExperimentRename } from '../components/experiment-rename';
import { ElsewhereMark, notDeletedYet } from '../components/status';
import { useFocusAfterRender } from '../focus';
import { fmt, when } from '../format';
import { href } from '../router';

export function ExperimentsScreen() {
  const client = useClient();
  const list = useCall('experiments.list', {});
  const refresh = useThrottled(list.refresh, 500);
  useEvent('experiments.changed', refresh);
  useEvent('run.status', refresh);
  const [deleting, setDeleting] = useState<ExperimentSummary | null>(null);
  // The deleted experiment's row and its Delete button are gone: focus goes to the heading, not <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const focusAfterRender = useFocusAfterRender();

  return (
    <div className="experiments-screen" data-testid="experiments">
      <div className="row">
        <h1 ref={heading} tabIndex={-1}>
          Experiments
        </h1>
        <span className="spacer" />
        <a className="button primary" href={href('experiments', 'new')} data-testid="new-experiment-link">
          New experiment
        </a>
      </div>
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
      {list.data && list.data.length > 0 && (
        <div className="panel flush">
          <table ref={table} className="experiments-table" data-testid="experiments-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>name</th>
                <th>environment</th>
                <th>agent</th>
                <th className="num">episodes</th>
                <th className="num">seeds</th>
                <th>runs</th>
                <th>created</th>
                <th className="actions-cell">
                  <span className="sr-only">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <Fragment key={e.id}>
                  <tr data-testid="experiment-row" data-id={e.id}>
                    <td className="num">{e.id}</td>
                    <td className="name-cell" title={[e.name, e.source, e.description].filter(Boolean).join('\n')}>
                      <a href={href('runs', { experiment: e.id })}>{e.name}</a>
                      {e.description && (
                        <div className="muted small description" data-testid="experiment-description">
                          {e.description}
                        </div>
                      )}
                    </td>
                    <td>{e.envId}</td>
                    <td>{e.agentId}</td>
                    <td className="num">{fmt(e.episodes)}</td>
                    <td className="num">{fmt(e.seeds)}</td>
                    <td>
                      <RunCounts counts={e.runCounts} />
                      <ElsewhereMark runs={e.elsewhere} />
                    </td>
                    <td className="muted">{when(e.createdAt)}</td>
                    <td className="actions-cell">
                      <span className="actions">
                        <a href={href('runs', { experiment: e.id })}>Runs</a>
                        <a href={href('compare', { experiments: e.id })}>Compare</a>
                        <a href={href('experiments', 'new', { from: e.id })}>Run again</a>
                        <button type="button" className="link" data-testid="rename-experiment" aria-expanded={renaming === e.id} onClick={() => setRenaming(renaming === e.id ? null : e.id)}>
                          Rename
                        </button>
                        <button type="button" className="link danger" data-testid="delete-experiment" onClick={() => setDeleting(e)}>
                          Delete
                        </button>
                      </span>
                    </td>
                  </tr>
                  {renaming === e.id && (
                    <tr className="rename-row" data-testid="rename-row">
                      <td colSpan={9}>
                        <ExperimentRename
                          experiment={e}
                          onDone={(saved) => {
                            setRenaming(null);
                            if (saved) list.refresh();
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
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete experiment “${deleting.name}”?`}
          confirmLabel={activeHere(deleting) > 0 ? 'Cancel its runs and delete' : 'Delete experiment'}
          // Nothing is deleted while another process trains one of its runs.
          blocker={notDeletedYet(deleting.elsewhere)}
          onClose={() => setDeleting(null)}
          focusAfter={() => heading.current}
          onConfirm={async () => {
            if (activeHere(deleting) > 0) await cancelExperimentRuns(client, deleting.id);
            await client.call('experiments.delete', { id: deleting.id });
            list.refresh();
          }}
        >
          <p>
            {activeHere(deleting) > 0 && <>{activeHere(deleting) === 1 ? 'Its queued or running run is' : `Its ${fmt(activeHere(deleting))} queued or running runs are`} cancelled first. </>}
            {runCount(deleting) === 1 ? 'Its run, its' : `Its ${fmt(runCount(deleting))} runs, their`} metrics and checkpoints are deleted too. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * Runs of the experiment queued or running in this process, as the list last counted them: its
 * delete cancels them first (another process's are that one's to stop).
 */
function activeHere(e: ExperimentSummary): number {
  return e.runCounts.queued + e.runCounts.running - e.elsewhere.length;
}

/** The experiment's runs, whatever their status. */
function runCount(e: ExperimentSummary): number {
  return Object.values(e.runCounts).reduce((a, b) => a + b, 0);
}

function RunCounts({ counts }: { counts: ExperimentSummary['runCounts'] }) {
  const shown = RUN_STATUSES.filter((s) => counts[s] > 0);
  if (shown.length === 0) return <span className="muted">none</span>;
  return (
    <span className="counts" data-testid="run-counts">
      {shown.map((s) => (
        <span key={s} className={`status ${s}`} title={`${counts[s]} ${s}`}>
          {counts[s]} {s}
        </span>
      ))}
    </span>
  );
}
