/**
 * The state a stopped run continues from (run_states, one row per run). A paused or cancelled run's
 * is written in the transaction that records its end, so a run is never paused without its state
 * nor left with a state that does not match its stored metrics. A running run's is its autosave,
 * replaced every minute or so: kept only when its metrics reach its episode, so that a run killed
 * with its process (interrupted) resumes from it, its metrics past it cut back (see Store.resumeRun).
 * Handed back when the run is resumed.
 */
import type Database from 'better-sqlite3';
import { NotFoundError, NotResumableError } from './errors';
import { parseStored } from './records';
import type { RunStatus } from './types';
import { DEFAULT_AUTOSAVE_MS } from '../autosave-settings';
import { PROCESS_STOPPED } from './sessions';

/** An interval in words: "60 s", "0.2 s". */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/**
 * The statement that keeps a run's state, its one row replaced when it has one: `source` gives the
 * row's run_id, episode, created_at and data (VALUES, or a SELECT, which needs a WHERE for SQLite
 * to read the ON CONFLICT after it as the upsert's).
 */
function upsertState(source: string): string {
  return `INSERT INTO run_states (run_id, episode, created_at, data) ${source}
    ON CONFLICT (run_id) DO UPDATE SET episode = excluded.episode, created_at = excluded.created_at, data = excluded.data`;
}

/** What resuming a run hands the pool: its spec (the stored config) and the state it continues from. */
export interface ResumedRun {
  readonly config: unknown;
  readonly experimentId: number;
  /** The run-state bytes (src/engine/resume/format.ts); none for a run paused before it started. */
  readonly state?: Uint8Array;
  /** The episode the state continues at (0 without one). */
  readonly episode: number;
  /** Why the run stopped last (its error as it was queued again, after which it is not read); none when it said nothing. */
  readonly error?: string;
}

/** The statuses a run may be resumed from. */
export const RESUMABLE_FROM: readonly RunStatus[] = ['paused', 'cancelled', 'interrupted'];

export class RunStates {
  private readonly upsert;
  private readonly upsertRunning;
  private readonly remove;
  private readonly select;
  private readonly selectRun;
  private readonly toQueued;

  /** @param sessionId the session (see Sessions) whose queue holds the runs it queues again */
  constructor(
    private readonly db: Database.Database,
    private readonly sessionId: string,
  ) {
    this.upsert = db.prepare<[number, number, number, Uint8Array], void>(upsertState('VALUES (?, ?, ?, ?)'));
    // The stored metrics reach the episode (they are written first, in order): never a state ahead of them.
    this.upsertRunning = db.prepare<[number, number, number, Uint8Array, number, number], void>(
      upsertState(`SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ? AND status = 'running' AND episodes_done >= ?)`),
    );
    this.remove = db.prepare<[number], void>('DELETE FROM run_states WHERE run_id = ?');
    this.select = db.prepare<[number], { episode: number; data: Buffer }>('SELECT episode, data FROM run_states WHERE run_id = ?');
    this.selectRun = db.prepare<[number], { status: RunStatus; episodes_done: number; experiment_id: number; config: string; error: string | null }>(
      'SELECT status, episodes_done, experiment_id, config, error FROM runs WHERE id = ?',
    );
    // Owned by the session that queues it again, as a new run is by the one that creates it: a
    // queued run with no owner is one recovery takes for abandoned when no other process is open,
    // and it marked the app's own resumed run interrupted while it waited for a worker. The summary,
    // greedy evaluation and listed return a pause or cancel stored were of the episodes played by
    // then: kept, a resumed run still training, or interrupted by a crash, read as that of its first
    // episodes (`aisle show`, `aisle runs`); without them it is read from its stored episodes.
    // The words of a stop of its process (recovery's) are kept, unread while it is queued or running
    // (errorColumn): should its process stop again before its next autosave, recovery counts the
    // stops from that autosave by them (processStoppedMessage). Any end it reaches replaces them.
    this.toQueued = db.prepare<[string, string, number], void>(
      `UPDATE runs SET status = 'queued', finished_at = NULL, error = CASE WHEN instr(error, ?) = 1 THEN error END, summary = NULL, greedy = NULL,
         return_last100 = NULL, owner_session = ? WHERE id = ?`,
    );
  }

  /** Keeps `data` as the run's state after `episode` episodes (replacing an earlier one). */
  save(runId: number, episode: number, data: Uint8Array, at = Date.now()): void {
    this.upsert.run(runId, episode, at, data);
  }

  /**
   * Keeps `data` as a running run's autosave after `episode` episodes, replacing its last one; not
   * when the run is no longer running or its stored episodes do not reach `episode`. Returns whether it was kept.
   */
  autosave(runId: number, episode: number, data: Uint8Array, at = Date.now()): boolean {
    return this.upsertRunning.run(runId, episode, at, data, runId, episode).changes > 0;
  }

  /** Drops the run's state (it ended, or stopped where no state could be taken). */
  drop(runId: number): void {
    this.remove.run(runId);
  }

  /** The episode the run's state continues at, or null when it has none. */
  episodeOf(runId: number): number | null {
    return this.select.get(runId)?.episode ?? null;
  }

  /**
   * Queues a paused, cancelled or interrupted run again and hands back what it continues from, in
   * one transaction (the caller's). Refuses a run that is unknown, not stopped, or that played
   * episodes but has no state to continue from (interrupted by a crash before its first autosave,
   * written every `autosaveMs` while it trains), and whatever `check` throws for what it would resume.
   */
  requeue(runId: number, check: (resumed: ResumedRun) => void = () => {}, autosaveMs = DEFAULT_AUTOSAVE_MS): ResumedRun {
    const run = this.selectRun.get(runId);
    if (run === undefined) throw new NotFoundError('run', runId);
    if (!RESUMABLE_FROM.includes(run.status)) {
      const why = run.status === 'completed' ? 'it has finished' : run.status === 'failed' ? `it failed: start it again (Run again in the app, \`aisle again ${run.experiment_id}\` in a terminal)` : 'it has not stopped';
      throw new NotResumableError(runId, `run ${runId} is ${run.status}: only a paused, cancelled or interrupted run can be resumed (${why})`);
    }
    const saved = this.select.get(runId);
    if (saved === undefined && run.episodes_done > 0) {
      throw new NotResumableError(
        runId,
        `run ${runId} has no checkpoint to resume from: it stopped without one (a crash before its first autosave, which a run writes every ${seconds(autosaveMs)} while it trains, or a stop inside an episode); a checkpoint is also written when a run is paused or cancelled between episodes. Start it again (Run again in the app, \`aisle again ${run.experiment_id}\` in a terminal)`,
      );
    }
    const resumed = { config: parseStored(run.config, `run ${runId}'s config`), experimentId: run.experiment_id, episode: saved?.episode ?? 0, ...(run.error !== null ? { error: run.error } : {}), ...(saved ? { state: new Uint8Array(saved.data.buffer, saved.data.byteOffset, saved.data.byteLength) } : {}) };
    check(resumed); // before the run changes: a state that cannot be read leaves it as it was
    this.toQueued.run(PROCESS_STOPPED, this.sessionId, runId);
    return resumed;
  }
}
