/**
 * A training worker (worker_threads): receives a run, trains it with the engine, and streams
 * metric batches, checkpoints (Q-tables, network weights) and the result back. Cancelling and
 * pausing arrive through shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { networkLayout } from '../../engine/agent';
import { train, prepareRun } from '../../engine/train';
import { decodeRunState, encodeRunState } from '../../engine/resume/format';
import { CheckpointMismatchError } from '../../engine/resume/run-state';
import { MetricBatcher } from './batcher';
import { SpareColumns } from './spare-columns';
import { RunControl } from './run-control';
import { AutosaveTimer } from './autosave';
import { evaluatePolicyFile, readPolicyText } from '../policies';
import { fitLogsTask, inspectLogsText, runLogsTask } from '../logs-task';
import { compareStatistics } from '../service/compare-statistics';
import { assertNever, messageBytes, serializeError, type FromTask, type FromWorker, type StartRun, type ToWorker, type WorkerData, type WorkerTask } from './protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

/** The metric columns the pool has written and given back (a training worker's; see SpareColumns). */
const spare = new SpareColumns((workerData as WorkerData | null)?.spareColumns);

/** How long before a run's end its next-to-last batch is sent (see MetricBatcher.expectEnd). */
const END_BATCH_MS = 20;

function send(message: FromWorker | FromTask, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function runJob(msg: StartRun): void {
  const { job, spec } = msg;
  const control = new RunControl(msg.control);
  // Every message of the run is counted, with its bytes, until the pool has handled it (see
  // MOST_UNHANDLED). Past MOST_UNHANDLED_BYTES of them, it waits before posting another (a Q-table
  // snapshot can be 256 MiB): what waits for the pool stays within that and one message.
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => {
    control.waitForPool(Infinity);
    const bytes = messageBytes(message);
    control.posting(bytes);
    try {
      send(message, transfer);
    } catch (e) {
      // Not posted (a structured clone out of memory, as a large 'finished' Q-table's can be): the
      // pool will never handle it, so it is taken off the count here, or the 'failed' posted next
      // would wait behind it for good, and the run stay running.
      control.handled(bytes);
      throw e;
    }
  };
  // Until training starts, a resumed run's failure is its checkpoint's refusal (see below).
  let training = false;
  try {
    const prepared = prepareRun(spec);
    post({ type: 'started', job, metricNames: prepared.metricNames });
    const autosave = new AutosaveTimer(msg.autosaveMs, () => performance.now());
    const batcher = new MetricBatcher(
      prepared.metricNames.length,
      msg.flushMs,
      () => performance.now(),
      (start, count, columns) => {
        post({ type: 'metrics', job, start, count, columns }, columns.map((c) => c.buffer as ArrayBuffer));
        autosave.check(); // the clock is read a few times a second, never per episode
      },
      'handOver',
      spare,
    );
    const collect = msg.collectMetrics !== false;
    // A checkpoint is taken as its episode is recorded, before the episode's metrics reach the
    // batcher: it is sent after them, so that the pool writes a run's metrics up to a checkpoint
    // before the checkpoint (a process killed in between left a checkpoint past the stored episodes).
    let held: (() => void)[] = [];
    const sendHeld = () => {
      if (held.length === 0) return;
      batcher.flush();
      for (const sendOne of held) sendOne();
      held = [];
    };
    // One extra batch ~20 ms before the end, so that little is left to write once training is over.
    batcher.expectEnd(spec.episodes, END_BATCH_MS);
    const resume = msg.state ? { resume: decodeRunState(msg.state) } : {};
    training = true;
    const result = train(
      spec,
      {
        // A block at a time: one call per chunk of the WebAssembly kernel's episodes (a few ms),
        // one per episode on the JavaScript path; the flags are read after each.
        onEpisodes(first, count, rows, _width, columns) {
          if (collect) batcher.pushRows(first, count, rows, columns);
          sendHeld();
          // Paused: the results sent so far wait for a locked database. Same results, later.
          control.waitWhilePaused();
          // Far ahead of the pool (its thread busy): its messages would pile up in memory. Same results, later.
          control.waitForPool();
          // Held (the user's pause) or stopped: the run ends here, between two episodes, and keeps its state.
          return !control.stopped && !control.held;
        },
        // …and inside long episodes on the JavaScript path.
        stopRequested: () => control.stopped,
        onCheckpoint(episode, values) {
          const q = Float64Array.from(values.q);
          held.push(() => post({ type: 'checkpoint', job, episode, states: values.states, actions: values.actions, q }, [q.buffer]));
        },
        onWeights(episode, weights) {
          const params = weights.params.slice();
          const network = networkLayout(weights);
          held.push(() => post({ type: 'weights', job, episode, network, params }, [params.buffer as ArrayBuffer]));
        },
        stateWanted: () => autosave.wanted(),
        // The metrics up to the state's episode go first: the pool writes them before the state.
        onState(state) {
          batcher.flush();
          sendHeld();
          const data = encodeRunState(state);
          post({ type: 'autosave', job, episode: state.episode, data }, [data.buffer as ArrayBuffer]);
          autosave.taken(data.byteLength);
        },
      },
      prepared,
      // The state is taken only when a hook stops the run, never per episode.
      { keepState: true, ...resume },
    );
    batcher.flush();
    sendHeld();
    batcher.release();
    const state = result.state ? { episode: result.state.episode, data: encodeRunState(result.state) } : undefined;
    const weights = result.weights ? { network: networkLayout(result.weights), params: result.weights.params } : undefined;
    post({
      type: 'finished',
      job,
      status: result.status,
      episodes: result.episodes,
      steps: result.steps,
      summary: result.summary,
      ...(result.greedy ? { greedy: result.greedy } : {}),
      ...(result.values ? { values: result.values } : {}),
      ...(weights ? { weights } : {}),
      ...(state ? { state } : {}),
    }, [...(weights ? [weights.params.buffer as ArrayBuffer] : []), ...(state ? [state.data.buffer as ArrayBuffer] : [])]);
  } catch (e) {
    // A resumed run that this build cannot continue (its stored config no longer builds, or its
    // checkpoint does not fit the run: saved by an Aisle whose run held other tables or metrics)
    // has played nothing: it goes back to paused with its checkpoint, nothing lost.
    const refused = msg.state !== undefined && (!training || e instanceof CheckpointMismatchError);
    post({ type: 'failed', job, error: serializeError(e), ...(refused ? { resumeRefused: true as const } : {}) });
  }
}

/**
 * A one-off task (see run-in-worker.ts): a policy evaluation, reading a policy file, reading,
 * evaluating on or fitting a simulator to logs, a comparison's statistics, or exporting or importing
 * results. The results code is loaded only by the task that needs it: training workers never open
 * the database, and do not load SQLite.
 */
async function runTask(msg: WorkerTask): Promise<void> {
  try {
    send({ type: 'task-done', result: await taskResult(msg) });
  } catch (e) {
    send({ type: 'task-failed', error: serializeError(e) });
  }
}

/** What a task gives: every kind named, so a new one fails to compile here until it is handled. */
async function taskResult(msg: WorkerTask): Promise<unknown> {
  switch (msg.type) {
    case 'export-results':
    case 'export-results-file':
    case 'import-results':
    case 'import-results-file':
      return (await import('../results/results-task')).runResultsTask(msg);
    case 'evaluate':
      return evaluatePolicyFile(msg.policy, msg.experiment, { episodes: msg.episodes, seed: msg.seed, ...(msg.trained ? { trained: true } : {}) });
    case 'inspect-logs':
      return inspectLogsText(msg.text, msg.fileName);
    case 'read-policy':
      return readPolicyText(msg.text, msg.fileName);
    case 'fit-logs':
      return fitLogsTask(msg.request);
    case 'compare-statistics':
      return compareStatistics(msg.work);
    case 'evaluate-logs':
      return runLogsTask(msg.request, (progress) => send({ type: 'task-progress', progress }));
    default:
      return assertNever(msg, 'worker task');
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'start') runJob(msg);
  else void runTask(msg);
});
send({ type: 'ready' });
