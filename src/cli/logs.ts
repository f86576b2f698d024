/**
 * `aisle logs mdp <logs.csv>`: a simulator fitted to logged recommendations (src/engine/ope/simulator.ts),
 * written as an aisle.mdp/v1 file, so that any agent trains on a team's own data in a tabular-mdp
 * experiment, the exact solver says what the best policy in it earns, and the learned policy is
 * then checked where it counts, on logged rows the fit did not see (`aisle ope --holdout k` or
 * `--holdout-last p`).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { EXPERIMENT_FORMAT } from '../engine/experiment';
import { describeWhere, holdoutOf, holdoutText, whereArgument, type HoldoutChoice } from '../engine/ope/data';
import { fitSimulator, simulatorEnv, simulatorExperiment, SIMULATOR_SEEDS, type SimulatorFit, type SimulatorSource } from '../engine/ope/simulator';
import { parseMdp } from '../engine/mdp/format';
import { simulatorEnvHash } from '../main/fitted-env';
import { fmt, plural, printJson, reportLines, shellWord, type GlobalOptions } from './context';
import { thousands } from '../engine/params';
import { checkFileAndExperiment, pathFromExperiment, writeOutputs, type OutputFile } from './output-files';
import { readLogsToFit, warnDominantRows, warnMixedRows } from './logged-data';
import { progressLine } from './calibrate-progress';
import { opeReadingLine } from './ope-progress';
import { holdoutFlag, logColumns, parseWhere, type LogColumnOptions } from './ope';
import { onStopSignals, signalExitCode, signalName } from './signal-stop';

export interface LogsMdpOptions extends GlobalOptions, LogColumnOptions {
  output?: string;
  experiment?: string;
  where: string[];
  prior: number;
  holdout?: number;
  holdoutLast?: number;
  name?: string;
}

/**
 * An experiment on the simulator, its MDP by its path relative to the experiment (what the app's
 * New experiment on it holds inline); its fittedTo names the environment by the MDP's fingerprint,
 * whichever way the experiment holds it.
 */
export function simulatorExperimentFile(
  logsFile: string,
  mdpPath: string,
  experimentPath: string,
  source: Omit<SimulatorSource, 'fileName'>,
  fit: SimulatorFit,
  columns: LogColumnOptions = {},
): Record<string, unknown> {
  const fileName = basename(logsFile);
  const check = (held: HoldoutChoice) => `Evaluate an exported policy on the rows the fit held out: \`${heldOutOpeCommand(fileName, source, columns, held)}\`.`;
  const { name, description, agent, episodes, seeds, fittedTo } = simulatorExperiment({ fileName, ...source }, { ...fit, envHash: simulatorEnvHash(fit.mdp) }, check);
  return { format: EXPERIMENT_FORMAT, name, description, env: simulatorEnv(pathFromExperiment(experimentPath, mdpPath)), agent, episodes, seeds, fittedTo };
}

/**
 * The `aisle ope` that scores a learned policy on the rows the fit held out, whole, to copy: the
 * same --where, prior and column names as the fit (logs whose columns are not named as Open
 * Bandit's are read only with them: without, the command stops at "has no column \"action\"").
 */
function heldOutOpeCommand(file: string, source: Omit<SimulatorSource, 'fileName'>, columns: LogColumnOptions, held: HoldoutChoice): string {
  const given: [string, string | undefined][] = [
    ['--action-column', columns.actionColumn],
    ['--reward-column', columns.rewardColumn],
    ['--propensity-column', columns.propensityColumn],
    ['--context-column', columns.contextColumn],
  ];
  return [
    'aisle ope',
    shellWord(file),
    ...(Object.keys(source.where).length > 0 ? ['--where', shellWord(whereArgument(source.where))] : []),
    ...given.flatMap(([option, column]) => (column !== undefined ? [option, shellWord(column)] : [])),
    holdoutFlag(held),
    ...(source.prior !== 1 ? [`--prior ${source.prior}`] : []),
    '--target policy.json',
  ].join(' ');
}

/**
 * The rows a fit held out, as counted, and what the option asked: `--holdout k` holds each row out
 * by its own seeded draw with chance 1 in k (holdoutRows), so the count is near, not exactly, the
 * kept rows / k, and a small file can hold out 4 of 6 for --holdout 3; `--holdout-last p` is exact.
 * Undefined when nothing was held out.
 */
function heldOutText(fit: SimulatorFit): string | undefined {
  const text = holdoutText(fit);
  if (text === undefined) return undefined;
  if (fit.holdout === undefined) return `${text} held out`;
  const held = fit.rowsKept - fit.rowsFitted;
  return `${plural(held, 'row')} held out (--holdout ${fit.holdout}: each row by its own seeded draw, with chance 1 in ${fit.holdout}; about ${thousands(Math.round(fit.rowsKept / fit.holdout))} expected)`;
}

/**
 * A turn of the event loop for a signal that came during synchronous work (the fit) to reach its
 * handler: a timer's, whose poll phase reads it, where a setImmediate's turn most often did not.
 * Best effort: one handled later still finds the files whole, written while the handlers deferred it.
 */
function signalsLetIn(): Promise<void> {
  return new Promise((done) => setTimeout(done, 0));
}

/** A file's size for the reading line: 0 for a pipe, or where it cannot be had (the reading then says why). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export async function logsMdpCommand(file: string, opts: LogsMdpOptions): Promise<number> {
  const inputs = [{ what: 'the logs file', path: file }];
  // Written into a stream (`-o /dev/stdout`), the MDP has no path: the line saying how to train on it
  // said `"mdp": "/dev/stdout"`.
  const streamed = checkFileAndExperiment(opts, { what: 'MDP', holds: 'MDP', placeholder: '<sim.mdp.json>' }, inputs); // before the file is read
  const where = parseWhere(opts.where, '--where');
  const choice = holdoutOf(opts);
  // Ctrl-C (SIGTERM, SIGHUP) stops the reading where it is, or the command before it writes: unhandled,
  // it ended the process at once, inside the write of a large MDP too, leaving its `<file>.<pid>.tmp`.
  const signals = onStopSignals({});
  const stopped = (signal: NodeJS.Signals) => {
    process.stderr.write(`aisle: the fit was stopped (${signalName(signal)}): nothing written\n`);
    return signalExitCode(signal);
  };
  let path: string | undefined;
  let experimentPath: string | undefined;
  let fit: SimulatorFit;
  let warnings: string[];
  try {
    // On a terminal, a line says how far a large file has been read (as aisle ope's does).
    const line = !opts.json && process.stderr.isTTY ? progressLine((bytes: number, seconds) => opeReadingLine(basename(file), bytes, fileSize(file), seconds), process.stderr) : undefined;
    let read: Awaited<ReturnType<typeof readLogsToFit>>;
    try {
      read = await readLogsToFit(
        file,
        file,
        { ...logColumns(opts), where },
        choice,
        () => {
          if (signals.stoppedBy) throw new Error('stopped');
        },
        line?.onProgress,
      );
    } finally {
      line?.release();
    }
    fit = fitSimulator(read, { priorStrength: opts.prior, ...choice, holdoutLabel: holdoutFlag(choice), ...(opts.name !== undefined ? { name: opts.name } : {}) });
    parseMdp(fit.mdp, 'the fitted MDP'); // what it writes, any tabular-mdp experiment reads
    const text = `${JSON.stringify(fit.mdp)}\n`;
    // A signal during the fit (one synchronous step) is let in here, before anything is written.
    await signalsLetIn();
    if (signals.stoppedBy) return stopped(signals.stoppedBy);
    warnings = [...warnMixedRows(read), ...warnDominantRows(fit, file)];
    if (!opts.output) {
      process.stdout.write(text);
      return 0;
    }
    // The experiment names the MDP: both are written, or neither. Synchronous: a signal now waits for the files to be whole.
    const outputs: OutputFile[] = [{ option: '-o', file: opts.output, content: text, holds: 'MDP' }];
    if (opts.experiment) outputs.push({ option: '--experiment', file: opts.experiment, content: `${JSON.stringify(simulatorExperimentFile(file, opts.output, opts.experiment, { where, prior: opts.prior }, fit, opts), null, 2)}\n`, holds: 'experiment' });
    [path, experimentPath] = writeOutputs(outputs, inputs);
    // A signal that came while they were written is taken here: the files are whole, and said so below
    // (let in after the handlers went, it ended the process with the files written and nothing said).
    await signalsLetIn();
  } catch (e) {
    if (signals.stoppedBy === undefined) throw e;
    return stopped(signals.stoppedBy);
  } finally {
    signals.dispose();
  }
  const reward = fit.columns.reward;
  if (opts.json) {
    const { mdp, ...summary } = fit;
    printJson({ path, ...(experimentPath !== undefined ? { experimentPath } : {}), ...summary, transitions: mdp.transitions.length, where, priorStrength: opts.prior, warnings });
    return 0;
  }
  const contextText = fit.columns.context === null ? 'one state (the logs have no context)' : `a state per context, ${fit.contexts} (column "${fit.columns.context}")`;
  const bernoulli = fit.rewards === 'bernoulli';
  const ends = bernoulli ? 'two end states (a reward of 1, of 0)' : 'an end state';
  const heldText = heldOutText(fit);
  const propensities = fit.columns.propensity !== null;
  const held = heldText === undefined ? '' : `, ${heldText}${propensities ? `: evaluate a policy learned on it there with \`${heldOutOpeCommand(file, { where, prior: opts.prior }, opts, holdoutOf(fit))}\`` : ''}`;
  // The logs' column names (their header's, which nothing checks) and the paths given, escaped.
  reportLines([
    `wrote ${path}: ${contextText} and ${ends}, ${plural(fit.actions, 'action')} (column "${fit.columns.action}"), fitted on ${plural(fit.rowsFitted, 'row')}${fit.rowsKept < fit.rowsRead ? ` of the ${plural(fit.rowsKept, 'row')} with ${describeWhere(where)} (${thousands(fit.rowsRead)} in the file)` : ` of ${thousands(fit.rowsRead)}`}${held}`,
    // The column's name is quoted, never inflected: "the logs' clickeds" read wrong, and any name reads right as a name.
    bernoulli
      ? `a step pays 1 with the probability the reward model gives its context and action, else 0 (every value of the reward column "${reward}" is 0 or 1)`
      : `a step pays the mean "${reward}" the reward model gives its context and action (the values of the reward column "${reward}" are not all 0 or 1: their spread is not simulated)`,
    `the logging policy's mean "${reward}" on these rows: ${fmt(fit.logged)}; the best policy in the simulator: ${fmt(fit.best)} per decision`,
    ...(propensities
      ? []
      : [
          "the logs have no propensity column: the fit needs none, but `aisle ope` cannot evaluate a policy learned on this simulator on these logs, held-out rows included (its estimates weight each row by the logging policy's probability of showing its action)",
        ]),
    experimentPath !== undefined
      ? `wrote the experiment ${experimentPath} (Q-learning on it, ${plural(SIMULATOR_SEEDS, 'seed')}): train with \`aisle run ${shellWord(opts.experiment!)}\``
      : // The path as a JSON string, to paste: a quote or a Windows path's backslashes escaped.
        `train on it: an experiment whose "env" is { "id": "tabular-mdp", "mdp": ${JSON.stringify(streamed ? '<sim.mdp.json>' : opts.output)}, "maxSteps": 1 } (--experiment writes one)`,
  ]);
  return 0;
}
