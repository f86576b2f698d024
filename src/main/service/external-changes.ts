/**
 * What other processes change in the database: `aisle run` in a terminal, or another window of the
 * app, on the same file. This service's own runs report through its pool; another process's
 * commits reach only the file. So four times a second the service asks SQLite whether another connection
 * has committed since it last looked (`PRAGMA data_version` changes then, and only then, and costs
 * no read), and if one has, compares the runs that can have changed (new ones, and the queued or
 * running ones it saw) with what it saw before, and pushes the events its pool would have pushed:
 * `experiments.changed` for a new experiment or one renamed, `run.status` for a new run or a new status,
 * `run.progress` for more episodes done, and `experiments.changed` for an experiment deleted or one
 * that lost runs (`aisle delete`); and `policies.changed` when the stored policies did (`aisle
 * export`, `aisle policies import|delete`, or a run deleted that a policy was exported from). The
 * screens then refresh as they do for the app's runs.
 */
import type Database from 'better-sqlite3';
import type { EventName, EventPayloads } from '../../shared/contract';
import type { RunStatus } from '../../shared/dto';

interface Seen {
  readonly status: RunStatus;
  readonly episodesDone: number;
}

interface RunState {
  id: number;
  experiment_id: number;
  status: RunStatus;
  episodes_done: number;
  episodes_total: number;
}

const ACTIVE: ReadonlySet<RunStatus> = new Set(['queued', 'running']);

/**
 * The runs a look compares: new ones (id above the last seen), queued or running ones, and those
 * it saw so (a JSON array of ids). Three lookups, on the rowid and runs_by_status: the same WHERE
 * with ORs scanned every run's row, each commit of another process (4 a second while it trains),
 * 55 ms a look on 32,000 runs.
 */
const RUN_STATE_COLUMNS = 'id, experiment_id, status, episodes_done, episodes_total';
export const CANDIDATE_RUNS = `SELECT ${RUN_STATE_COLUMNS} FROM runs WHERE id > ?
  UNION SELECT ${RUN_STATE_COLUMNS} FROM runs WHERE status IN ('queued', 'running')
  UNION SELECT ${RUN_STATE_COLUMNS} FROM runs WHERE id IN (SELECT value FROM json_each(?))
  ORDER BY id`;

/** What a write this process made on a connection of its own added, and pushed the events of itself (see writeElsewhere). */
export interface WrittenElsewhere {
  readonly experiments: readonly number[];
  readonly runs: readonly number[];
  /** Whether it stored policies (and pushed `policies.changed`). */
  readonly policies: boolean;
}

export class ExternalChanges {
  private version: number;
  private lastExperiment: number;
  /** The highest experiment revision seen: experiments above it were renamed or described anew since. */
  private lastRevision: number;
  private lastRun: number;
  /** Other processes' queued and running runs, as last seen. */
  private readonly seen = new Map<number, Seen>();
  /**
   * This process's runs that its pool finished (paused, completed, …) since the last look, with
   * that status, which it pushed itself: until the look passes their ids they are read as new runs,
   * and only a status another process gave them since (`aisle resume` of a run paused here) is news.
   */
  private readonly leftHere = new Map<number, RunStatus>();
  /** How many runs of each experiment had been deleted, as last seen: one gone, or with more, had some deleted since. */
  private runsDeleted: Map<number, number>;
  /** The stored policies as last seen: their highest id, how many, and how many still have their run. */
  private policies: string;
  private readonly maxExperimentId;
  private readonly maxRevision;
  private readonly editedSince;
  private readonly maxRunId;
  private readonly candidates;
  private readonly selectRunsDeleted;
  private readonly policiesShape;
  /** Writes under way on another connection of this process (see writeElsewhere): looks wait for them. */
  private writesElsewhere = 0;
  /** What those that ended added, which the next look reads as this process's own. */
  private readonly writtenElsewhere = { experiments: new Set<number>(), runs: new Set<number>(), policies: false };

  constructor(
    private readonly db: Database.Database,
    private readonly emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void,
    /** The experiments and runs this process launched, whose events it sends itself. */
    private readonly own: { readonly experiments: ReadonlySet<number>; readonly runs: ReadonlySet<number> },
  ) {
    this.maxExperimentId = db.prepare<[], number | null>('SELECT max(id) FROM experiments').pluck();
    // Both read the revision index only.
    this.maxRevision = db.prepare<[], number | null>('SELECT max(revision) FROM experiments').pluck();
    this.editedSince = db.prepare<[number], number>('SELECT id FROM experiments WHERE revision > ? ORDER BY id').pluck();
    this.maxRunId = db.prepare<[], number | null>('SELECT max(id) FROM runs').pluck();
    this.candidates = db.prepare<[number, string], RunState>(CANDIDATE_RUNS);
    // Experiments are few, and their counts of deleted runs (kept by a trigger, migration 9) are
    // read from the experiments_by_runs_deleted index: no run is read or counted.
    this.selectRunsDeleted = db.prepare<[], [number, number]>('SELECT id, runs_deleted FROM experiments').raw();
    // A policy stored raises the highest id, one deleted lowers the count, one whose run was deleted
    // loses its run_id (ON DELETE SET NULL): read on the id and the policies_by_run index, not the files.
    this.policiesShape = db.prepare<[], string>(`SELECT coalesce(max(id), 0) || ' ' || count(*) || ' ' || count(run_id) FROM policies`).pluck();
    this.version = this.dataVersion();
    this.policies = this.policiesShape.get()!;
    this.runsDeleted = this.readRunsDeleted();
    this.lastExperiment = this.maxExperimentId.get() ?? 0;
    this.lastRevision = this.maxRevision.get() ?? 0;
    this.lastRun = this.maxRunId.get() ?? 0;
    for (const run of this.candidates.all(this.lastRun, '[]')) {
      if (!this.own.runs.has(run.id)) this.seen.set(run.id, { status: run.status, episodesDone: run.episodes_done });
    }
  }

  /**
   * This process's pool finished `runId` with `status` (and pushed it): from now on the run is
   * another process's to change (`aisle resume` in a terminal), and what it changes is reported.
   */
  finishedHere(runId: number, status: RunStatus): void {
    const lastRun = this.maxRunId.get() ?? 0;
    if (this.dataVersion() === this.version) {
      // No other process has committed since the last look, so every run above its last id (read
      // before the version, so that none can slip in between) is this process's: none is news.
      this.lastRun = Math.max(this.lastRun, lastRun);
      for (const id of this.leftHere.keys()) if (id <= this.lastRun) this.leftHere.delete(id);
      return;
    }
    if (runId > this.lastRun) this.leftHere.set(runId, status); // the next look (due at once) reads it as new
  }

  /** How many runs finished here wait for the next look (see finishedHere). */
  get runsFinishedHere(): number {
    return this.leftHere.size;
  }

  /**
   * Runs `write`, a commit this process makes on a connection of its own (a results import in a
   * worker thread), whose command pushes its events itself. SQLite counts that commit as another
   * connection's, so a look would push them again, and a `run.status` for each run it added: looks
   * wait until it is done (other processes' changes meanwhile are pushed then), and what
   * `written(result)` names is read as this process's own. A write that fails commits nothing of
   * its own; one that committed before failing (its client gone as it ended) is pushed as news.
   */
  async writeElsewhere<T>(write: () => Promise<T>, written: (result: T) => WrittenElsewhere): Promise<T> {
    this.check(); // what others committed before it, told as theirs
    this.writesElsewhere++;
    try {
      const result = await write();
      const { experiments, runs, policies } = written(result);
      for (const id of experiments) this.writtenElsewhere.experiments.add(id);
      for (const id of runs) this.writtenElsewhere.runs.add(id);
      this.writtenElsewhere.policies ||= policies;
      return result;
    } finally {
      this.writesElsewhere--;
      // At once, before the command answers: no look can come between and take its rows for news.
      this.check();
    }
  }

  /** Pushes the events for what other processes committed since the last check (nothing when none did). */
  check(): void {
    if (this.writesElsewhere > 0) return; // see writeElsewhere
    const own = this.writtenElsewhere;
    try {
      this.look(own);
    } finally {
      own.experiments.clear();
      own.runs.clear();
      own.policies = false;
    }
  }

  private look(writtenHere: { readonly experiments: ReadonlySet<number>; readonly runs: ReadonlySet<number>; readonly policies: boolean }): void {
    const version = this.dataVersion();
    if (version === this.version) return;
    this.version = version;
    const lastExperiment = this.maxExperimentId.get() ?? 0;
    for (let id = this.lastExperiment + 1; id <= lastExperiment; id++) {
      if (!this.own.experiments.has(id) && !writtenHere.experiments.has(id)) this.emit('experiments.changed', { experimentId: id });
    }
    this.lastExperiment = Math.max(this.lastExperiment, lastExperiment);
    // This process's own edits are among them when another process committed since: one refresh more.
    for (const id of this.editedSince.all(this.lastRevision)) this.emit('experiments.changed', { experimentId: id });
    this.lastRevision = Math.max(this.lastRevision, this.maxRevision.get() ?? 0);
    // A known experiment that is gone was deleted; one whose count of deleted runs rose lost runs.
    // This process's own deletes, which its commands pushed already, are among them when another
    // process committed since: one refresh more.
    const runsDeleted = this.readRunsDeleted();
    for (const [id, deleted] of this.runsDeleted) if (runsDeleted.get(id) !== deleted) this.emit('experiments.changed', { experimentId: id });
    // One this process launched since the last look has no count there: any run of it deleted was
    // deleted since (the first `aisle delete run` of the app's new experiment pushed nothing).
    for (const [id, deleted] of runsDeleted) if (deleted > 0 && !this.runsDeleted.has(id)) this.emit('experiments.changed', { experimentId: id });
    this.runsDeleted = runsDeleted;
    // This process's own changes, which its commands pushed already, are among them when another
    // process committed since: one refresh more.
    const policies = this.policiesShape.get()!;
    // When this process stored policies elsewhere, it pushed the one refresh their screen needs.
    if (policies !== this.policies && !writtenHere.policies) this.emit('policies.changed', {});
    this.policies = policies;
    const rows = this.candidates.all(this.lastRun, JSON.stringify([...this.seen.keys()]));
    const present = new Set<number>();
    for (const run of rows) {
      present.add(run.id);
      this.lastRun = Math.max(this.lastRun, run.id);
      if (this.own.runs.has(run.id)) continue;
      if (writtenHere.runs.has(run.id) && !ACTIVE.has(run.status)) continue; // an imported run: its experiment's event tells of it
      const here = this.leftHere.get(run.id);
      if (here !== undefined) {
        this.leftHere.delete(run.id);
        if (here === run.status) continue; // as this process left it, and said
      }
      const before = this.seen.get(run.id);
      if (before === undefined || before.status !== run.status) {
        if (before !== undefined && run.episodes_done !== before.episodesDone) this.progress(run); // where it ended, before its end
        this.emit('run.status', { runId: run.id, experimentId: run.experiment_id, status: run.status });
      } else if (run.episodes_done !== before.episodesDone) {
        this.progress(run);
      }
      if (ACTIVE.has(run.status)) this.seen.set(run.id, { status: run.status, episodesDone: run.episodes_done });
      else this.seen.delete(run.id);
    }
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id); // deleted meanwhile
    // Runs finished here at or below the look's last id are read again only if queued or running,
    // which is news whatever this process said of them.
    for (const id of this.leftHere.keys()) if (id <= this.lastRun) this.leftHere.delete(id);
  }

  private readRunsDeleted(): Map<number, number> {
    return new Map(this.selectRunsDeleted.all());
  }

  private progress(run: RunState): void {
    this.emit('run.progress', { runId: run.id, episodesDone: run.episodes_done, episodesTotal: run.episodes_total });
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
