/**
 * What the rows of an Aisle database hold, checked as the app reads them: SQLite's CHECKs hold only
 * that a config is JSON, and a value edited (or damaged) inside a row reads as a sound page. A
 * results file's rows are checked before they are imported (results/import.ts: the first problem
 * refuses the file); `aisle check` lists every problem of the user's own database
 * (check-database.ts). Policies and metric values are checked by their own readers.
 */
import type Database from 'better-sqlite3';
import { experimentName } from '../engine/experiment-text';

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
  for (const gap of gaps.iterate()) yield `run ${gap.runId}'s metric "${gap.name}": its values from episode ${gap.episode} on are missing`;
}

/**
 * What is wrong with a stored summary (`depth` 2: metric → { mean, last100, … }) or exact report
 * (`depth` 1: field → value), whose values are numbers (or null, JSON's NaN): each an object of
 * them, as the run's page and the runs list read it. A string there printed as −∞.
 */
function numbersProblem(value: unknown, depth: number, at = ''): string | undefined {
  if (depth === 0) return value === null || typeof value === 'number' ? undefined : `${at.slice(1)}: must be a number, got ${JSON.stringify(value)?.slice(0, 40)}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at ? `${at.slice(1)}: ` : ''}must be an object`;
  for (const [key, v] of Object.entries(value)) {
    const problem = numbersProblem(v, depth - 1, `${at}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}
