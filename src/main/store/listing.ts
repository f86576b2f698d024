/** Lists of runs and experiments for the app's tables: filtered, searched, sorted and paged in SQL,
 * reading the runs_listing index rather than rows (a run's config spills onto overflow pages). */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson } from '../../engine/canonical';
import { NotFoundError } from './errors';
import { errorColumn } from './records';
import { searchFold } from '../../shared/search-fold';
import { EVALUATION_METRICS } from '../../engine/greedy-evaluation';
import { RUN_STATUSES, type ExperimentListEntry, type ExperimentListPage, type ExperimentListQuery, type ExperimentListSort, type RunFilter, type RunListItem, type RunListPage, type RunListQuery, type RunListSort, type RunStatus } from './types';

/**
 * What each sort orders runs by: an expression over runs_listing's columns, so sorting reads no
 * run's row. Ids ignore ASCII case ("Bandit" between "alpha" and "cliff"); experiment names are
 * folded as the search folds them (searchFold: any script's case, accents aside).
 */
const SORT_KEY: Record<RunListSort, string> = {
  id: 'id',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  // The fraction done, so a finished 500-episode run sorts above a half-done 100,000-episode one.
  // An experiment has at least 1 episode; a total of 0 would divide to NULL and sort first.
  episodesDone: 'CAST(episodes_done AS REAL) / episodes_total',
  status: 'status',
  returnLast100: 'return_last100',
  seed: 'seed',
  // Its training time, pauses left out; a running run's up to now (SQLite's clock, in the same ms
  // since 1970); never started: NULL.
  elapsed: `(CASE WHEN status = 'running' THEN active_ms + max(0, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - progress_at) ELSE active_ms END)`,
  // One primary-key lookup per run into a table of few rows, its name stored before its config.
  // Folded as the search folds it (aisle_fold: any script's case, accents aside), as the Experiments screen sorts names.
  experiment: '(SELECT aisle_fold(name) FROM experiments WHERE experiments.id = runs.experiment_id)',
  agent: 'agent_id COLLATE NOCASE',
  env: 'env_id COLLATE NOCASE',
};

interface RunListRecord {
  id: number;
  experiment_id: number;
  experiment_name: string;
  env_id: string | null;
  agent_id: string | null;
  seed: number;
  status: RunStatus;
  episodes_done: number;
  episodes_total: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  active_ms: number | null;
  active_at: number | null;
  config_hash: string;
  return_last100: number | null;
  error: string | null;
  greedy_return: number | null;
  greedy_gamma: number | null;
  evaluation_return: number | null;
}

interface ExperimentRecord {
  id: number;
  name: string;
  config_hash: string;
  source: string | null;
  created_at: number;
  revision: number;
}

/** What a listed experiment shows from its config (which changes only by an edit, raising its revision). */
interface ExperimentConfigFields {
  env_id: string | null;
  agent_id: string | null;
  episodes: number | null;
  seeds: number | null;
  description: string | null;
}

/** The metric a greedy evaluation records its episodes' mean return as. */
const EVALUATION_RETURN = EVALUATION_METRICS[0];

/**
 * The number at `path` in a JSON column, else NULL (absent, or NaN written as null). json_type and
 * json_extract, and the three such columns of a run, do not parse its greedy or summary again:
 * SQLite (3.45 and later; better-sqlite3 bundles 3.53) keeps a statement's recently parsed JSON
 * texts, so each document is parsed once a row. Measured on 10,000 runs: the six calls take 1.2×
 * the time of one json_extract per column (~5 ms in all), lost in the noise of listing them all
 * (100 to 200 ms); json_each is no faster, and json_extract alone would read true as 1. A text
 * that is not JSON (damaged: the CHECK holds for writes only) has none: json_type refused it
 * ('malformed JSON'), and one damaged run failed every list of runs; its own read names it.
 */
const NUMBER_AT = (column: string, path: string) =>
  `CASE WHEN json_valid(${column}) AND json_type(${column}, '${path}') IN ('integer', 'real') THEN json_extract(${column}, '${path}') END`;

/**
 * Columns of a listed run; `r` is the run, `e` its experiment. Its greedy policy's exact return and
 * its greedy evaluations' last-100 mean come from its small greedy and summary columns, which lie
 * past its config as error does (no overflow page is read that error did not already need).
 */
const ITEM_COLUMNS = `r.id, r.experiment_id, e.name AS experiment_name, r.env_id, r.agent_id, r.seed, r.status,
  r.episodes_done, r.episodes_total, r.created_at, r.started_at, r.finished_at, r.active_ms,
  CASE WHEN r.status = 'running' THEN r.progress_at END AS active_at, r.config_hash, r.return_last100, ${errorColumn('r.')},
  ${NUMBER_AT('r.greedy', '$.expectedReturn')} AS greedy_return, ${NUMBER_AT('r.greedy', '$.gamma')} AS greedy_gamma,
  ${NUMBER_AT('r.summary', `$."${EVALUATION_RETURN}".last100`)} AS evaluation_return`;

export class Listing {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly selectItem;
  private readonly selectExperiments;
  private readonly selectSomeExperiments;
  private readonly selectRunCounts;
  private readonly selectSomeRunCounts;
  private readonly selectExperimentRuns;
  private readonly selectConfigFields;
  private readonly selectExperiment;
  /**
   * The config fields of each experiment seen, parsed once: a config can be tens of MB (an inline
   * MDP), which SQLite's JSON functions parse whole, so listing such an experiment took ~300 ms and
   * every refresh of its runs' detail too. Keyed by id, and checked against the experiment's revision
   * (raised when it is renamed or its description edited, here or by another process), and its hash
   * and creation time all the same (ids are not reused, but the check costs nothing).
   */
  private readonly configFields = new Map<number, { key: string; fields: ExperimentConfigFields }>();
  private readonly selectExperimentStamps;
  private readonly selectEnvironment;
  /**
   * Each experiment's environment as a digest of its canonical JSON, read once per experiment (an
   * experiment's config never changes but for its name and description): keyed by id, checked
   * against its hash and creation time as configFields are.
   */
  private readonly environmentKeys = new Map<number, { stamp: string; key: string }>();

  constructor(private readonly db: Database.Database) {
    this.selectItem = db.prepare<[number], RunListRecord>(
      `SELECT ${ITEM_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`,
    );
    this.selectExperiments = db.prepare<[], ExperimentRecord>(`SELECT id, name, config_hash, source, created_at, revision FROM experiments ORDER BY id DESC`);
    this.selectConfigFields = db.prepare<[number], ExperimentConfigFields>(
      `SELECT ${CONFIG_TEXT('$.env.id')} AS env_id, ${CONFIG_TEXT('$.agent.id')} AS agent_id,
         ${CONFIG_EPISODES} AS episodes,
         CASE json_type(config, '$.seeds') WHEN 'array' THEN json_array_length(config, '$.seeds')
                                           WHEN 'integer' THEN json_extract(config, '$.seeds') END AS seeds,
         ${CONFIG_TEXT('$.description')} AS description
       FROM experiments WHERE id = ? AND json_valid(config)`,
    );
    this.selectRunCounts = db.prepare<[], { experiment_id: number; status: RunStatus; n: number }>(
      `SELECT experiment_id, status, count(*) AS n FROM runs GROUP BY experiment_id, status`,
    );
    // Those of a few experiments (ids as a JSON array): a primary-key lookup each, and their runs by runs_by_experiment.
    this.selectSomeExperiments = db.prepare<[string], ExperimentRecord>(
      `SELECT id, name, config_hash, source, created_at, revision FROM experiments WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`,
    );
    this.selectSomeRunCounts = db.prepare<[string], { experiment_id: number; status: RunStatus; n: number }>(
      `SELECT experiment_id, status, count(*) AS n FROM runs WHERE experiment_id IN (SELECT value FROM json_each(?)) GROUP BY experiment_id, status`,
    );
    this.selectExperiment = db.prepare<[number], ExperimentRecord>(`SELECT id, name, config_hash, source, created_at, revision FROM experiments WHERE id = ?`);
    this.selectExperimentStamps = db.prepare<[], { id: number; config_hash: string; created_at: number }>(`SELECT id, config_hash, created_at FROM experiments ORDER BY id`);
    // None for a config that is not JSON (damaged), which json_extract refused ('malformed JSON', every policy's check failing with it).
    this.selectEnvironment = db.prepare<[number], string | null>(`SELECT CASE WHEN json_valid(config) THEN json_extract(config, '$.env') END FROM experiments WHERE id = ?`).pluck();
    this.selectExperimentRuns = db.prepare<[number], { id: number; status: RunStatus }>(
      `SELECT id, status FROM runs WHERE experiment_id = ? ORDER BY id`,
    );
  }

  /** One page of runs and how many match in all. */
  runs(query: RunListQuery = {}): RunListPage {
    const { where, params } = listingWhere(query);
    const key = SORT_KEY[query.sort ?? 'id'];
    if (key === undefined) throw new RangeError(`runs cannot be sorted by "${String(query.sort)}"`);
    const direction = query.descending === true ? 'DESC' : 'ASC';
    // Runs without a value (no return yet, not started) come last either way: they are not the lowest nor the highest.
    const order = key === 'id' ? `id ${direction}` : `sort_key ${direction} NULLS LAST, id ${direction}`;
    const pageOrder = key === 'id' ? `page.id ${direction}` : `page.sort_key ${direction} NULLS LAST, page.id ${direction}`;
    // The page's ids come from the covering index alone; only its rows are then read. sort_key
    // keeps its expression's collation in the outer ORDER BY.
    const pageSql =
      `SELECT ${ITEM_COLUMNS} FROM (
         SELECT id, ${key} AS sort_key FROM runs INDEXED BY runs_listing ${where} ORDER BY ${order} LIMIT ? OFFSET ?
       ) AS page
       JOIN runs r ON r.id = page.id JOIN experiments e ON e.id = r.experiment_id
       ORDER BY ${pageOrder}`;
    const total = this.cached(`SELECT count(*) FROM runs INDEXED BY runs_listing ${where}`).pluck().get(...params) as number;
    const records = this.cached(pageSql).all(...params, query.limit ?? -1, query.offset ?? 0) as RunListRecord[];
    return { total, runs: records.map(toItem) };
  }

  run(id: number): RunListItem {
    const record = this.selectItem.get(id);
    if (record === undefined) throw new NotFoundError('run', id);
    return toItem(record);
  }

  /**
   * Every experiment, newest first, with its run counts per status; or only those of `ids` that
   * are stored (what a screen reads again after a run of theirs changed status: a few rows, not
   * every experiment's).
   */
  experiments(ids?: readonly number[]): ExperimentListEntry[] {
    const some = ids === undefined ? undefined : JSON.stringify(ids);
    const counts = countsByExperiment(some === undefined ? this.selectRunCounts.all() : this.selectSomeRunCounts.all(some));
    const records = some === undefined ? this.selectExperiments.all() : this.selectSomeExperiments.all(some);
    if (some === undefined) {
      const present = new Set(records.map((r) => r.id));
      for (const id of this.configFields.keys()) if (!present.has(id)) this.configFields.delete(id); // deleted
    }
    return records.map((r) => {
      const f = this.fieldsOf(r);
      return {
        id: r.id,
        name: r.name,
        configHash: r.config_hash,
        source: r.source,
        createdAt: r.created_at,
        envId: f.env_id ?? '',
        agentId: f.agent_id ?? '',
        episodes: f.episodes ?? 0,
        seeds: f.seeds ?? 0,
        description: f.description,
        runCounts: counts.get(r.id) ?? zeroCounts(),
      };
    });
  }

  /**
   * One page of experiments, searched and sorted in SQL (see EXPERIMENT_SORT_KEY), and how many match:
   * the page's ids first, then their rows as experiments(ids) reads them, in the page's order.
   */
  experimentPage(query: ExperimentListQuery = {}): ExperimentListPage {
    const key = EXPERIMENT_SORT_KEY[query.sort ?? 'id'];
    if (key === undefined) throw new RangeError(`experiments cannot be sorted by "${String(query.sort)}"`);
    const direction = query.descending === true ? 'DESC' : 'ASC';
    const { where, params } = experimentSearch(query.search);
    const order = key === 'id' ? `id ${direction}` : `${key} ${direction}, id ${direction}`;
    // What reads the config's fields reads them from experiments_listing (migration 15): left to
    // itself, the planner scans the table in id order for a search sorted by id, parsing every config.
    const from = `${where} ${key}`.includes('config') ? 'experiments INDEXED BY experiments_listing' : 'experiments';
    const total = this.cached(`SELECT count(*) FROM ${from} ${where}`).pluck().get(...params) as number;
    const ids = this.cached(`SELECT id FROM ${from} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck().all(...params, query.limit ?? -1, query.offset ?? 0) as number[];
    const byId = new Map(this.experiments(ids).map((e) => [e.id, e]));
    const stored = where === '' ? total : (this.cached(`SELECT count(*) FROM experiments`).pluck().get() as number);
    // One deleted between the two reads is left out, as experiments(ids) leaves it.
    return { total, stored, experiments: ids.flatMap((id) => byId.get(id) ?? []) };
  }

  /**
   * Every experiment's number, name, environment id ('' when its config names none) and creation
   * time, newest first, read from experiments_listing (no config parsed, no runs counted); with
   * `startingWith`, only those whose name starts with it, in case too (no LIKE: % and _ are text).
   */
  experimentNames(startingWith?: string): { id: number; name: string; envId: string; createdAt: number }[] {
    const where = startingWith === undefined ? '' : 'WHERE substr(name, 1, length(@prefix)) = @prefix';
    const sql = `SELECT id, name, ifnull(${CONFIG_TEXT('$.env.id')}, '') AS envId, created_at AS createdAt FROM experiments INDEXED BY experiments_listing ${where} ORDER BY id DESC`;
    return this.cached(sql).all(...(startingWith === undefined ? [] : [{ prefix: startingWith }])) as { id: number; name: string; envId: string; createdAt: number }[];
  }

  /** An experiment's description (null: none, or no such experiment). */
  experimentDescription(id: number): string | null {
    const record = this.selectExperiment.get(id);
    return record ? this.fieldsOf(record).description : null;
  }

  private fieldsOf(r: ExperimentRecord): ExperimentConfigFields {
    const key = `${r.config_hash} ${r.created_at} ${r.revision}`;
    const known = this.configFields.get(r.id);
    if (known?.key === key) return known.fields;
    const fields = this.selectConfigFields.get(r.id);
    // Deleted meanwhile, or a config that is not JSON (damaged: the CHECK holds for writes only), whose
    // fields SQLite's JSON functions refused ('malformed JSON', every list of experiments failing
    // with it): listed without them, and its own read names the damage.
    if (!fields) return { env_id: null, agent_id: null, episodes: null, seeds: null, description: null };
    this.configFields.set(r.id, { key, fields });
    return fields;
  }

  /**
   * Every experiment, oldest first, with a key its environment's settings alone make (alike for
   * experiments whose environments are alike): what a check over every experiment's environment
   * (Policies' "does this policy fit") reads, parsing each distinct one once with experimentEnvironment,
   * rather than every experiment's config at every check (1 s on 6,400 experiments).
   */
  experimentEnvironmentKeys(): { id: number; key: string }[] {
    const rows = this.selectExperimentStamps.all();
    if (this.environmentKeys.size > rows.length) {
      const present = new Set(rows.map((r) => r.id));
      for (const id of this.environmentKeys.keys()) if (!present.has(id)) this.environmentKeys.delete(id); // deleted
    }
    return rows.map(({ id, config_hash, created_at }) => {
      const stamp = `${config_hash} ${created_at}`;
      const known = this.environmentKeys.get(id);
      if (known?.stamp === stamp) return { id, key: known.key };
      const key = createHash('sha1').update(canonicalJson(this.experimentEnvironment(id) ?? null)).digest('hex');
      this.environmentKeys.set(id, { stamp, key });
      return { id, key };
    });
  }

  /** An experiment's environment settings as stored (undefined: none, no such experiment, or a config that is not JSON). */
  experimentEnvironment(id: number): unknown {
    const text = this.selectEnvironment.get(id);
    return typeof text === 'string' ? (JSON.parse(text) as unknown) : undefined;
  }

  /** The ids and statuses of an experiment's runs (none for an unknown experiment). */
  experimentRuns(experimentId: number): { id: number; status: RunStatus }[] {
    return this.selectExperimentRuns.all(experimentId);
  }

  private cached(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }
}

/**
 * A text field of an experiment's config, NULL when it is absent or not text; and its episodes, NULL
 * when not a whole number. Written as migration 15's experiments_listing index writes them, so the
 * sorts and the search read them from it rather than parse every config.
 */
const CONFIG_TEXT = (path: string) => `CASE json_type(config, '${path}') WHEN 'text' THEN json_extract(config, '${path}') END`;
const CONFIG_EPISODES = `CASE json_type(config, '$.episodes') WHEN 'integer' THEN json_extract(config, '$.episodes') END`;

/**
 * What each of the Experiments screen's sorts orders experiments by, as the screen sorted them when
 * it read every experiment: names folded as the search folds them (aisle_fold), ids ignoring ASCII
 * case, an absent id as "" and absent episodes as 0 (the summary's values), runs by their count
 * (runs_by_experiment, one lookup an experiment).
 */
const EXPERIMENT_SORT_KEY: Record<ExperimentListSort, string> = {
  id: 'id',
  name: 'aisle_fold(name)',
  env: `ifnull(${CONFIG_TEXT('$.env.id')}, '') COLLATE NOCASE`,
  agent: `ifnull(${CONFIG_TEXT('$.agent.id')}, '') COLLATE NOCASE`,
  episodes: `ifnull(${CONFIG_EPISODES}, 0)`,
  runs: '(SELECT count(*) FROM runs WHERE runs.experiment_id = experiments.id)',
  createdAt: 'created_at',
};

/** WHERE of the Experiments screen's search (see ExperimentListQuery.search), as the screen searched when it read every experiment. */
function experimentSearch(search: string | undefined): { where: string; params: (number | string)[] } {
  const text = searchFold(search?.trim() ?? '');
  if (text === '') return { where: '', params: [] };
  // The four fields folded as one text, a line apart (one call of aisle_fold a row rather than four:
  // 30 ms rather than 45 on 6,402 experiments); the search box's one line finds nothing across two.
  const fields = ['name', ...['$.description', '$.env.id', '$.agent.id'].map((path) => `ifnull(${CONFIG_TEXT(path)}, '')`)];
  const anyOf = [`instr(aisle_fold(${fields.join(` || char(10) || `)}), ?) > 0`];
  const params: (number | string)[] = [text];
  const id = /^#?(\d{1,15})$/.exec(text);
  if (id) {
    anyOf.push('id = ?');
    params.push(Number(id[1]));
  }
  return { where: `WHERE ${anyOf.join(' OR ')}`, params };
}

/** WHERE over runs_listing's columns only, so neither query reads a run's row. */
function listingWhere(query: RunListQuery): { where: string; params: (number | string)[] } {
  const { where: filtered, params } = runWhere(query);
  let where = filtered;
  if (query.stored !== undefined) {
    // checkpoints_by_run finds a run's checkpoints; the run's row is not read.
    const kind = query.stored === 'any' ? '' : ' AND kind = ?';
    if (query.stored !== 'any') params.push(query.stored);
    where = `${where ? `${where} AND` : 'WHERE'} EXISTS (SELECT 1 FROM checkpoints WHERE run_id = runs.id${kind})`;
  }
  const search = query.search?.trim() ?? '';
  if (search !== '') {
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const anyOf = [
      // A name in any script and case, accents aside, as the Experiments screen finds it (LIKE folds ASCII only).
      `experiment_id IN (SELECT id FROM experiments WHERE instr(aisle_fold(name), ?) > 0)`,
      `agent_id LIKE ? ESCAPE '\\'`,
      `env_id LIKE ? ESCAPE '\\'`,
    ];
    params.push(searchFold(search), like, like);
    const id = /^#?(\d{1,15})$/.exec(search);
    if (id) {
      anyOf.push('id = ?');
      params.push(Number(id[1]));
    }
    return { where: `${where ? `${where} AND` : 'WHERE'} (${anyOf.join(' OR ')})`, params };
  }
  return { where, params };
}

function toItem(r: RunListRecord): RunListItem {
  return {
    id: r.id,
    experimentId: r.experiment_id,
    experimentName: r.experiment_name,
    envId: r.env_id ?? '',
    agentId: r.agent_id ?? '',
    seed: r.seed,
    status: r.status,
    episodesDone: r.episodes_done,
    episodesTotal: r.episodes_total,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    activeMs: r.active_ms,
    activeAt: r.active_at,
    configHash: r.config_hash,
    returnLast100: r.return_last100,
    error: r.error,
    greedyReturn: r.greedy_return,
    greedyGamma: r.greedy_gamma,
    evaluationReturn: r.evaluation_return,
  };
}

/** WHERE of a run filter, over columns that come before the config (and in runs_listing). */
export function runWhere(filter: RunFilter): { where: string; params: (number | string)[] } {
  const clauses: string[] = [];
  const params: (number | string)[] = [];
  if (filter.experimentId !== undefined) {
    clauses.push('experiment_id = ?');
    params.push(filter.experimentId);
  }
  if (filter.configHash !== undefined) {
    clauses.push('config_hash = ?');
    params.push(filter.configHash);
  }
  if (filter.seed !== undefined) {
    clauses.push('seed = ?');
    params.push(filter.seed);
  }
  if (filter.status !== undefined) {
    const statuses: readonly RunStatus[] = typeof filter.status === 'string' ? [filter.status] : filter.status;
    clauses.push(statuses.length === 0 ? '0' : `status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

export function zeroCounts(): Record<RunStatus, number> {
  return Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
}

/** Run counts per experiment and status, from `experiment_id, status, count(*) AS n` rows. */
export function countsByExperiment(rows: Iterable<{ experiment_id: number; status: RunStatus; n: number }>): Map<number, Record<RunStatus, number>> {
  const counts = new Map<number, Record<RunStatus, number>>();
  for (const c of rows) {
    let byStatus = counts.get(c.experiment_id);
    if (byStatus === undefined) counts.set(c.experiment_id, (byStatus = zeroCounts()));
    byStatus[c.status] = c.n;
  }
  return counts;
}
