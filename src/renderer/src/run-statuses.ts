/**
 * Run statuses as the latest word on them says: a status a run.status push told is laid over a read
 * of the list that is behind it, until a read has caught up. A read asked before a quick run finished
 * (the one a launch makes) could answer after the push that said it had, and the Runs list showed
 * "queued" for the completed run until its next read, up to half a second later.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RunStatus } from '../../shared/dto';
import { useEvent } from './api';

export interface PushedStatus {
  readonly status: RunStatus;
  /** A failed run's error, which the push carries. */
  readonly error?: string;
}

interface Row {
  readonly id: number;
  readonly status: RunStatus;
  readonly error: string | null;
}

/**
 * How far along its course a status is: queued, then running, then stopped (completed, failed,
 * cancelled, interrupted or paused). A run goes back to queued only when it is resumed, which is
 * pushed too; a read at an earlier stage than a push is one asked before it.
 */
export function statusStage(status: RunStatus): number {
  return status === 'queued' ? 0 : status === 'running' ? 1 : 2;
}

/** The rows, each with its run's pushed status where the read is at an earlier stage than the push. */
export function withPushedStatuses<T extends Row>(rows: readonly T[], pushed: ReadonlyMap<number, PushedStatus>): readonly T[] {
  if (pushed.size === 0) return rows;
  return rows.map((r) => {
    const p = pushed.get(r.id);
    if (!p || statusStage(p.status) <= statusStage(r.status)) return r;
    return { ...r, status: p.status, error: p.error ?? r.error };
  });
}

/**
 * The pushes a read has not caught up with: those of the runs it shows at the push's stage or past
 * it go (the same map when none does). A push of a run the read does not show stays: the run may
 * be on a page read later, by a read asked before the push.
 */
export function pushesAhead(pushed: ReadonlyMap<number, PushedStatus>, rows: readonly Row[]): ReadonlyMap<number, PushedStatus> {
  const caughtUp = rows.filter((r) => {
    const p = pushed.get(r.id);
    return p !== undefined && statusStage(p.status) <= statusStage(r.status);
  });
  if (caughtUp.length === 0) return pushed;
  const ahead = new Map(pushed);
  for (const r of caughtUp) ahead.delete(r.id);
  return ahead;
}

/** `rows` (one read of the list) with the statuses pushed since that it is behind. */
export function usePushedStatuses<T extends Row>(rows: readonly T[]): readonly T[] {
  const [pushed, setPushed] = useState<ReadonlyMap<number, PushedStatus>>(new Map());
  useEvent('run.status', (p) => setPushed((all) => new Map(all).set(p.runId, { status: p.status, ...(p.error !== undefined ? { error: p.error } : {}) })));
  useEffect(() => setPushed((all) => pushesAhead(all, rows)), [rows]);
  return useMemo(() => withPushedStatuses(rows, pushed), [rows, pushed]);
}
