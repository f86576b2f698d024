// A run whose whole process stops (the system's out-of-memory killer, a fatal out-of-memory in the
// app, a kill, a power cut) is marked interrupted by recovery on the next open. One that stopped
// at the same episode each time looped: Resume, the process stops again before the next autosave,
// and recovery said the same words each time. A second stop from the same autosave, none written
// since the resume, now says so and what to check (counted as a worker's deaths are: worker-deaths.ts),
// the run still interrupted and resumable there; one resumed past a new autosave is a first stop again.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { INTERRUPTED_MESSAGE, processStoppedMessage } from '../../src/main/store/sessions';
import { machineOutOfMemory } from '../../src/main/jobs/worker-deaths';
import { seedToyQLearning, storeOneRun } from '../helpers/one-run';
import { tempDir } from '../helpers/tmp';

const SPEC = seedToyQLearning({ episodes: 1000, seed: 1 });
const DATA = Uint8Array.of(1, 2, 3, 4);

/** Stored returns for episodes [start, end). */
function batch(start: number, end: number) {
  return { start, count: end - start, columns: { return: new Float32Array(end - start).fill(1) } };
}

/** The store's process dies (no orderly close), and the database is opened again, as by the next `aisle` or the app. */
function dieAndReopen(store: Store, file: string): Store {
  store.db.close();
  // Its session row stays, its pid ours and alive: pointed at one that cannot exist.
  const raw = new Database(file);
  raw.prepare('UPDATE store_sessions SET pid = ?').run(2 ** 31 - 2);
  raw.close();
  return Store.open(file);
}

/** Resumes the run and trains it to `to` with no autosave (`autosaveAt`: with one there), the process then dying. */
function resumeAndDie(store: Store, file: string, runId: number, to: number, autosaveAt?: number): Store {
  const from = store.resumeRun(runId).episode;
  store.markRunning(runId);
  // Queued and running again: the last stop's words are not the run's error while it trains.
  expect(store.getRun(runId).error).toBeNull();
  expect(store.getRunItem(runId).error).toBeNull();
  store.appendMetrics(runId, batch(from, to), to);
  if (autosaveAt !== undefined) store.autosaveRun(runId, { episode: autosaveAt, data: DATA });
  return dieAndReopen(store, file);
}

/** A run stored in `file`, running, 200 episodes of metrics in and autosaved there. */
function autosavedAt200(file: string): { store: Store; runId: number } {
  const store = Store.open(file);
  const runId = storeOneRun(store, 'killed', SPEC);
  store.markRunning(runId);
  store.appendMetrics(runId, batch(0, 200), 200);
  store.autosaveRun(runId, { episode: 200, data: DATA });
  return { store, runId };
}

const resume = (runId: number) => `Resume in the app, \`aisle resume ${runId}\` in a terminal`;
const again = (times: string, runId: number) =>
  `interrupted: the process running it stopped ${times} from episode 200 before its next autosave (the system's out-of-memory killer, a kill or a power cut: what stopped it is not known here), so resuming it as it is may stop there again: if memory is short, free some while it trains (close other programs, or train fewer runs beside it: fewer workers, \`--workers 1\`), then resume it (${resume(runId)}), or start the experiment again with settings that need less memory (Run again in the app, \`aisle again\` in a terminal); it stays interrupted, resumable from episode 200`;

describe("a run whose process stops again from the same autosave", () => {
  it('says so on the second stop and counts on, interrupted and resumable from that autosave; a new autosave starts the count again', () => {
    const file = join(tempDir(), 'aisle.db');
    const made = autosavedAt200(file);
    let store = made.store;
    const runId = made.runId;
    store.appendMetrics(runId, batch(200, 250), 250);

    store = dieAndReopen(store, file);
    expect(store.interruptedOnOpen).toEqual([runId]);
    const first = `${INTERRUPTED_MESSAGE}; it continues from its last autosave, at episode 200: resume it (${resume(runId)})`;
    expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', error: first, episodesDone: 250 });

    store = resumeAndDie(store, file, runId, 240);
    expect(store.interruptedOnOpen).toEqual([runId]);
    expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', error: again('twice', runId), episodesDone: 240 });
    expect(store.getRunItem(runId).error).toBe(again('twice', runId));
    expect(store.resumableAt(runId)).toBe(200);

    store = resumeAndDie(store, file, runId, 230);
    expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', error: again('3 times', runId) });
    expect(store.resumableAt(runId)).toBe(200);

    // Past a new autosave before it stops: a first stop from that one.
    store = resumeAndDie(store, file, runId, 300, 300);
    expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', error: `${INTERRUPTED_MESSAGE}; it continues from its last autosave, at episode 300: resume it (${resume(runId)})` });
    expect(store.resumableAt(runId)).toBe(300);

    // Ending any other way (a pause) leaves the stops' words behind.
    store.resumeRun(runId);
    store.markRunning(runId);
    store.finishRun(runId, 'paused', { summary: {}, state: { episode: 300, data: DATA } });
    expect(store.getRun(runId)).toMatchObject({ status: 'paused', error: null });
    store = resumeAndDie(store, file, runId, 310);
    expect(store.getRun(runId).error).toBe(`${INTERRUPTED_MESSAGE}; it continues from its last autosave, at episode 300: resume it (${resume(runId)})`);
    store.close();
  });

  it('keeps the count through a stop while the resumed run waited in the queue, which says nothing of where it stops', () => {
    const file = join(tempDir(), 'aisle.db');
    const made = autosavedAt200(file);
    let store = made.store;
    const runId = made.runId;
    store = dieAndReopen(store, file);
    store = resumeAndDie(store, file, runId, 240);
    expect(store.getRun(runId).error).toBe(again('twice', runId));
    // Resumed, and its process killed before its worker took it up (`aisle resume` killed as it
    // started): the run's words stay its two stops from episode 200, rather than "the process that
    // queued it stopped before starting it", after which the next stop there counted as a first.
    store.resumeRun(runId);
    store = dieAndReopen(store, file);
    expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', error: again('twice', runId) });
    expect(store.resumableAt(runId)).toBe(200);
    store = resumeAndDie(store, file, runId, 230);
    expect(store.getRun(runId).error).toBe(again('3 times', runId));
    store.close();
  });

  it("counts only the process's stops: a worker's death before, or a stop from another episode, make a first", () => {
    const worker = 'the training worker exited unexpectedly (code 3); it continues from its last autosave, at episode 200: resume it';
    expect(processStoppedMessage(4, 200, worker)).toMatch(/^interrupted: the process running it stopped before the run finished; it continues from its last autosave, at episode 200/);
    expect(processStoppedMessage(4, 1200, again('twice', 4))).toMatch(/stopped before the run finished; it continues from its last autosave, at episode 1,200/);
    expect(processStoppedMessage(4, 200, again('twice', 4))).toBe(again('3 times', 4));
    expect(processStoppedMessage(4, null, null)).toBe(INTERRUPTED_MESSAGE);
  });
});

describe('machineOutOfMemory', () => {
  it("takes a typed array's and a WebAssembly memory's failures for the machine's memory, not a declared maximum or another RangeError", () => {
    expect(machineOutOfMemory('Array buffer allocation failed')).toBe(true);
    expect(machineOutOfMemory('WebAssembly.Memory(): could not allocate memory')).toBe(true);
    expect(machineOutOfMemory('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance')).toBe(true);
    expect(machineOutOfMemory('WebAssembly.instantiate(): Out of memory: Cannot allocate Wasm memory for new instance')).toBe(true);
    expect(machineOutOfMemory('WebAssembly.Memory.grow(): Unable to grow instance memory')).toBe(true);
    expect(machineOutOfMemory('WebAssembly.Memory.grow(): Maximum memory size exceeded')).toBe(false);
    expect(machineOutOfMemory('Invalid array length')).toBe(false);
  });
});
