/** Runs: read one (with or without its config) or an ordered page of them, move one through the
 * status lifecycle (queued → running → completed, failed or cancelled), and delete them. */
import type Database from 'better-sqlite3';
import { ActiveRunError, IllegalTransitionError, NotFoundError } from './errors';
import { runWhere } from './listing';
import { ACTIVE_COLUMNS, errorColumn, parseStored, RUN_COLUMNS, toJson, toRunRow, toRunState, type RunRecord } from './records';
import type { FinishDetails, FinishStatus, ListedRun, RunFilter, RunOrderBy, RunQuery, RunRow, RunStatus } from './types';

/** Which statuses each target status may be reached from. Everything else is illegal. */
const ALLOWED_FROM: Record<'running' | FinishStatus, readonly RunStatus[]> = {
  running: ['queued'],
  completed: ['running'],
  failed: ['queued', 'running'],
  cancelled: ['queued', 'running'],
  paused: ['queued', 'running'],
  interrupted: ['queued', 'running'],
};

/**
 * SET clause adding to a running run's training time the stretch since its progress_at (its start,
 * resume or last metric batch) up to @now: at each batch, so a crash loses one batch's worth at
 * most, and when it stops. A run that is not running (queued, then cancelled) trained no time.
 * A write that waited for the database lock may come after a later `at`: never a negative stretch.
 */
const ACCOUNT_ACTIVE = `active_ms = CASE WHEN status = 'running'
  THEN coalesce(active_ms, 0) + max(0, @now - coalesce(progress_at, @now)) ELSE active_ms END`;

/** RUN_COLUMNS but the config (see getRunState). */
const RUN_STATE_COLUMNS = `id, experiment_id, seed, status, config_hash, app_version, episodes_total,
  episodes_done, created_at, started_at, finished_at, ${ACTIVE_COLUMNS}, summary, greedy, ${errorColumn()}`;

const ORDER_COLUMN: Record<RunOrderBy, string> = {
  id: 'id',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  episodesDone: 'episodes_done',
};

export class Runs {
  private readonly listStatements = new Map<string, Database.Statement>();

  private readonly selectRun;
  private readonly selectRunState;
  private readonly selectRunConfig;
  private readonly selectStatus;
  private readonly selectOwner;
  private readonly selectStored;
  private readonly deleteRunRow;
  private readonly toRunning;
  private readonly toFinished: Record<FinishStatus, Database.Statement>;
  private readonly progress;
  private readonly rewindRun;
  private readonly selectUnlisted;
  private readonly setListedReturn;
  private readonly selectStale;
  private readonly dropStale;
  private readonly deleteRunsTx;
  /** The runs this session marked running and has not finished: the runs it trains. */
  private readonly training = new Set<number>();

  /**
   * @param sessionId the session (see Sessions) that becomes the owner of the runs it marks running
   * @param storedReturn the mean of the run's last 100 stored returns (null before its first): the
   *   listed return_last100 of a run that ends without a summary of its own, so the runs list
   *   shows it and sorts by it like any other.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly sessionId: string,
    private readonly storedReturn: (runId: number) => number | null,
  ) {
    this.selectRun = db.prepare<[number], RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`);
    this.selectRunState = db.prepare<[number], Omit<RunRecord, 'config'>>(`SELECT ${RUN_STATE_COLUMNS} FROM runs WHERE id = ?`);
    this.selectRunConfig = db.prepare<[number], string>(`SELECT config FROM runs WHERE id = ?`).pluck();
    this.selectStatus = db.prepare<[number], RunStatus>(`SELECT status FROM runs WHERE id = ?`).pluck();
    this.selectOwner = db.prepare<[number], { status: RunStatus; owner_session: string | null }>(`SELECT status, owner_session FROM runs WHERE id = ?`);
    this.selectStored = db.prepare<[string], number>(`SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).pluck();
    this.deleteRunRow = db.prepare<[number], void>(`DELETE FROM runs WHERE id = ?`);
    // A resumed run keeps its first start; its training time (active_ms) goes on from what it had,
    // counted from progress_at, which each metric batch and its end move on (see ACCOUNT_ACTIVE).
    this.toRunning = db.prepare(
      `UPDATE runs SET status = 'running', started_at = coalesce(started_at, @now), active_ms = coalesce(active_ms, 0),
         progress_at = @now, owner_session = @session
       WHERE id = @id AND status IN (${sqlList(ALLOWED_FROM.running)})`,
    );
    const finish = (status: FinishStatus): Database.Statement =>
      db.prepare(
        `UPDATE runs SET status = '${status}', finished_at = @now, ${ACCOUNT_ACTIVE}, summary = @summary, greedy = @greedy,
           error = @error, owner_session = NULL,
           return_last100 = coalesce(CASE WHEN json_type(@summary, '$.return.last100') IN ('integer', 'real')
                                          THEN json_extract(@summary, '$.return.last100') END, @storedReturn)
         WHERE id = @id AND status IN (${sqlList(ALLOWED_FROM[status])}) AND (status <> 'running' OR owner_session = @session)`,
      );
    this.toFinished = {
      completed: finish('completed'),
      failed: finish('failed'),
      cancelled: finish('cancelled'),
      paused: finish('paused'),
      interrupted: finish('interrupted'),
    };
    // A run this session trains (@training = 1) only while it is running for it: another process
    // that took this one for gone may have marked it interrupted (and resumed it since), and its
    // training here then stops (see RunTakenOverError).
    this.progress = db.prepare<[{ id: number; episodesDone: number; now: number; training: number; session: string }], void>(
      `UPDATE runs SET episodes_done = max(episodes_done, @episodesDone), ${ACCOUNT_ACTIVE}, progress_at = @now
       WHERE id = @id AND (@training = 0 OR (status = 'running' AND owner_session = @session))`,
    );

    this.rewindRun = db.prepare<[number, number, number], void>(
      `UPDATE runs SET episodes_done = ?, return_last100 = NULL WHERE id = ? AND episodes_done > ?`,
    );

    // Stopped runs listed without a return: those that ended before the store kept their stored
    // last-100 (see `storedReturn`), and those that never stored one (they are looked at again).
    this.selectUnlisted = db.prepare<[], number>(
      `SELECT id FROM runs WHERE status IN ('failed', 'cancelled', 'interrupted', 'paused') AND return_last100 IS NULL AND episodes_done > 0`,
    ).pluck();
    this.setListedReturn = db.prepare<[number, number], void>(`UPDATE runs SET return_last100 = ? WHERE id = ? AND return_last100 IS NULL`);

    // A run queued again, training or interrupted has no summary of its own: one there is what a
    // pause or cancel stored before the run was resumed by a build that kept it (see RunStates' toQueued).
    const unfinished = `status IN ('queued', 'running', 'interrupted') AND (summary IS NOT NULL OR greedy IS NOT NULL)`;
    this.selectStale = db.prepare<[], number>(`SELECT id FROM runs WHERE ${unfinished} LIMIT 1`).pluck();
    this.dropStale = db.prepare<[], void>(`UPDATE runs SET summary = NULL, greedy = NULL, return_last100 = NULL WHERE ${unfinished}`);

    this.deleteRunsTx = db.transaction((ids: readonly number[]) => {
      for (const id of ids) {
        if (this.statusOf(id) === 'running') throw new ActiveRunError(`cannot delete run ${id}: it is running; cancel it first`);
        this.deleteRunRow.run(id);
      }
    });
  }

  /**
   * Drops the summary, greedy evaluation and listed return a stopped run had when an earlier build
   * resumed it without dropping them: kept, the run's page and the runs list read them as those of
   * the run, still training or interrupted since, when they were those of its first episodes. Its
   * listed return is then taken from its stored episodes ({@link listStoredReturns}).
   * @returns whether there were any
   */
  dropStaleSummaries(): boolean {
    // A read first: opening a current database takes no write lock for this.
    if (this.selectStale.get() === undefined) return false;
    this.db.transaction(() => this.dropStale.run()).immediate();
    return true;
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
    return parseStored(text, `run ${id}'s config`);
  }

  /**
   * Where the fields `fields` of run `id`'s config are, as JSON, those of its experiment's config
   * (both objects; a field absent from both counts as the same): the experiment's config without
   * those fields and the run's own `seed` (undefined when it has none), else undefined. SQLite
   * compares the fields as it writes them out, so a config of tens of MB (an inline MDP) is not
   * parsed into JavaScript objects for it; the same text is the same JSON value. SQLite finds a
   * key as written, the first of two alike, where JSON.parse keeps the last and reads escapes: a
   * config whose rest still holds one of the fields (or, the run's, a seed) to JSON.parse is not
   * taken, nor one that is not JSON (damaged), which SQLite's JSON functions refuse with no row
   * named ('malformed JSON'): its caller's own read of it says so (see parseStored).
   */
  besideExperiment(id: number, fields: readonly string[]): { experimentRest: Record<string, unknown>; seed: unknown } | undefined {
    if (fields.length === 0 || fields.some((f) => !/^[A-Za-z]\w*$/.test(f))) throw new RangeError(`fields must be plain names, got ${JSON.stringify(fields)}`);
    const paths = fields.map((f) => `'$.${f}'`);
    const sql = `SELECT json_remove(e.config, ${paths.join(', ')}) AS experiment_rest, json_remove(r.config, ${paths.join(', ')}, '$.seed') AS run_rest,
         r.config -> '$.seed' AS seed
       FROM runs r JOIN experiments e ON e.id = r.experiment_id
       WHERE r.id = ? AND CASE WHEN json_valid(r.config) AND json_valid(e.config)
         THEN json_type(r.config) = 'object' AND json_type(e.config) = 'object'
           AND ${paths.map((p) => `(r.config -> ${p}) IS (e.config -> ${p})`).join(' AND ')} END`;
    const row = this.cached(sql).get(id) as { experiment_rest: string; run_rest: string; seed: string | null } | undefined;
    if (row === undefined) return undefined;
    const [experimentRest, runRest] = [JSON.parse(row.experiment_rest) as Record<string, unknown>, JSON.parse(row.run_rest) as Record<string, unknown>];
    if (fields.some((f) => Object.hasOwn(experimentRest, f) || Object.hasOwn(runRest, f)) || Object.hasOwn(runRest, 'seed')) return undefined;
    return { experimentRest, seed: row.seed === null ? undefined : JSON.parse(row.seed) };
  }

  listRuns(query: RunQuery = {}): RunRow[] {
    return (this.selectListed(RUN_COLUMNS, query) as RunRecord[]).map(toRunRow);
  }

  /**
   * listRuns without the configs (`aisle runs`): each listed run's config was read and parsed for
   * its agent's id alone, 3.8 MB of JSON a run on a 20,000-state MDP (50 such runs: 1.5 s, 570 MB).
   */
  listRunsWithoutConfig(query: RunQuery = {}): ListedRun[] {
    return (this.selectListed(`${RUN_STATE_COLUMNS}, agent_id`, query) as (Omit<RunRecord, 'config'> & { agent_id: string | null })[]).map((r) => ({
      ...toRunState(r),
      agentId: r.agent_id,
    }));
  }

  private selectListed(columns: string, query: RunQuery): unknown[] {
    const { where, params } = runWhere(query);
    const orderBy = ORDER_COLUMN[query.orderBy ?? 'id'];
    const direction = query.descending === true ? 'DESC' : 'ASC';
    const sql =
      `SELECT ${columns} FROM runs ${where} ORDER BY ${orderBy} ${direction}` +
      (orderBy === 'id' ? '' : `, id ${direction}`) +
      ' LIMIT ? OFFSET ?';
    const limit = query.limit ?? -1;
    const offset = query.offset ?? 0;
    return this.cached(sql).all(...params, limit, offset);
  }

  countRuns(filter: RunFilter = {}): number {
    const { where, params } = runWhere(filter);
    return this.cached(`SELECT count(*) FROM runs ${where}`).pluck().get(...params) as number;
  }

  /** Those of `ids` that are stored, ascending (one primary-key lookup each). */
  storedRunIds(ids: readonly number[]): number[] {
    return this.selectStored.all(JSON.stringify(ids));
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
    this.training.add(id);
    return this.getRun(id);
  }

  finishRun(id: number, status: FinishStatus, details: FinishDetails = {}): RunRow {
    const statement = this.toFinished[status];
    if (statement === undefined) throw new Error(`a run cannot be finished as "${String(status)}"`);
    const changed = statement.run({
      id,
      session: this.sessionId,
      now: details.at ?? Date.now(),
      summary: details.summary === undefined ? null : toJson(details.summary, 'summary'),
      storedReturn: ownReturnLast100(details.summary) ? null : this.storedReturn(id),
      greedy: details.greedy === undefined ? null : toJson(details.greedy, 'greedy'),
      error: details.error ?? null,
    }).changes;
    if (changed === 0) this.refuse(id, status);
    this.training.delete(id);
    return this.getRun(id);
  }

  /**
   * Raises the run's progress to `episodesDone` (it never goes back). For a run this session
   * trains, refused with RunTakenOverError once it no longer runs for this session: written with
   * its metrics, in their transaction, so none of them goes into a run another process took over.
   * `at`: when the run had played them, to which its training time counts (see ACCOUNT_ACTIVE).
   */
  recordProgress(id: number, episodesDone: number, at = Date.now()): void {
    const training = this.training.has(id);
    const changed = this.progress.run({ id, episodesDone, now: at, training: training ? 1 : 0, session: this.sessionId }).changes;
    if (changed > 0) return;
    const status = this.statusOf(id); // NotFoundError for a run deleted
    throw new RunTakenOverError(id, status);
  }

  /**
   * Throws RunTakenOverError when this session trains the run and it no longer runs for it (see
   * recordProgress): checked before the run's other writes (its autosave, its checkpoints), in their transaction.
   */
  checkTraining(id: number): void {
    if (!this.training.has(id)) return;
    const row = this.selectOwner.get(id);
    if (row === undefined) throw new NotFoundError('run', id);
    if (row.status !== 'running' || row.owner_session !== this.sessionId) throw new RunTakenOverError(id, row.status);
  }

  /**
   * Sets a run's episodes back to `episode` (it resumes from its state there, the episodes it
   * stored after being cut back); its listed return, of the episodes cut, goes with them.
   */
  rewind(id: number, episode: number): void {
    this.rewindRun.run(episode, id, episode);
  }

  /** Throws NotFoundError for an unknown run. */
  statusOf(id: number): RunStatus {
    const status = this.selectStatus.get(id);
    if (status === undefined) throw new NotFoundError('run', id);
    return status;
  }

  private refuse(id: number, to: 'running' | FinishStatus): never {
    const status = this.statusOf(id);
    if (to !== 'running' && this.training.has(id)) throw new RunTakenOverError(id, status);
    // A legal move from running, but the run is another session's: its process ends it.
    if (status === 'running' && ALLOWED_FROM[to].includes('running')) {
      throw new ActiveRunError(`cannot mark run ${id} ${to}: another process is training it; stop it there`);
    }
    throw new IllegalTransitionError(id, status, to, ALLOWED_FROM[to]);
  }

  private cached(sql: string): Database.Statement {
    let statement = this.listStatements.get(sql);
    if (statement === undefined) this.listStatements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

/**
 * A run this session marked running is no longer its own: another process took this one for gone
 * (its pid meant nothing there, its heartbeat was late: see Sessions) and marked the run
 * interrupted, and may have resumed it since. Its writes are refused, so the run's training here
 * stops (the pool fails a run whose write is refused); what it stored before stays.
 */
export class RunTakenOverError extends Error {
  override readonly name = 'RunTakenOverError';
  constructor(
    readonly runId: number,
    /** The run's status now. */
    readonly status: RunStatus,
  ) {
    const since = status === 'interrupted' ? '' : status === 'running' || status === 'queued' ? ', and resumed it since' : ` (it is ${status} now)`;
    super(
      `run ${runId} was marked interrupted by another process, which took this one for gone${since}; ` +
        'its training here stopped, and the episodes it stored before are kept',
    );
  }
}

/** Whether a run's summary holds its own return over the last 100 episodes. */
function ownReturnLast100(summary: unknown): boolean {
  const own = (summary as { return?: { last100?: unknown } } | null | undefined)?.return?.last100;
  return typeof own === 'number' && Number.isFinite(own);
}

function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
