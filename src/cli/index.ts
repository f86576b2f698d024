/**
 * The `aisle` command: run experiments, list, inspect and delete runs, export, evaluate and manage
 * stored policies, solve MDPs exactly. Exit codes: 0 success, 1 a run failed (or a delete was not
 * given --yes), 2 invalid input or usage, 130 interrupted (128 + the signal's number when
 * `aisle run` is stopped by SIGTERM or SIGHUP: 143, 129; 141 when its output's reader goes away while it trains).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { errorCode } from '../main/make-dir';
import { APP_VERSION } from '../main/version';
import { NotAisleDatabaseError, NotFoundError, SchemaTooNewError } from '../main/store';
import { escapeControl, ValidationError } from '../engine/params';
import { MIN_ROLLOUT_EPISODES } from '../engine/evaluate';
import { dbPath, hostOption, idList, integer, mdpName, nameOption, outputPath, percent, policyId, real, runId } from './arguments';
import { databaseFailure, EXIT, problemsOf, UsageError, type GlobalOptions } from './context';
import { runCommand, type RunOptions } from './run';
import { againCommand } from './again';
import { resumeCommand, type ResumeOptions } from './resume';
import { MAX_SWEEP } from '../engine/sweep';
import { parseSetting, type Setting } from './sweep';
import { parseSample, type Sample } from './search';
import { DEFAULT_SEARCH_SEED } from '../engine/sweep-sample';
import { SEEDS_FOR_VERDICTS } from '../shared/compare-text';
import { experimentsCommand, runsCommand, showCommand } from './inspect';
import { checkCommand } from './check';
import { renameCommand } from './rename';
import { deleteExperimentsCommand, deleteRunsCommand, NotConfirmedError } from './delete';
import { evalCommand, exportCommand } from './policy';
import { policiesDeleteCommand, policiesExportCommand, policiesImportCommand, policiesListCommand, policiesRuntimeCommand, policiesShowCommand } from './policies';
import { metricsCommand } from './metrics';
import { qtableCommand, qtableDiffCommand } from './qtable';
import { resultsExportCommand, resultsImportCommand } from './results';
import { compareCommand } from './compare';
import { solveCommand } from './solve';
import { schemasCommand } from './schemas';
import { serveCommand } from './serve';
import { calibrateCommand, exportMdpCommand } from './shop';
import { opeCommand, type OpeOptions } from './ope';
import { logsMdpCommand, type LogsMdpOptions } from './logs';

/** The `aisle` program a command belongs to. */
function programOf(cmd: Command): Command {
  let top = cmd;
  while (top.parent) top = top.parent;
  return top;
}

export function buildProgram(done: (code: number | Promise<number>) => void): Command {
  const program = new Command('aisle')
    .description('Aisle: a lab for reinforcement-learning recommenders. Runs are stored in one SQLite database shared with the desktop app.')
    .version(APP_VERSION)
    .addOption(new Option('--db <path>', 'database file (default: $AISLE_DB, else the per-user app-data folder, e.g. ~/.config/Aisle/aisle.db)').argParser(dbPath))
    .option('--json', 'print machine-readable JSON')
    .configureOutput({ outputError: (message, write) => write(usageLine(message)) })
    // A command's --help lists --db and --json too (as "Global Options"): they go before or after its name.
    // The program's alone: commander would list a parent command's own options too, and `qtable diff`
    // refuses qtable's (--checkpoint, --csv, -o …), so its help offered options it does not take.
    .configureHelp({ showGlobalOptions: true, visibleGlobalOptions: (cmd) => (cmd.parent ? programOf(cmd).options.filter((o) => !o.hidden) : []) })
    .showHelpAfterError('(run `aisle --help` for usage)')
    .exitOverride();

  const globals = (cmd: Command) => cmd.optsWithGlobals() as { db?: string; json?: boolean };

  // `aisle run` and `aisle again` take the same options, over the file's fields or the stored experiment's.
  const trainingOptions = (cmd: Command, whose: string): Command =>
    cmd
      .option('--workers <n>', 'worker threads (default: cores − 1, at least 1)', integer('--workers', 1, 256))
      .option('--episodes <n>', `episodes per run, over ${whose} (a quick smoke run without editing it)`, integer('--episodes', 1, 100_000_000))
      .option('--seeds <n>', `runs, with seeds 0..n−1, over ${whose} (${SEEDS_FOR_VERDICTS})`, integer('--seeds', 1, 1000))
      .option(
        '--set <path=values>',
        `a field over ${whose} (a dotted path: agent.alpha, env.items, episodes), its value read as JSON, else as text; values separated by commas, or several --set, make a sweep: an experiment per combination (at most ${MAX_SWEEP}), trained together, then compared; repeatable`,
        (value: string, previous: Setting[] = []) => [...previous, parseSetting(value)],
      )
      .option(
        '--sample <path=distribution>',
        `a field drawn at random for each experiment of a random search (--trials of them, at most ${MAX_SWEEP}): uniform:lo:hi, log:lo:hi (log-uniform, lo > 0), int:lo:hi (whole numbers, both ends included) or choice:v1,v2 (values as --set reads them); --set values stay fixed beside it (one each); repeatable`,
        (value: string, previous: Sample[] = []) => [...previous, parseSample(value)],
      )
      .option('--trials <n>', 'how many experiments a random search (--sample) draws', integer('--trials', 1, MAX_SWEEP))
      .option('--search-seed <s>', `seeds a random search's draws (default ${DEFAULT_SEARCH_SEED}, whatever the --seeds: the same command draws the same experiments)`, integer('--search-seed', 0, 2 ** 31 - 1));

  trainingOptions(
    program.command('run').description('train every seed of an experiment on the worker pool and store the runs').argument('<experiment>', 'an aisle.experiment/v1 JSON file'),
    "the file's",
  ).action((file: string, opts: Omit<RunOptions, 'db' | 'json'>, cmd: Command) => done(runCommand(file, { ...globals(cmd), ...opts })));

  trainingOptions(
    program
      .command('again')
      .description("train a stored experiment again, as the app's Run again: a new experiment with its settings, named \"<name> (2)\" (then (3)…), trained as `aisle run` trains a file (no file needed: the database keeps its MDP or catalog)")
      .argument('<experimentId>', 'experiment id (see `aisle experiments`, or the one `aisle show <runId>` names)', integer('experimentId', 1)),
    "the stored experiment's",
  ).action((id: number, opts: Omit<RunOptions, 'db' | 'json'>, cmd: Command) => done(againCommand(id, { ...globals(cmd), ...opts })));

  hintUnknownOptions(
    program
      .command('resume')
      .description('continue a paused, cancelled or interrupted run from its checkpoint (Ctrl-C in `aisle run` or `aisle resume`, or Pause in the app, writes one): the same metrics and final values as the run straight through')
      .argument('<runId>', 'run id (see `aisle runs --status paused`, or `--status cancelled` for a Ctrl-C, `--status interrupted` for a crash)', integer('runId', 1))
      .option('--workers <n>', 'worker threads (default: cores − 1, at least 1)', integer('--workers', 1, 256))
      .action((id: number, opts: Omit<ResumeOptions, 'db' | 'json'>, cmd: Command) => done(resumeCommand(id, { ...globals(cmd), ...opts }))),
    // A run resumes to the episodes it was launched with (its checkpoint and seed stream are of that run).
    { '--episodes': 'a resumed run trains to the episodes it was launched with: `aisle again <experimentId> --episodes N` trains its experiment anew, longer (`aisle show <runId>` names its experiment)' },
  );

  program
    .command('runs')
    .description('list runs, newest first')
    .option('--experiment <id>', 'only this experiment', integer('--experiment', 1))
    .addOption(new Option('--status <status>', 'only runs with this status').choices(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'paused']))
    .option('--limit <n>', 'at most this many (default 50)', integer('--limit', 1, 1_000_000))
    .action((opts: { experiment?: number; status?: string; limit?: number }, cmd: Command) => done(runsCommand({ ...globals(cmd), ...opts })));

  program
    .command('experiments')
    .description('list experiments with their run counts')
    .action((_opts: unknown, cmd: Command) => done(experimentsCommand(globals(cmd))));

  program
    .command('check')
    .description("read the whole database back and check it: SQLite's integrity check of every page, then every metric, checkpoint, saved run state and stored policy as a read checks it (commands meet damage only where they read); exit 2 when damaged")
    .action((_opts: unknown, cmd: Command) => done(checkCommand(globals(cmd))));

  program
    .command('rename')
    .description("give a launched experiment a new name or description (its runs, and how Compare groups them, stay)")
    .argument('<experimentId>', 'experiment id (see `aisle experiments`)', integer('experimentId', 1))
    .option('--name <name>', 'the new name (1 to 200 characters)')
    .option('--description <text>', 'the new description ("" removes it)')
    .action((id: number, opts: { name?: string; description?: string }, cmd: Command) => done(renameCommand(id, { ...globals(cmd), ...opts })));

  const remove = program
    .command('delete')
    .description('delete runs, or experiments with their runs, as the app does (never an active run); without --yes, only says what would be deleted (stored policies: `aisle policies delete`)');
  remove
    .command('run')
    .description('delete runs with their metrics and checkpoints: all of them, or none (their stored policies stay)')
    .argument('<runIds...>', 'run ids (see `aisle runs`), or ranges of them such as 21-40', idList('runId'))
    .option('--yes', 'delete (without it, print what would be deleted and exit 1)')
    .action((ids: number[], opts: { yes?: boolean }, cmd: Command) => done(deleteRunsCommand(ids, { ...globals(cmd), ...opts })));
  remove
    .command('experiment')
    .description('delete experiments with their runs, their metrics and checkpoints: all of them, or none (their stored policies stay)')
    .argument('<experimentIds...>', 'experiment ids (see `aisle experiments`), or ranges of them such as 3-7', idList('experimentId'))
    .option('--yes', 'delete (without it, print what would be deleted and exit 1)')
    .action((ids: number[], opts: { yes?: boolean }, cmd: Command) => done(deleteExperimentsCommand(ids, { ...globals(cmd), ...opts })));

  program
    .command('show')
    .description('a run: status, config, metric summary, exact greedy evaluation, checkpoints')
    .argument('<runId>', 'run id (see `aisle runs`)', runId)
    .action((id: number, _opts: unknown, cmd: Command) => done(showCommand(id, globals(cmd))));

  program
    .command('metrics')
    .description("a run's per-episode metrics as stored: CSV (one row per episode) or, with --json, one array per metric")
    .argument('<runId>', 'run id', runId)
    .option('--metric <name...>', 'only these metrics, in this order (default: all; see `aisle show`)')
    .option('--from <episode>', 'first episode (default: the first stored)', integer('--from', 0))
    .option('--to <episode>', 'one past the last episode (default: one past the last stored)', integer('--to', 0))
    .option('-o, --output <file>', 'write to a file instead of printing', outputPath('-o'))
    .action((id: number, opts: { metric?: string[]; from?: number; to?: number; output?: string }, cmd: Command) => done(metricsCommand(id, { ...globals(cmd), ...opts })));

  const qtable = program
    .command('qtable')
    .description("a run's learned Q-table at its latest checkpoint (or --checkpoint), as the app's Q-tables screen shows it: a row per state with its action values and greedy action, and how many states training never updated; diff compares two")
    .argument('<runId>', 'run id of a tabular agent (see `aisle runs`)', (value: string) => {
      // A word where the run id goes is a mistyped command (`aisle qtable dif 2`), said as policies says one.
      if (/^\s*[a-z]/i.test(value)) throw new InvalidArgumentError(`unknown command '${printable(value)}' of aisle qtable: its command is diff (aisle qtable diff <runA> <runB>); to show a run's table, give its id (see aisle runs).`);
      return runId(value);
    })
    // Checked by the action, so that a mistyped command with its arguments (`qtable dif 2 3`) is named as one, not as too many arguments.
    .allowExcessArguments()
    .option('--checkpoint <id>', "one of the run's Q-table checkpoints (default: its latest; the output lists the others)", integer('--checkpoint', 1))
    .option('--all', 'with many actions (more than 6: a shop), list every value of a state, largest first, not its 5 largest')
    .option('--trained', 'list only the states with a greedy action, leaving out those training never updated (most of a shop\'s table after a short run)')
    .option('--csv', 'print the table as CSV: state, label, a column per action, greedy')
    .option('-o, --output <file>', 'write the CSV (with --json, the JSON) to a file instead of printing', outputPath('-o'))
    .action((id: number, opts: { checkpoint?: number; all?: boolean; trained?: boolean; csv?: boolean; output?: string }, cmd: Command) => {
      if (cmd.args.length > 1) throw new UsageError(`too many arguments for 'qtable': it takes one run id, got ${cmd.args.length} (${cmd.args.map(printable).join(' ')}); to compare two runs' tables: aisle qtable diff <runA> <runB>`);
      done(qtableCommand(id, { ...globals(cmd), ...opts }));
    });
  qtable
    .command('diff')
    .description("compare two Q-tables as the app's Q-tables screen does: how often their greedy actions agree, the states where they differ with B − A, the largest |B − A|; two runs of different environments are refused")
    .argument('<runA>', 'run id of table A (see `aisle runs`)', integer('runA', 1))
    .argument('<runB>', "run id of table B (A's again compares two of its checkpoints: its first and its latest, unless --checkpoint-a or --checkpoint-b says)", integer('runB', 1))
    .option('--checkpoint-a <id>', "one of run A's Q-table checkpoints (default: its latest)", integer('--checkpoint-a', 1))
    .option('--checkpoint-b <id>', "one of run B's Q-table checkpoints (default: its latest)", integer('--checkpoint-b', 1))
    // qtable's own options, which commander reads after `diff` too (`qtable diff 1 2 --checkpoint 3`): named, to be refused, not ignored.
    .action((a: number, b: number, opts: { checkpointA?: number; checkpointB?: number }, cmd: Command) => {
      const parent = cmd.parent!;
      const strays = parent.options.filter((o) => parent.getOptionValueSource(o.attributeName()) === 'cli').map((o) => o.long!);
      done(qtableDiffCommand(a, b, { ...globals(cmd), checkpointA: opts.checkpointA, checkpointB: opts.checkpointB, strays }));
    })
    .allowExcessArguments(false); // handed down from qtable, whose action checks its own

  program
    .command('compare')
    .description("compare runs grouped by configuration: final performance with 95 % CIs (Student's t for the mean, bootstrap for the IQM) and the probability of improvement between groups with its bootstrap CI, as the app's Compare screen")
    .argument('[experimentIds...]', 'experiments whose runs to compare (see `aisle experiments`), or ranges of them such as 3-7', idList('experimentId'))
    .option('--runs <ids...>', 'runs to compare as well (see `aisle runs`), or ranges of them such as 21-40', idList('--runs'))
    .option('--metric <name>', 'the metric to compare (default: return)')
    .option('--final-window <n>', "a run's final value is its mean over this many last episodes (default 100)", integer('--final-window', 1, 1_000_000))
    .option('--seed <n>', 'seed of the bootstrap resampling (default 0)', integer('--seed', 0, 2 ** 31 - 1))
    .option('--markdown', 'print the comparison as a Markdown report (tables, verdicts, caveats, the settings that differ), as the app\'s Save report writes it')
    .option('--study-x <path>', "the setting the parameter study puts on x when two could go there (a sweep of agent.alpha by agent.epsilon), as the app's \"On the x axis\" (default: the one with the most values)")
    .option('--unpaired', 'compare every pair of groups unpaired (Mann–Whitney), even groups on one environment config and the same seeds, which are otherwise paired by seed (Wilcoxon signed-rank)')
    .action((ids: number[], opts: { runs?: number[]; metric?: string; finalWindow?: number; seed?: number; markdown?: boolean; studyX?: string; unpaired?: boolean }, cmd: Command) =>
      done(compareCommand(ids, { ...globals(cmd), ...opts })),
    );

  program
    .command('export')
    .description("write a run's learned policy as an aisle.policy/v1 file")
    .argument('<runId>', 'run id', runId)
    .requiredOption('-o, --output <file>', 'where to write the policy JSON', outputPath('-o'))
    .option('--name <name>', 'a name stored in the policy', nameOption(500))
    .action((id: number, opts: { output: string; name?: string }, cmd: Command) => done(exportCommand(id, { ...globals(cmd), ...opts })));

  hintUnknownOptions(
    program
      .command('eval')
      .description("evaluate a policy file on an experiment's environment (Monte-Carlo, and exactly for tabular MDPs)")
      .argument('<policy>', 'an aisle.policy/v1 file')
      .option('--env <experiment>', 'experiment file whose environment to evaluate on (default: the one the policy was trained on, from the parameters in its file; a tabular MDP, which the file names by its hash only, from the database its run is in, else it needs --env)')
      .option('--episodes <n>', 'Monte-Carlo episodes (at least 2: the interval needs a spread)', integer('--episodes', MIN_ROLLOUT_EPISODES, 100_000_000), 1000)
      .option('--seed <n>', 'environment seed', integer('--seed', 0, 2 ** 31 - 1), 0)
      .option('--gamma <g>', 'discount for the exact evaluation (default: the --env experiment agent’s gamma, else the gamma the policy was trained with, else 1)', real('--gamma', 0, 1))
      .action((file: string, opts: { env?: string; episodes: number; seed: number; gamma?: number }, cmd: Command) => done(evalCommand(file, { ...globals(cmd), ...opts }))),
    // The option is named for what it gives (the experiment file whose environment is used).
    { '--experiment': 'the experiment file whose environment to evaluate on is given with --env <experiment>' },
  );

  const policies = program
    .command('policies')
    .description("the policies stored in the database (exported from runs, or imported), as the app's Policies screen lists them: list (the default), show, import, export, delete; runtime writes the file that serves them")
    // Alone, `aisle policies` lists them. Not list's isDefault: that read a mistyped subcommand
    // (`aisle policies shwo 3`) as list's arguments, "too many arguments for 'list'".
    .allowExcessArguments()
    .helpCommand(true) // `aisle policies help show`, which an action of its own would otherwise take for a command
    .action((_opts: unknown, cmd: Command) => {
      if (cmd.args.length > 0) throw new UsageError(`unknown command '${printable(cmd.args[0]!)}' of aisle policies: its commands are ${cmd.commands.map((c) => c.name()).join(', ')} (see aisle policies --help)`);
      done(policiesListCommand(globals(cmd)));
    });
  policies
    .command('list')
    .description('list stored policies, newest first')
    .action((_opts: unknown, cmd: Command) => done(policiesListCommand(globals(cmd))));
  policies
    .command('show')
    .description("a stored policy: its kind and sizes, environment, where it came from and the run that trained it")
    .argument('<policyId>', 'policy id (see `aisle policies`)', policyId)
    .action((id: number, _opts: unknown, cmd: Command) => done(policiesShowCommand(id, globals(cmd))));
  policies
    .command('import')
    .description("store a policy file as the app's Import does: validated, its environment one this version has; a file already stored is not stored twice")
    .argument('<policy>', 'an aisle.policy/v1 file')
    .action((file: string, _opts: unknown, cmd: Command) => done(policiesImportCommand(file, globals(cmd))));
  policies
    .command('export')
    .description('write a stored policy back out as its aisle.policy/v1 file, as stored')
    .argument('<policyId>', 'policy id (see `aisle policies`)', policyId)
    .requiredOption('-o, --output <file>', 'where to write the policy JSON', outputPath('-o'))
    .action((id: number, opts: { output: string }, cmd: Command) => done(policiesExportCommand(id, { ...globals(cmd), ...opts })));
  policies
    .command('runtime')
    .description("write the policy runtime, the one dependency-free JavaScript file (an ES module) that serves a policy file in your own service, as the app's Save the runtime does")
    .requiredOption('-o, --output <file>', 'where to write it (name it runtime.mjs in a CommonJS project)', outputPath('-o'))
    .action((opts: { output: string }, cmd: Command) => done(policiesRuntimeCommand({ ...globals(cmd), ...opts })));
  policies
    .command('delete')
    .description('delete a stored policy (its run, if any, stays)')
    .argument('<policyId>', 'policy id (see `aisle policies`)', policyId)
    .option('--yes', 'delete (without it, print what would be deleted and exit 1)')
    .action((id: number, opts: { yes?: boolean }, cmd: Command) => done(policiesDeleteCommand(id, { ...globals(cmd), ...opts })));
  // Commander hands allowExcessArguments down to subcommands made after it: theirs must refuse
  // extra arguments (`policies delete 1 2` deleting only 1 and exiting 0), as every other command does.
  for (const sub of policies.commands) sub.allowExcessArguments(false);

  const results = program
    .command('results')
    .description('carry experiments with their runs, metrics, checkpoints and policies to another database: export writes them to one aisle.results/v1 file, import reads one in with new ids');
  results
    .command('export')
    .description('write experiments with everything their runs own to an aisle.results/v1 file (a SQLite database; name it .aisle-results); refused while one of their runs is queued or running')
    .argument('<experimentIds...>', 'experiment ids (see `aisle experiments`), or ranges of them such as 3-7', idList('experimentId'))
    .requiredOption('-o, --output <file>', 'where to write the results file (replaced whole, or left as it was)', outputPath('-o'))
    .action((ids: number[], opts: { output: string }, cmd: Command) => done(resultsExportCommand(ids, { ...globals(cmd), ...opts })));
  results
    .command('import')
    .description('read an aisle.results/v1 file into the database in one transaction, with new ids; an experiment already here is not imported again')
    .argument('<file>', 'a file `aisle results export` wrote')
    .action((file: string, _opts: unknown, cmd: Command) => done(resultsImportCommand(file, globals(cmd))));

  program
    .command('solve')
    .description('solve an aisle.mdp/v1 file exactly (finite-horizon value iteration)')
    .argument('<mdp>', 'an aisle.mdp/v1 file')
    .option('--gamma <g>', 'discount factor', real('--gamma', 0, 1), 1)
    .option('--horizon <h>', 'steps per episode (the maxSteps of tabular-mdp)', integer('--horizon', 1, 10_000_000), 1000)
    .action((file: string, opts: { gamma: number; horizon: number }, cmd: Command) => done(solveCommand(file, { ...globals(cmd), ...opts })));

  // No default argument: commander would print it, "(default: [])", under the option's help.
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('ope')
    .description("off-policy evaluation: estimate how other policies would have done from logged recommendations and their propensities (IPS, SNIPS, DM, DR with bootstrap intervals)")
    .argument('<logs>', 'a CSV file, one impression per row: the action shown, the reward, the logging policy\'s propensity (and a context); the Open Bandit Dataset\'s columns work as they are')
    .option('--target <policy>', 'a policy to evaluate (repeatable): uniform, action:<label>, logs:<column=value,...> (the policy of other rows of the same file, which also prints what it really got), or an aisle.policy/v1 file', collect)
    .option('--where <column=value>', 'evaluate on the rows with these values only (repeatable, or comma-separated), e.g. policy=random,campaign=men', collect)
    .option('--action-column <name>', 'the action column (default: action, else item, else item_id)')
    .option('--reward-column <name>', 'the reward column (default: reward, else click)')
    .option('--propensity-column <name>', "the logging policy's probability of the action shown (default: propensity, else pscore, else propensity_score)")
    .option('--context-column <name>', 'the context column, or none (default: context, else position, else none)')
    .option('--positions', "contexts are slate positions 1, 2, ...: a context-free policy shows its k-th best action at position k (default: its best everywhere)")
    .option('--resamples <n>', 'bootstrap resamples', integer('--resamples', 10, 100_000), 1000)
    .option('--confidence <c>', 'coverage of the intervals', real('--confidence', 0.5, 0.999), 0.95)
    .option('--seed <n>', 'seed of the bootstrap', integer('--seed', 0, 2 ** 31 - 1), 0)
    .option('--prior <m>', "the reward model's shrinkage, in pseudo-rows (0: raw means per context and action)", real('--prior', 0, 1_000_000), 1)
    .option('--folds <k>', "DR's cross-fitting: each row corrected with the reward model fit on the other folds (1: no cross-fitting)", integer('--folds', 1, 10), 3)
    .option('--holdout <k>', 'evaluate on the 1 row in k a holdout sets aside only (of those --where keeps, each by a seeded draw): the rows `aisle logs mdp --holdout k` did not fit', integer('--holdout', 2, 1_000_000))
    .addOption(new Option('--holdout-last <p>', 'evaluate on the last p % of the rows --where keeps only, in the file\'s order (the newest, in logs written in time order): the rows `aisle logs mdp --holdout-last p` did not fit').argParser(percent('--holdout-last')).conflicts('holdout'))
    .action((file: string, opts: Omit<OpeOptions, 'db' | 'json' | 'target' | 'where'> & { target?: string[]; where?: string[] }, cmd: Command) => done(opeCommand(file, { ...globals(cmd), ...opts, target: opts.target ?? [], where: opts.where ?? [] })));

  const logs = program.command('logs').description('logged recommendations: fit a simulator to them');
  logs
    .command('mdp')
    .description("write the logs' contextual bandit as an aisle.mdp/v1 file: a state per context, entered with its share of the rows; each action pays what the reward model (the DM of `aisle ope`) says it earns there; train any agent on it in a tabular-mdp experiment")
    .argument('<logs>', 'a CSV file, one impression per row, as `aisle ope` reads it; a propensity column is not needed (a shop\'s purchase records fit)')
    .option('-o, --output <file>', 'where to write the MDP (default: print it)', outputPath('-o'))
    .option('--experiment <file>', 'also write an experiment that trains Q-learning on it (its mdp path relative to the experiment)', outputPath('--experiment'))
    .option('--where <column=value>', 'fit on the rows with these values only (repeatable, or comma-separated), e.g. policy=random,campaign=men', collect)
    .option('--action-column <name>', 'the action column (default: action, else item, else item_id)')
    .option('--reward-column <name>', 'the reward column (default: reward, else click)')
    .option('--propensity-column <name>', "the logging policy's probability of the action shown, or none (default: propensity, else pscore, else propensity_score, else none; checked when present, not used by the fit)")
    .option('--context-column <name>', 'the context column, or none (default: context, else position, else none)')
    .option('--prior <m>', "the reward model's shrinkage toward the action's mean in the other contexts, in pseudo-rows (0: raw means per context and action)", real('--prior', 0, 1_000_000), 1)
    .option('--holdout <k>', 'fit on all rows but those held out, each row with chance 1 in k by its own seeded draw (about 1 row in k; the output gives the count), to evaluate a learned policy on those with `aisle ope --holdout k`', integer('--holdout', 2, 1_000_000))
    .addOption(new Option('--holdout-last <p>', 'fit on all rows but the last p % in the file\'s order (the newest, in logs written in time order), to evaluate a learned policy on what came after with `aisle ope --holdout-last p`').argParser(percent('--holdout-last')).conflicts('holdout'))
    .option('--name <text>', "the MDP's name (default: its sizes)", mdpName)
    .action((file: string, opts: Omit<LogsMdpOptions, 'db' | 'json' | 'where'> & { where?: string[] }, cmd: Command) => done(logsMdpCommand(file, { ...globals(cmd), ...opts, where: opts.where ?? [] })));

  program
    .command('schemas')
    .description('write the JSON Schemas of the file formats')
    // No default: a folder relative to wherever the user stands would appear there unasked. -o as
    // every other command that writes takes it: `aisle schemas -o dir` was told "required option
    // '--out <dir>' not specified", naming the option given nowhere.
    .requiredOption('-o, --out <dir>', 'folder to write to (the repository keeps them in resources/schemas)', outputPath('--out'))
    .action((opts: { out: string }, cmd: Command) => done(schemasCommand({ ...globals(cmd), ...opts })));

  program
    .command('serve')
    .description('the browser mode: serve the app on this machine and print its link (Ctrl-C stops it)')
    .option('--port <n>', 'port to listen on (default: 5717, or the first free one up to 5726, then any; 0: any free one)', integer('--port', 0, 65535))
    .option('--host <address>', 'address to listen on (default 127.0.0.1; anything else is reachable from the network)', hostOption)
    .option('--open', 'open the link in a browser (default: when a desktop session exists)')
    .option('--no-open', 'do not open a browser')
    .option('--workers <n>', "worker threads that train the app's runs (default: cores − 1, at least 1)", integer('--workers', 1, 256))
    .action((opts: { port?: number; host?: string; open?: boolean; workers?: number }, cmd: Command) => done(serveCommand({ ...globals(cmd), ...opts })));

  const shop = program.command('shop').description('the shop simulator: export its exact MDP, calibrate it from transaction logs');
  shop
    .command('export-mdp')
    .description("write an experiment's exact-mode shop as an aisle.mdp/v1 file (for `aisle solve` and tabular-mdp experiments)")
    .argument('<experiment>', 'an aisle.experiment/v1 file whose env is the shop with "exact": true')
    .option('-o, --output <file>', 'where to write the MDP (default: print it)', outputPath('-o'))
    .action((file: string, opts: { output?: string }, cmd: Command) => done(exportMdpCommand(file, { ...globals(cmd), ...opts })));
  shop
    .command('calibrate')
    .description('measure a shop configuration (catalog, prices, popularity, categories, session length) from transactions in the Online Retail format')
    .argument('<events>', 'a CSV file with the columns ts,customer,invoice,item,qty,price')
    .option('-o, --output <file>', "where to write the catalog (the shop's `catalog` parameter); without it the whole configuration is printed as JSON", outputPath('-o'))
    .option('--experiment <file>', 'also write an experiment on the calibrated shop (its catalog path relative to the experiment, the session parameters)', outputPath('--experiment'))
    .option('--items <n>', 'the N most purchased items form the catalog', integer('--items', 2, 2000), 100)
    .option('--categories <k>', 'co-purchase categories', integer('--categories', 1, 100), 8)
    .option('--gap <minutes>', "the longest pause within one session between a customer's purchases", integer('--gap', 0, 10_080), 60)
    .action((file: string, opts: { output?: string; experiment?: string; items: number; categories: number; gap: number }, cmd: Command) =>
      done(calibrateCommand(file, { ...globals(cmd), ...opts, categoriesGiven: cmd.getOptionValueSource('categories') === 'cli' })),
    );

  // A usage error points at the help of the command it was made in (`aisle shop calibrate --help`).
  const pointAtHelp = (cmd: Command, path: string): void => {
    cmd.showHelpAfterError(`(run \`${path} --help\` for usage)`);
    for (const sub of cmd.commands) pointAtHelp(sub, `${path} ${sub.name()}`);
  };
  for (const cmd of program.commands) pointAtHelp(cmd, `aisle ${cmd.name()}`);
  refuseRepeats(program);
  return program;
}

/**
 * Options a command does not take but users reach for there (`aisle resume 7 --episodes 20000`):
 * commander's "unknown option" said no more, so the hint is added on a line of its own, where
 * commander puts its "(Did you mean --set?)". Other unknown options are commander's as before.
 */
function hintUnknownOptions(command: Command, hints: Readonly<Record<string, string>>): void {
  // unknownOption is the method commander reports an unknown flag with (not in its typings).
  const reporting = command as Command & { unknownOption(flag: string): void };
  const commanders = reporting.unknownOption.bind(reporting);
  reporting.unknownOption = (flag: string) => {
    const hint = hints[flag.split('=')[0]!]; // `--episodes=5` arrives whole
    if (hint === undefined) return commanders(flag);
    command.error(`error: unknown option '${flag}'\n(${hint})`, { code: 'commander.unknownOption' });
  };
}

/**
 * An option that takes one value, given twice (`--holdout 3 --holdout 5`), is refused: commander
 * kept the last silently, and `ope --holdout` then scored other rows than the fit held out. Options
 * whose help says "repeatable" (--set, --sample, --target, --where) collect their values instead, as
 * variadic ones do (`metrics --metric return length`).
 */
function refuseRepeats(command: Command): void {
  for (const option of command.options) {
    if (!(option.required || option.optional) || option.variadic || /\brepeatable\b/.test(option.description)) continue;
    const given: string[] = [];
    command.on(`option:${option.name()}`, (value: string) => {
      given.push(value);
      if (given.length === 2) command.error(`${option.long ?? option.flags} is given twice (${given[0]} and ${value}): give it once`, { code: 'aisle.optionRepeated', exitCode: EXIT.invalid });
    });
  }
  // A flag with its negation (`serve --open --no-open`) contradicts itself: commander kept the last.
  for (const negation of command.options) {
    const flag = negation.negate ? command.options.find((o) => !o.negate && o.long === negation.long?.replace(/^--no-/, '--')) : undefined;
    if (!flag) continue;
    const given = new Set<string>();
    for (const option of [flag, negation]) {
      command.on(`option:${option.name()}`, () => {
        given.add(option.name());
        if (given.size === 2) command.error(`${flag.long} and ${negation.long} contradict each other: give one of them`, { code: 'aisle.optionsContradict', exitCode: EXIT.invalid });
      });
    }
  }
  for (const sub of command.commands) refuseRepeats(sub);
}

/**
 * A usage error as commander words it, in the voice of every other `aisle:` error: our argument
 * parsers' messages already name the option or argument and say what it takes, so commander's
 * preamble is dropped ("option '--workers <n>' argument 'abc' is invalid. --workers must be …"
 * becomes "aisle: --workers must be …"), and a choice list says what was given.
 */
export function usageLine(message: string): string {
  let text = message.replace(/^error: /, '').trimEnd();
  // The value as given may hold a quote of its own (--trials "3'x"): up to the first "' is invalid".
  const option = /^option '([^']*)' argument '([\s\S]*?)' is invalid\. ?([\s\S]*)$/.exec(text);
  const argument = /^command-argument value '([\s\S]*?)' is invalid for argument '([^']+)'\. ?([\s\S]*)$/.exec(text);
  // An option's flags ("-o, --output <file>") by their long name.
  const invalid = option ? { name: /--[\w-]+/.exec(option[1]!)?.[0] ?? option[1]!.split(/[ ,]/)[0]!, given: option[2]!, detail: option[3]! } : argument ? { name: argument[2]!, given: argument[1]!, detail: argument[3]! } : undefined;
  // Two options that exclude each other (`--holdout 3 --holdout-last 20`): commander's words named
  // both by their whole flags and said no more; said as a flag with its negation is, with the fix.
  // More arguments than the command takes: most often an option's value the shell split at its
  // spaces (`--where context = x`) or at its braces (`--set agent.epsilon={…}` unquoted), which
  // commander's "Expected 1 argument but got 3" left the user to guess.
  const excess = /^too many arguments( for '[^']+')?\. Expected (\d+) arguments? but got (\d+)\.?$/.exec(text);
  if (excess) {
    const takes = excess[2] === '0' ? 'none' : excess[2];
    return `aisle: too many arguments${excess[1] ?? ''} (it takes ${takes}, got ${excess[3]}): quote an option's value that holds spaces or shell characters such as { } * ?, as in --where 'page=home page'\n`;
  }
  const conflict = /^option '([^']*)' cannot be used with option '([^']*)'$/.exec(text);
  if (conflict) {
    const [a, b] = [conflict[1]!, conflict[2]!].map((flags) => /--[\w-]+/.exec(flags)?.[0] ?? flags.split(/[ ,]/)[0]!);
    return `aisle: ${a} cannot be used with ${b}: give one of them\n`;
  }
  if (invalid) {
    const choices = /^Allowed choices are (.*?)\.?$/.exec(invalid.detail);
    // One line, whatever the value given holds: our parsers quote the option as typed.
    text = printable(choices ? `${invalid.name} must be one of ${choices[1]}, got "${invalid.given}"` : invalid.detail || `${invalid.name}: "${invalid.given}" is not valid`);
  } else {
    // commander's own (an unknown option, with "(Did you mean …?)" on a line of its own) echo what was typed.
    text = text.split('\n').map(printable).join('\n');
  }
  return `aisle: ${text.replace(/\.$/, '')}\n`;
}

/**
 * The reader of our output went away (`aisle runs | head -1`): nothing failed, so stop at once,
 * quietly, exit 0. (Most tools are ended by SIGPIPE there; Node ignores that signal, so the failed
 * write surfaces as an 'error' event on stdout, which unhandled prints a stack trace and exits 1.)
 * Set in main, the entry of both bin/aisle.js and out/main/cli.js, it holds for every command.
 */
function exitQuietlyOnClosedOutput(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // A command that listens itself (`aisle run` and `aisle resume` while they train, `metrics` awaiting 'drain') handles it.
    if (process.stdout.listenerCount('error') > 1) return;
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
  // Our messages' reader went away (`aisle ope logs.csv … 2>&1 | head -1`): the warnings are lost,
  // the command's work (its output file, its database writes) goes on to its end.
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (process.stderr.listenerCount('error') > 1 || e.code === 'EPIPE') return;
    throw e;
  });
}

/**
 * A line as the terminal should show it: control characters (an ESC sequence in a CSV header or an
 * option's path, say, which would drive the terminal), the bidirectional overrides and isolates
 * (U+202E reverses the rest of the line) and line breaks written as \u001b escapes. Each problem
 * is one line ('aisle: <problem>'): a line break an option's text brings (`--sample $'agent.alpha\n=…'`)
 * printed the rest of it as a line without 'aisle: '. The messages' own escaping (CONTROL's
 * characters, line breaks and tabs among them), under the name this file's callers read it by.
 */
export const printable: (text: string) => string = escapeControl;

/**
 * With --json, a failing command also prints its error on stdout as one JSON object, so a script
 * parsing the output gets { "error": { "exitCode", "problems" } } rather than nothing (and, for a
 * delete without --yes, `wouldDelete`: the dry run's list; for a damaged results file, `details`:
 * what SQLite found). Returns `code`.
 */
function jsonError(argv: readonly string[], code: number, problems: readonly string[], more: Record<string, unknown> = {}): number {
  if (argv.slice(2).includes('--json')) process.stdout.write(`${JSON.stringify({ error: { exitCode: code, problems, ...more } })}\n`);
  return code;
}

/** Runs the CLI on argv and resolves to the exit code (never throws). Call it once per process. */
export async function main(argv: readonly string[]): Promise<number> {
  exitQuietlyOnClosedOutput();
  let pending: number | Promise<number> = EXIT.ok;
  const program = buildProgram((code) => (pending = code));
  // `aisle help <command>` for a command that does not exist: commander prints the general help and exits 0.
  const rest = argv.slice(2);
  // Global options before the command: those that take a value (--db path) take the next word too.
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f) => f !== undefined)));
  let at = 0;
  while (at < rest.length && rest[at]!.startsWith('-')) at += takesValue.has(rest[at]!) ? 2 : 1;
  const [first, asked] = [rest[at], rest[at + 1]];
  if (first === 'help' && asked !== undefined && !asked.startsWith('-') && !program.commands.some((c) => c.name() === asked || c.aliases().includes(asked))) {
    process.stderr.write(`aisle: unknown command '${printable(asked)}': its commands are ${program.commands.map((c) => c.name()).join(', ')} (see aisle --help)\n`);
    return EXIT.invalid;
  }
  try {
    await program.parseAsync(argv as string[]);
    return await pending;
  } catch (thrown) {
    // A damaged, read-only, full or locked database, met opening it or halfway through the command.
    const failure = databaseFailure(thrown, program.opts<GlobalOptions>());
    if (failure && thrown instanceof Error && process.env.AISLE_DEBUG) process.stderr.write(`${thrown.stack}\n`);
    const e = failure ?? thrown;
    // The closed pipe, met by a command awaiting stdout itself (see exitQuietlyOnClosedOutput).
    if (errorCode(e) === 'EPIPE') return EXIT.ok;
    if (e instanceof CommanderError) {
      // Help asked for (--help, `aisle help`) is a success; help shown because no command was given (`aisle shop`) is a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0)) return EXIT.ok;
      // commander has written the message (or that help) to stderr; with --json a script also gets it on
      // stdout, in the words stderr has (usageLine's, without commander's "option '--x <n>' argument … is invalid." preamble).
      const problem = e.code === 'commander.help' ? 'a command is needed: the usage on stderr lists them' : usageLine(e.message).replace(/^aisle: /, '').trimEnd();
      return jsonError(argv, EXIT.invalid, [problem]);
    }
    const userError = e instanceof ValidationError || e instanceof NotFoundError || e instanceof UsageError || e instanceof NotAisleDatabaseError || e instanceof SchemaTooNewError;
    const problems = problemsOf(e);
    for (const line of problems) process.stderr.write(`aisle: ${printable(line)}\n`);
    if (!userError && e instanceof Error && process.env.AISLE_DEBUG) process.stderr.write(`${e.stack}\n`);
    // A damaged results file: stderr says what to do, and a script also gets SQLite's findings.
    // (A DamagedResultsError; one refused in a worker, as `results import` is, comes back a ValidationError carrying them.)
    const details = e instanceof ValidationError ? (e as { details?: readonly string[] }).details : undefined;
    const more = e instanceof NotConfirmedError ? { wouldDelete: e.wouldDelete } : details !== undefined ? { details } : {};
    return jsonError(argv, userError ? EXIT.invalid : EXIT.runFailed, problems, more);
  }
}

// Entry point when run as a script (out/main/cli.js).
if (process.argv[1] && /cli\.js$/.test(process.argv[1])) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
