/**
 * Pausing and resuming stored runs, for the service (the app's Pause and Resume) and the CLI
 * (`aisle resume`): what is refused, with one sentence naming the field, before anything changes.
 */
import { decodeRunState, RunStateFormatError, type RunState } from '../engine/resume/format';
import { resumeProblem, stateProblems } from '../engine/resume/run-state';
import { prepareRun, type RunSpec } from '../engine/train';
import { ValidationError } from '../engine/params';
import type { JobPool } from './jobs/pool';
import { NotResumableError, type RunListItem, type Store } from './store';

export interface Resumed {
  readonly runId: number;
  readonly experimentId: number;
  /** The episode the run continues at (0: it had played none). */
  readonly episode: number;
}

/**
 * Queues a paused, cancelled or interrupted run on `pool` to continue from its checkpoint. Refuses
 * (NotFoundError, NotResumableError, ValidationError naming the field) a run that is unknown, not
 * stopped, of an agent that cannot be resumed, or whose checkpoint is missing, damaged or another
 * run's; then nothing has changed.
 */
export function resumeRun(store: Store, pool: JobPool, runId: number): Resumed {
  let state: RunState | undefined;
  const resumed = store.resumeRun(runId, ({ config, experimentId, state: bytes }) => {
    const spec = config as RunSpec;
    const problem = resumeProblem(String(spec.agent?.id));
    if (problem) throw new ValidationError([`run ${runId}: ${problem}`]);
    if (bytes === undefined) return;
    try {
      state = decodeRunState(bytes);
    } catch (e) {
      if (!(e instanceof RunStateFormatError)) throw e;
      throw new ValidationError([`checkpoint: run ${runId}'s checkpoint ${e.message}; it cannot be resumed: start the experiment again (Run again in the app, \`aisle again ${experimentId}\` in a terminal)`]);
    }
    const problems = stateProblems(spec, state);
    if (problems.length > 0) throw new ValidationError(problems.map((p) => `run ${runId}: ${p}`));
    const metric = metricSetProblem(store, runId, spec, state.episode, experimentId);
    if (metric) throw new ValidationError([metric]);
  }, pool.autosaveMs);
  const spec = resumed.config as RunSpec;
  pool.enqueue(runId, spec, state && resumed.state ? { episode: state.episode, data: resumed.state } : undefined);
  return { runId, experimentId: resumed.experimentId, episode: state?.episode ?? 0 };
}

/**
 * A run whose stored episodes hold other metrics than this build records (paused by a version
 * that had fewer, more or other ones): resumed, a new metric would start at the resume episode and
 * one no longer recorded would stop there, a run the charts, its summary and `aisle results import`
 * (every metric from episode 0 to the episodes done) do not accept; and the worker's restore, which
 * refuses a different number of metrics, would fail the run after it was queued, its saved state
 * dropped. Refused before anything changes: the run stays paused, its episodes and state as they are.
 */
function metricSetProblem(store: Store, runId: number, spec: RunSpec, episode: number, experimentId: number): string | undefined {
  if (episode === 0) return undefined;
  const stored = store.metricSeries(runId).filter((s) => s.firstEpisode < episode).map((s) => s.name);
  if (stored.length === 0) return undefined; // a run trained without metrics (the bench's reference pool)
  const recorded = prepareRun(spec).metricNames;
  const added = recorded.filter((name) => !stored.includes(name));
  const dropped = stored.filter((name) => !recorded.includes(name));
  if (added.length === 0 && dropped.length === 0) return undefined;
  const why = added.length > 0
    ? `its ${episode} episodes were recorded without metric "${added[0]}", which this version of Aisle records (it was paused by an older one): resumed, "${added[0]}" would start at episode ${episode}`
    : `its ${episode} episodes record metric "${dropped[0]}", which this version of Aisle no longer records: resumed, "${dropped[0]}" would stop at episode ${episode}`;
  return `run ${runId}: ${why}, and its results could not be charted, exported and imported as one run; start it again (Run again in the app, \`aisle again ${experimentId}\` in a terminal): this run stays paused, its episodes kept as they are`;
}

/**
 * Asks `pool` to pause a run it has (queued or training): it stops between two episodes and is
 * marked paused with its checkpoint. Refuses a run of an agent that cannot be resumed, and one this
 * pool does not have (finished, or trained by another process, which `elsewhere` says).
 */
export function pauseRun(store: Store, pool: JobPool, runId: number, elsewhere: (run: RunListItem) => string | null): void {
  const run = store.getRunItem(runId);
  const problem = resumeProblem(run.agentId);
  if (problem) throw new ValidationError([`run ${runId}: ${problem}`]);
  if (pool.pauseRun(runId)) return;
  const other = elsewhere(run);
  if (other) throw new NotResumableError(runId, other);
  throw new NotResumableError(runId, `run ${runId} is ${run.status}: only a queued or running run can be paused`);
}
