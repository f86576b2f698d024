/**
 * What a run whose training worker died again from the same autosave says (see JobPool.died). A
 * worker that dies deterministically (out of memory at the same episode each time) left the run
 * interrupted with the same words after every Resume, and nothing said that resuming again would
 * die again. The count is read back from the words the run's last stop left (the run's error, which
 * Store.resumeRun hands back before it clears it): a death keeps the state it died from, so a run
 * resumed after one resumes from that very state.
 */
import { fmt } from '../../shared/text';
import { times, timesSaid } from '../repeated-stops';

/** How a worker's death begins its run's error (JobPool's reasons): what deathsFrom looks for. */
export const WORKER_CRASHED = 'the training worker crashed: ';
export const WORKER_EXITED = 'the training worker exited unexpectedly';

export const WORKER_NO_MEMORY = 'the training worker ran out of memory';

/** Node's error for a worker thread stopped at its JavaScript heap limit. */
export const WORKER_OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

/**
 * What a typed array's allocation throws when the process gets no more memory from the machine (its
 * bytes live outside the JavaScript heap: Q-tables, replay buffers, networks), reported by the
 * worker as the run's training error.
 */
export const ALLOCATION_FAILED = 'Array buffer allocation failed';

/**
 * What V8 throws (a RangeError) when a WebAssembly memory gets no memory from the machine, as Node 20
 * words it: making one ('WebAssembly.Memory(): could not allocate memory'), an instance making its own
 * ('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance'), growing one
 * ('WebAssembly.Memory.grow(): Unable to grow instance memory'); checked by making them under
 * `ulimit -v`. The engine's kernels and networks (src/engine/wasm, src/engine/nn/simd.ts) make their
 * memories as a run starts. Not 'Maximum memory size exceeded': a declared maximum, the same each time.
 */
const WASM_NO_MEMORY = /^WebAssembly\.[\w.]+\(\): (could not allocate memory|Out of memory: Cannot allocate Wasm memory|Unable to grow instance memory)/;

/** Whether a training error says the machine had no memory left for it (a typed array's or a WebAssembly memory's). */
export function machineOutOfMemory(message: string): boolean {
  return message.startsWith(ALLOCATION_FAILED) || WASM_NO_MEMORY.test(message);
}

/** Which memory a worker ran out of: its JavaScript heap (Node's limit), or the machine's. */
export type MemoryOut = 'heap' | 'machine';

/**
 * How many times the run's worker had died from the state it now resumes from, read from the error
 * its last stop left: 0 when that stop was not a worker's death (a pause, a killed process, a write
 * the store refused), else the count its words give (1 for a first death's, which names none).
 */
export function deathsFrom(error: string | null | undefined): number {
  if (!error || ![WORKER_CRASHED, WORKER_EXITED, WORKER_NO_MEMORY].some((start) => error.startsWith(start))) return 0;
  return timesSaid(error, DIED_AGAIN);
}

/** What a repeated worker death's words say before its count (see diedAgainMessage). */
const DIED_AGAIN = '; its worker has now died ';

/**
 * The error of a run whose worker died for the `deaths`th time (2 or more) from the state at
 * `episode` with no autosave since: that it will most likely die there again, and what to try. It
 * stays interrupted, resumable: given more memory, or with what stopped it dealt with, it may go on.
 */
export function diedAgainMessage(reason: string, deaths: number, episode: number, runId: number, memory?: MemoryOut): string {
  const resume = `\`aisle resume ${runId}\``;
  const again = `start the experiment again with settings that need less memory (Run again in the app, \`aisle again\` in a terminal)`;
  // A worker's heap limit is Node's (--max-old-space-size, which worker threads inherit), whatever
  // the machine has free, and each worker has its own: fewer workers would not raise it. The
  // machine's memory is shared with the runs training beside it.
  const what =
    memory === 'machine'
      ? `the machine had no memory left for it: free some (close other programs, or train fewer runs beside it: fewer workers, \`--workers 1\`), then resume it (Resume in the app, ${resume} in a terminal), or ${again}`
      : memory === 'heap'
        ? `its worker ran out of JavaScript heap at Node's limit (at most about 4,096 MB unless raised): resume it from a terminal with a higher one, \`NODE_OPTIONS=--max-old-space-size=8192 aisle resume ${runId}\` (MB; the machine needs that much free), or ${again}`
        : `resume it once what stopped its worker is dealt with (Resume in the app, ${resume} in a terminal), or start the experiment again (Run again in the app, \`aisle again\` in a terminal)`;
  return `${reason}${DIED_AGAIN}${times(deaths)} from episode ${fmt(episode)}, each time before its next autosave, so resuming it as it is will most likely stop there again: ${what}; it stays interrupted, resumable from episode ${fmt(episode)}`;
}
