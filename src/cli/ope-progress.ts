/**
 * `aisle ope`'s progress and stopping: a bar for the bootstrap on a terminal (stderr, as `aisle
 * run` draws its own), and Ctrl-C, SIGTERM and SIGHUP stopping the evaluation where it is, exit
 * 128 + the signal's number (130 for Ctrl-C), nothing printed. The engine's bootstrap runs on this
 * thread: the listener lets the signal in by awaiting the event loop about ten times a second.
 */
import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { bytesRead, progressLine } from './calibrate-progress';
import { opePhase, targetsWithTruth } from '../engine/ope/progress';
import type { OpeProgress, OpeProgressListener, TargetSpec } from '../engine/ope/run';
import { fmt } from './context';
import { onStopSignals, signalExitCode, signalName } from './signal-stop';

/** The bar is redrawn, and a signal let in, at most this often (ms). */
const EVERY_MS = 100;
/** The bar appears once the command has taken this long (ms). */
const SHOW_AFTER_MS = 500;

/** What the listener throws once a signal came: the evaluation stops there. */
export class OpeStopped extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}`);
    this.name = 'OpeStopped';
  }
}

/**
 * The bar's line: "resampling ████░░░░ 41% | 41,000/100,000 resamples | target 1 of 2 | 12 s", the
 * bar and the percentage for the whole evaluation, the count for the target under way (of the
 * resamples asked), "truth resamples" while a `logs` target's truth is resampled (`withTruth`).
 */
export function opeProgressLine(width: number, p: OpeProgress, seconds: number, withTruth: readonly boolean[]): string {
  const phase = opePhase(p, withTruth);
  const target = p.targets > 1 ? ` | target ${p.target + 1} of ${p.targets}` : '';
  const percent = Math.floor((100 * p.done) / p.total);
  const tail = ` ${percent}% | ${fmt(phase.done)}/${fmt(phase.of)} ${phase.truth ? 'truth resamples' : 'resamples'}${target} | ${fmt(Math.floor(seconds))} s`;
  const head = 'resampling ';
  // The bar's size the same for every phase.
  const widest = ` 100% | ${fmt(phase.of)}/${fmt(phase.of)} ${withTruth.some(Boolean) ? 'truth resamples' : 'resamples'}${target} | 00000 s`;
  const size = Math.max(10, Math.min(40, width - head.length - widest.length));
  const done = Math.round((size * p.done) / p.total);
  return `${head}${'█'.repeat(done)}${'░'.repeat(size - done)}${tail}`;
}

/** "reading logs.csv: 43 % (95 of 222 MB) | 4 s": the line while the logs are read, before the bootstrap's bar. */
export function opeReadingLine(label: string, bytes: number, size: number, seconds: number): string {
  return `reading ${label}: ${bytesRead(bytes, size)} | ${fmt(Math.floor(seconds))} s`;
}

export interface OpeStopper {
  /** The listener for the evaluation of `targets`, in their order (a `logs` one's truth is resampled too). */
  onProgress(targets: readonly TargetSpec[]): OpeProgressListener;
  /** The signal that stopped the evaluation, if one came. */
  stoppedBy(): NodeJS.Signals | undefined;
  /** Throws OpeStopped once a signal came: the logs' reading checks it as each chunk arrives. */
  check(): void;
  /** The listener of the bytes read of the file at `path` (named `label`): a line on a terminal while a large file is read. */
  reading(path: string, label: string): (bytes: number) => void;
  /** Removes the bar (the terminal's cursor shown again) and the signal handlers. */
  release(): void;
}

/** Progress on a terminal (`bar`), and the signals handled, from now until `release`. */
export function opeStopper(bar: boolean): OpeStopper {
  let drawn: cliProgress.SingleBar | undefined;
  const started = performance.now();
  let last = -Infinity;
  // The reading line, one for every file read, drawn in place until the bar (or anything else)
  // comes; its time counts from the command's start.
  let reading = { label: '', size: 0 };
  const readingLine = progressLine((bytes: number, seconds) => opeReadingLine(reading.label, bytes, reading.size, seconds), process.stderr, () => performance.now(), started);
  const clearReading = () => readingLine.release();
  const clear = () => {
    clearReading();
    drawn?.stop();
    drawn = undefined;
  };
  // The first signal stops the evaluation at the listener's next turn; a second does not wait for it.
  const signals = onStopSignals({ beforeQuit: clear });
  const onProgress = (targets: readonly TargetSpec[]): OpeProgressListener => {
    const withTruth = targetsWithTruth(targets);
    return (p) => {
      const now = performance.now();
      if (now - last < EVERY_MS && p.done < p.total) return;
      last = now;
      // A bar for a bootstrap that takes a while: a short one (the default 1,000 resamples, most often) would only flash.
      if (bar && now - started >= SHOW_AFTER_MS) {
        const seconds = (now - started) / 1000;
        if (!drawn) {
          clearReading();
          drawn = new cliProgress.SingleBar({
            format: (_options, params, payload: { progress: OpeProgress; seconds: number }) => opeProgressLine(params.maxWidth, payload.progress, payload.seconds, withTruth),
            hideCursor: true,
            clearOnComplete: true,
            stream: process.stderr,
            fps: 10,
          });
          drawn.start(p.total, p.done, { progress: p, seconds });
        } else drawn.update(p.done, { progress: p, seconds });
      }
      // The event loop's turn: a signal that came meanwhile is handled there.
      return new Promise<void>((done, stop) =>
        setImmediate(() => {
          const stoppedBy = signals.stoppedBy;
          if (stoppedBy) stop(new OpeStopped(stoppedBy));
          else done();
        }),
      );
    };
  };
  return {
    onProgress,
    stoppedBy: () => signals.stoppedBy,
    check: () => {
      if (signals.stoppedBy) throw new OpeStopped(signals.stoppedBy);
    },
    reading: (path, label) => {
      if (!bar) return () => {};
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        return () => {}; // the reading names why it cannot read the file
      }
      reading = { label, size };
      return (bytes) => {
        if (!drawn) readingLine.onProgress(bytes);
      };
    },
    release: () => {
      clear();
      signals.dispose();
    },
  };
}

/** The exit code for an evaluation a signal stopped, after saying so on stderr. */
export function stoppedExit(signal: NodeJS.Signals): number {
  process.stderr.write(`\naisle: the off-policy evaluation was stopped (${signalName(signal)}): nothing printed\n`);
  return signalExitCode(signal);
}
