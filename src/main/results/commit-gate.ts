/**
 * The point of no return of a results export or import run in a worker thread (its rename into
 * place, its transaction's commit), shared with the thread that may stop it: one Int32 in shared
 * memory, claimed once by whichever side comes first. Stopped first, the worker does not commit;
 * past it first, the stop is declined and the work finishes, so that "nothing imported" is never
 * said of an import already committed (its connection's close, which folds a large import's WAL
 * into the database, took seconds after the commit, and a Ctrl-C then was reported as a stop).
 */
const OPEN = 0;
const STOPPED = 1;
const FINISHING = 2;

export function newCommitGate(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** On the thread that asked: true if the work is stopped before its commit (it will not commit), false if it is past it (it finishes). */
export function stopBeforeCommit(gate: SharedArrayBuffer): boolean {
  return Atomics.compareExchange(new Int32Array(gate), 0, OPEN, STOPPED) !== FINISHING;
}

/** Whether the work went past its commit point (after stopBeforeCommit declined, or a stop never came). */
export function pastCommit(gate: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(gate), 0) === FINISHING;
}

/** In the worker, just before the commit: false if it was stopped (then nothing is to be committed). No gate: true. */
export function passCommitGate(gate: SharedArrayBuffer | undefined): boolean {
  if (gate === undefined) return true;
  return Atomics.compareExchange(new Int32Array(gate), 0, OPEN, FINISHING) !== STOPPED;
}

/** The worker's error when it finds itself stopped at the gate (the thread that stopped it has stopped listening). */
export class StoppedAtGateError extends Error {
  constructor() {
    super('stopped before its commit');
  }
}
