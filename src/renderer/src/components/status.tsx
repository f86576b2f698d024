/** A run's status as a coloured badge, and its progress as a bar (episodes done of total). */
import type { RunStatus } from '../../../shared/dto';

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

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} data-testid="run-progress">
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
