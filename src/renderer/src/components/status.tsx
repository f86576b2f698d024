/** A run's status as a coloured badge, and its progress as a bar (episodes done of total). */
import type { RunStatus, RunWithStatus } from '../../../shared/dto';
import { notCancelledHere, whyNotCancelled } from '../../../shared/text';

export const ACTIVE: readonly RunStatus[] = ['queued', 'running'];

export function isActive(status: RunStatus): boolean {
  return ACTIVE.includes(status);
}

export function StatusBadge({ status, title }: { status: RunStatus; title?: string | null }) {
  return (
    <span className={`status ${status}`} data-testid="run-status" title={title ?? undefined}>
      {status}
    </span>
  );
}

/**
 * Beside the status of runs another Aisle process (`aisle run`, another window) trains or queued:
 * only that process can cancel them, which the title says in full.
 */
export function ElsewhereMark({ runs }: { runs: readonly RunWithStatus[] }) {
  if (runs.length === 0) return null;
  const why = notCancelledHere(runs);
  return (
    <span className="elsewhere small" title={why} aria-label={why} data-testid="run-elsewhere">
      {runs.length > 1 && `${runs.length} `}in another Aisle process
    </span>
  );
}

/** What stops a delete while another process trains some of the runs (null when none is): nothing is deleted until they stop there. */
export function notDeletedYet(runs: readonly RunWithStatus[]): string | null {
  return runs.length === 0 ? null : `Nothing can be deleted yet: ${whyNotCancelled(runs)}, then delete.`;
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} data-testid="run-progress">
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
