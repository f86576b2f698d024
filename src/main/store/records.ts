/** Experiments' and runs' rows as SQLite holds them (snake_case, JSON as text), and their reading
 * into the store's row types; shared by the modules that read and write those tables. */
import { numbersProblem } from '../row-problems';
import { DamagedDataError } from './errors';
import type { ExperimentRow, RunRow, RunStatus } from './types';

export interface ExperimentRecord {
  id: number;
  name: string;
  config: string;
  config_hash: string;
  source: string | null;
  created_at: number;
}

export interface RunRecord {
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
  active_ms: number | null;
  active_at: number | null;
  summary: string | null;
  greedy: string | null;
  error: string | null;
}

/**
 * A run's training time as read: active_ms, and for a running run the moment it counts up to
 * (progress_at: its last start or metric batch; it has trained since then too), null otherwise.
 */
export const ACTIVE_COLUMNS = `active_ms, CASE WHEN status = 'running' THEN progress_at END AS active_at`;

/**
 * A run's error as read (`r` the table's alias, with its dot): none while it is queued or running.
 * A run resumed after its process stopped keeps that stop's words there, unread, until it ends (see
 * RunStates.requeue): recovery counts the stops from one autosave by them, with no column to add.
 */
export const errorColumn = (r = ''): string => `CASE WHEN ${r}status IN ('queued', 'running') THEN NULL ELSE ${r}error END AS error`;

export const RUN_COLUMNS = `id, experiment_id, seed, status, config, config_hash, app_version, episodes_total,
  episodes_done, created_at, started_at, finished_at, ${ACTIVE_COLUMNS}, summary, greedy, ${errorColumn()}`;

export function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable`);
  return text;
}

/**
 * Stored JSON text read back. Text that no longer parses (damage inside the row, or an edit past
 * the table's CHECK, which SQLite applies to writes only) is a DamagedDataError naming it, as
 * `aisle check` names it ("run 3's config: is not JSON (…)"): JSON.parse's own words named neither
 * the row nor the database, nor what to do, at every command that read it.
 */
export function parseStored(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DamagedDataError(`${what}: is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * A run's stored summary (`depth` 2: metric → { mean, last100, … }) or exact report (1: field →
 * value), parsed and held to what `aisle check` and a results import hold it to (row-problems.ts):
 * its values numbers. A row edited past that still parsed, and was shown as sound: a summary edited
 * to {"x": 1} listed a metric "x" of no value in `aisle show`, exit 0, where `aisle check` named it.
 */
export function storedNumbers(text: string, what: string, depth: number): unknown {
  const value = parseStored(text, what);
  const problem = numbersProblem(value, depth);
  if (problem !== undefined) throw new DamagedDataError(`${what}: ${problem}`);
  return value;
}

export function toExperimentRow(r: ExperimentRecord): ExperimentRow {
  return {
    id: r.id,
    name: r.name,
    config: parseStored(r.config, `experiment ${r.id}'s config`),
    configHash: r.config_hash,
    source: r.source,
    createdAt: r.created_at,
  };
}

export function toRunRow(r: RunRecord): RunRow {
  const { id, experimentId, seed, status, ...rest } = toRunState(r);
  return { id, experimentId, seed, status, config: parseStored(r.config, `run ${id}'s config`), ...rest }; // the fields in RunRow's order
}

export function toRunState(r: Omit<RunRecord, 'config'>): Omit<RunRow, 'config'> {
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
    activeMs: r.active_ms,
    activeAt: r.active_at,
    summary: r.summary === null ? null : storedNumbers(r.summary, `run ${r.id}'s summary`, 2),
    greedy: r.greedy === null ? null : storedNumbers(r.greedy, `run ${r.id}'s exact report`, 1),
    error: r.error,
  };
}
