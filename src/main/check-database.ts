/**
 * The whole database read back and checked (`aisle check`). SQLite checks a page only when it reads
 * it, and Aisle checks a metric chunk or a checkpoint only when something reads that one, so a
 * command (or the app) meets damage only where it reads: a database damaged elsewhere opens, lists
 * and trains as if it were whole. This reads everything once: SQLite's own integrity check of every
 * page and index, the references between rows, what the rows hold as the app reads them
 * (row-problems.ts: configs, seeds, summaries, metrics without gaps, each run's row against its config,
 * metrics from episode 0 to its episodes done within their chunks' cells, saved states within them), then every metric chunk
 * against the summary stored beside it, every checkpoint against its digest, every saved run state
 * as resume reads it and every stored policy as the runtime loads it.
 */
import { decodeRunState, RunStateFormatError } from '../engine/resume/format';
import { ValidationError } from '../engine/params';
import { parseStoredPolicy } from './policies';
import { behaviourConfig, type Experiment } from '../engine/experiment';
import { configHash } from './hash';
import { rowProblems, runProblems, savedStateProblems } from './row-problems';
import { CHUNK_EPISODES, DamagedDataError, type Store } from './store';

/** What was read, and what was wrong. */
export interface DatabaseCheck {
  /** What was wrong, one line each (SQLite's words for its pages); empty when the database is sound. */
  readonly problems: string[];
  /** What was read back whole (nothing past SQLite's check when that failed: reading damaged pages can fail anywhere). */
  readonly read: { experiments: number; runs: number; metricValues: number; checkpoints: number; runStates: number; policies: number };
}

/** At most this many problems are listed: past it, the database needs a backup, not a longer list. */
const MAX_PROBLEMS = 50;
/** Episodes of a metric read at a time, whole chunks (so none is read twice): a 100M-episode run is read in bounded memory. */
const WINDOW = 256 * CHUNK_EPISODES;

export function checkDatabase(store: Store): DatabaseCheck {
  const db = store.db;
  const problems: string[] = [];
  const read = { experiments: 0, runs: 0, metricValues: 0, checkpoints: 0, runStates: 0, policies: 0 };
  const lines = (db.pragma(`integrity_check(${MAX_PROBLEMS})`, { simple: false }) as { integrity_check: string }[]).flatMap((r) => r.integrity_check.split('\n'));
  // Its first line names the schema ("*** in database main ***"), which the user never sees.
  if (!(lines.length === 1 && lines[0] === 'ok')) return { problems: lines.filter((l) => !l.startsWith('***')), read };
  const broken = db.prepare<[], { table: string }>('PRAGMA foreign_key_check').all();
  for (const table of [...new Set(broken.map((b) => b.table))]) {
    problems.push(`${broken.filter((b) => b.table === table).length} rows of ${table} refer to rows the database lacks`);
  }
  // One read transaction: the rows as they were when it began, whatever another process deletes or
  // adds meanwhile (a run deleted by the app during the check is read whole, not "does not exist").
  db.transaction(() => readRows(store, problems, read))();
  return { problems, read };
}

function readRows(store: Store, problems: string[], read: Record<keyof DatabaseCheck['read'], number>): void {
  const db = store.db;
  // A damaged chunk or checkpoint names itself ("run 3's metric "return", episodes 0–4,095: …"); the others are named by `what`.
  const note = (what: string, e: unknown) => {
    if (!(e instanceof DamagedDataError || e instanceof RunStateFormatError || e instanceof ValidationError)) throw e;
    if (problems.length >= MAX_PROBLEMS) return;
    // A run state's problem reads after its subject ("… is damaged: its checksum …").
    problems.push(e instanceof DamagedDataError ? e.message : e instanceof RunStateFormatError ? `${what} ${e.message}` : `${what}: ${e.problems[0]}`);
  };
  const rows = [...rowProblems(db), ...[...hashProblems(db)].map((p) => `${p}: ${HASH_FIX}`)];
  // A run's row against its config, metrics and saved state, as a results import refuses them (SQL only: no chunk read twice).
  for (const problem of [...rows, ...[...runProblems(db), ...savedStateProblems(db)].map((p) => `${p} (${RUN_FIX})`)]) {
    if (problems.length >= MAX_PROBLEMS) break;
    problems.push(problem);
  }
  read.experiments = db.prepare<[], number>('SELECT count(*) FROM experiments').pluck().get() ?? 0;
  const savedState = db.prepare<[number], Buffer>('SELECT data FROM run_states WHERE run_id = ?').pluck();
  for (const runId of db.prepare<[], number>('SELECT id FROM runs ORDER BY id').pluck().all()) {
    read.runs++;
    for (const { name, firstEpisode, nextEpisode } of store.metricSeries(runId)) {
      try {
        for (let from = firstEpisode; from < nextEpisode; from += WINDOW) read.metricValues += store.readMetricRaw(runId, name, { from, to: Math.min(from + WINDOW, nextEpisode) }).length;
      } catch (e) {
        note(`run ${runId}'s metric "${name}"`, e);
      }
    }
    for (const checkpoint of store.listCheckpoints(runId)) {
      try {
        if (checkpoint.kind === 'weights') store.getWeights(checkpoint.id);
        else store.getCheckpoint(checkpoint.id);
        read.checkpoints++;
      } catch (e) {
        note(`run ${runId}'s checkpoint ${checkpoint.id}`, e);
      }
    }
    const state = savedState.get(runId);
    if (state !== undefined) {
      try {
        decodeRunState(state);
        read.runStates++;
      } catch (e) {
        note(`run ${runId}'s saved state (what Resume continues from)`, e);
      }
    }
  }
  // One policy's file in memory at a time: a 20,000-state table's is 2 MB, a shop's ~15 MB, and
  // reading them all first held 221 such files at once (2.35 GB for 450 MB of policies).
  for (const { id, json } of db.prepare<[], { id: number; json: string }>('SELECT id, json FROM policies ORDER BY id').iterate()) {
    try {
      parseStoredPolicy(id, json);
      read.policies++;
    } catch (e) {
      // parseStoredPolicy's problems name the policy already ("stored policy #4: policy.q[3]: …").
      if (e instanceof ValidationError && problems.length < MAX_PROBLEMS) problems.push(e.problems[0]!);
      else note(`stored policy #${id}`, e instanceof SyntaxError ? new ValidationError([`its file is not JSON (${e.message})`]) : e);
    }
  }
}

const RUN_FIX = 'the database edited by hand, or damaged? restore it from a backup';
const HASH_FIX = 'it was changed after it was stored (the database edited by hand, or damaged): restore the database from a backup';

/**
 * Each experiment's and run's settings against the identity stored beside them (`config_hash`, the
 * sha-256 of their environment, agent and episodes: Compare groups runs by it, a results import
 * recognises an experiment already there by it): a config edited or damaged inside its row reads as
 * a sound page and as a valid config, yet its runs were trained on other settings than it shows. A
 * run's identity is its experiment's. One line each, in id order, without how to fix it (the user's
 * database is restored, a results file exported again); configs that do not parse are rowProblems'
 * to name. Also a results file's check (results/import.ts).
 *
 * A run whose environment, agent and episodes are its experiment's very JSON (as every launch
 * stores them) has its experiment's identity, reckoned once: each run's was reckoned anew, and a
 * 20,000-state MDP inline is ~0.4 s of canonical JSON and hashing a run (8.6 s of a 27 s check of
 * 24 such configs). SQLite compares the texts; a run that differs is reckoned from its own config.
 */
export function* hashProblems(db: Store['db']): Generator<string, void, undefined> {
  // Undefined for a config rowProblems names (not JSON, no env or agent with an id): one line for it is enough.
  const hashOf = (config: string): string | undefined => {
    try {
      const c = JSON.parse(config) as Partial<Record<'env' | 'agent', { id?: unknown } | null>> | null;
      if (typeof c?.env?.id !== 'string' || typeof c.agent?.id !== 'string') return undefined;
      return configHash(behaviourConfig(c as Experiment));
    } catch {
      return undefined;
    }
  };
  const experimentFound = new Map<number, string | undefined>();
  for (const e of db.prepare<[], { id: number; config: string; hash: string }>('SELECT id, config, config_hash AS hash FROM experiments ORDER BY id').iterate()) {
    const found = hashOf(e.config);
    experimentFound.set(e.id, found);
    if (found !== undefined && found !== e.hash) yield `experiment ${e.id}'s config: its environment, agent or episodes are not those its stored identity (config_hash) was made from`;
  }
  // config is NULL where the run's behaviour is its experiment's, text for text (minified by ->).
  const runs = db.prepare<[], { id: number; experimentId: number; config: string | null; hash: string; experimentHash: string }>(
    `SELECT r.id, r.experiment_id AS experimentId, r.config_hash AS hash, e.config_hash AS experimentHash,
       CASE WHEN CASE WHEN json_valid(r.config) AND json_valid(e.config)
         THEN json_type(r.config) = 'object' AND json_type(e.config) = 'object'
           AND (r.config -> '$.env') IS (e.config -> '$.env') AND (r.config -> '$.agent') IS (e.config -> '$.agent')
           AND (r.config -> '$.episodes') IS (e.config -> '$.episodes') END
       THEN NULL ELSE r.config END AS config
     FROM runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY r.id`,
  );
  for (const r of runs.iterate()) {
    const found = r.config === null ? experimentFound.get(r.experimentId) : hashOf(r.config);
    if (found !== undefined && found !== r.hash) yield `run ${r.id}'s config: its environment, agent or episodes are not those its stored identity (config_hash) was made from`;
    else if (r.hash !== r.experimentHash) yield `run ${r.id}: its stored identity (config_hash) is not its experiment ${r.experimentId}'s, whose settings it was trained on`;
  }
}
