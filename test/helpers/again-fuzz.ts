// The database test/main/again-fuzz and test/cli/again-fuzz-cli repeat experiments of with
// `aisle again`: every shipped preset stored, some under the names a sweep or a repeat gives, two
// rows edited by hand and one deleted; a dump of its rows to tell that a refused command wrote
// nothing; and an experiment id as a case types it, from the engine's Rng.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CommanderError, type Command } from 'commander';
import { Rng } from '../../src/engine/rng';
import { EXPERIMENT_NAME_MAX } from '../../src/engine/experiment-text';
import { openStore } from '../../src/cli/context';
import { buildProgram } from '../../src/cli/index';
import type { RunOptions } from '../../src/cli/run';
import { Lab } from '../../src/main/lab';
import { loadExperimentFile } from '../../src/main/files';
import { Store } from '../../src/main/store';
import { checkedToLaunch } from '../../src/main/service/experiments';
import { ROOT } from './cli';
import { presetNames } from './input-fuzz';
import { pick } from './option-fuzz';

/** A stored experiment a case may repeat: its id, and its config as stored (undefined: a row edited by hand). */
export interface Stored {
  id: number;
  config: Record<string, unknown> | undefined;
}

/** Records experiments as `aisle run` does (Lab.launchAll), the runs never started. */
export function record(store: Store, experiments: Parameters<Lab['launchAll']>[0], source = 'again-fuzz', repeat = false): ReturnType<Lab['launchAll']> {
  const lab = new Lab(store, { workerPath: join(ROOT, 'out', 'main', 'worker.js'), size: 1 });
  // Queued only: the runs are not trained, what is stored is what the case looks at.
  lab.pool.enqueue = () => undefined;
  try {
    return lab.launchAll(experiments, source, repeat);
  } finally {
    void lab.close();
  }
}

/**
 * Makes the database at `file` and returns its experiments that a case may repeat. Opened once as
 * a command opens it before returning: the runs its closed session left queued are marked
 * interrupted then, so that a command's opening it changes nothing.
 */
export function storedExperiments(file: string): Stored[] {
  const stored: Stored[] = [];
  const store = Store.open(file);
  try {
    const presets = presetNames.map((f) => checkedToLaunch(loadExperimentFile(join(ROOT, 'resources', 'experiments', f))).experiment);
    const quick = presets.find((e) => e.name.toLowerCase().includes('quick')) ?? presets[0]!;
    const cliff = presets.find((e) => e.env.id === 'tabular-mdp') ?? presets[0]!;
    const named = [
      { ...cliff, name: 'cliff (alpha=0.1, epsilon=0.05)' },
      { ...quick, name: 'quick (2)' },
      { ...quick, name: 'quick (2) (alpha=0.5)' },
      { ...cliff, name: `${'n'.repeat(EXPERIMENT_NAME_MAX - 14)} (alpha=0.1)` },
    ];
    for (const l of record(store, [...presets, ...named])) stored.push({ id: l.experimentId, config: JSON.parse(JSON.stringify(store.getExperiment(l.experimentId).config)) as Record<string, unknown> });
    // Rows edited by hand: a config its check refuses, and one that is no experiment at all.
    const [edited, notObject] = record(store, [{ ...quick, name: 'edited' }, { ...quick, name: 'not an object' }]);
    store.db.prepare(`UPDATE experiments SET config = json_set(config, '$.agent.alpha', 5) WHERE id = ?`).run(edited!.experimentId);
    store.db.prepare(`UPDATE experiments SET config = '[1, 2]' WHERE id = ?`).run(notObject!.experimentId);
    stored.push({ id: edited!.experimentId, config: undefined }, { id: notObject!.experimentId, config: undefined });
    // A deleted experiment, whose id is never handed out again (the one after the stored ones').
    const [gone] = record(store, [{ ...quick, name: 'gone' }]);
    store.deleteExperiment(gone!.experimentId);
  } finally {
    store.close();
  }
  openStore({ db: file }, { reads: true }).close();
  return stored;
}

/** Every row of every table, in order: the database as a refused command must leave it. */
export function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    const rows = tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).raw().all()]);
    return JSON.stringify([db.pragma('user_version', { simple: true }), rows], (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
  } finally {
    db.close();
  }
}

/** An experiment id as typed: a stored one mostly, else the deleted one, one never given, or not a whole number from 1. */
export function idOf(rng: Rng, stored: readonly Stored[]): string {
  if (rng.bernoulli(0.9)) return String(pick(rng, stored).id);
  return pick(rng, [String(stored.length + 1), String(stored.length + 2), '0', '-1', '1.5', '1e1', 'x', '', ' 1', '0x1', '99999999999999999999', '2147483648', '\u0661', '1\u001b']);
}

/** Names a --set name may give: a stored one, a repeat's, a sweep's, the longest a name may be and one past it, hostile texts. */
const NAMES = [
  'quick (2)', 'quick (3)', 'cliff (alpha=0.1, epsilon=0.05)', 'cliff (2) (alpha=0.2)', 'x', ' x ', '', ' ', '(2)', 'a (1)', 'a (0)', 'a (02)', 'a (alpha=)', 'a (=1)',
  'n'.repeat(EXPERIMENT_NAME_MAX), 'n'.repeat(EXPERIMENT_NAME_MAX + 1), `${'n'.repeat(EXPERIMENT_NAME_MAX - 4)} (9)`, 'a\u001b[31m', 'a\u202Eb', 'é (alpha=0.1)', 'a,b', '"a,b"', '"quick (2)","quick (2)"',
];

/** Files a --set env.mdp or env.catalog may name (from the repository's root, where the test runs): the right kind, the other kind, missing, a folder. */
const FILES = [
  'resources/experiments/cliff.mdp.json', 'resources/shops/online-retail.shop.json', 'resources/experiments/quickstart.json', 'missing.mdp.json', 'resources', '', '"x"', '{}', 'null',
];

/**
 * Options aimed at what `aisle again` does beyond `aisle run`: a new name (one taken, a repeat's,
 * a sweep's, too long), a description, the stored inline MDP or catalog replaced by a file or a
 * value, the environment or agent swapped from under the stored parameters, sweeps over the values a
 * stored name carries, the experiment's other fields (format, checkpoints, evaluation, fittedTo, seeds
 * as a list), and --episodes, --seeds and --workers beside them. Values near the stored
 * experiment's own otherwise, so that many are accepted.
 */
export function againOptionsOf(rng: Rng, config: Readonly<Record<string, unknown>>): string[] {
  const args: string[] = [];
  const env = (config.env ?? {}) as Record<string, unknown>;
  const quote = (s: string) => (rng.bernoulli(0.5) ? JSON.stringify(s) : s);
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    switch (rng.int(8)) {
      case 0:
        args.push(`--set=name=${rng.bernoulli(0.3) ? `${quote(pick(rng, NAMES))},${quote(pick(rng, NAMES))}` : quote(pick(rng, NAMES))}`);
        break;
      case 1:
        args.push(`--set=description=${quote(pick(rng, ['', 'd', 'x'.repeat(5000), 'a\u0000b', 'line\nline']))}`);
        break;
      case 2:
        args.push(`--set=${'mdp' in env || rng.bernoulli(0.3) ? 'env.mdp' : 'env.catalog'}=${pick(rng, FILES)}`);
        break;
      case 3:
        args.push(`--set=env.id=${pick(rng, ['tabular-mdp', 'shop', 'bandit', 'cliff', 'seed-toy', String(env.id)])}`);
        break;
      case 4:
        args.push(`--set=agent.id=${pick(rng, ['q-learning', 'sarsa', 'dqn', 'ppo', 'ucb1', 'epsilon-greedy', 'linucb', 'random', 'myopic', 'popular'])}`);
        break;
      case 5:
        args.push(`--set=agent.alpha=${pick(rng, ['0.2', '0.2,0.3', '0.1', '0.1,0.1', '0.5'])}`);
        break;
      case 6:
        // The experiment's own fields beside env and agent: its format, checkpoints, a greedy evaluation, the rows a fitted simulator was fitted to, seeds as a list.
        args.push(
          `--set=${pick(rng, ['format', 'checkpoints', 'evaluation', 'evaluation.every', 'evaluation.episodes', 'fittedTo', 'seeds', 'episodes'])}=${pick(rng, [
            '"aisle.experiment/v1"', '"aisle.experiment/v2"', '0', '1', '5', '1000', '{"every":1,"episodes":1}', '{"every":0,"episodes":1}', '{"every":100}', 'null', '{}', '[0,1]', '[1,1]', '[]', '[-1]', '{"rows":1}', '2,3',
          ])}`,
        );
        break;
      default:
        args.push(`--sample=agent.${pick(rng, ['alpha', 'epsilon', 'gamma'])}=${pick(rng, ['uniform:0.1:0.9', 'log:0.01:0.5', 'choice:0.1,0.2'])}`, `--trials=${pick(rng, ['1', '2', '3'])}`);
    }
  }
  if (rng.bernoulli(0.5)) args.push(`--episodes=${pick(rng, ['1', '2', '10'])}`);
  if (rng.bernoulli(0.4)) args.push(`--seeds=${pick(rng, ['1', '2', '3', '0', '1001'])}`);
  if (rng.bernoulli(0.2)) args.push(`--workers=${pick(rng, ['1', '2', '0', '257'])}`);
  return args;
}

/**
 * `aisle --db <db> again <id> <args>` through the `aisle` program's own parsers, its again command's
 * action replaced by one that keeps the id and options as againCommand gets them; or the lines
 * commander refuses them with (its pointer to the help left out), or what else it threw.
 */
export async function parsedAgain(db: string, id: string, args: readonly string[]): Promise<{ id: number; opts: RunOptions } | { lines: string[] } | { crash: string }> {
  let err = '';
  let given: { id: number; opts: RunOptions } | undefined;
  const program = buildProgram(() => undefined);
  const again = program.commands.find((c) => c.name() === 'again')!;
  again.configureOutput({ writeErr: (s) => (err += s), writeOut: () => undefined });
  again.action((experimentId: number, opts: Omit<RunOptions, 'db' | 'json'>, cmd: Command) => {
    given = { id: experimentId, opts: { ...(cmd.optsWithGlobals() as { db?: string }), ...opts } };
  });
  try {
    await program.parseAsync(['node', 'aisle', '--db', db, 'again', id, ...args]);
  } catch (e) {
    if (e instanceof CommanderError) return { lines: err.split(/(?<=\n)/).filter((line) => line !== '(run `aisle again --help` for usage)\n') };
    return { crash: e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e) };
  }
  return given!;
}
