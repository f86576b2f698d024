/**
 * The Off-policy screen's line while an evaluation runs: how far its bootstrap has resampled (the
 * `logs.progress` events: every target, and a `logs` target's truth, resampled in turn) and for how
 * long it has run, as `aisle ope` draws it on a terminal (opePhase, shared with it).
 */
import type { EventPayloads } from '../../../shared/contract';
import { opePhase } from '../../../engine/ope/progress';
import { thousands } from '../../../engine/params';
import { ProgressBar } from './status';

export type OpeProgressEvent = EventPayloads['logs.progress'];

/**
 * "Resampling: 41,000 of 100,000 (target 1 of 2), 12 s": the count the target under way's, of the
 * Resamples asked; a `logs` target's truth (`withTruth`, by target: what the other rows' policy
 * really got, resampled as many times again) counted apart first, "Resampling the truth: 1,200 of
 * 100,000". Before the first report, the logs are being read.
 */
export function opeProgressText(progress: OpeProgressEvent | null, seconds: number, withTruth: readonly boolean[]): string {
  const elapsed = `${thousands(Math.floor(seconds))} s`;
  if (progress === null) return `Reading the logs, ${elapsed}`;
  const phase = opePhase(progress, withTruth);
  const target = progress.targets > 1 ? ` (target ${progress.target + 1} of ${progress.targets})` : '';
  return `Resampling${phase.truth ? ' the truth' : ''}: ${thousands(phase.done)} of ${thousands(phase.of)}${target}, ${elapsed}`;
}

/** The line, under a bar for the whole evaluation (every target, and the truths). */
export function OpeProgress({ progress, seconds, withTruth }: { progress: OpeProgressEvent | null; seconds: number; withTruth: readonly boolean[] }) {
  return (
    <p className="ope-progress" data-testid="ope-progress">
      {progress && <ProgressBar done={progress.done} total={progress.total} label="Resampling" />} <span data-testid="ope-progress-text">{opeProgressText(progress, seconds, withTruth)}</span>
    </p>
  );
}
