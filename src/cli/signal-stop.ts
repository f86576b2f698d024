/**
 * Ctrl-C, SIGTERM and SIGHUP for the commands that work a while (`aisle run` and `resume`, `aisle
 * ope`, `aisle results export` and `import`): the first stops the work cleanly and may say so, a
 * second quits at once, and the command exits 128 + the signal's number (130, 143, 129), the shell's
 * convention, so a script can tell which.
 */
import { constants } from 'node:os';
import { EXIT } from './context';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A copy of the first signal that comes within this many milliseconds of it is that signal delivered
 * twice, not a second one: a terminal's Ctrl-C reaches its whole foreground process group, so under
 * `npx aisle run` the command gets it once from the terminal and once more from npm, which forwards
 * it to its child; `timeout` sends its SIGTERM to the child and to the child's group alike. Taken as
 * a second press, that copy quit at once, without the checkpoints and summary the one Ctrl-C asks
 * for (2 of 5 stops under an npm-like wrapper). A person pressing again after reading "again to
 * quit at once" takes longer than this.
 */
export const REPEAT_WINDOW_MS = 250;

/** 128 + the signal's number, as a shell reports a process a signal ended (SIGINT: 130). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const n = constants.signals[signal] as number | undefined;
  return n === undefined ? EXIT.interrupted : 128 + n;
}

/** The signal as the user gave it: Ctrl-C for SIGINT, its name for the others. */
export function signalName(signal: NodeJS.Signals): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal;
}

export interface SignalStopOptions {
  /** The first signal's line on stderr, written before `stop`; nothing said without it. */
  say?: (signal: NodeJS.Signals) => string;
  /** Stops the work (cancels the runs, aborts the worker), at the first signal. */
  stop?: (signal: NodeJS.Signals) => void;
  /** At a second signal, just before the process ends: the terminal given back, what is left said. */
  beforeQuit?: (signal: NodeJS.Signals) => void;
  /**
   * How a second signal ends the process: `exit` 128 + its number (the default), or by the `signal`
   * itself, as a program without a handler is (the shell says 130 for Ctrl-C all the same): for a
   * worker thread inside SQLite's call, which process.exit tears down into a V8 abort ("FATAL
   * ERROR: v8::ToLocalChecked Empty MaybeLocal").
   */
  quit?: 'exit' | 'signal';
  /**
   * A closed output counts as a signal too: when the reader of stdout or stderr goes away (`aisle
   * run x.json 2>&1 | head -3`), most tools are ended by SIGPIPE; Node ignores that signal and the
   * next write fails with EPIPE instead, which unhandled ended the process at once (exit 1, with
   * its work half done). With this, it stops the work as a signal does, in silence, as SIGPIPE
   * (EPIPE; exit 141, as a shell reports a process SIGPIPE ended) or SIGHUP (EIO: the terminal gone).
   */
  lostOutput?: boolean;
  /** The clock the repeat window is read on (milliseconds); a test gives its own. */
  now?: () => number;
}

export interface SignalStop {
  /** The first signal (SIGPIPE for a lost output), once one came. */
  readonly stoppedBy: NodeJS.Signals | undefined;
  /** Removes the handlers (output muted by a hangup or a lost reader stays muted). */
  dispose(): void;
}

/** Writes to stdout and stderr that fail from here on are dropped (the terminal or the pipe is gone). */
function muteOutput(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

/** Handles the stop signals from now until `dispose`. */
export function onStopSignals({ say, stop = () => {}, beforeQuit = () => {}, quit = 'exit', lostOutput = false, now = () => performance.now() }: SignalStopOptions): SignalStop {
  let stoppedBy: NodeJS.Signals | undefined;
  let stoppedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) {
      // The first signal again, delivered twice (npx, timeout): not a second press.
      if (signal === stoppedBy && now() - stoppedAt < REPEAT_WINDOW_MS) return;
      // A second signal does not wait.
      beforeQuit(signal);
      if (quit === 'exit') {
        process.exit(signalExitCode(signal));
      } else {
        for (const s of STOP_SIGNALS) process.removeAllListeners(s);
        process.kill(process.pid, signal);
      }
      return;
    }
    stoppedBy = signal;
    stoppedAt = now();
    // After a hangup the terminal is gone: writing to it fails (EIO), which must not keep the work
    // from stopping cleanly (the cancelling from reaching the database).
    if (signal === 'SIGHUP') muteOutput();
    if (say) process.stderr.write(say(signal));
    stop(signal);
  };
  let outputLost = false;
  const onWriteError = (e: NodeJS.ErrnoException) => {
    if (outputLost || (e.code !== 'EPIPE' && e.code !== 'EIO')) return;
    // Muted for good, past dispose(): a write failing after the command has ended must not end it
    // again with another code (stdout's own handler in main would exit 0).
    outputLost = true;
    muteOutput();
    if (stoppedBy) return;
    stoppedBy = e.code === 'EPIPE' ? 'SIGPIPE' : 'SIGHUP';
    stoppedAt = now(); // a closed terminal's SIGHUP, which may come just after the failed write, is the same stop
    stop(stoppedBy);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  if (lostOutput) for (const stream of [process.stdout, process.stderr]) stream.on('error', onWriteError);
  return {
    get stoppedBy() {
      return stoppedBy;
    },
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      for (const stream of [process.stdout, process.stderr]) stream.off('error', onWriteError);
    },
  };
}
