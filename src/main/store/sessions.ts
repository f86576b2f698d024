/** Which processes have the database open (one session per Store), and finding the runs whose
 * process died, running or queued, to mark them 'interrupted'. */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { fmt } from '../../shared/text';
import { episodeSaid, times, timesSaid } from '../repeated-stops';

/** How recovery begins the error of a running run whose process is gone. */
export const PROCESS_STOPPED = 'interrupted: the process running it stopped';
export const INTERRUPTED_MESSAGE = `${PROCESS_STOPPED} before the run finished`;
export const QUEUED_INTERRUPTED_MESSAGE = 'interrupted: the process that queued it stopped before starting it';

/** How often a live session says so (store_sessions.seen_at), ms. */
export const HEARTBEAT_MS = 30_000;

/**
 * How long a session in another pid namespace (see {@link hostKey}) may go without saying it is
 * alive before it is taken for gone, ms: six heartbeats. Generous, because taking a live process
 * for gone interrupts its runs (they then stop at their next write: see Runs), while a dead one
 * taken for alive only leaves its runs 'running' a few minutes longer. A heartbeat is late while its
 * process's thread is busy (a long delete, a wait for the write lock, `docker pause`); the clocks
 * agree, as two processes sharing a WAL database share a kernel (WAL does not work across machines).
 */
export const STALE_AFTER_MS = 3 * 60_000;

/** A store_sessions row. host and seen_at are NULL in the rows of builds before migration 13. */
interface SessionRow {
  id: string;
  pid: number;
  opened_at: number;
  host: string | null;
  seen_at: number | null;
}

export class Sessions {
  /** This Store's row in store_sessions; runs it marks running carry it as their owner. */
  readonly sessionId = randomUUID();

  private readonly insertSession;
  private readonly touchSession;
  private readonly deleteSession;
  private readonly selectSessions;
  private readonly selectRunning;
  private readonly markInterrupted;
  private readonly selectQueued;
  private readonly markQueuedInterrupted;
  private readonly recoverTx;
  private readonly endSessionTx;
  /** When {@link beginSession} registered this session (ms); undefined before. */
  private openedAt: number | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  /**
   * @param storedReturn the run's listed return when it is marked interrupted (see Runs)
   * @param withoutWaiting runs a write so that a database another process has locked refuses it at
   *   once (see Store.withoutWaiting): a heartbeat never stops the thread for the busy timeout
   */
  constructor(
    private readonly db: Database.Database,
    private readonly storedReturn: (runId: number) => number | null,
    private readonly withoutWaiting: (write: () => void) => void = (write) => write(),
  ) {
    this.insertSession = db.prepare<[string, number, number, string, number], void>(
      `INSERT INTO store_sessions (id, pid, opened_at, host, seen_at) VALUES (?, ?, ?, ?, ?)`,
    );
    // An upsert: a process that took this one for gone deleted its row, which the next beat puts back.
    this.touchSession = db.prepare<[string, number, number, string, number], void>(
      `INSERT INTO store_sessions (id, pid, opened_at, host, seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
    );
    this.deleteSession = db.prepare<[string], void>(`DELETE FROM store_sessions WHERE id = ?`);
    this.selectSessions = db.prepare<[], SessionRow>(`SELECT id, pid, opened_at, host, seen_at FROM store_sessions`);
    // With the episode of its autosave, and the error its process's last stop left, which a run
    // resumed after one keeps, unread, while it trains (see RunStates.requeue).
    this.selectRunning = db.prepare<[], { id: number; owner_session: string | null; error: string | null; autosaved: number | null }>(
      `SELECT r.id, r.owner_session, r.error, s.episode AS autosaved FROM runs r LEFT JOIN run_states s ON s.run_id = r.id
       WHERE r.status = 'running' ORDER BY r.id`,
    );
    this.selectQueued = db.prepare<[], { id: number; owner_session: string | null }>(
      `SELECT id, owner_session FROM runs WHERE status = 'queued' ORDER BY id`,
    );
    // A resumed run queued again keeps its last stop's words (RunStates.requeue): stopped before a
    // worker took it up, it stays as they say (its stops from its autosave, counted on should it
    // stop there again), rather than "the process that queued it stopped…", after which the next
    // stop from the same autosave counted as a first.
    this.markQueuedInterrupted = db.prepare<[number, string, string, number], void>(
      `UPDATE runs SET status = 'interrupted', finished_at = ?, error = CASE WHEN instr(error, ?) = 1 THEN error ELSE ? END, owner_session = NULL
       WHERE id = ? AND status = 'queued'`,
    );
    // A crashed run's end is its last sign of life, not the moment someone noticed.
    this.markInterrupted = db.prepare<[string, number | null, number], void>(
      `UPDATE runs SET status = 'interrupted', finished_at = coalesce(progress_at, started_at), error = ?,
         owner_session = NULL, return_last100 = ?
       WHERE id = ? AND status = 'running'`,
    );

    // `selfAlive`: false once this session has ended (its own runs are then left over too). While
    // it lives it counts as live even when its row is gone: a process that took it for gone
    // deleted it (the next heartbeat puts it back), and its runs are not this process's to interrupt.
    this.recoverTx = db.transaction((selfAlive: boolean): number[] => {
      const now = Date.now();
      const live = new Set<string>(selfAlive ? [this.sessionId] : []);
      for (const s of this.selectSessions.all()) {
        if (s.id === this.sessionId ? selfAlive : sessionAlive(s, now)) live.add(s.id);
        else this.deleteSession.run(s.id);
      }
      const interrupted: number[] = [];
      for (const run of this.selectRunning.all()) {
        if (run.owner_session !== null && live.has(run.owner_session)) continue;
        this.markInterrupted.run(processStoppedMessage(run.id, run.autosaved, run.error), this.storedReturn(run.id), run.id);
        interrupted.push(run.id);
      }
      // A queued run waits in the memory of the process that launched it: when that process is
      // gone, nothing will ever start it. (Runs queued before owners were recorded have none: they
      // are orphans when no other process has the database open.)
      const othersLive = [...live].some((id) => id !== this.sessionId);
      for (const run of this.selectQueued.all()) {
        if (run.owner_session !== null ? live.has(run.owner_session) : othersLive) continue;
        this.markQueuedInterrupted.run(now, PROCESS_STOPPED, QUEUED_INTERRUPTED_MESSAGE, run.id);
        interrupted.push(run.id);
      }
      return interrupted.sort((a, b) => a - b);
    });
    this.endSessionTx = db.transaction((): number[] => {
      this.deleteSession.run(this.sessionId);
      return this.recoverTx(false);
    });
  }

  /** Whether another Store, in a process still alive, has the database open (its queued runs are its own). */
  otherSessionsAlive(): boolean {
    const now = Date.now();
    return this.selectSessions.all().some((s) => s.id !== this.sessionId && sessionAlive(s, now));
  }

  /** Whether a session whose process is gone is still registered (its runs then need {@link recoverInterrupted}); a read, no lock. */
  deadSessions(): boolean {
    const now = Date.now();
    return this.selectSessions.all().some((s) => s.id !== this.sessionId && !sessionAlive(s, now));
  }

  /**
   * Registers this Store as a live session (see {@link recoverInterrupted}), and says it is alive
   * every HEARTBEAT_MS until {@link endSession}, for processes in other pid namespaces.
   */
  beginSession(): void {
    const now = Date.now();
    this.insertSession.run(this.sessionId, process.pid, now, hostKey(), now);
    this.openedAt = now;
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    // A command (`aisle run`) ends when its work does, not at its next beat.
    this.heartbeat.unref?.();
  }

  /** Marks this session's still-running runs interrupted and forgets the session. */
  endSession(): number[] {
    this.stopHeartbeat();
    return this.endSessionTx.immediate();
  }

  /**
   * Moves this session's seen_at to now (its row put back if another process deleted it). Skipped
   * while the database is locked, read-only or full: a session is taken for gone only after
   * STALE_AFTER_MS without a beat, and the next one may get through. From a timer, so it never
   * throws; a database closed under it (a test's crash, a Store never closed) ends the beats.
   */
  private beat(): void {
    if (!this.db.open) return this.stopHeartbeat();
    if (this.openedAt === undefined || this.db.inTransaction) return;
    const openedAt = this.openedAt;
    try {
      this.withoutWaiting(() => this.touchSession.run(this.sessionId, process.pid, openedAt, hostKey(), Date.now()));
    } catch {
      // Tried again at the next beat (see above).
    }
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * Marks 'interrupted' every running run whose owning session is gone: closed without finishing
   * the run, or left by a process that no longer exists. Runs owned by a live process (the app
   * while the CLI looks) are left alone. Returns the ids it marked.
   */
  recoverInterrupted(): number[] {
    return this.recoverTx.immediate(true);
  }
}

/**
 * How many times a run's process had stopped from the autosave its error names (see
 * processStoppedMessage): 0 when that error is not recovery's (a worker's death, a pause), else the
 * count its words give (1 for a first stop's, which names none).
 */
export function processStopsFrom(error: string | null | undefined): number {
  return error?.startsWith(PROCESS_STOPPED) ? timesSaid(error, `${PROCESS_STOPPED} `) : 0;
}

/**
 * The error of a running run whose process is gone (recovery), its autosave at episode `autosaved`
 * (null without one) and `before` the error its process's last stop left, when it was resumed after
 * one. A process that stops at the same episode each time (the system's out-of-memory killer, a
 * fatal out-of-memory in the app) left it interrupted with the same words after every Resume; a
 * second stop from the same autosave, none written since its resume, now says so and what to
 * check, counted as worker-deaths.ts counts a worker's deaths. What stopped it cannot be told (an
 * out-of-memory kill, a `kill -9`, a power cut look alike): said plainly. It stays interrupted.
 */
export function processStoppedMessage(runId: number, autosaved: number | null, before: string | null): string {
  if (autosaved === null) return INTERRUPTED_MESSAGE;
  const at = fmt(autosaved);
  const resume = `Resume in the app, \`aisle resume ${runId}\` in a terminal`;
  const stops = before !== null && episodeSaid(before) === autosaved ? processStopsFrom(before) + 1 : 1;
  if (stops === 1) return `${INTERRUPTED_MESSAGE}; it continues from its last autosave, at episode ${at}: resume it (${resume})`;
  return (
    `${PROCESS_STOPPED} ${times(stops)} from episode ${at} before its next autosave (the system's out-of-memory killer, a kill or a power cut: ` +
    `what stopped it is not known here), so resuming it as it is may stop there again: if memory is short, free some while it trains ` +
    `(close other programs, or train fewer runs beside it: fewer workers, \`--workers 1\`), then resume it (${resume}), or start the ` +
    `experiment again with settings that need less memory (Run again in the app, \`aisle again\` in a terminal); it stays interrupted, resumable from episode ${at}`
  );
}

/**
 * Where this process's pids mean something: `<hostname>/<pid namespace>` ("box/pid:[4026531836]"),
 * read once. Two containers sharing the database through a volume (or a container and its host)
 * have different ones, and one's pids say nothing of the other's processes. Just the hostname where
 * the system shows no pid namespace (macOS, Windows, a /proc that hides it).
 */
export function hostKey(): string {
  if (ownHost === undefined) {
    let namespace: string | undefined;
    try {
      namespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      namespace = undefined;
    }
    ownHost = namespace === undefined ? hostname() : `${hostname()}/${namespace}`;
  }
  return ownHost;
}

let ownHost: string | undefined;

/**
 * Whether a session's process is alive, at `now` (ms). One in this pid namespace is asked by its
 * pid ({@link isAlive}: exact, at once); one elsewhere, whose pid names nothing here or another
 * process, by its heartbeat: alive until STALE_AFTER_MS have passed without one. A session of a
 * build before migration 13 (host NULL: a process that opened the database before it was upgraded)
 * is judged by its pid, as that build judged it: it never beats, so its pid is the only sign there
 * is, and it is right wherever the database was not shared across pid namespaces.
 */
export function sessionAlive(s: Pick<SessionRow, 'pid' | 'opened_at' | 'host' | 'seen_at'>, now: number): boolean {
  if (s.host === null || s.host === hostKey()) return isAlive(s.pid, s.opened_at);
  return now - (s.seen_at ?? s.opened_at) <= STALE_AFTER_MS;
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
