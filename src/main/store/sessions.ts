/** Which processes have the database open (one session per Store), and finding the runs whose
 * process died, running or queued, to mark them 'interrupted'. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

export const INTERRUPTED_MESSAGE = 'interrupted: the process running it stopped before the run finished';
export const QUEUED_INTERRUPTED_MESSAGE = 'interrupted: the process that queued it stopped before starting it';

export class Sessions {
  /** This Store's row in store_sessions; runs it marks running carry it as their owner. */
  readonly sessionId = randomUUID();

  private readonly insertSession;
  private readonly deleteSession;
  private readonly selectSessions;
  private readonly selectRunning;
  private readonly markInterrupted;
  private readonly selectQueued;
  private readonly markQueuedInterrupted;
  private readonly recoverTx;
  private readonly endSessionTx;

  /** @param storedReturn the run's listed return when it is marked interrupted (see Runs) */
  constructor(
    db: Database.Database,
    private readonly storedReturn: (runId: number) => number | null,
  ) {
    this.insertSession = db.prepare<[string, number, number], void>(
      `INSERT INTO store_sessions (id, pid, opened_at) VALUES (?, ?, ?)`,
    );
    this.deleteSession = db.prepare<[string], void>(`DELETE FROM store_sessions WHERE id = ?`);
    this.selectSessions = db.prepare<[], { id: string; pid: number; opened_at: number }>(`SELECT id, pid, opened_at FROM store_sessions`);
    this.selectRunning = db.prepare<[], { id: number; owner_session: string | null }>(
      `SELECT id, owner_session FROM runs WHERE status = 'running' ORDER BY id`,
    );
    this.selectQueued = db.prepare<[], { id: number; owner_session: string | null }>(
      `SELECT id, owner_session FROM runs WHERE status = 'queued' ORDER BY id`,
    );
    this.markQueuedInterrupted = db.prepare<[number, string, number], void>(
      `UPDATE runs SET status = 'interrupted', finished_at = ?, error = ?, owner_session = NULL WHERE id = ? AND status = 'queued'`,
    );
    // A crashed run's end is its last sign of life, not the moment someone noticed.
    this.markInterrupted = db.prepare<[string, number | null, number], void>(
      `UPDATE runs SET status = 'interrupted', finished_at = coalesce(progress_at, started_at), error = ?,
         owner_session = NULL, return_last100 = ?
       WHERE id = ? AND status = 'running'`,
    );

    this.recoverTx = db.transaction((): number[] => {
      const live = new Set<string>();
      for (const s of this.selectSessions.all()) {
        if (s.id === this.sessionId || isAlive(s.pid, s.opened_at)) live.add(s.id);
        else this.deleteSession.run(s.id);
      }
      const interrupted: number[] = [];
      for (const run of this.selectRunning.all()) {
        if (run.owner_session !== null && live.has(run.owner_session)) continue;
        this.markInterrupted.run(INTERRUPTED_MESSAGE, this.storedReturn(run.id), run.id);
        interrupted.push(run.id);
      }
      // A queued run waits in the memory of the process that launched it: when that process is
      // gone, nothing will ever start it. (Runs queued before owners were recorded have none: they
      // are orphans when no other process has the database open.)
      const othersLive = [...live].some((id) => id !== this.sessionId);
      const now = Date.now();
      for (const run of this.selectQueued.all()) {
        if (run.owner_session !== null ? live.has(run.owner_session) : othersLive) continue;
        this.markQueuedInterrupted.run(now, QUEUED_INTERRUPTED_MESSAGE, run.id);
        interrupted.push(run.id);
      }
      return interrupted.sort((a, b) => a - b);
    });
    this.endSessionTx = db.transaction((): number[] => {
      this.deleteSession.run(this.sessionId);
      return this.recoverTx();
    });
  }

  /** Whether another Store, in a process still alive, has the database open (its queued runs are its own). */
  otherSessionsAlive(): boolean {
    return this.selectSessions.all().some((s) => s.id !== this.sessionId && isAlive(s.pid, s.opened_at));
  }

  /** Whether a session whose process is gone is still registered (its runs then need {@link recoverInterrupted}); a read, no lock. */
  deadSessions(): boolean {
    return this.selectSessions.all().some((s) => s.id !== this.sessionId && !isAlive(s.pid, s.opened_at));
  }

  /** Registers this Store as a live session (see {@link recoverInterrupted}). */
  beginSession(): void {
    this.insertSession.run(this.sessionId, process.pid, Date.now());
  }

  /** Marks this session's still-running runs interrupted and forgets the session. */
  endSession(): number[] {
    return this.endSessionTx.immediate();
  }

  /**
   * Marks 'interrupted' every running run whose owning session is gone: closed without finishing
   * the run, or left by a process that no longer exists. Runs owned by a live process (the app
   * while the CLI looks) are left alone. Returns the ids it marked.
   */
  recoverInterrupted(): number[] {
    return this.recoverTx.immediate();
  }
}

/**
 * Whether the process that opened a session (`pid`, at `openedAt` ms) still exists. EPERM means a
 * process of that id does, under another user. A pid is reused once its process is gone (after a
 * reboot low ones surely are), so where the system tells when a process started (Linux), one
 * that started after the session opened is another process, and the session's is gone. A zombie
 * (killed, not yet reaped by its parent: a shell's job, for a moment or for as long as the parent
 * lives) answers the signal test but holds no connection: gone too.
 */
export function isAlive(pid: number, openedAt: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (stat?.state === 'Z') return false;
  const started = stat?.startMs;
  // The start time is known to a clock tick, the boot time to a second: a few seconds of slack.
  return started === undefined || started <= openedAt + 5_000;
}

/** When process `pid` started, in ms since the epoch, from Linux's /proc; undefined where there is none. */
export function processStartMs(pid: number): number | undefined {
  return procStat(pid)?.startMs;
}

/** Process `pid`'s state letter (R, S, Z…) and start time, from Linux's /proc; undefined where there is none. */
function procStat(pid: number): { state: string; startMs: number | undefined } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ", whose comm may hold spaces and parentheses, field 3 (state) comes first;
    // field 22 is the start time in clock ticks (USER_HZ, 100 on Linux) since boot.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[22 - 3]);
    bootMs ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000;
    return { state: fields[0] ?? '', startMs: Number.isFinite(ticks) && Number.isFinite(bootMs) ? bootMs + ticks * 10 : undefined };
  } catch {
    return undefined;
  }
}

/** The boot time, ms since the epoch (read once). */
let bootMs: number | undefined;
