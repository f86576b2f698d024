/** The run store: experiments, runs, metrics, checkpoints and policies in one SQLite file, shared
 * by the app, the CLI and the browser-mode host (synchronous; imports no electron). */
import type Database from 'better-sqlite3';
import { checkpointEpisodes } from '../../engine/checkpoint-episodes';
import { Artifacts } from './artifacts';
import { Experiments } from './experiments';
import { Listing } from './listing';
import { isMemoryPath, openDatabase } from './db';
import { DamagedDataError } from './errors';
import { isDatabaseBusy } from '../../shared/dispatch';
import { MetricWriter } from './metric-writer';
import { Metrics } from './metrics';
import { Runs } from './runs';
import { RunStates, type ResumedRun } from './run-states';
import { Sessions } from './sessions';
import type {
  Checkpoint,
  CheckpointInfo,
  ExperimentEdit,
  ExperimentListEntry,
  ExperimentListPage,
  ExperimentListQuery,
  ExperimentListItem,
  ExperimentNaming,
  ExperimentRow,
  FinishDetails,
  FinishStatus,
  ListedRun,
  MetricBatch,
  MetricRead,
  MetricSeries,
  MetricTotal,
  NewCheckpoint,
  NewExperiment,
  NewPolicy,
  PolicyInfo,
  PolicyRow,
  ReadMetricOptions,
  RunFilter,
  RunListItem,
  RunListPage,
  RunListQuery,
  RunStatus,
  RunQuery,
  RunRow,
  WeightsCheckpoint,
} from './types';

export class Store {
  /** Runs found 'running' by a dead process when this Store opened, now 'interrupted' (log them). */
  readonly interruptedOnOpen: readonly number[];
  private readonly sessions: Sessions;
  private readonly experiments: Experiments;
  private readonly runs: Runs;
  private readonly metrics: Metrics;
  private readonly metricWriter: MetricWriter;
  private readonly artifacts: Artifacts;
  private readonly runStates: RunStates;
  private readonly listing: Listing;
  private readonly appendTx;
  private readonly snapshotTx: (read: () => unknown) => unknown;
  private closed = false;

  /**
   * Opens (creating and migrating as needed) the database at `path` (':memory:' for tests). A
   * `reader` (a command that looks: `aisle runs`, `show`, `metrics`) runs nothing, so it registers
   * no session and takes no write lock to open: a writer holding the lock (a long delete in the
   * app) no longer makes it wait, or fail after 10 s. It still marks interrupted the runs of
   * processes that died, when there are any and the lock is free (else the next writer does).
   * `busyTimeoutMs`: see BUSY_TIMEOUT_MS. `mustExist`: see openDatabase.
   */
  static open(path: string, { reader = false, busyTimeoutMs, mustExist = false }: { reader?: boolean; busyTimeoutMs?: number; mustExist?: boolean } = {}): Store {
    return new Store(openDatabase(path, { ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }), mustExist }), { reader });
  }

  private readonly reader: boolean;

  /** Takes over an already opened and migrated database (see {@link openDatabase}). */
  constructor(
    readonly db: Database.Database,
    { reader = false }: { reader?: boolean } = {},
  ) {
    this.reader = reader;
    this.metrics = new Metrics(db);
    const storedReturn = (runId: number): number | null => this.storedReturnLast100(runId);
    this.sessions = new Sessions(db, storedReturn, (write) => this.withoutWaiting(write));
    this.experiments = new Experiments(db, this.sessions.sessionId);
    this.runs = new Runs(db, this.sessions.sessionId, storedReturn);
    this.metricWriter = new MetricWriter(db);
    this.artifacts = new Artifacts(db);
    this.runStates = new RunStates(db, this.sessions.sessionId);
    this.listing = new Listing(db);
    this.snapshotTx = db.transaction((read: () => unknown) => read()).deferred;
    this.appendTx = db.transaction((runId: number, batch: MetricBatch, episodesDone: number | undefined, at: number) => {
      this.runs.recordProgress(runId, episodesDone ?? batch.start + batch.count, at);
      this.metricWriter.append(runId, batch);
    });
    if (reader) {
      this.interruptedOnOpen = this.recoverIfFree();
    } else {
      this.sessions.beginSession();
      this.interruptedOnOpen = this.sessions.recoverInterrupted();
      this.runs.dropStaleSummaries();
      this.runs.listStoredReturns();
    }
  }

  /**
   * {@link recoverInterrupted} when a process that had the database open is gone (a read of the
   * sessions table finds out; no lock), and then skipped rather than waited for while another
   * process holds the write lock (a reader opening; the app looking four times a second): [] otherwise.
   * Skipped too when the database cannot be written (a read-only file, a full disk): a reader then
   * shows the dead process's runs as they were left, and the next writer marks them.
   */
  recoverIfFree(): number[] {
    if (!this.sessions.deadSessions()) return [];
    try {
      return this.withoutWaiting(() => this.sessions.recoverInterrupted());
    } catch (e) {
      if (isDatabaseBusy(e) || cannotBeWritten(e)) return [];
      throw e;
    }
  }

  /**
   * Runs `fn` without the busy timeout: while another process holds the write lock, a write in it
   * fails at once with SQLITE_BUSY instead of stopping this thread until the timeout.
   */
  withoutWaiting<T>(fn: () => T): T {
    const timeout = this.busyTimeoutMs;
    this.busyTimeoutMs = 0;
    try {
      return fn();
    } finally {
      this.busyTimeoutMs = timeout;
    }
  }

  /** How long a write waits for another process's write lock before failing with SQLITE_BUSY, ms (see BUSY_TIMEOUT_MS). */
  get busyTimeoutMs(): number {
    return this.db.pragma('busy_timeout', { simple: true }) as number;
  }

  set busyTimeoutMs(ms: number) {
    this.db.pragma(`busy_timeout = ${ms}`);
  }

  /**
   * Gives the pages a delete freed back to the OS. Skipped, not waited for, while another process
   * holds the write lock: the delete has committed, and a Busy error would say it had not (the free
   * pages are reused by later writes, and given back after the next delete).
   */
  private vacuum(): void {
    try {
      // exec, not a prepared statement's run(): incremental_vacuum frees one page per step, and
      // run() steps once.
      this.withoutWaiting(() => void this.db.exec('PRAGMA incremental_vacuum'));
    } catch (e) {
      if (!isDatabaseBusy(e)) throw e;
    }
  }

  /** Marks this Store's unfinished runs 'interrupted' and closes the database. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.reader) this.sessions.endSession();
    } finally {
      this.db.close();
    }
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (nested calls become savepoints). IMMEDIATE takes the
   * write lock up front, so a read-then-write cannot fail with SQLITE_BUSY halfway when another
   * process writes meanwhile.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs `read` in one DEFERRED transaction, which in WAL takes no lock and reads one snapshot of
   * the database from its first statement on: a run another process deletes meanwhile (`aisle
   * delete` beside the app) is read whole, or found gone, never some of each (a read of several
   * statements found it at the first and 404 at a later one). `read` must be synchronous (no
   * await: the transaction would stay open across it) and write nothing: the pool's writes go
   * through this connection, and one inside the transaction would commit with it, or fail at once
   * (SQLITE_BUSY_SNAPSHOT) once another process has written since the snapshot. Inside a
   * transaction already (a write's, another snapshot), `read` runs in it: it reads one snapshot too.
   */
  snapshot<T>(read: () => T): T {
    return this.db.inTransaction ? read() : (this.snapshotTx(read) as T);
  }

  /**
   * Begins a read transaction on this connection and reads (WAL takes the snapshot at the first
   * read), held until the store closes: every read meanwhile sees the database as it was now,
   * across awaits, which `snapshot` cannot span. For reads made apart in time on a connection
   * nothing writes through (a command's own, as `aisle metrics` writing to a pipe; openSnapshot's):
   * a write here would land in it. Other connections' writes go on (WAL); their checkpoints cannot
   * copy back past this snapshot meanwhile, so the log grows by what is written until the store
   * closes, which its holder must do once done.
   */
  holdSnapshot(): void {
    this.db.exec('BEGIN DEFERRED');
    this.db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
  }

  /**
   * A connection of its own to this database that may only read (query_only), holding one snapshot
   * (holdSnapshot) from now until it is closed: for a read of this process made in pieces, with
   * awaits between them (a run's metrics streamed to a file or a download), which the pool's writes
   * through this connection would otherwise land in. Undefined for an in-memory database, which no
   * second connection reaches.
   */
  openSnapshot(): Store | undefined {
    if (isMemoryPath(this.db.name)) return undefined;
    const db = openDatabase(this.db.name, { mustExist: true });
    try {
      db.pragma('query_only = ON');
      const reader = new Store(db, { reader: true });
      reader.holdSnapshot();
      return reader;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  // Experiments ----------------------------------------------------------------------------------

  /** Creates the experiment and all its runs ('queued') in one transaction: all or nothing. */
  createExperimentWithRuns(input: NewExperiment): { experiment: ExperimentRow; runs: RunRow[] } {
    return this.experiments.createExperimentWithRuns(input);
  }

  getExperiment(id: number): ExperimentRow {
    return this.experiments.getExperiment(id);
  }

  /** Experiment `id`'s name without its config (NotFoundError as getExperiment). */
  experimentName(id: number): string {
    return this.experiments.experimentName(id);
  }

  listExperiments(): ExperimentListItem[] {
    return this.experiments.listExperiments();
  }

  /** Renames the experiment or changes its description (see Experiments.editExperiment): its runs and config hash stay. */
  editExperiment(id: number, edit: ExperimentEdit): ExperimentNaming {
    return this.experiments.editExperiment(id, edit);
  }

  /** Deletes the experiment with its runs, metrics and checkpoints (policies stay, without a run). */
  deleteExperiment(id: number): void {
    this.deleteExperiments([id]);
  }

  /** Deletes the experiments as deleteExperiment does, in one transaction: all of them or none (see Experiments.deleteExperiments). */
  deleteExperiments(ids: readonly number[]): void {
    this.experiments.deleteExperiments(ids);
    this.metricWriter.forgetAll();
    this.vacuum();
  }

  // Runs -----------------------------------------------------------------------------------------

  getRun(id: number): RunRow {
    return this.runs.getRun(id);
  }

  /** The run without its config (see Runs.getRunState). */
  getRunState(id: number): Omit<RunRow, 'config'> {
    return this.runs.getRunState(id);
  }

  getRunConfig(id: number): unknown {
    return this.runs.getRunConfig(id);
  }

  /** Run `id`'s config fields beside its experiment's (see Runs.besideExperiment). */
  besideExperiment(id: number, fields: readonly string[]): { experimentRest: Record<string, unknown>; seed: unknown } | undefined {
    return this.runs.besideExperiment(id, fields);
  }

  listRuns(query: RunQuery = {}): RunRow[] {
    return this.runs.listRuns(query);
  }

  /** listRuns without the configs (see Runs.listRunsWithoutConfig). */
  listRunsWithoutConfig(query: RunQuery = {}): ListedRun[] {
    return this.runs.listRunsWithoutConfig(query);
  }

  countRuns(filter: RunFilter = {}): number {
    return this.runs.countRuns(filter);
  }

  /** Those of `ids` that are stored (the others were deleted, or never were), ascending. */
  storedRunIds(ids: readonly number[]): number[] {
    return this.runs.storedRunIds(ids);
  }

  /** Deletes the runs, all or none (see Runs.deleteRuns). */
  deleteRuns(ids: readonly number[]): void {
    this.runs.deleteRuns(ids);
    for (const id of ids) this.metricWriter.forgetRun(id);
    this.vacuum();
  }

  /**
   * queued → running; this process becomes the run's owner. `at`: when it started (default: now);
   * a resumed run keeps the time it first started.
   */
  markRunning(id: number, at?: number): RunRow {
    return this.runs.markRunning(id, at);
  }

  /**
   * running → completed; queued or running → failed, cancelled, paused or interrupted. With the
   * state a paused or cancelled run resumes from, in one transaction: the status and the state are
   * written together or not at all. Without `state` the run's stored state is dropped
   * (FinishDetails.state): a queued run stopped before it started passes its own, or 'kept'. An
   * interrupted run (one whose writes the store refused, or whose worker died) keeps its last autosave to resume from.
   */
  finishRun(id: number, status: FinishStatus, details: FinishDetails = {}): RunRow {
    const { state, ...rest } = details;
    const stopped = status === 'paused' || status === 'cancelled';
    const row = this.transaction(() => {
      const finished = this.runs.finishRun(id, status, rest);
      if (status === 'interrupted' || (state === 'kept' && stopped)) {
        // The state it was queued with, or its last autosave, stays as it was.
      } else if (state && state !== 'kept' && stopped) this.runStates.save(id, state.episode, state.data, rest.at);
      else this.runStates.drop(id);
      return finished;
    });
    this.metricWriter.forgetRun(id);
    return row;
  }

  /**
   * Queues a paused, cancelled or interrupted run again and hands back its config and the state it
   * continues from, in one transaction (see RunStates.requeue for what is refused; `check` may refuse
   * the state too, and then nothing changes; `autosaveMs` is the interval its refusal names).
   * What the run stored past the state's episode (an interrupted run's metrics and checkpoints
   * after its last autosave) is cut back in the same transaction: the resumed run writes those
   * episodes again, once. So is the snapshot of its final values a pause or a cancel took at the stop, unless the
   * run's schedule has one there: the resumed run keeps the snapshots of the run never stopped.
   */
  resumeRun(id: number, check?: (resumed: ResumedRun) => void, autosaveMs?: number): ResumedRun {
    return this.transaction(() => {
      // Paused or cancelled: stopped between episodes, with a snapshot of its values there.
      const stopped = ['paused', 'cancelled'].includes(this.runs.getRun(id).status);
      const resumed = this.runStates.requeue(id, check, autosaveMs);
      this.metricWriter.truncateRun(id, resumed.episode);
      this.runs.rewind(id, resumed.episode);
      this.artifacts.dropCheckpointsFrom(id, resumed.episode);
      const { episodes, checkpoints } = resumed.config as { episodes?: unknown; checkpoints?: unknown };
      const stop = resumed.episode - 1;
      if (stopped && stop >= 0 && typeof episodes === 'number' && !checkpointEpisodes(episodes, typeof checkpoints === 'number' ? checkpoints : 0).includes(stop)) {
        this.artifacts.dropCheckpointsAt(id, stop);
      }
      return resumed;
    });
  }

  /**
   * Keeps a running run's autosave: its state after `state.episode` episodes, which an interrupted
   * run resumes from. Not when the run's stored metrics do not reach it, or it no longer runs
   * (see RunStates.autosave); refused (RunTakenOverError) when this Store trains it and another
   * process has taken it over (see Runs.recordProgress).
   */
  autosaveRun(id: number, state: { episode: number; data: Uint8Array }, at?: number): void {
    this.transaction(() => {
      this.runs.checkTraining(id);
      this.runStates.autosave(id, state.episode, state.data, at);
    });
  }

  /** The episode a stopped run would resume at, or null when it has no state. */
  resumableAt(id: number): number | null {
    return this.runStates.episodeOf(id);
  }

  /** Whether another Store, in a live process, has this database open (the CLI beside the app). */
  otherSessionsAlive(): boolean {
    return this.sessions.otherSessionsAlive();
  }

  /** See {@link Sessions.recoverInterrupted}; also done on open. Returns the run ids it marked. */
  recoverInterrupted(): number[] {
    return this.sessions.recoverInterrupted();
  }

  // Metrics --------------------------------------------------------------------------------------

  /**
   * Writes a batch of per-episode metrics and raises the run's episodes_done (to `episodesDone`,
   * or by default to the batch's end) in one transaction, committed (durable against the process
   * dying) when this returns. Values are stored as float32. `at`: when the run had played them
   * (default: now), to which its training time counts: earlier than the write when it waited for a
   * locked database, whose wait is no training.
   */
  appendMetrics(runId: number, batch: MetricBatch, episodesDone?: number, at = Date.now()): void {
    // Inside an outer transaction this is a savepoint that may still roll back: the writer's cache
    // then keeps its older state, which it checks against the database before the next write.
    const nested = this.db.inTransaction;
    try {
      this.appendTx.immediate(runId, batch, episodesDone, at);
    } catch (err) {
      this.metricWriter.discard();
      throw err;
    }
    if (nested) this.metricWriter.discard();
    else this.metricWriter.commit();
  }

  metricNames(runId: number): string[] {
    return this.metrics.series(runId).map((s) => s.name);
  }

  metricSeries(runId: number): MetricSeries[] {
    return this.metrics.series(runId);
  }

  /** Each metric's count of values and their mean over the whole series, without reading its values. */
  metricTotals(runId: number): MetricTotal[] {
    return this.metrics.totals(runId);
  }

  readMetric(runId: number, name: string, options: ReadMetricOptions = {}): MetricRead {
    return this.metrics.read(runId, name, options);
  }

  /** Every stored value of the metric (from its first episode), NaN where an episode has none. */
  readMetricRaw(runId: number, name: string, range: { from?: number; to?: number } = {}): Float32Array {
    return this.metrics.readRaw(runId, name, range);
  }

  readMetricTail(runId: number, name: string, n: number): Float32Array {
    return this.metrics.readTail(runId, name, n);
  }

  /** The mean of the values among the metric's last `n` stored episodes (NaN when none has one). */
  metricTailMean(runId: number, name: string, n: number): number {
    return this.metrics.tailMean(runId, name, n);
  }

  /**
   * The mean of the run's last 100 stored returns, null before its first: the listed return of a
   * run without a summary of its own (still running, or stopped before it could write one).
   */
  storedReturnLast100(runId: number): number | null {
    if (!this.metrics.has(runId, 'return')) return null;
    let mean: number;
    try {
      mean = this.metrics.tailMean(runId, 'return', 100);
    } catch (e) {
      // Damaged stored returns list none: this is read on opening the database (marking a crashed
      // run interrupted), which must not fail for one run's metric; reading it says it is damaged.
      if (e instanceof DamagedDataError) return null;
      throw e;
    }
    return Number.isNaN(mean) ? null : mean;
  }

  // Checkpoints and policies ---------------------------------------------------------------------

  /** Refused (RunTakenOverError) for a run this Store trains that another process has taken over (see Runs.recordProgress). */
  addCheckpoint(runId: number, checkpoint: NewCheckpoint): CheckpointInfo {
    return this.transaction(() => {
      this.runs.checkTraining(runId);
      return this.artifacts.addCheckpoint(runId, checkpoint);
    });
  }

  listCheckpoints(runId: number): CheckpointInfo[] {
    return this.artifacts.listCheckpoints(runId);
  }

  /** A Q-table checkpoint (a weights checkpoint is refused: read it with getWeights). */
  getCheckpoint(id: number): Checkpoint {
    return this.artifacts.getCheckpoint(id);
  }

  /** A weights checkpoint (a Q-table is refused: read it with getCheckpoint). */
  getWeights(id: number): WeightsCheckpoint {
    return this.artifacts.getWeights(id);
  }

  savePolicy(policy: NewPolicy): number {
    return this.artifacts.savePolicy(policy);
  }

  listPolicies(runId?: number): PolicyInfo[] {
    return this.artifacts.listPolicies(runId);
  }

  getPolicy(id: number): PolicyRow {
    return this.artifacts.getPolicy(id);
  }

  /** The first stored policy whose file is this very text (undefined: none). */
  samePolicy(json: string): number | undefined {
    return this.artifacts.samePolicy(json);
  }

  /** Every stored policy's action labels, oldest first, without reading the rest of its file. */
  policyActions(): { id: number; actions: string[] }[] {
    return this.artifacts.policyActions();
  }

  deletePolicy(id: number): void {
    this.artifacts.deletePolicy(id);
  }

  // Lists for the app (listing.ts) ---------------------------------------------------------------

  /** A page of runs, filtered, searched and sorted in SQL, with the total that match. */
  listRunItems(query: RunListQuery = {}): RunListPage {
    return this.listing.runs(query);
  }

  /** One run as lists show it (with its experiment's name), without reading its config. */
  getRunItem(id: number): RunListItem {
    return this.listing.run(id);
  }

  /** An experiment's description (null when it has none, or there is no such experiment), without parsing its config. */
  experimentDescription(id: number): string | null {
    return this.listing.experimentDescription(id);
  }

  /** Experiments, newest first, with run counts, without parsing their configs: every one, or those of `ids` (see Listing.experiments). */
  listExperimentEntries(ids?: readonly number[]): ExperimentListEntry[] {
    return this.listing.experiments(ids);
  }

  /** One page of experiments, searched and sorted in SQL, and how many match (see Listing.experimentPage). */
  listExperimentPage(query: ExperimentListQuery = {}): ExperimentListPage {
    return this.listing.experimentPage(query);
  }

  /** Experiments' numbers, names, environments and creation times, newest first (see Listing.experimentNames). */
  experimentNames(startingWith?: string): { id: number; name: string; envId: string; createdAt: number }[] {
    return this.listing.experimentNames(startingWith);
  }

  /** See Listing.experimentEnvironmentKeys. */
  experimentEnvironmentKeys(): { id: number; key: string }[] {
    return this.listing.experimentEnvironmentKeys();
  }

  /** See Listing.experimentEnvironment. */
  experimentEnvironment(id: number): unknown {
    return this.listing.experimentEnvironment(id);
  }

  /** Ids and statuses of an experiment's runs, oldest first. */
  experimentRuns(experimentId: number): { id: number; status: RunStatus }[] {
    return this.listing.experimentRuns(experimentId);
  }
}

/** A write refused because the database is read-only (the file, its folder, the medium) or its disk is full. */
function cannotBeWritten(e: unknown): boolean {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL');
}
