/**
 * The settings stored for an experiment and for each of its runs, read back with the checks `aisle
 * again` puts them through (parseExperiment; as stored, so rules newer than them are not applied)
 * before a command shows, compares or exports them. A config edited by hand in the database (or
 * damaged) is still JSON, and was shown, compared, exported and carried to another database as if
 * its runs had trained on it; `aisle check` finds it by its hash, these commands now by its fields.
 */
import { EXPERIMENT_FORMAT, MAX_SEED, parseExperiment } from '../engine/experiment';
import { rangeNumber, ValidationError } from '../engine/params';
import type { RunRow, Store } from '../main/store';
import { isObject } from '../shared/values';

/** What follows each problem: how such a config came to be, and what to do (aisle check's words). */
const CHANGED = 'it was changed after it was stored (the database edited by hand, or damaged): restore the database from a backup';

/** Checks stored configs for one command, each distinct config parsed once (a sweep's runs share theirs but for the seed). */
export class StoredConfigs {
  private readonly problemsOf = new Map<string, readonly string[]>();
  private readonly experimentsChecked = new Set<number>();

  constructor(private readonly store: Store) {}

  /** Refuses experiment `id` (ValidationError, one line a problem) when its stored config does not pass. */
  experiment(id: number): void {
    if (this.experimentsChecked.has(id)) return;
    const { config } = this.store.getExperiment(id);
    refuse(`experiment ${id}'s stored config`, this.problems(config));
    this.experimentsChecked.add(id);
  }

  /** Refuses a run whose experiment's stored config, or its own (what it trained on), does not pass. */
  run(run: Pick<RunRow, 'id' | 'experimentId' | 'config'>): void {
    this.experiment(run.experimentId);
    refuse(`run ${run.id}'s stored config`, this.runProblems(run.config));
  }

  /** Every run of experiment `id`, and the experiment. */
  experimentWithRuns(id: number): void {
    this.experiment(id);
    for (const { id: runId } of this.store.experimentRuns(id)) this.run(this.store.getRun(runId));
  }

  private problems(config: unknown): readonly string[] {
    const key = JSON.stringify(config) ?? '';
    let problems = this.problemsOf.get(key);
    if (problems === undefined) {
      problems = parseProblems(config);
      this.problemsOf.set(key, problems);
    }
    return problems;
  }

  /**
   * A run's config is its experiment's settings for one seed (lab.ts runSpecOf): checked as that
   * experiment with the one seed, parsed once for all seeds; the seed, when it has one, against the experiment's rule.
   */
  private runProblems(config: unknown): readonly string[] {
    if (!isObject(config)) return ['is not an object of env, agent, episodes and seed'];
    const { env, agent, episodes, seed, checkpoints, evaluation } = config;
    const asExperiment = { format: EXPERIMENT_FORMAT, name: 'run', env, agent, episodes, seeds: [0], checkpoints, ...(evaluation !== undefined ? { evaluation } : {}) };
    // The run's row holds its seed too (what the commands read); one in the config must be a seed.
    const seedProblem =
      seed === undefined || (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) ? [] : [`seed: must be a whole number from 0 to ${rangeNumber(MAX_SEED)}, got ${JSON.stringify(seed)}`];
    return [...this.problems(asExperiment), ...seedProblem];
  }
}

function parseProblems(config: unknown): readonly string[] {
  try {
    parseExperiment(config, { stored: true });
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    return [e instanceof Error ? e.message : String(e)];
  }
}

function refuse(what: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new ValidationError(problems.map((p) => `${what}: ${p}; ${CHANGED}`));
}
