/** Experiments and their runs: creation in one transaction, the run status lifecycle, and finding
 * runs whose process died ('interrupted') when several processes share the database. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { IllegalTransitionError, NotFoundError } from './errors';
import { countsByExperiment, runWhere, zeroCounts } from './listing';
import type {
  ExperimentEdit,
  ExperimentListItem,
  ExperimentNaming,
  ExperimentRow,
  FinishDetails,
  FinishStatus,
  NewExperiment,
  RunFilter,
  RunOrderBy,
  RunQuery,
  RunRow,
  RunStatus,
} from './types';

interface ExperimentRecord {
  id: number;
  name: string;
  config: string;
  config_hash: string;
  source: string | null;
  created_at: number;
}

interface RunRecord {
  id: number;
  experiment_id: number;
  seed: number;
  status: RunStatus;
  config: string;
  config_hash: string;
  app_version: string;
  episodes_total: number;
  episodes_done: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  summary: string | null;
  greedy: string | null;
  error: string | null;
}

/** Which statuses each target status may be reached from. Everything else is illegal. */
const ALLOWED_FROM: Record<'running' | FinishStatus, readonly RunStatus[]> = {
  running: ['queued'],
  completed: ['running'],
  failed: ['queued', 'running'],
  cancelled: ['queued', 'running'],
};

const RUN_COLUMNS = `id, experiment_id, seed, status, config, config_hash, app_version, episodes_total,
  episodes_done, created_at, started_at, finished_at, summary, greedy, error`;
/** RUN_COLUMNS but the config (see getRunState). */
const RUN_STATE_COLUMNS = `id, experiment_id, seed, status, config_hash, app_version, episodes_total,
  episodes_done, created_at, started_at, finished_at, summary, greedy, error`;

const ORDER_COLUMN: Record<RunOrderBy, string> = {
  id: 'id',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  episodesDone: 'episodes_done',
};

export const INTERRUPTED_MESSAGE = 'interrupted: the process running it stopped before the run finished';
export const QUEUED_INTERRUPTED_MESSAGE = 'interrupted: the process that queued it stopped before starting it';

export class Runs {
  /** This Store's row in store_sessions; runs it marks running carry it as their owner. */
  readonly sessionId = randomUUID();
  private readonly listStatements = new Map<string, Database.Statement>();

  private readonly insertExperiment;
  private readonly insertRun;
  private readonly selectExperiment;
  private readonly selectExperiments;
  private readonly selectRunCounts;
  private readonly deleteExperimentRow;
  private readonly editExperimentRow;
  private readonly selectRun;
  private readonly selectRunState;
  private readonly selectRunConfig;
  private readonly selectRunsOfExperiment;
  private readonly selectStatus;
  private readonly deleteRunRow;
  private readonly toRunning;
  private readonly toFinished: Record<FinishStatus, Database.Statement>;
  private readonly progress;
  private readonly insertSession;
  private readonly deleteSession;
  private readonly selectSessions;
  private readonly selectRunning;
  private readonly markInterrupted;
  private readonly selectQueued;
  private readonly markQueuedInterrupted;
  private readonly selectUnlisted;
  private readonly setListedReturn;
  private readonly createTx;
  private readonly recoverTx;
  private readonly deleteExperimentTx;
  private readonly deleteRunsTx;
  private readonly endSessionTx;

  /**
   * @param storedReturn the mean of the run's last 100 stored returns (null before its first): the
   *   listed return_last100 of a run that ends without a summary of its own, so the runs list
   *   shows it and sorts by it like any other.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly storedReturn: (runId: number) => number | null = () => null,
  ) {
    this.insertExperiment = db.prepare<[string, string, string, string | null, number], void>(
      `INSERT INTO experiments (name, config, config_hash, source, created_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.insertRun = db.prepare(
      `INSERT INTO runs (experiment_id, seed, config, config_hash, app_version, episodes_total, created_at, env_id, agent_id, owner_session)
       VALUES (@experimentId, @seed, @config, @configHash, @appVersion, @episodesTotal, @now, @envId, @agentId, @owner)`,
    );
    const experimentColumns = 'id, name, config, config_hash, source, created_at';
    this.selectExperiment = db.prepare<[number], ExperimentRecord>(
      `SELECT ${experimentColumns} FROM experiments WHERE id = ?`,
    );
    this.selectExperiments = db.prepare<[], ExperimentRecord>(`SELECT ${experimentColumns} FROM experiments ORDER BY id`);
    this.selectRunCounts = db.prepare<[], { experiment_id: number; status: RunStatus; n: number }>(
      `SELECT experiment_id, status, count(*) AS n FROM runs GROUP BY experiment_id, status`,
    );
    this.deleteExperimentRow = db.prepare<[number], void>(`DELETE FROM experiments WHERE id = ?`);
    // The config keeps the name and description too (Run again starts from it); they are outside
    // its behaviour, so its hash, and the runs' grouping in Compare, stay as they were.
    this.editExperimentRow = db.prepare<{ id: number; name: string | null; description: string | null; removeDescription: number }, void>(
      `UPDATE experiments SET
         name = coalesce(@name, name),
         config = CASE WHEN @removeDescription THEN json_remove(json_set(config, '$.name', coalesce(@name, name)), '$.description')
                       WHEN @description IS NOT NULL THEN json_set(config, '$.name', coalesce(@name, name), '$.description', @description)
                       ELSE json_set(config, '$.name', coalesce(@name, name)) END,
         revision = (SELECT max(revision) FROM experiments) + 1
       WHERE id = @id`,
    );
    this.selectRun = db.prepare<[number], RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`);
    this.selectRunState = db.prepare<[number], Omit<RunRecord, 'config'>>(`SELECT ${RUN_STATE_COLUMNS} FROM runs WHERE id = ?`);
    this.selectRunConfig = db.prepare<[number], string>(`SELECT config FROM runs WHERE id = ?`).pluck();
    this.selectRunsOfExperiment = db.prepare<[number], RunRecord>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE experiment_id = ? ORDER BY id`,
    );
    this.selectStatus = db.prepare<[number], RunStatus>(`SELECT status FROM runs WHERE id = ?`).pluck();
    this.deleteRunRow = db.prepare<[number], void>(`DELETE FROM runs WHERE id = ?`);
    this.toRunning = db.prepare(
      `UPDATE runs SET status = 'running', started_at = @now, progress_at = @now, owner_session = @session
       WHERE id = @id AND status IN (${sqlList(ALLOWED_FROM.running)})`,
    );
    const finish = (status: FinishStatus): Database.Statement =>
      db.prepare(
        `UPDATE runs SET status = '${status}', finished_at = @now, summary = @summary, greedy = @greedy,
           error = @error, owner_session = NULL,
           return_last100 = coalesce(CASE WHEN json_type(@summary, '$.return.last100') IN ('integer', 'real')
                                          THEN json_extract(@summary, '$.return.last100') END, @storedReturn)
         WHERE id = @id AND status IN (${sqlList(ALLOWED_FROM[status])})`,
      );
    this.toFinished = { completed: finish('completed'), failed: finish('failed'), cancelled: finish('cancelled') };
    this.progress = db.prepare<[number, number, number], void>(
      `UPDATE runs SET episodes_done = max(episodes_done, ?), progress_at = ? WHERE id = ?`,
    );
    this.insertSession = db.prepare<[string, number, number], void>(
      `INSERT INTO store_sessions (id, pid, opened_at) VALUES (?, ?, ?)`,
    );
    this.deleteSession = db.prepare<[string], void>(`DELETE FROM store_sessions WHERE id = ?`);
    this.selectSessions = db.prepare<[], { id: string; pid: number; opened_at: number }>(`SELECT id, pid, opened_at FROM store_sessions`);
    this.selectRunning = db.prepare<[], { id: number; owner_session: string | null }>(
      `SELECT id, owner_session FROM runs WHERE status = 'running' ORDER BY id`,
    );
    // A crashed run's end is its last sign of life, not the moment someone noticed.
    this.selectQueued = db.prepare<[], { id: number; owner_session: string | null }>(
      `SELECT id, owner_session FROM runs WHERE status = 'queued' ORDER BY id`,
    );
    this.markQueuedInterrupted = db.prepare<[number, string, number], void>(
      `UPDATE runs SET status = 'interrupted', finished_at = ?, error = ?, owner_session = NULL WHERE id = ? AND status = 'queued'`,
    );
    this.markInterrupted = db.prepare<[string, number | null, number], void>(
      `UPDATE runs SET status = 'interrupted', finished_at = coalesce(progress_at, started_at), error = ?,
         owner_session = NULL, return_last100 = ?
       WHERE id = ? AND status = 'running'`,
    );

    // Stopped runs listed without a return: those that ended before the store kept their stored
    // last-100 (see `storedReturn`), and those that never stored one (they are looked at again).
    this.selectUnlisted = db.prepare<[], number>(
      `SELECT id FROM runs WHERE status IN ('failed', 'cancelled', 'interrupted') AND return_last100 IS NULL AND episodes_done > 0`,
    ).pluck();
    this.setListedReturn = db.prepare<[number, number], void>(`UPDATE runs SET return_last100 = ? WHERE id = ? AND return_last100 IS NULL`);

    this.createTx = db.transaction((input: NewExperiment, now: number) => {
      const experimentId = Number(
        this.insertExperiment.run(input.name, toJson(input.config, 'config'), input.configHash, input.source ?? null, now)
          .lastInsertRowid,
      );
      for (const run of input.runs) {
        this.insertRun.run({
          experimentId,
          seed: run.seed,
          config: toJson(run.config, 'run config'),
          configHash: run.configHash,
          appVersion: run.appVersion,
          episodesTotal: run.episodesTotal,
          now,
          // Copied for listing (see migration 2).
          envId: componentId(run.config, 'env'),
          agentId: componentId(run.config, 'agent'),
          // The queue holding a queued run is this process's: if it goes, so does the queue.
          owner: this.sessionId,
        });
      }
      return experimentId;
    });
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
    this.deleteExperimentTx = db.transaction((id: number) => {
      this.getExperiment(id);
      const running = this.selectRunsOfExperiment.all(id).filter((r) => r.status === 'running');
      if (running.length > 0) {
        throw new Error(
          `cannot delete experiment ${id}: run ${running.map((r) => r.id).join(', ')} is running; cancel it first`,
        );
      }
      this.deleteExperimentRow.run(id);
    });
    this.deleteRunsTx = db.transaction((ids: readonly number[]) => {
      for (const id of ids) {
        if (this.statusOf(id) === 'running') throw new Error(`cannot delete run ${id}: it is running; cancel it first`);
        this.deleteRunRow.run(id);
      }
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

  /**
   * Lists the stored last-100 return of stopped runs that lack one (runs that stopped before it
   * was kept when they ended), so the runs list shows and sorts them like the others.
   * @returns the runs given one
   */
  listStoredReturns(): number[] {
    // A read first: opening a current database takes no write lock for this.
    if (this.selectUnlisted.get() === undefined) return [];
    return this.db.transaction(() => {
      const listed: number[] = [];
      for (const id of this.selectUnlisted.all()) {
        const value = this.storedReturn(id);
        if (value === null) continue;
        this.setListedReturn.run(value, id);
        listed.push(id);
      }
      return listed;
    }).immediate();
  }

  createExperimentWithRuns(input: NewExperiment): { experiment: ExperimentRow; runs: RunRow[] } {
    const id = this.createTx.immediate(input, Date.now());
    return { experiment: this.getExperiment(id), runs: this.selectRunsOfExperiment.all(id).map(toRunRow) };
  }

  getExperiment(id: number): ExperimentRow {
    const record = this.selectExperiment.get(id);
    if (record === undefined) throw new NotFoundError('experiment', id);
    return toExperimentRow(record);
  }

  /** Every experiment, oldest first, with how many of its runs are in each status. */
  listExperiments(): ExperimentListItem[] {
    const counts = countsByExperiment(this.selectRunCounts.all());
    return this.selectExperiments.all().map((record) => {
      const runCounts = counts.get(record.id) ?? zeroCounts();
      const runsTotal = Object.values(runCounts).reduce((a, b) => a + b, 0);
      return { ...toExperimentRow(record), runCounts, runsTotal };
    });
  }

  /**
   * Renames the experiment or changes its description (a blank one removes it), in one UPDATE: its
   * runs and config hash stay. The caller has checked the name and description (the contract's schema).
   */
  editExperiment(id: number, edit: ExperimentEdit): ExperimentNaming {
    const description = edit.description?.trim() === '' ? undefined : edit.description;
    // Read back in the same transaction: what it answers is what this edit stored.
    const row = this.db
      .transaction(() => {
        const removeDescription = edit.description !== undefined && description === undefined ? 1 : 0;
        const changed = this.editExperimentRow.run({ id, name: edit.name ?? null, description: description ?? null, removeDescription }).changes;
        if (changed === 0) throw new NotFoundError('experiment', id);
        return this.getExperiment(id);
      })
      .immediate();
    const stored = (row.config as { description?: unknown }).description;
    return { id, name: row.name, description: typeof stored === 'string' ? stored : null };
  }

  /** Deletes the experiment, its runs and everything they own. Refused while a run is running. */
  deleteExperiment(id: number): void {
    this.deleteExperimentTx.immediate(id);
  }

  getRun(id: number): RunRow {
    const record = this.selectRun.get(id);
    if (record === undefined) throw new NotFoundError('run', id);
    return toRunRow(record);
  }

  /**
   * The run without its config, which never changes and can be tens of MB (an inline MDP): what a
   * view polling a live run reads (its config is read once, with getRunConfig).
   */
  getRunState(id: number): Omit<RunRow, 'config'> {
    const record = this.selectRunState.get(id);
    if (record === undefined) throw new NotFoundError('run', id);
    return toRunState(record);
  }

  /** The run's config, parsed. */
  getRunConfig(id: number): unknown {
    const text = this.selectRunConfig.get(id) as string | undefined;
    if (text === undefined) throw new NotFoundError('run', id);
    return JSON.parse(text);
  }

  listRuns(query: RunQuery = {}): RunRow[] {
    const { where, params } = runWhere(query);
    const orderBy = ORDER_COLUMN[query.orderBy ?? 'id'];
    const direction = query.descending === true ? 'DESC' : 'ASC';
    const sql =
      `SELECT ${RUN_COLUMNS} FROM runs ${where} ORDER BY ${orderBy} ${direction}` +
      (orderBy === 'id' ? '' : `, id ${direction}`) +
      ' LIMIT ? OFFSET ?';
    const limit = query.limit ?? -1;
    const offset = query.offset ?? 0;
    return (this.cached(sql).all(...params, limit, offset) as RunRecord[]).map(toRunRow);
  }

  countRuns(filter: RunFilter = {}): number {
    const { where, params } = runWhere(filter);
    return this.cached(`SELECT count(*) FROM runs ${where}`).pluck().get(...params) as number;
  }

  /**
   * Deletes the runs with their metrics and checkpoints (their policies stay, without a run), in
   * one transaction: all of them, or none when one is running or unknown (or the database locked).
   */
  deleteRuns(ids: readonly number[]): void {
    this.deleteRunsTx.immediate(ids);
  }

  markRunning(id: number, at = Date.now()): RunRow {
    const changed = this.toRunning.run({ id, now: at, session: this.sessionId }).changes;
    if (changed === 0) this.refuse(id, 'running');
    return this.getRun(id);
  }

  finishRun(id: number, status: FinishStatus, details: FinishDetails = {}): RunRow {
    const statement = this.toFinished[status];
    if (statement === undefined) throw new Error(`a run cannot be finished as "${String(status)}"`);
    const changed = statement.run({
      id,
      now: details.at ?? Date.now(),
      summary: details.summary === undefined ? null : toJson(details.summary, 'summary'),
      storedReturn: ownReturnLast100(details.summary) ? null : this.storedReturn(id),
      greedy: details.greedy === undefined ? null : toJson(details.greedy, 'greedy'),
      error: details.error ?? null,
    }).changes;
    if (changed === 0) this.refuse(id, status);
    return this.getRun(id);
  }

  /** Raises the run's progress to `episodesDone` (it never goes back). */
  recordProgress(id: number, episodesDone: number): void {
    if (this.progress.run(episodesDone, Date.now(), id).changes === 0) throw new NotFoundError('run', id);
  }

  /** Throws NotFoundError for an unknown run. */
  statusOf(id: number): RunStatus {
    const status = this.selectStatus.get(id);
    if (status === undefined) throw new NotFoundError('run', id);
    return status;
  }

  private refuse(id: number, to: 'running' | FinishStatus): never {
    throw new IllegalTransitionError(id, this.statusOf(id), to, ALLOWED_FROM[to]);
  }

  private cached(sql: string): Database.Statement {
    let statement = this.listStatements.get(sql);
    if (statement === undefined) this.listStatements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

/**
 * Whether the process that opened a session (`pid`, at `openedAt` ms) still exists. EPERM means a
 * process of that id does, under another user. A pid is reused once its process is gone (after a
 * reboot low ones surely are), so where the system tells when a process started (Linux), one
 * that started after the session opened is another process, and the session's is gone.
 */
export function isAlive(pid: number, openedAt: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartMs(pid);
  // The start time is known to a clock tick, the boot time to a second: a few seconds of slack.
  return started === undefined || started <= openedAt + 5_000;
}

/** When process `pid` started, in ms since the epoch, from Linux's /proc; undefined where there is none. */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ", whose comm may hold spaces and parentheses, field 3 (state) comes first;
    // field 22 is the start time in clock ticks (USER_HZ, 100 on Linux) since boot.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
    bootMs ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000;
    return Number.isFinite(ticks) && Number.isFinite(bootMs) ? bootMs + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The boot time, ms since the epoch (read once). */
let bootMs: number | undefined;

/** Whether a run's summary holds its own return over the last 100 episodes. */
function ownReturnLast100(summary: unknown): boolean {
  const own = (summary as { return?: { last100?: unknown } } | null | undefined)?.return?.last100;
  return typeof own === 'number' && Number.isFinite(own);
}

function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable`);
  return text;
}

/** config.env.id or config.agent.id when it is a string, else null. */
function componentId(config: unknown, key: 'env' | 'agent'): string | null {
  const component = (config as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  return typeof component?.id === 'string' ? component.id : null;
}

function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

function toExperimentRow(r: ExperimentRecord): ExperimentRow {
  return {
    id: r.id,
    name: r.name,
    config: JSON.parse(r.config),
    configHash: r.config_hash,
    source: r.source,
    createdAt: r.created_at,
  };
}

function toRunRow(r: RunRecord): RunRow {
  const { id, experimentId, seed, status, ...rest } = toRunState(r);
  return { id, experimentId, seed, status, config: JSON.parse(r.config), ...rest }; // the fields in RunRow's order
}

function toRunState(r: Omit<RunRecord, 'config'>): Omit<RunRow, 'config'> {
  return {
    id: r.id,
    experimentId: r.experiment_id,
    seed: r.seed,
    status: r.status,
    configHash: r.config_hash,
    appVersion: r.app_version,
    episodesTotal: r.episodes_total,
    episodesDone: r.episodes_done,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    summary: r.summary === null ? null : JSON.parse(r.summary),
    greedy: r.greedy === null ? null : JSON.parse(r.greedy),
    error: r.error,
  };
}
