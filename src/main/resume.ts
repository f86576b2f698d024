/**
 * Pausing and resuming stored runs, for the service (the app's Pause and Resume) and the CLI
 * (`aisle resume`): what is refused, with one sentence naming the field, before anything changes.
 */
import { decodeRunState, RunStateFormatError, type RunState } from '../engine/resume/format';
import { resumeProblem, stateProblems } from '../engine/resume/run-state';
import type { RunSpec } from '../engine/train';
import { ValidationError } from '../engine/params';
import type { JobPool } from './jobs/pool';
import { NotResumableError, type RunListItem, type Store } from './store';
import { deathsFrom } from './jobs/worker-deaths';

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
  }, pool.autosaveMs);
  const spec = resumed.config as RunSpec;
  // A run whose worker died from this state before says so if it dies there again (see worker-deaths.ts).
  const deaths = deathsFrom(resumed.error);
  pool.enqueue(runId, spec, state && resumed.state ? { episode: state.episode, data: resumed.state, ...(deaths > 0 ? { deaths } : {}) } : undefined);
  return { runId, experimentId: resumed.experimentId, episode: state?.episode ?? 0 };
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
