/**
 * Run detail's header: the run's number and status, with its actions (Pause, which keeps a
 * checkpoint, and Resume, which continues from it; Cancel run, asked first once it has played
 * episodes; its Q-table; Export policy; Metrics CSV; Run experiment again) and what they said;
 * and the run's experiment, which Rename names anew in place, as on the Experiments screen.
 */
import { useEffect, useRef, useState } from 'react';
import type { RunDetail, RunStatus } from '../../../shared/dto';
import { notCancelledHere } from '../../../shared/text';
import { useClient } from '../api';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { fmt } from '../format';
import { href } from '../router';
import { BlockableButton } from './blockable-button';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorLine } from './error-line';
import { ExperimentRename } from './experiment-rename';
import { saveMetricsCsv } from './policy-files';
import { ElsewhereMark, StatusBadge } from './status';
import { StatusLine } from './status-line';

interface RunHeaderProps {
  readonly run: RunDetail;
  readonly active: boolean;
  /** As the page shows it: live progress can be ahead of the stored run. */
  readonly episodesDone: number;
  /** The run was cancelled here: read it again. */
  readonly onCancelled: () => void;
  /** Metrics CSV's state, kept by Run detail (useMetricsCsvExport). */
  readonly csv: MetricsCsvExport;
}

/** Metrics CSV's export: whether one is under way, and what the last one came to. */
export interface MetricsCsvExport {
  readonly busy: boolean;
  readonly error: unknown;
  /** What was saved where, said after a save. */
  readonly saved: string | null;
  save(id: number): Promise<void>;
}

/**
 * Metrics CSV: every stored episode of every metric, saved (desktop) or downloaded (browser). Kept
 * by Run detail rather than its header: a run deleted during its download takes the header away
 * (the page says the run was deleted), and what came of the download is said there too.
 */
export function useMetricsCsvExport(): MetricsCsvExport {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (id: number) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const outcome = await saveMetricsCsv(client, id);
      if (outcome.saved) setSaved(`${outcome.episodes.toLocaleString('en-US')} episodes × ${outcome.metrics} metrics saved to ${outcome.where}.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, saved, save };
}

/**
 * Why the last Metrics CSV failed: under the header, and on the page that says the run was deleted
 * during the download, which takes the header away.
 */
export function MetricsCsvError({ csv }: { csv: Pick<MetricsCsvExport, 'error'> }) {
  return csv.error !== null ? <ErrorLine error={csv.error} prefix="Metrics CSV: " testId="metrics-csv-error" /> : null;
}

/**
 * Whether a run now reading `status` has ended a Pause pressed on it: paused, or ended otherwise
 * (completed, cancelled, failed, interrupted). Queued and running do not: a Pause pressed on a run
 * the page still showed queued, which the pool started meanwhile, reads running before paused, and
 * Pause came back enabled between the two though the pause was on its way.
 */
export function endsPause(status: RunStatus): boolean {
  return status !== 'queued' && status !== 'running';
}

export function RunHeader({ run: r, active, episodesDone, onCancelled, csv }: RunHeaderProps) {
  const client = useClient();
  const [cancelError, setCancelError] = useState<unknown>(null);
  // Cancelling a run that has played episodes throws away the rest of its training: asked first.
  const [confirmCancel, setConfirmCancel] = useState(false);
  // Cancel leaves the page once the run stops: the heading, whose badge then reads "cancelled",
  // takes focus from it rather than <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  // Metrics CSV, disabled while it exports, loses focus to <body>: it takes it back once it is done.
  const csvButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const downloadCsv = async (id: number) => {
    await csv.save(id);
    focusAfterRender(() => (focusIsLost() ? csvButton.current : null));
  };

  // Pause and Resume: what they said when refused, beside them.
  const [pauseError, setPauseError] = useState<unknown>(null);
  // The run a Pause is on its way for: the screen shows another run in the same header when the
  // address changes, which must not show it pausing too (and disabled until its own status changed).
  const [pausingId, setPausingId] = useState<number | null>(null);
  const pausing = pausingId === r.id;
  // Pause and Resume take each other's place once the run reads as paused or resumed, a moment after
  // the press, and the pressed one is disabled meanwhile: focus fell to <body>, and a keyboard user
  // started over from the top. The button that comes (or the pressed one, given back after a
  // refusal) takes focus, if nothing else has taken it since.
  const handOver = useRef<'pause-run' | 'resume-run' | null>(null);
  useEffect(() => {
    const to = handOver.current;
    const button = to && document.querySelector<HTMLButtonElement>(`[data-testid="${to}"]`);
    if (!button || button.disabled) return;
    handOver.current = null;
    if (focusIsLost()) button.focus();
  });
  // Pause asked: the button waits until the run reads as paused (or otherwise ends). runs.pause
  // answers once the worker is told, and the run reads as paused only once its block of episodes
  // under way has ended and its results so far are written: behind a fast run's backlog of results
  // (a page reading its long curves meanwhile) that took seconds, with Pause back and enabled.
  useEffect(() => {
    if (endsPause(r.status)) setPausingId(null);
  }, [r.status]);
  const pauseRun = async (id: number) => {
    setPauseError(null);
    setPausingId(id);
    handOver.current = 'resume-run';
    try {
      await client.call('runs.pause', { id });
      onCancelled(); // a queued run is paused at once; a running one once its episodes under way end (its status event reads it again)
    } catch (e) {
      handOver.current = 'pause-run';
      setPauseError(e);
      setPausingId(null);
    }
  };
  // Resume asked: the button waits until the run reads as resumed (a second click, a double click's,
  // was sent too and refused, "not paused", under a run that had resumed).
  const [resuming, setResuming] = useState(false);
  const resumingRef = useRef(false);
  useEffect(() => {
    resumingRef.current = false;
    setResuming(false);
  }, [r.status, r.resumableAt]);
  const resumeRun = async (id: number) => {
    if (resumingRef.current) return;
    resumingRef.current = true;
    setResuming(true);
    setPauseError(null);
    handOver.current = 'pause-run';
    try {
      await client.call('runs.resume', { id });
      onCancelled();
    } catch (e) {
      handOver.current = 'resume-run';
      setPauseError(e);
      resumingRef.current = false;
      setResuming(false);
    }
  };

  const cancelRun = async (id: number) => {
    const { elsewhere } = await client.call('runs.cancel', { ids: [id] });
    if (elsewhere) throw new Error(elsewhere.message); // another process trains it: where to stop it
    heading.current?.focus();
    onCancelled();
  };

  // A run interrupted by a crash continues from the state it autosaved while it trained: said beside Resume.
  const autosaved = r.status === 'interrupted' && r.resumableAt !== null && r.resumableAt > 0;

  return (
    <>
    <div className="row">
      <h1 ref={heading} tabIndex={-1} data-testid="run-title">
        Run {r.id} <StatusBadge status={r.status} />
      </h1>
      <ElsewhereMark runs={r.elsewhere ? [r] : []} />
      <span className="spacer" />
      {active && (
        <BlockableButton
          data-testid="cancel-run"
          // Another process trains it: only that one can cancel it, as the button's reason says.
          blocker={r.elsewhere ? notCancelledHere([r]) : null}
          blockerTestId="cancel-run-blocker"
          popup
          onClick={() => {
            setCancelError(null);
            if (episodesDone > 0) setConfirmCancel(true);
            else void cancelRun(r.id).catch(setCancelError);
          }}
        >
          Cancel run
        </BlockableButton>
      )}
      {active && (
        <BlockableButton
          data-testid="pause-run"
          blocker={r.elsewhere ? notCancelledHere([r]).replace('cancelled', 'paused') : null}
          blockerTestId="pause-run-blocker"
          // Under the button while focused or hovered, as Cancel's: beside it, the sentence broke the row of buttons in two.
          popup
          disabled={pausing}
          title="Stop after the episodes under way, keeping a checkpoint: Resume continues the run exactly where it stopped"
          onClick={() => void pauseRun(r.id)}
        >
          {pausing ? 'Pausing…' : 'Pause'}
        </BlockableButton>
      )}
      {r.resumableAt !== null && (
        <button
          type="button"
          data-testid="resume-run"
          title={r.resumableAt > 0 ? `Continue from its ${autosaved ? 'last autosave' : 'checkpoint'} at episode ${fmt(r.resumableAt)}: the same curves and final values as a run never stopped` : 'Start it: it had played no episode'}
          disabled={resuming}
          onClick={() => void resumeRun(r.id)}
        >
          {resuming ? 'Resuming…' : 'Resume'}
        </button>
      )}
      {autosaved && (
        <span className="muted" data-testid="resume-autosave">
          Resume continues from its last autosave, at episode {fmt(r.resumableAt!)}
        </span>
      )}
      {/* Only a run with a Q-table snapshot has one to show: not one whose snapshots are network weights (PPO, DQN on vectors), nor one that kept none (queued, or stopped before its first). */}
      {r.checkpoints.some((c) => c.kind === 'qtable') && (
        <a className="button" href={href('qtables', { a: r.id })}>
          Q-table
        </a>
      )}
      {/* Likewise a policy: every checkpoint is a Q-table or the network's weights, and a run with none has nothing to export yet (or ever, stopped before its first). */}
      {r.checkpoints.length > 0 && (
        <a className="button" href={href('policies', { export: r.id })}>
          Export policy
        </a>
      )}
      <button ref={csvButton} type="button" data-testid="metrics-csv" disabled={csv.busy || r.metrics.length === 0} onClick={() => void downloadCsv(r.id)}>
        {csv.busy ? 'Exporting…' : 'Metrics CSV'}
      </button>
      {/* It repeats the whole experiment (every seed, as the Experiments screen's Run again), not this run alone: its label says so. */}
      <a className="button" href={href('experiments', 'new', { from: r.experimentId })} title={`A new experiment from experiment #${r.experimentId}, all its seeds, to edit and launch`}>
        Run experiment again
      </a>
    </div>
    {cancelError !== null && <ErrorLine error={cancelError} />}
    {pauseError !== null && <ErrorLine error={pauseError} prefix="Run not paused or resumed: " />}
    {confirmCancel && (
      <ConfirmDialog
        title={`Cancel run ${r.id}?`}
        confirmLabel="Cancel run"
        keepLabel="Keep training"
        onClose={() => setConfirmCancel(false)}
        focusAfter={() => heading.current}
        onConfirm={() => cancelRun(r.id)}
      >
        <p>
          It has played {fmt(episodesDone)} of {fmt(r.episodesTotal)} episodes. It stops now; what it stored (its curves, checkpoints and summary) is kept, and if
          it stops between two episodes it can be resumed from there. To be sure of continuing it later, Pause it instead.
        </p>
      </ConfirmDialog>
    )}
    <MetricsCsvError csv={csv} />
    <StatusLine text={csv.saved} className="notice" testId="metrics-csv-saved" />
    </>
  );
}

/**
 * The header's experiment: its name (a link to its runs) and description, and Rename, which opens
 * the Experiments screen's editor under them. A saved name is read again at once (`onRenamed`);
 * the `experiments.changed` it causes refreshes any other screen open on it.
 */
export function RunExperiment({ run: r, onRenamed }: { run: RunDetail; onRenamed: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const rename = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  return (
    <>
      {/* The editor needs the panel's width: while it is open the experiment takes the whole row. */}
      {/* With a description, the experiment takes the whole row too: in the second of four columns a long description
          stood as a narrow column 20 lines tall, its label and agent · environment centred halfway down it. */}
      <dt className={renaming ? 'renaming' : r.experimentDescription ? 'described' : undefined}>experiment</dt>
      <dd className={renaming ? 'renaming' : r.experimentDescription ? 'described' : undefined} data-testid="run-experiment">
        <a href={href('runs', { experiment: r.experimentId })}>{r.experimentName}</a> <span className="muted">#{r.experimentId}</span>{' '}
        <button
          ref={rename}
          type="button"
          className="link"
          data-testid="rename-experiment"
          // The page is a run's: the name says it is the experiment that is renamed.
          aria-label="Rename experiment"
          aria-expanded={renaming}
          onClick={() => setRenaming(!renaming)}
        >
          Rename
        </button>
        {r.experimentDescription && (
          <p className="muted small description" data-testid="run-experiment-description">
            {r.experimentDescription}
          </p>
        )}
        {renaming && (
          <ExperimentRename
            experiment={{ id: r.experimentId, name: r.experimentName, description: r.experimentDescription }}
            onDone={(saved) => {
              setRenaming(false);
              if (saved) onRenamed();
              // Back to Rename, as a dialog gives focus back to what opened it.
              focusAfterRender(() => rename.current);
            }}
          />
        )}
      </dd>
    </>
  );
}
