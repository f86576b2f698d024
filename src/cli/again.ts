/**
 * `aisle again <experimentId>`: trains a stored experiment again, as the app's Run again does: a new
 * experiment with its settings, named apart ("<name> (2)", see againName), with `aisle run`'s
 * options over its fields. The store keeps an experiment whole (an MDP or a catalog file inline), so
 * nothing of the files it was first run from is needed.
 */
import { againName } from '../shared/again-name';
import { ValidationError } from '../engine/params';
import { inFile, parseExperimentAt } from '../main/files';
import { aisleCommand, UsageError, withStore, type GlobalOptions } from './context';
import { runOverrides, trainExperiments, type RunOptions } from './run';
import { CHANGED_AFTER_STORED, parseProblems } from './stored-config';
import { expandSweepOf, type SweepExperiment } from './sweep';

export async function againCommand(experimentId: number, opts: RunOptions): Promise<number> {
  const { loaded, source } = againExperiments(experimentId, opts);
  // The name picked here is checked again, and renumbered if another process took it meanwhile,
  // in the transaction that stores the experiment (Lab.launchAll): three `aisle again 1` at once
  // made three "(2)".
  return trainExperiments(loaded, source, opts, true);
}

/**
 * The experiments `aisle again` launches: the stored one under its new name with the options over
 * its fields (a sweep's or search's several), checked, and where they came from; nothing written.
 * Apart from againCommand so the option fuzz test (test/main/again-fuzz) reaches it in-process.
 */
export function againExperiments(experimentId: number, opts: RunOptions): { loaded: { experiments: readonly SweepExperiment[]; warnings: readonly string[] }; source: string } {
  const { overrides, settings, search } = runOverrides(opts);
  // Read first, with a store that creates no database where the user pointed: an unknown id (or a
  // deleted experiment, whose id is never handed out again) is refused before anything is written.
  // Nor the default database: an experiment to run again can only be in one that exists.
  const { config, stored, source } = withStore(opts, (store) => {
    const row = store.getExperiment(experimentId);
    // A name ending in a sweep's values keeps them after its number; a --set over one of them sets it there (sweptName).
    const name = againName(row.name, store.listExperimentEntries().map((e) => e.name));
    return { config: storedObject(row.config, experimentId, name), stored: row.config, source: row.source };
  });
  const label = `experiment ${experimentId}`;
  // A --set of a file parameter (env.mdp=other.mdp.json) names a file as a command line does: from here.
  const here = process.cwd();
  try {
    const loaded =
      settings.length === 0 && !search
        ? { experiments: [{ experiment: inFile(label, () => parseExperimentAt({ ...config, ...overrides }, here)), settings: {}, values: '' }], warnings: [] }
        : expandSweepOf(config, label, here, settings, overrides, search);
    return { loaded, source: source ?? label };
  } catch (e) {
    throw e instanceof ValidationError ? storedRefusal(e, stored, experimentId, opts) : e;
  }
}

/**
 * A refusal whose lines the stored experiment gets too, checked as stored (a database edited by
 * hand, or damaged: alpha set to 5 in its row), with what to do about it: the line named the field
 * and nothing more, the user left to guess why an experiment that trained is refused and how to
 * run it again. The other lines (an option's, a rule newer than the row: a rising ε schedule,
 * whose line has its own fix) are as they were; the stored row is checked only once refused.
 */
function storedRefusal(e: ValidationError, stored: unknown, experimentId: number, opts: GlobalOptions): ValidationError {
  const own = parseProblems(stored);
  if (own.length === 0) return e;
  return new ValidationError(e.problems.map((line) => (own.some((p) => line.endsWith(`: ${p}`)) ? `${line}; ${CHANGED_AFTER_STORED}: ${storedFix(line, experimentId, opts)}` : line)));
}

/** The fixes `aisle again` has for a stored field that does not pass: a value over it, the experiment's file, a backup. */
function storedFix(line: string, experimentId: number, opts: GlobalOptions): string {
  // The line's field ("experiment 3: agent.alpha: must be …"), where it names one --set can give; on the database used (--db).
  const field = /^[^:]*: ([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*): /.exec(line)?.[1] ?? '<field>';
  return `give the field a value with \`${aisleCommand(opts, `again ${experimentId} --set ${field}=<value>`)}\`, launch the experiment from its file with \`aisle run <experiment.json>\`, or restore the database from a backup`;
}

/** The stored config under its new name; one that is not an object (a database edited by hand) is refused. */
function storedObject(config: unknown, experimentId: number, name: string): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new UsageError(`experiment ${experimentId}: its stored settings are not an experiment: launch it from its file with \`aisle run <experiment.json>\``);
  }
  return { ...(config as Record<string, unknown>), name };
}
