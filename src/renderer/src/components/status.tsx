/** A run's status as a coloured badge, and its progress as a bar (episodes done of total). */
import type { RunStatus } from '../../../shared/dto';
import { whyNotCancelled } from '../../../shared/text';

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
 * Beside the status of a run another Aisle process (`aisle run`, another window) trains or queued:
 * only that process can cancel it, which the title says in full.
 */
export function ElsewhereMark({ run }: { run: { readonly id: number; readonly status: RunStatus; readonly elsewhere: boolean } }) {
  if (!run.elsewhere) return null;
  const why = `Not cancelled from here: ${whyNotCancelled([run])}.`;
  return (
    <span className="elsewhere small" title={why} aria-label={why} data-testid="run-elsewhere">
      in another Aisle process
    </span>
  );
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} data-testid="run-progress">
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
