/**
 * `aisle resume <runId>`: continues a paused, cancelled or interrupted run from its checkpoint, on
 * this process's worker pool, and prints its summary as `aisle run` does. The resumed run's
 * metrics, summary and final values are those of the run trained straight through. Ctrl-C (or
 * SIGTERM, SIGHUP) stops it again between two episodes, with a new checkpoint to resume from.
 */
import { Lab } from '../main/lab';
import { resumeRun } from '../main/resume';
import { NotResumableError } from '../main/store';
import { aisleCommand, EXIT, openStore, printJson, UsageError, warn, workerPath, type GlobalOptions } from './context';
import { runReport, signalExitCode, STOP_SIGNALS, summaryText } from './run';

export interface ResumeOptions extends GlobalOptions {
  workers?: number;
}

export async function resumeCommand(runId: number, opts: ResumeOptions): Promise<number> {
  const store = openStore(opts);
  const lab = new Lab(store, { workerPath: workerPath(), ...(opts.workers ? { size: opts.workers } : {}) });
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(signalExitCode(signal)); // a second signal does not wait
    interrupted = signal;
    if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    if (!opts.json) process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the episodes under way, with a checkpoint… (again to quit at once)\n`);
    lab.pool.cancelAll();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    let resumed;
    try {
      resumed = resumeRun(store, lab.pool, runId);
    } catch (e) {
      if (e instanceof NotResumableError) throw new UsageError(e.message);
      throw e;
    }
    const total = store.getRun(runId).episodesTotal;
    if (!opts.json) process.stderr.write(`run ${runId}: resumed at episode ${resumed.episode} of ${total}\n`);
    const deciles = new Set<number>();
    lab.pool.on('progress', (p) => {
      const decile = Math.floor((10 * p.episodesDone) / p.episodesTotal);
      if (opts.json || decile >= 10 || decile <= Math.floor((10 * resumed.episode) / total) || deciles.has(decile)) return;
      deciles.add(decile);
      process.stderr.write(`run ${runId}: ${p.episodesDone}/${p.episodesTotal} episodes\n`);
    });
    await lab.pool.idle();
    const run = store.getRun(runId);
    const report = runReport(run.experimentId, [run]);
    const checkpoint = run.status === 'paused' || run.status === 'cancelled' ? store.resumableAt(runId) : null;
    if (opts.json) printJson({ ...report, resumedAt: resumed.episode, ...(checkpoint !== null ? { checkpointAt: checkpoint } : {}) });
    else {
      process.stdout.write(summaryText(report));
      if (checkpoint !== null) process.stdout.write(`run ${runId} stopped at episode ${checkpoint} with a checkpoint: continue it with ${aisleCommand(opts, `resume ${runId}`)}\n`);
      else if (interrupted) warn(`run ${runId} stopped inside an episode, without a checkpoint`);
    }
    if (interrupted) return signalExitCode(interrupted);
    return run.status === 'failed' ? EXIT.runFailed : EXIT.ok;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    await lab.close();
    store.close();
  }
}
