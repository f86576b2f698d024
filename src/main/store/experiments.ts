/** Experiments: created with all their runs in one transaction, listed with their runs' counts,
 * renamed or described, and deleted with everything they own. */
import type Database from 'better-sqlite3';
import { ActiveRunError, NotFoundError } from './errors';
import { countsByExperiment, zeroCounts } from './listing';
import { parseStored, RUN_COLUMNS, toExperimentRow, toJson, toRunRow, type ExperimentRecord, type RunRecord } from './records';
import type { ExperimentEdit, ExperimentListItem, ExperimentNaming, ExperimentRow, NewExperiment, RunRow, RunStatus } from './types';

export class Experiments {
  private readonly insertExperiment;
  private readonly insertRun;
  private readonly selectExperiment;
  private readonly selectExperimentName;
  private readonly selectExperiments;
  private readonly selectRunCounts;
  private readonly deleteExperimentRow;
  private readonly editExperimentRow;
  private readonly selectRunsOfExperiment;
  private readonly selectInvalidConfig;
  private readonly createTx;
  private readonly deleteExperimentsTx;

  /** @param sessionId the session (see Sessions) whose queue holds the runs it creates */
  constructor(
    private readonly db: Database.Database,
    private readonly sessionId: string,
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
    this.selectExperimentName = db.prepare<[number], string>(`SELECT name FROM experiments WHERE id = ?`).pluck();
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
    this.selectInvalidConfig = db.prepare<[number], string>(`SELECT config FROM experiments WHERE id = ? AND NOT json_valid(config)`).pluck();
    this.selectRunsOfExperiment = db.prepare<[number], RunRecord>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE experiment_id = ? ORDER BY id`,
    );

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
    // Every experiment is checked before any is deleted: an unknown one, or one with a running
    // run, leaves all of them in place.
    this.deleteExperimentsTx = db.transaction((ids: readonly number[]) => {
      for (const id of ids) {
        this.getExperiment(id);
        const running = this.selectRunsOfExperiment.all(id).filter((r) => r.status === 'running');
        if (running.length > 0) {
          throw new ActiveRunError(
            `cannot delete experiment ${id}: run ${running.map((r) => r.id).join(', ')} is running; cancel it first`,
          );
        }
      }
      for (const id of ids) this.deleteExperimentRow.run(id);
    });
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

  /** Experiment `id`'s name, as getExperiment's, without reading its config (an inline MDP makes that tens of MB). */
  experimentName(id: number): string {
    const name = this.selectExperimentName.get(id);
    if (name === undefined) throw new NotFoundError('experiment', id);
    return name;
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
        // A config that is not JSON (damaged) is named as damage, not refused by json_set in SQLite's bare 'malformed JSON'.
        const config = this.selectInvalidConfig.get(id);
        if (config !== undefined) parseStored(config, `experiment ${id}'s config`);
        const removeDescription = edit.description !== undefined && description === undefined ? 1 : 0;
        const changed = this.editExperimentRow.run({ id, name: edit.name ?? null, description: description ?? null, removeDescription }).changes;
        if (changed === 0) throw new NotFoundError('experiment', id);
        return this.getExperiment(id);
      })
      .immediate();
    const stored = (row.config as { description?: unknown }).description;
    return { id, name: row.name, description: typeof stored === 'string' ? stored : null };
  }

  /**
   * Deletes the experiments, their runs and everything they own, in one transaction: all of them,
   * or none when one is unknown or has a running run. An id named twice is deleted once.
   */
  deleteExperiments(ids: readonly number[]): void {
    this.deleteExperimentsTx.immediate([...new Set(ids)]);
  }
}

/** config.env.id or config.agent.id when it is a string, else null. */
function componentId(config: unknown, key: 'env' | 'agent'): string | null {
  const component = (config as Record<string, unknown> | null)?.[key] as Record<string, unknown> | undefined;
  return typeof component?.id === 'string' ? component.id : null;
}
