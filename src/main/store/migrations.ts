/** The run database's schema, as numbered migrations tracked by `PRAGMA user_version`. Migrations
 * are frozen SQL text: they never import live types, so an old migration keeps its meaning. */
import type Database from 'better-sqlite3';
import { firstFive } from '../../engine/params';
import { cleanStoredNames } from './stored-names';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL, or for what SQL alone cannot say (reading the schema version), frozen code. */
  readonly up: string | ((db: Database.Database) => void);
}

/** Thrown when the file was written by a later build whose schema this one cannot read safely. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `this database was written by a newer Aisle (schema ${found}, this build knows ${known}): ` +
        'upgrade Aisle or use another --db',
    );
  }
}

/**
 * Thrown for a file that holds tables but no Aisle schema (user_version 0): another program's
 * SQLite database, which migrating would add Aisle's tables to. (Aisle's own files are never at
 * version 0 with tables: each migration commits its tables together with its version.)
 */
export class NotAisleDatabaseError extends Error {
  override readonly name = 'NotAisleDatabaseError';
  /** What is wrong with the file, after its name ("is a SQLite database of another program …"). */
  readonly problem: string;
  constructor(
    readonly file: string,
    readonly tables: readonly string[],
    /** What else the file is, when known (an Aisle results file). */
    other?: string,
  ) {
    const problem = other ?? `is a SQLite database of another program (its tables: ${firstFive(tables)}), not Aisle's`;
    super(`${file} ${problem}: give an Aisle database or a new file`);
    this.problem = problem;
  }
}

// Conventions for every migration:
// - STRICT tables, so a value of the wrong type is an error rather than silently stored.
// - Timestamps are INTEGER unix milliseconds (UTC).
// - AUTOINCREMENT on ids users type (`aisle show 12`): a deleted run's id is never handed out again.
// - Children reference their run with ON DELETE CASCADE and an index on the reference column.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'experiments, runs, metrics, checkpoints, policies',
    up: `
      CREATE TABLE experiments (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT    NOT NULL CHECK (length(name) > 0),
        config      TEXT    NOT NULL CHECK (json_valid(config)),
        config_hash TEXT    NOT NULL CHECK (length(config_hash) = 64 AND config_hash NOT GLOB '*[^0-9a-f]*'),
        source      TEXT,
        created_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE runs (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        seed           INTEGER NOT NULL,
        status         TEXT    NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
        config         TEXT    NOT NULL CHECK (json_valid(config)),
        config_hash    TEXT    NOT NULL CHECK (length(config_hash) = 64 AND config_hash NOT GLOB '*[^0-9a-f]*'),
        app_version    TEXT    NOT NULL CHECK (length(app_version) > 0),
        episodes_total INTEGER NOT NULL CHECK (episodes_total >= 0),
        episodes_done  INTEGER NOT NULL DEFAULT 0 CHECK (episodes_done >= 0),
        created_at     INTEGER NOT NULL,
        started_at     INTEGER,
        finished_at    INTEGER,
        -- Last sign of life (start or metric batch): an interrupted run's finished_at.
        progress_at    INTEGER,
        summary        TEXT CHECK (summary IS NULL OR json_valid(summary)),
        greedy         TEXT CHECK (greedy IS NULL OR json_valid(greedy)),
        error          TEXT,
        -- The store session (see store_sessions) whose process is executing the run.
        owner_session  TEXT
      ) STRICT;
      CREATE INDEX runs_by_experiment ON runs(experiment_id);
      CREATE INDEX runs_by_status ON runs(status);

      -- One row per open Store, so a process can tell a run another live process is executing from
      -- one whose process died (which is then 'interrupted').
      CREATE TABLE store_sessions (
        id        TEXT    PRIMARY KEY,
        pid       INTEGER NOT NULL,
        opened_at INTEGER NOT NULL
      ) STRICT;

      -- A metric of a run is a dense series of float32 values, one per episode from first_episode
      -- to next_episode - 1 (NaN where the episode has no value).
      CREATE TABLE metric_series (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name          TEXT    NOT NULL CHECK (length(name) > 0),
        first_episode INTEGER NOT NULL CHECK (first_episode >= 0),
        next_episode  INTEGER NOT NULL CHECK (next_episode >= first_episode),
        UNIQUE (run_id, name)
      ) STRICT;

      -- The series in chunks, each inside one cell of a fixed grid of 4096 episodes (cell k is
      -- episodes [4096k, 4096k + 4096)), so where an episode lives follows from its number. A filled
      -- cell is one chunk; the cell being written holds a few smaller pieces until it fills. data
      -- holds count little-endian float32 values; present counts the non-NaN ones and min/max/sum
      -- summarise those (NULL when there are none, or for a sum of +Infinity and -Infinity). data
      -- is the last column so reading the summary alone never touches the blob's overflow pages.
      CREATE TABLE metric_chunks (
        series_id     INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
        start_episode INTEGER NOT NULL CHECK (start_episode >= 0),
        count         INTEGER NOT NULL CHECK (count BETWEEN 1 AND 4096),
        present       INTEGER NOT NULL CHECK (present BETWEEN 0 AND count),
        min           REAL,
        max           REAL,
        sum           REAL,
        data          BLOB    NOT NULL CHECK (length(data) = 4 * count),
        PRIMARY KEY (series_id, start_episode)
      ) STRICT;

      -- shape is a JSON array of dimensions ([states, actions] for a 'qtable'); data holds their
      -- product of little-endian float64 values, row-major.
      CREATE TABLE checkpoints (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        episode    INTEGER NOT NULL CHECK (episode >= 0),
        kind       TEXT    NOT NULL CHECK (length(kind) > 0),
        shape      TEXT    NOT NULL CHECK (json_valid(shape)),
        labels     TEXT    CHECK (labels IS NULL OR json_valid(labels)),
        created_at INTEGER NOT NULL,
        data       BLOB    NOT NULL
      ) STRICT;
      CREATE INDEX checkpoints_by_run ON checkpoints(run_id, episode);

      CREATE TABLE policies (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name       TEXT,
        json       TEXT    NOT NULL CHECK (json_valid(json)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX policies_by_run ON policies(run_id);
    `,
  },
  {
    version: 2,
    name: 'run listing columns and index; policies without a run (imports)',
    up: `
      -- A run's config holds its environment, inline MDP included, so it spills onto overflow
      -- pages, and SQLite walks them to reach any column stored after it. Listing runs therefore
      -- reads only runs_listing, a covering index, and touches rows just for the page it returns.
      -- env_id and agent_id are copied from the config when a run is created (a generated column
      -- would re-parse the whole config each time the index entry changes, at every progress
      -- update); return_last100 is generated from the small summary.
      ALTER TABLE runs ADD COLUMN env_id TEXT;
      ALTER TABLE runs ADD COLUMN agent_id TEXT;
      UPDATE runs SET
        env_id   = CASE json_type(config, '$.env.id')   WHEN 'text' THEN json_extract(config, '$.env.id') END,
        agent_id = CASE json_type(config, '$.agent.id') WHEN 'text' THEN json_extract(config, '$.agent.id') END;
      ALTER TABLE runs ADD COLUMN return_last100 REAL GENERATED ALWAYS AS (
        CASE WHEN json_type(summary, '$.return.last100') IN ('integer', 'real') THEN json_extract(summary, '$.return.last100') END
      ) VIRTUAL;
      CREATE INDEX runs_listing ON runs(
        experiment_id, status, seed, created_at, started_at, finished_at, episodes_done, env_id, agent_id, return_last100
      );

      -- Policies: imported ones belong to no run, and an exported one outlives its run (the file
      -- is out in the world), so run_id becomes nullable with ON DELETE SET NULL. SQLite cannot
      -- change a column's constraints in place: the table is rebuilt, keeping ids and the
      -- AUTOINCREMENT high-water mark (a deleted policy's id is never handed out again).
      CREATE TABLE policies_v2 (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        origin     TEXT    NOT NULL CHECK (origin IN ('export', 'import')),
        name       TEXT,
        env_id     TEXT    NOT NULL,
        states     INTEGER NOT NULL CHECK (states >= 0),
        actions    INTEGER NOT NULL CHECK (actions >= 0),
        created_at INTEGER NOT NULL,
        json       TEXT    NOT NULL CHECK (json_valid(json))
      ) STRICT;
      INSERT INTO policies_v2 (id, run_id, origin, name, env_id, states, actions, created_at, json)
        SELECT id, run_id, 'export', name,
               coalesce(CASE json_type(json, '$.env.id') WHEN 'text' THEN json_extract(json, '$.env.id') END, ''),
               coalesce(CASE json_type(json, '$.states') WHEN 'array' THEN json_array_length(json, '$.states') END, 0),
               coalesce(CASE json_type(json, '$.actions') WHEN 'array' THEN json_array_length(json, '$.actions') END, 0),
               created_at, json
        FROM policies;
      DELETE FROM sqlite_sequence WHERE name = 'policies_v2';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'policies_v2', seq FROM sqlite_sequence WHERE name = 'policies';
      DROP TABLE policies;
      ALTER TABLE policies_v2 RENAME TO policies;
      CREATE INDEX policies_by_run ON policies(run_id);
    `,
  },
  {
    version: 3,
    name: 'runs.return_last100 as a stored column',
    up: `
      -- Migration 2 made return_last100 a VIRTUAL generated column, but SQLite reads the row to
      -- sort by a virtual column even when an index holds it, which for a run means walking its
      -- config's overflow pages. It becomes a plain column, written when the run finishes.
      DROP INDEX runs_listing;
      ALTER TABLE runs DROP COLUMN return_last100;
      ALTER TABLE runs ADD COLUMN return_last100 REAL;
      UPDATE runs SET return_last100 = CASE WHEN json_type(summary, '$.return.last100') IN ('integer', 'real')
                                            THEN json_extract(summary, '$.return.last100') END;
      CREATE INDEX runs_listing ON runs(
        experiment_id, status, seed, created_at, started_at, finished_at, episodes_done, env_id, agent_id, return_last100
      );
    `,
  },
  {
    version: 4,
    name: 'policies.kind',
    up: `
      -- Policy files come in kinds ('tabular', 'mlp'); lists show it without reading the JSON,
      -- which for a large Q-table or network is megabytes. Files written before kinds existed
      -- are tabular. (Checkpoints need no change: their kind column is free text, and a
      -- 'weights' checkpoint keeps its network's layers in shape and float32 values in data.)
      ALTER TABLE policies ADD COLUMN kind TEXT NOT NULL DEFAULT 'tabular' CHECK (length(kind) > 0);
      UPDATE policies SET kind = json_extract(json, '$.kind')
        WHERE json_type(json, '$.kind') = 'text' AND length(json_extract(json, '$.kind')) > 0;
    `,
  },
  {
    version: 5,
    name: 'metric_chunks: constant chunks',
    up: `
      -- A chunk whose values are all one number (present = count, the same float32 bits
      -- throughout: an episode length under a fixed horizon, a constant epsilon, an always-0
      -- metric) may store that number once: data is then 4 bytes for any count. Nothing else
      -- changes; existing chunks are copied as they are. (SQLite cannot alter a CHECK in place.)
      CREATE TABLE metric_chunks_v5 (
        series_id     INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
        start_episode INTEGER NOT NULL CHECK (start_episode >= 0),
        count         INTEGER NOT NULL CHECK (count BETWEEN 1 AND 4096),
        present       INTEGER NOT NULL CHECK (present BETWEEN 0 AND count),
        min           REAL,
        max           REAL,
        sum           REAL,
        data          BLOB    NOT NULL CHECK (length(data) = 4 * count OR (length(data) = 4 AND present = count)),
        PRIMARY KEY (series_id, start_episode)
      ) STRICT;
      INSERT INTO metric_chunks_v5 (series_id, start_episode, count, present, min, max, sum, data)
        SELECT series_id, start_episode, count, present, min, max, sum, data FROM metric_chunks;
      DROP TABLE metric_chunks;
      ALTER TABLE metric_chunks_v5 RENAME TO metric_chunks;
    `,
  },
  {
    version: 6,
    name: 'metric_chunks: small-integer chunks',
    up: `
      -- A chunk whose values are all whole numbers (present = count, no -0) may store them
      -- narrower: as int8 (length(data) = count) when they lie in [-128, 127], as little-endian
      -- int16 (length(data) = 2 * count) in [-32768, 32767]. Episode returns of 0/1 rewards,
      -- lengths, clicks and purchases are such series; a chunk of them is 1/4 or 1/2 the bytes,
      -- and its write costs about as much less (SQLite writes a blob page by page to the WAL).
      -- The encoding follows from the length, without a column: narrow chunks need count > 4, so
      -- that count and 2 * count differ from 4 (a constant chunk) and from 4 * count (float32).
      CREATE TABLE metric_chunks_v6 (
        series_id     INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
        start_episode INTEGER NOT NULL CHECK (start_episode >= 0),
        count         INTEGER NOT NULL CHECK (count BETWEEN 1 AND 4096),
        present       INTEGER NOT NULL CHECK (present BETWEEN 0 AND count),
        min           REAL,
        max           REAL,
        sum           REAL,
        data          BLOB    NOT NULL CHECK (
          length(data) = 4 * count
          OR (present = count AND (length(data) = 4 OR (count > 4 AND length(data) IN (count, 2 * count))))
        ),
        PRIMARY KEY (series_id, start_episode)
      ) STRICT;
      INSERT INTO metric_chunks_v6 (series_id, start_episode, count, present, min, max, sum, data)
        SELECT series_id, start_episode, count, present, min, max, sum, data FROM metric_chunks;
      DROP TABLE metric_chunks;
      ALTER TABLE metric_chunks_v6 RENAME TO metric_chunks;
    `,
  },
  {
    version: 7,
    name: 'runs_listing: episodes_total',
    up: `
      -- The runs list sorts progress by the fraction done, episodes_done / episodes_total, and
      -- episodes_total is stored after the config: outside the covering index, that sort would
      -- walk every run's config overflow pages. (Building the index reads them once, here.)
      DROP INDEX runs_listing;
      CREATE INDEX runs_listing ON runs(
        experiment_id, status, seed, created_at, started_at, finished_at, episodes_done, episodes_total, env_id, agent_id, return_last100
      );
    `,
  },
  {
    version: 8,
    name: 'experiments.revision',
    up: `
      -- Raised by every rename or description edit, to one above every experiment's, so a list that
      -- keeps what it read of an experiment's config knows to read it again, and another process
      -- finds the experiments edited since it last looked from this index alone.
      ALTER TABLE experiments ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX experiments_by_revision ON experiments(revision);
    `,
  },
  {
    version: 9,
    name: 'experiments.runs_deleted',
    up: `
      -- How many of the experiment's runs were deleted, counted by the trigger whoever deletes them
      -- (this build, another process, plain SQL), so another process finds an experiment that lost
      -- runs, or that is gone, from this index alone, rather than counting every experiment's runs
      -- at each of their commits. An experiment deleted whole is gone before its runs are: the
      -- trigger then updates nothing.
      ALTER TABLE experiments ADD COLUMN runs_deleted INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX experiments_by_runs_deleted ON experiments(runs_deleted);
      CREATE TRIGGER runs_deleted AFTER DELETE ON runs BEGIN
        UPDATE experiments SET runs_deleted = runs_deleted + 1 WHERE id = OLD.experiment_id;
      END;
    `,
  },
  {
    version: 10,
    name: 'checkpoints.digest',
    up: `
      -- The SHA-1 of the checkpoint's data, checked when it is read: SQLite checks its pages'
      -- structure, not a BLOB's bytes, and a Q-table damaged on disk would otherwise be exported
      -- as a policy. NULL for the checkpoints written before, which are read unchecked.
      ALTER TABLE checkpoints ADD COLUMN digest TEXT
        CHECK (digest IS NULL OR (length(digest) = 40 AND digest NOT GLOB '*[^0-9a-f]*'));
    `,
  },
  {
    version: 11,
    name: "runs.status 'paused'; run_states",
    up: (db) => {
      // A paused run keeps its status. SQLite cannot alter a CHECK in place, and rebuilding runs
      // would cascade-delete its metrics (foreign keys cannot be turned off inside the migration's
      // transaction); a CHECK that admits one more value changes nothing stored, so the table's
      // SQL is edited as SQLite documents for such changes (lang_altertable.html, "otheralter").
      const before = "'cancelled', 'interrupted'))";
      const after = "'cancelled', 'interrupted', 'paused'))";
      const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'").pluck().get() as string;
      if (sql.split(before).length !== 2) throw new Error("migration 11: the runs table's status check is not the one migration 1 wrote");
      const version = db.pragma('schema_version', { simple: true }) as number;
      db.unsafeMode(true); // lifts SQLite's defensive mode, which forbids writing sqlite_schema
      try {
        db.pragma('writable_schema = ON');
        db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'runs'").run(sql.replace(before, after));
        db.pragma(`schema_version = ${version + 1}`);
        db.pragma('writable_schema = OFF');
      } finally {
        db.unsafeMode(false);
      }
      db.exec(`
        -- The state a paused (or cancelled) run continues from: its agent, environment and training
        -- loop as of episode \`episode\` (the episodes it has played), in the engine's run-state
        -- format (src/engine/resume/format.ts). One per run: a later pause replaces it, and a run
        -- that ends (completed, failed) drops it.
        CREATE TABLE run_states (
          run_id     INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          episode    INTEGER NOT NULL CHECK (episode >= 0),
          created_at INTEGER NOT NULL,
          data       BLOB    NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 12,
    name: 'runs.active_ms',
    up: `
      -- A run's training time, ms, its pauses left out: NULL until it first starts, then raised by
      -- each stretch of running (from its start or resume, or its last metric batch, which moves
      -- progress_at on, to its next batch or its stop), so a paused run resumed the next morning
      -- does not count the night. Before, a run's time was finished_at - started_at: that is
      -- right for every run never paused, and the nearest that can be known of those that were. A
      -- run still running counts to its last sign of life, as its end would if it crashed.
      ALTER TABLE runs ADD COLUMN active_ms INTEGER CHECK (active_ms IS NULL OR active_ms >= 0);
      UPDATE runs SET active_ms = max(0, coalesce(finished_at, progress_at, started_at) - started_at)
        WHERE started_at IS NOT NULL;
      -- The runs list sorts by it (a running run's up to now, from progress_at) from the index alone.
      DROP INDEX runs_listing;
      CREATE INDEX runs_listing ON runs(
        experiment_id, status, seed, created_at, started_at, finished_at, episodes_done, episodes_total, env_id, agent_id, return_last100,
        active_ms, progress_at
      );
    `,
  },
  {
    version: 13,
    name: 'store_sessions.host, seen_at',
    up: `
      -- A session's pid means something only in its own pid namespace: two containers sharing the
      -- database on a volume (or a container and its host) each took the other's live runs for
      -- dead, their pids naming no process there, or another one. host is where the pid means
      -- something ('<hostname>/<pid namespace>', or the hostname where there are no namespaces);
      -- seen_at (ms) is when the session last said it is alive, which a session of another host is
      -- judged by. Both NULL in the sessions of earlier builds, judged by their pid as before.
      ALTER TABLE store_sessions ADD COLUMN host TEXT CHECK (host IS NULL OR length(host) > 0);
      ALTER TABLE store_sessions ADD COLUMN seen_at INTEGER;
    `,
  },
  {
    version: 14,
    name: 'checkpoints_by_run_kind',
    up: `
      -- The runs list's "stored a Q-table" filter (the Q-tables and Policies pickers, read again at
      -- every run's end) asks of each run whether it has a checkpoint of a kind: checkpoints_by_run
      -- finds its checkpoints but not their kind, so each was read from its row, ten or so a run
      -- (0.24 s a read on 32,000 runs). From this index alone: 0.02 s.
      CREATE INDEX checkpoints_by_run_kind ON checkpoints(run_id, kind);
    `,
  },
  {
    version: 15,
    name: 'experiments_listing',
    up: `
      -- The Experiments screen's page (experiments.page) sorts by environment, agent, episodes or
      -- creation time and searches descriptions, environments and agents: without this index each
      -- read parsed every experiment's config (a JSON text of up to tens of MB with an inline MDP),
      -- 30 to 40 ms a sort on 6,402 experiments of 0.8 KB each. The expressions are those
      -- Listing's queries use, so they come from the index: 1 ms. name and created_at make it covering.
      CREATE INDEX experiments_listing ON experiments(
        (CASE json_type(config, '$.env.id') WHEN 'text' THEN json_extract(config, '$.env.id') END),
        (CASE json_type(config, '$.agent.id') WHEN 'text' THEN json_extract(config, '$.agent.id') END),
        (CASE json_type(config, '$.episodes') WHEN 'integer' THEN json_extract(config, '$.episodes') END),
        (CASE json_type(config, '$.description') WHEN 'text' THEN json_extract(config, '$.description') END),
        name,
        created_at
      );
    `,
  },
  {
    version: 16,
    name: "names and descriptions today's reads refuse, cleaned",
    // An earlier Aisle stored policy names, experiment names and descriptions holding control
    // characters (a bidirectional override pasted into Export's name) that this one's reads refuse:
    // every read of such a policy failed (policies.fits answered 400). They are cleaned as today's
    // checks would take them, in this migration's one transaction (stored-names.ts, frozen).
    up: cleanStoredNames,
  },
];

/** The schema version this build writes. */
export const LATEST_VERSION: number = MIGRATIONS.length === 0 ? 0 : MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every pending migration, each in its own IMMEDIATE transaction together with its
 * user_version bump, so a crash leaves the file at a whole version. The version is re-read inside
 * the transaction: the app and the CLI may open a new file at the same moment.
 * @returns the versions applied (empty when the file was already current)
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkSequence(migrations);
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const applied: number[] = [];
  const step = db.transaction((m: Migration): boolean => {
    // Under the write lock, so what this migration alters is the schema as it now stands.
    loadCurrentSchema(db);
    const current = schemaVersion(db);
    if (current >= m.version) return false;
    if (typeof m.up === 'string') db.exec(m.up);
    else m.up(db);
    // PRAGMA takes no bound parameters; version is an integer checked by checkSequence.
    db.pragma(`user_version = ${m.version}`);
    return true;
  });
  const found = schemaVersion(db);
  if (found > known) throw new SchemaTooNewError(found, known);
  for (const m of migrations) {
    if (m.version <= found) continue;
    if (step.immediate(m)) applied.push(m.version);
  }
  loadCurrentSchema(db);
  return applied;
}

/**
 * Makes the connection read the schema again if another connection has changed it. SQLite
 * compiles a statement against the schema it last read, and rechecks the file only when a
 * statement runs, not when one fails to compile: a connection that read the tables before another
 * process migrated the file (the app and `aisle run` opening a new database at once) would
 * otherwise refuse the Store's statements against the old tables (`cannot UPDATE generated column
 * "return_last100"`, a column migration 3 made a plain one). Running any statement that reads
 * sqlite_schema checks the file's schema cookie and reloads the schema when it moved.
 */
function loadCurrentSchema(db: Database.Database): void {
  db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
}

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version !== i + 1) {
      throw new Error(`migration "${m.name}" has version ${m.version}; versions must run 1, 2, 3 … in order`);
    }
  });
}
