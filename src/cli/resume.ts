/**
 * `aisle resume <runId>`: continues a paused, cancelled or interrupted run from its checkpoint, on
 * this process's worker pool, and prints its summary as `aisle run` does. The resumed run's
 * metrics, summary and final values are those of the run trained straight through. Ctrl-C (or
 * SIGTERM, SIGHUP) stops it again between two episodes, with a new checkpoint to resume from.
 */
import { Lab } from '../main/lab';
import { resumeRun } from '../main/resume';
import { NotResumableError } from '../main/store';
import { aisleCommand, autosaveOption, EXIT, fmt, openStore, printJson, UsageError, warn, workerPath, type GlobalOptions } from './context';
import { onStopSignals, signalExitCode, signalName } from './signal-stop';
import { endsSeenHere, runReport, summaryText } from './run-summary';
import { resumeRefused } from './inspect';

export interface ResumeOptions extends GlobalOptions {
  workers?: number;
}

export async function resumeCommand(runId: number, opts: ResumeOptions): Promise<number> {
  const autosave = autosaveOption(); // refused before the database opens
  // Not made: only a run the database holds can be resumed, so a mistyped --db (or the default
  // database on a machine where nothing ran) would be left behind empty, saying the run does not exist.
  const store = openStore(opts, { makes: false });
  const lab = new Lab(store, { workerPath: workerPath(), ...autosave, ...(opts.workers ? { size: opts.workers } : {}) });
  const signals = onStopSignals({
    say: opts.json ? undefined : (signal) => `\n${signalName(signal)}: stopping after the episodes under way, with a checkpoint… (again to quit at once)\n`,
    stop: () => lab.pool.cancelAll(),
    lostOutput: true,
  });
  // A run whose end the database could not record either is reported as this process saw it end.
  const endsSeen = endsSeenHere(lab.pool);
  try {
    let resumed;
    try {
      resumed = resumeRun(store, lab.pool, runId);
    } catch (e) {
      if (e instanceof NotResumableError) throw new UsageError(e.message);
      throw e;
    }
    const total = store.getRun(runId).episodesTotal;
    if (!opts.json) process.stderr.write(`run ${runId}: resumed at episode ${fmt(resumed.episode)} of ${fmt(total)}\n`);
    const deciles = new Set<number>();
    lab.pool.on('progress', (p) => {
      const decile = Math.floor((10 * p.episodesDone) / p.episodesTotal);
      if (opts.json || decile >= 10 || decile <= Math.floor((10 * resumed.episode) / total) || deciles.has(decile)) return;
      deciles.add(decile);
      process.stderr.write(`run ${runId}: ${fmt(p.episodesDone)}/${fmt(p.episodesTotal)} episodes\n`);
    });
    await lab.pool.idle();
    const run = endsSeen.asSeen(store.getRun(runId));
    const report = runReport(run.experimentId, [run]);
    const refused = !signals.stoppedBy && resumeRefused(run);
    const checkpoint = !refused && (run.status === 'paused' || run.status === 'cancelled') ? store.resumableAt(runId) : null;
    // As `aisle run --json` gives a lone experiment's: its id, then its name (as stored now), then the runs.
    const { experimentId, ...runs } = report;
    if (opts.json) printJson({ experimentId, name: store.getExperiment(experimentId).name, ...runs, resumedAt: resumed.episode, ...(checkpoint !== null ? { checkpointAt: checkpoint } : {}) });
    else {
      process.stdout.write(summaryText(report));
      if (checkpoint !== null) process.stdout.write(`run ${runId} stopped at episode ${fmt(checkpoint)} with a checkpoint: continue it with ${aisleCommand(opts, `resume ${runId}`)}\n`);
      else if (signals.stoppedBy) warn(`run ${runId} stopped inside an episode, without a checkpoint`);
    }
    if (signals.stoppedBy) return signalExitCode(signals.stoppedBy);
    if (refused) return EXIT.invalid;
    return run.status === 'failed' || endsSeen.notRecorded() ? EXIT.runFailed : EXIT.ok;
  } finally {
    signals.dispose();
    await lab.close();
    store.close();
  }
}
