/**
 * `aisle shop calibrate`'s progress on a terminal: a line on stderr, redrawn in place, while it reads
 * the events file (twice) and groups the items into categories. A file near the 256 MB limit takes
 * half a minute, and `--items 2000` adds some 17 s of grouping: without it the command sat silent.
 */
import { thousands } from '../engine/params';

/** Where the calibration is. */
export type CalibrationProgress =
  | { readonly step: 'read'; readonly pass: 1 | 2; readonly bytes: number; readonly size: number }
  | { readonly step: 'group'; readonly items: number; readonly categories: number };

/** The line appears once the command has taken this long (ms): a small file is done before. */
const SHOW_AFTER_MS = 500;
/** The line is redrawn at most this often (ms). */
const EVERY_MS = 100;

const MB = 1024 * 1024;

/** "calibrating events.csv: reading, pass 1 of 2, 43 % (85 of 197 MB) | 12 s", or the grouping's. */
export function calibrationProgressLine(label: string, p: CalibrationProgress, seconds: number): string {
  const time = ` | ${thousands(Math.floor(seconds))} s`;
  if (p.step === 'group') return `calibrating ${label}: grouping ${thousands(p.items)} items into ${thousands(p.categories)} co-purchase categories${time}`;
  return `calibrating ${label}: reading, pass ${p.pass} of 2, ${bytesRead(p.bytes, p.size)}${time}`;
}

/**
 * "43 % (85 of 197 MB)": how far a file of `size` bytes has been read (aisle ope's and logs mdp's
 * reading lines say it too); "85 MB" read from a pipe, whose size is not known (0).
 */
export function bytesRead(bytes: number, size: number): string {
  if (!(size > 0)) return `${thousands(Math.round(bytes / MB))} MB`;
  const percent = Math.min(100, Math.floor((100 * bytes) / size));
  return `${percent} % (${thousands(Math.round(bytes / MB))} of ${thousands(Math.max(1, Math.round(size / MB)))} MB)`;
}

export interface ProgressLine<P> {
  readonly onProgress: (p: P) => void;
  /** Clears the line (the terminal as it was before). */
  release(): void;
}

/**
 * A progress line on `out` (a terminal's stderr), `columns` wide at most, in the words `format` gives
 * `p` after `seconds`: the seconds since `started` (default: now), which the line waits SHOW_AFTER_MS past.
 */
export function progressLine<P>(format: (p: P, seconds: number) => string, out: { write(text: string): unknown; columns?: number }, now: () => number = () => performance.now(), started = now()): ProgressLine<P> {
  let last = -Infinity;
  let drawn = false;
  return {
    onProgress(p) {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - last < EVERY_MS) return;
      last = t;
      const width = Math.max(20, (out.columns || 80) - 1); // a pseudo-terminal may say 0
      out.write(`\r${format(p, (t - started) / 1000).slice(0, width)}\x1b[K`);
      drawn = true;
    },
    release() {
      if (drawn) out.write('\r\x1b[K');
      drawn = false;
    },
  };
}
