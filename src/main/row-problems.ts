/**
 * What the rows of an Aisle database hold, checked as the app reads them: SQLite's CHECKs hold only
 * that a config is JSON, and a value edited (or damaged) inside a row reads as a sound page. A
 * results file's rows are checked before they are imported (results/import.ts: the first problem
 * refuses the file); `aisle check` lists every problem of the user's own database
 * (check-database.ts). Policies and metric values are checked by their own readers.
 */
import type Database from 'better-sqlite3';
import { experimentDescription, experimentName } from '../engine/experiment-text';
import { CONTROL, controlAt, show, showJson } from '../engine/params';
import { CHUNK_EPISODES } from '../shared/buckets';

/**
 * An experiment's or run's config as the app reads it: env and agent, each an object with an id
 * (and a run's episodes and seed), or what is wrong with it. The rest is the app's to judge when
 * the config is used (a config that no longer builds, written by an older Aisle, is still shown),
 * but without these a run's page, Compare or export failed with a TypeError far from the import.
 */
function configShapeProblem(config: unknown, run: boolean): string | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return 'must be an object';
  const c = config as Record<string, unknown>;
  for (const part of ['env', 'agent']) {
    const v = c[part];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${part}: must be an object with an id`;
    const id = (v as Record<string, unknown>).id;
    if (typeof id !== 'string' || id.length === 0) return `${part}.id: must be a name`;
    // Aisle writes none: `aisle runs` and `aisle show` print the id, and the app shows it (an ESC sequence drove the terminal, U+202E reversed the line).
    if (CONTROL.test(id)) return `${part}.id: must not contain control characters (found ${controlAt(id)})`;
  }
  if (run) {
    for (const field of ['episodes', 'seed']) {
      const v = c[field];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `${field}: must be a whole number ≥ 0`;
    }
  }
  return undefined;
}

/** JSON.parse, or what is wrong with the text ("is not JSON (…)"). */
function parsed(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { problem: `is not JSON (${(e as Error).message})` };
  }
}

/**
 * Each problem of the rows, one line each, in id order: experiments' names (as a rename or an
 * experiment file would take them: a newline, past 200 characters, broke the terminal's tables) and
 * configs; runs' configs, episodes done within their total, seeds as their configs say, stored
 * summaries and exact reports of numbers; and every metric's chunks following one another from its
 * first stored episode to its last (one missing read as episodes without a value). A generator: the
 * import stops at the first, `aisle check` takes as many as it lists.
 */
export function* rowProblems(db: Database.Database): Generator<string, void, undefined> {
  for (const { id, name, config } of db.prepare<[], { id: number; name: string; config: string }>('SELECT id, name, config FROM experiments ORDER BY id').iterate()) {
    const checked = experimentName.safeParse(name);
    if (!checked.success || checked.data !== name) yield `experiment ${id}'s name: ${checked.success ? 'has spaces around it' : checked.error.issues[0]!.message}`;
    const json = parsed(config);
    const problem = 'problem' in json ? json.problem : configShapeProblem(json.value, false);
    if (problem) yield `experiment ${id}'s config: ${problem}`;
    // Its description, as a launch or a rename takes it: an ESC sequence in a results file's was
    // printed raw by `aisle rename` and shown in the app, one of 10,000 characters and more whole.
    const description = 'value' in json ? (json.value as { description?: unknown } | null)?.description : undefined;
    const described = typeof description === 'string' ? experimentDescription.safeParse(description) : undefined;
    if (described !== undefined && !described.success) yield `experiment ${id}'s description: ${described.error.issues[0]!.message}`;
  }
  const runs = db.prepare<[], { id: number; config: string; seed: number; done: number; total: number; summary: string | null; greedy: string | null }>(
    'SELECT id, config, seed, episodes_done AS done, episodes_total AS total, summary, greedy FROM runs ORDER BY id',
  );
  for (const { id, config, seed, done, total, summary, greedy } of runs.iterate()) {
    const json = parsed(config);
    const problem = 'problem' in json ? json.problem : configShapeProblem(json.value, true);
    if (problem) yield `run ${id}'s config: ${problem}`;
    if (done > total) yield `run ${id}: ${done} episodes done of ${total}`;
    // The seed is listed beside the config that trained with it: the two said different things.
    const configSeed = problem ? seed : (('value' in json ? json.value : {}) as { seed: number }).seed; // a whole number: configShapeProblem checked it
    if (seed !== configSeed) yield `run ${id}: its row lists seed ${seed}, and its config says ${configSeed}`;
    for (const [what, text, depth] of [
      ['summary', summary, 2],
      ['exact report', greedy, 1],
    ] as const) {
      if (text === null) continue;
      const read = parsed(text);
      const numbers = 'problem' in read ? read.problem : numbersProblem(read.value, depth);
      if (numbers) yield `run ${id}'s ${what}: ${numbers}`;
    }
  }
  // A metric's chunks follow one another from its first stored episode to its last, as the store
  // writes them: one deleted read as episodes without a value (blank cells, runs left out of Compare).
  const gaps = db.prepare<[], { runId: number; name: string; episode: number }>(
    `WITH c AS (SELECT series_id, start_episode, count,
                       LAG(start_episode + count) OVER (PARTITION BY series_id ORDER BY start_episode) AS prev_end,
                       ROW_NUMBER() OVER (PARTITION BY series_id ORDER BY start_episode DESC) AS from_end
                FROM metric_chunks)
     SELECT s.run_id AS runId, s.name,
            min(CASE WHEN c.series_id IS NULL THEN s.first_episode
                     WHEN c.start_episode != coalesce(c.prev_end, s.first_episode) THEN coalesce(c.prev_end, s.first_episode)
                     ELSE c.start_episode + c.count END) AS episode
     FROM metric_series s LEFT JOIN c ON c.series_id = s.id
     WHERE (c.series_id IS NULL AND s.next_episode > s.first_episode)
        OR c.start_episode != coalesce(c.prev_end, s.first_episode)
        OR (c.from_end = 1 AND c.start_episode + c.count != s.next_episode)
     GROUP BY s.id ORDER BY s.run_id, s.name`,
  );
  for (const gap of gaps.iterate()) yield `run ${gap.runId}'s metric ${show(gap.name)}: its values from episode ${gap.episode} on are missing`;
}

/**
 * What is wrong with a stored summary (`depth` 2: metric → { mean, last100, … }) or exact report
 * (`depth` 1: field → value), whose values are numbers (or null, JSON's NaN): each an object of
 * them, as the run's page and the runs list read it. A string there printed as −∞.
 */
export function numbersProblem(value: unknown, depth: number, at = ''): string | undefined {
  if (depth === 0) return value === null || typeof value === 'number' ? undefined : `${at.slice(1)}: must be a number, got ${cellText(value)}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at ? `${at.slice(1)}: ` : ''}must be an object`;
  for (const [key, v] of Object.entries(value)) {
    const problem = numbersProblem(v, depth - 1, `${at}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A row's cell, or its config's value, as a problem quotes it beside the other: a number as it is, a
 * text as any message quotes a file's (showJson: cut after 60 characters, control characters
 * escaped; an edited id of thousands was quoted whole), nothing as "nothing".
 */
export function cellText(v: unknown): string {
  return v === undefined ? 'nothing' : typeof v === 'number' ? String(v) : showJson(v);
}

/**
 * Each run's row against its config and its metrics, as the app writes them and a row edited by
 * hand (or a file written by another program) may not, one line each: its environment, agent and
 * episodes as the row lists them for the runs list (which shows, sorts and filters by them, and
 * counts episodes done of the total; the store copies them from the config when it creates the
 * run); each metric stored from episode 0 up to the run's episodes done (each batch of a run's
 * metrics carries them all and raises its episodes done in the same transaction: a metric stored
 * from a later episode was charted from 0, as the charts take a series' length for its last
 * episode, and one shorter or longer was charted beside a progress figure it did not match); and
 * every metric chunk within its cell of CHUNK_EPISODES episodes (a read from episode e looks for
 * chunks from e's cell on: one begun in an earlier cell was missed, and its values past the cell
 * read as none). SQL aggregates only, no chunk read: `aisle check` runs it on a user's database of
 * any size; a results import stops at the first (results/import.ts).
 */
export function* runProblems(db: Database.Database): Generator<string, void, undefined> {
  const runs = db.prepare<[], { id: number; envId: string | null; agentId: string | null; total: number; env: unknown; agent: unknown; episodes: unknown }>(
    `SELECT id, env_id AS envId, agent_id AS agentId, episodes_total AS total, json_extract(config, '$.env.id') AS env,
            json_extract(config, '$.agent.id') AS agent, json_extract(config, '$.episodes') AS episodes
     FROM runs ORDER BY id`,
  );
  for (const r of runs.iterate()) {
    // A config without them is rowProblems' to name (configShapeProblem), once.
    if (r.env === null || r.agent === null || r.episodes === null) continue;
    if (r.envId !== r.env) yield `run ${r.id}: its row lists environment ${cellText(r.envId)}, and its config says ${cellText(r.env)}`;
    if (r.agentId !== r.agent) yield `run ${r.id}: its row lists agent ${cellText(r.agentId)}, and its config says ${cellText(r.agent)}`;
    if (r.total !== r.episodes) yield `run ${r.id}: its row lists ${r.total} episodes in total, and its config says ${cellText(r.episodes)}`;
  }
  const series = db.prepare<[], { runId: number; name: string; first: number; next: number; done: number }>(
    `SELECT s.run_id AS runId, s.name, s.first_episode AS first, s.next_episode AS next, r.episodes_done AS done
     FROM metric_series s JOIN runs r ON r.id = s.run_id
     WHERE s.first_episode != 0 OR s.next_episode != r.episodes_done ORDER BY s.run_id, s.name`,
  );
  for (const s of series.iterate()) {
    const metric = `run ${s.runId}'s metric ${show(s.name)}`;
    if (s.first !== 0) yield `${metric}: its values start at episode ${s.first}, not 0 (a run stores every metric from its first episode)`;
    else yield `${metric}: its values cover ${s.next} episodes, and the run's row lists ${s.done} episodes done`;
  }
  const crossing = db.prepare<[], { runId: number; name: string; start: number; end: number }>(
    `SELECT s.run_id AS runId, s.name, c.start_episode AS start, c.start_episode + c.count AS end
     FROM metric_chunks c JOIN metric_series s ON s.id = c.series_id
     WHERE c.start_episode / ${CHUNK_EPISODES} != (c.start_episode + c.count - 1) / ${CHUNK_EPISODES}
     ORDER BY s.run_id, s.name, c.start_episode`,
  );
  for (const c of crossing.iterate()) {
    const cellEnd = (Math.floor(c.start / CHUNK_EPISODES) + 1) * CHUNK_EPISODES;
    yield `run ${c.runId}'s metric ${show(c.name)}: its chunk of episodes ${c.start}–${c.end - 1} runs past episode ${cellEnd - 1}, where the store ends every chunk (one per ${CHUNK_EPISODES} episodes)`;
  }
}

/**
 * Each saved run state (what Resume continues from) listed at an episode past its run's episodes
 * done: Resume continues at the row's episode, from metrics cut back to it, so it would continue
 * after a stretch of episodes no metric holds. From the rows alone (the state's bytes are read by
 * their own reader).
 */
export function* savedStateProblems(db: Database.Database): Generator<string, void, undefined> {
  const past = db.prepare<[], { runId: number; episode: number; done: number }>(
    `SELECT s.run_id AS runId, s.episode, r.episodes_done AS done FROM run_states s JOIN runs r ON r.id = s.run_id
     WHERE s.episode > r.episodes_done ORDER BY s.run_id`,
  );
  for (const p of past.iterate()) yield `run ${p.runId}'s saved state: it continues at episode ${p.episode}, past the run's ${p.done} episodes done`;
}
