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

/** How such a config came to be (aisle check's words); `aisle again` gives its own fixes after it. */
export const CHANGED_AFTER_STORED = 'it was changed after it was stored (the database edited by hand, or damaged)';

/** What follows each problem: how such a config came to be, and what to do (aisle check's words). */
const CHANGED = `${CHANGED_AFTER_STORED}: restore the database from a backup`;

/** The fields of a run's config that are its experiment's settings (lab.ts runSpecOf), the seed aside. */
const RUN_SETTINGS = ['env', 'agent', 'episodes', 'checkpoints', 'evaluation'] as const;

/**
 * Checks stored configs for one command, each once. A run's config is its experiment's settings for
 * one seed (lab.ts runSpecOf): where the store finds them the same as its experiment's, as stored,
 * they are checked once, as the experiment's, and the run's own seed apart; where they differ, as
 * that experiment for the one seed, parsed once for all runs that differ alike.
 */
export class StoredConfigs {
  private readonly problemsOf = new Map<string, readonly string[]>();
  private readonly experimentsChecked = new Set<number>();

  constructor(private readonly store: Store) {}

  /** Refuses experiment `id` (ValidationError, one line a problem) when its stored config does not pass. */
  experiment(id: number): void {
    if (!this.experimentsChecked.has(id)) this.checkExperiment(id, this.store.getExperiment(id).config);
  }

  /** Refuses a run whose experiment's stored config, or its own (what it trained on), does not pass. */
  run(run: Pick<RunRow, 'id' | 'experimentId' | 'config'>): void {
    this.checkRun(run.id, run.experimentId, () => run.config);
  }

  /** Every run of experiment `id`, and the experiment. */
  experimentWithRuns(id: number): void {
    // A run's config is read only where its settings are not its experiment's: it can be tens of MB.
    for (const { id: runId } of this.store.experimentRuns(id)) this.checkRun(runId, id, () => this.store.getRunConfig(runId));
    this.experiment(id); // one without runs
  }

  /**
   * Where the run's settings are its experiment's as stored, the experiment's config is the run's
   * settings beside its own other fields: read so, an inline MDP is parsed once, not once for each.
   * Those settings then pass for the run as they did for the experiment (parseExperiment reads them
   * apart from the name and seeds), and only its seed is its own.
   */
  private checkRun(id: number, experimentId: number, config: () => unknown): void {
    const beside = this.store.besideExperiment(id, RUN_SETTINGS);
    if (!this.experimentsChecked.has(experimentId)) {
      if (beside) this.checkExperiment(experimentId, { ...beside.experimentRest, ...settingsOf(config()) });
      else this.experiment(experimentId);
    }
    refuse(`run ${id}'s stored config`, beside ? seedProblems(beside.seed) : this.runProblems(config()));
  }

  private checkExperiment(id: number, config: unknown): void {
    // Not through problems(): its key, the config as JSON again, took longer than the parse where
    // an inline MDP makes the config large, and two experiments with one config are rare.
    refuse(`experiment ${id}'s stored config`, parseProblems(config));
    this.experimentsChecked.add(id);
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

  /** A run's settings checked as its experiment with the one seed, and the seed against the experiment's rule. */
  private runProblems(config: unknown): readonly string[] {
    if (!isObject(config)) return ['is not an object of env, agent, episodes and seed'];
    const { env, agent, episodes, checkpoints, evaluation } = config;
    const asExperiment = { format: EXPERIMENT_FORMAT, name: 'run', env, agent, episodes, seeds: [0], checkpoints, ...(evaluation !== undefined ? { evaluation } : {}) };
    return [...this.problems(asExperiment), ...seedProblems(config.seed)];
  }
}

/** The run's settings (RUN_SETTINGS) that its config has. */
function settingsOf(config: unknown): Record<string, unknown> {
  return isObject(config) ? Object.fromEntries(RUN_SETTINGS.filter((key) => Object.hasOwn(config, key)).map((key) => [key, config[key]])) : {};
}

/** The run's row holds its seed too (what the commands read); one in the config must be a seed. */
function seedProblems(seed: unknown): string[] {
  return seed === undefined || (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) ? [] : [`seed: must be a whole number from 0 to ${rangeNumber(MAX_SEED)}, got ${JSON.stringify(seed)}`];
}

/** An experiment's stored config's problems, checked as stored (rules newer than it not applied); none when it passes. */
export function parseProblems(config: unknown): readonly string[] {
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
