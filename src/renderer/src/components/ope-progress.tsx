/**
 * The Off-policy screen's line while an evaluation runs: how far its bootstrap has resampled (the
 * `logs.progress` events: every target, and a `logs` target's truth, resampled in turn) and for how
 * long it has run, as `aisle ope` draws it on a terminal.
 */
import type { EventPayloads } from '../../../shared/contract';
import { thousands } from '../../../engine/params';
import { ProgressBar } from './status';

export type OpeProgressEvent = EventPayloads['logs.progress'];

/**
 * "Resampling: 41,000 of 100,000 (target 1 of 2), 12 s"; before the first report, the logs are
 * being read. `resamples`, the Resamples asked (each target's), when known: a total past resamples ×
 * targets (a target of other rows' policy, resampled again for what it really got) says why, or
 * Resamples 100,000 with that one target read "1,200 of 200,000" unexplained.
 */
export function opeProgressText(progress: OpeProgressEvent | null, seconds: number, resamples?: number): string {
  const elapsed = `${thousands(Math.floor(seconds))} s`;
  if (progress === null) return `Reading the logs, ${elapsed}`;
  const notes: string[] = [];
  if (progress.targets > 1) notes.push(`target ${progress.target + 1} of ${progress.targets}`);
  if (resamples !== undefined && progress.total > resamples * progress.targets) {
    notes.push(`${thousands(resamples)} each, and again for what the other rows' policy really got`);
  }
  return `Resampling: ${thousands(progress.done)} of ${thousands(progress.total)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}, ${elapsed}`;
}

export function OpeProgress({ progress, seconds, resamples }: { progress: OpeProgressEvent | null; seconds: number; resamples?: number }) {
  return (
    <p className="ope-progress" data-testid="ope-progress">
      {progress && <ProgressBar done={progress.done} total={progress.total} label="Resampling" />} <span data-testid="ope-progress-text">{opeProgressText(progress, seconds, resamples)}</span>
    </p>
  );
}
