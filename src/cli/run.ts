/**
 * `aisle run <experiment.json>`: validates the experiment, records it with one queued run per seed,
 * trains the runs on the worker pool with a progress bar each (plain lines when not a terminal),
 * and prints a summary; with `--set` values over the file's, a sweep: an experiment per combination,
 * all trained together, then compared. Ctrl-C, SIGTERM and SIGHUP cancel the runs cleanly and exit
 * 128 + the signal's number (130, 143, 129), the shell's convention, so a script can tell which.
 */
import { resolve } from 'node:path';
import { loadExperimentFile, type ExperimentOverrides } from '../main/files';
import { checkedToLaunch, noteLines, notesOf } from '../main/service/experiments';
import { sweepStorageWarnings } from '../engine/storage-estimate';
import { Lab } from '../main/lab';
import { NotFoundError, type RunRow, type Store } from '../main/store';
import { compareJson } from './compare';
import { expandSweep, type Setting, type SweepExperiment } from './sweep';
import { searchPlan, type Sample, type SearchPlan } from './search';
import { idSpans } from '../shared/text';
import { aisleCommand, autosaveOption, databaseFailure, EXIT, openStore, printJson, UsageError, warn, workerPath, type GlobalOptions } from './context';
import { goingOn, type GoingOn } from './inspect';
import { showProgress } from './run-progress';
import { onStopSignals, signalExitCode } from './signal-stop';
import { endsSeenHere, experimentSummaryText, printSweep, runReport, sweepComparison } from './run-summary';

export interface RunOptions extends GlobalOptions {
  workers?: number;
  /** Over the file's own: a smoke run without editing the file. */
  episodes?: number;
  seeds?: number;
  /** `--set path=v1,v2`, over the file's own: several values make a sweep, an experiment per combination. */
  set?: Setting[];
  /** `--sample path=log:0.001:1`: a random search of --trials experiments, each drawing every --sample (search.ts). */
  sample?: Sample[];
  trials?: number;
  searchSeed?: number;
}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const { overrides, settings, search } = runOverrides(opts);
  // Throws ValidationError before anything is written (every combination of a sweep, every trial of a search, checked first).
  const loaded = settings.length === 0 && !search ? { experiments: [{ experiment: loadExperimentFile(file, [], overrides), settings: {}, values: '' }], warnings: [] } : expandSweep(file, settings, overrides, search);
  return trainExperiments(loaded, resolve(file), opts);
}

/**
 * The options that go over the experiment's own fields: --episodes and --seeds, the --set values
 * and a random search's --sample; a field given by both is refused (usage error) before anything is read.
 */
export function runOverrides(opts: RunOptions): { overrides: ExperimentOverrides; settings: Setting[]; search: SearchPlan | undefined } {
  const overrides = { ...(opts.episodes !== undefined ? { episodes: opts.episodes } : {}), ...(opts.seeds !== undefined ? { seeds: opts.seeds } : {}) };
  const settings = opts.set ?? [];
  for (const s of settings) {
    const path = s.path.join('.');
    if (Object.hasOwn(overrides, path)) throw new UsageError(`--set ${path} and --${path} both set ${path}: give one of them`);
  }
  for (const s of opts.sample ?? []) {
    const path = s.path.join('.');
    if (Object.hasOwn(overrides, path)) throw new UsageError(`--sample ${path} and --${path} both set ${path}: give one of them`);
  }
  return { overrides, settings, search: searchPlan(opts, settings) };
}

/**
 * Records the checked experiments (one, or a sweep's) with `source` as where they came from (a
 * file's path, `aisle again`'s stored experiment), trains them and prints what they did: `aisle
 * run` from here on, for a file and a stored experiment alike.
 * @param repeat the experiments repeat a stored one (`aisle again`): named apart in the launch's transaction (Lab.launchAll)
 */
export async function trainExperiments({ experiments: loaded, warnings }: { experiments: readonly SweepExperiment[]; warnings: readonly string[] }, source: string, opts: RunOptions, repeat = false): Promise<number> {
  // A fittedTo for another env (a file edited by hand, or a --set of env) is not kept, and what is valid but
  // probably not meant (a drift shift after the last episode) is said, not refused, as the app's launch
  // replies them; once for all the sweep's experiments.
  const sweep = loaded.map(({ experiment, settings: set, values }) => ({ ...checkedToLaunch(experiment), settings: set, values }));
  for (const warning of new Set([...warnings, ...noteLines(notesOf(sweep)), ...sweepStorageWarnings(sweep.map((e) => e.experiment))])) warn(warning);
  // Renamed below as the launch recorded them: a repeat's name taken meanwhile (another `aisle again`) is renumbered.
  const experiments = sweep.map((e) => e.experiment);
  const autosave = autosaveOption(); // refused before the database opens
  const store = openStore(opts);
  const lab = new Lab(store, { workerPath: workerPath(), ...autosave, ...(opts.workers ? { size: opts.workers } : {}) });
  // A write the database refused for good (a full disk, a damaged file) stops its run, interrupted
  // (resumable from its last autosave), whose error starts with SQLite's words ("database or disk is
  // full"): said once more at the end, naming the database and what to do, as any other command's
  // database failure is.
  let databaseProblem: UsageError | undefined;
  lab.pool.on('storeError', ({ error }) => (databaseProblem ??= databaseFailure(error, opts)));
  // A run whose end the database could not record either is reported as this process saw it end.
  const endsSeen = endsSeenHere(lab.pool);
  // A service manager's stop (SIGTERM) or a closed terminal (SIGHUP) would otherwise kill the
  // process and leave the runs not yet started queued forever: all three cancel like Ctrl-C.
  // The progress bars hide the cursor and turn off line wrapping until they stop: quitting at
  // once without stopping them left the user's terminal without a cursor.
  let stopProgress = () => {};
  const what = 'cancelling after the episodes under way, each run keeping a checkpoint to resume from';
  // The first cancels the runs after the episodes under way (each keeping a checkpoint where it
  // stopped between two); a closed output (`aisle run x.json 2>&1 | head -3`) cancels them too, in
  // silence, where its EPIPE ended the process with its runs left to be found interrupted.
  const signals = onStopSignals({
    say: opts.json ? undefined : (signal) => (signal === 'SIGINT' ? `\n${what}… (Ctrl-C again to quit at once)\n` : `\n${signal}: ${what}… (${signal} again to quit at once)\n`),
    stop: () => lab.pool.cancelAll(),
    beforeQuit: () => stopProgress(),
    lostOutput: true,
  });
  try {
    const recorded = lab.launchAll(experiments, source, repeat);
    recorded.forEach((l, i) => (experiments[i] = { ...experiments[i]!, name: l.name }));
    const launched = recorded.map((l, i) => ({ ...l, experiment: experiments[i]!, values: sweep[i]!.values }));
    if (!opts.json) stopProgress = once(showProgress(lab, launched));
    await lab.pool.idle();
    stopProgress();
    const runs = launched.flatMap(({ runIds }) => runIds.flatMap((id) => storedRun(store, id))).map(endsSeen.asSeen);
    const reports = launched.map(({ experimentId, runIds }) =>
      runReport(
        experimentId,
        runs.filter((r) => runIds.includes(r.id)),
        runIds.filter((id) => !runs.some((r) => r.id === id)),
      ),
    );
    // The output names each experiment as it was launched (its progress, its summary, the comparison
    // and --json alike), even when another process renamed it meanwhile: said, so the new name is not a surprise.
    const launchNames = new Map(launched.map((l) => [l.experimentId, l.experiment.name]));
    for (const line of renamedMeanwhile(store, launchNames)) warn(line);
    const deleted = reports.flatMap((r) => r.deletedRuns ?? []);
    // Every run deleted: the summary's own line says so (a warning that "this one trained the others" would not be true).
    if (deleted.length > 0 && runs.length > 0) {
      warn(`${deleted.length === 1 ? 'run' : 'runs'} ${deleted.join(', ')} ${deleted.length === 1 ? 'was' : 'were'} deleted by another process (\`aisle delete\`, or the app) once finished, while this one trained the others: left out of the summary`);
    }
    if (launched.length === 1) {
      // The experiment's name beside its id, as a sweep's JSON gives each experiment's.
      if (opts.json) printJson({ experimentId: reports[0]!.experimentId, name: experiments[0]!.name, ...reports[0] });
      else process.stdout.write(experimentSummaryText(reports[0]!, experiments[0]!.name));
    } else if (opts.json) {
      // The comparison the human output ends with, as `aisle compare --json` prints it: a script gets everything in one call.
      const compared = signals.stoppedBy ? { ok: false as const, problem: 'cancelled before the runs finished' } : sweepComparison(store, reports, launchNames);
      printJson({
        experiments: reports.map((r, i) => ({ experimentId: r.experimentId, name: experiments[i]!.name, settings: sweep[i]!.settings, runs: r.runs, ...(r.deletedRuns ? { deletedRuns: r.deletedRuns } : {}) })),
        comparison: compared.ok ? compareJson(compared.result) : null,
        ...(compared.ok ? {} : { noComparison: compared.problem }),
      });
    } else {
      printSweep(store, reports, launchNames, signals.stoppedBy !== undefined, opts);
    }
    if (databaseProblem) process.stderr.write(`aisle: ${databaseProblem.message}\n`);
    if (signals.stoppedBy && !opts.json) offerResume(store, runs, opts);
    if (signals.stoppedBy) return signalExitCode(signals.stoppedBy);
    return endsSeen.notRecorded() || runs.some((r) => r.status === 'failed') ? EXIT.runFailed : EXIT.ok;
  } finally {
    signals.dispose();
    await lab.close();
    closeStore(store, databaseProblem !== undefined);
  }
}

/**
 * Closes the store. When the database has refused a write already (`refused`, said once), closing
 * fails for the same reason, and is not said again: the runs it could not mark are marked
 * interrupted by the next command or app to open the database.
 */
function closeStore(store: Store, refused: boolean): void {
  try {
    store.close();
  } catch (e) {
    if (!refused) throw e;
  }
}

/**
 * A line for each experiment another process (`aisle rename`, the app) renamed while this one
 * trained it, saying that the output keeps the name it was launched with; one deleted meanwhile is
 * not there to say anything of.
 */
function renamedMeanwhile(store: Store, launchNames: ReadonlyMap<number, string>): string[] {
  return [...launchNames].flatMap(([id, name]) => {
    let now: string;
    try {
      now = store.getExperiment(id).name;
    } catch (e) {
      if (e instanceof NotFoundError) return [];
      throw e;
    }
    return now === name ? [] : [`experiment ${id} was renamed ${JSON.stringify(now)} by another process (\`aisle rename\`, or the app) while this one trained it: named here ${JSON.stringify(name)}, as it was launched`];
  });
}

/**
 * After Ctrl-C: the runs that stopped between two episodes keep a checkpoint (see JobPool's
 * finished handler), and `aisle resume` continues each of them as if it had not stopped.
 */
function offerResume(store: Store, runs: readonly RunRow[], opts: GlobalOptions): void {
  const stopped = runs.filter((r) => r.status === 'cancelled').map((r) => ({ id: r.id, experimentId: r.experimentId, next: goingOn(store, r) }));
  const { lines, warnings } = stoppedRunsText(stopped, opts);
  for (const line of lines) process.stdout.write(`${line}\n`);
  for (const w of warnings) warn(w);
}

/**
 * How the runs a signal cancelled go on, as `aisle show` and `aisle runs` say it (goingOn): from
 * their checkpoint (`aisle resume`), started by `aisle resume` when they stopped before their
 * first episode (queued, or inside it), or, stopped inside a long episode past the first without a checkpoint (the JavaScript
 * path plays out only an episode ending within STOP_GRACE_STEPS), trained anew with `aisle again`:
 * a warning.
 */
export function stoppedRunsText(stopped: readonly { id: number; experimentId: number; next: GoingOn }[], opts: GlobalOptions): { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  const goingOnBy = (how: GoingOn['how']) => stopped.filter((r) => r.next.how === how);
  // Consecutive ids as a range: a Ctrl-C early in `--seeds 1000` stops 999 runs before their first episode.
  const runsText = (rs: readonly { id: number }[]) => (rs.length === 1 ? `run ${rs[0]!.id}` : `runs ${idSpans(rs.map((r) => r.id)).join(', ')}`);
  const resumable = goingOnBy('continue');
  if (resumable.length > 0) {
    lines.push(`${runsText(resumable)} ${resumable.length === 1 ? 'keeps' : 'keep'} a checkpoint: continue ${resumable.length === 1 ? 'it' : 'each'} with ${resumeCommand(resumable, opts)}`);
  }
  const unstarted = goingOnBy('start');
  if (unstarted.length > 0) {
    lines.push(`${runsText(unstarted)} stopped before ${unstarted.length === 1 ? 'its' : 'their'} first episode: ${resumeCommand(unstarted, opts)} starts ${unstarted.length === 1 ? 'it' : 'each'}`);
  }
  const lost = goingOnBy('again');
  if (lost.length > 0) {
    const experiments = [...new Set(lost.map((r) => r.experimentId))];
    warnings.push(`${runsText(lost)} stopped inside a long episode, without a checkpoint: train ${experiments.length === 1 ? 'its experiment' : 'their experiments'} again with ${experiments.map((e) => aisleCommand(opts, `again ${e}`)).join(', ')}`);
  }
  return { lines, warnings };
}

/** `aisle resume` of one run, or of `<runId>` for several, as `aisle runs` words it: one id would read as the command for all. */
function resumeCommand(runs: readonly { id: number }[], opts: GlobalOptions): string {
  return aisleCommand(opts, `resume ${runs.length === 1 ? runs[0]!.id : '<runId>'}`);
}

/** `stop`, called the first time only. */
function once(stop: () => void): () => void {
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    stop();
  };
}

/** The run as stored now, or none when another process deleted it once it had finished (a delete refuses active runs). */
function storedRun(store: Store, id: number): RunRow[] {
  try {
    return [store.getRun(id)];
  } catch (e) {
    if (e instanceof NotFoundError) return [];
    throw e;
  }
}
