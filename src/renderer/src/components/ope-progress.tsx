/**
 * The Off-policy screen's line while an evaluation runs: how far its bootstrap has resampled (the
 * `logs.progress` events: every target, and a `logs` target's truth, resampled in turn) and for how
 * long it has run, as `aisle ope` draws it on a terminal.
 */
import type { EventPayloads } from '../../../shared/contract';
import { thousands } from '../../../engine/params';
import { ProgressBar } from './status';

export type OpeProgressEvent = EventPayloads['logs.progress'];

/** "Resampling: 41,000 of 100,000 (target 1 of 2), 12 s"; before the first report, the logs are being read. */
export function opeProgressText(progress: OpeProgressEvent | null, seconds: number): string {
  const elapsed = `${thousands(Math.floor(seconds))} s`;
  if (progress === null) return `Reading the logs, ${elapsed}`;
  const target = progress.targets > 1 ? ` (target ${progress.target + 1} of ${progress.targets})` : '';
  return `Resampling: ${thousands(progress.done)} of ${thousands(progress.total)}${target}, ${elapsed}`;
}

export function OpeProgress({ progress, seconds }: { progress: OpeProgressEvent | null; seconds: number }) {
  return (
    <p className="ope-progress" data-testid="ope-progress">
      {progress && <ProgressBar done={progress.done} total={progress.total} label="Resampling" />} <span data-testid="ope-progress-text">{opeProgressText(progress, seconds)}</span>
    </p>
  );
}
