/**
 * `aisle logs mdp <logs.csv>`: a simulator fitted to logged recommendations (src/engine/ope/simulator.ts),
 * written as an aisle.mdp/v1 file, so that any agent trains on a team's own data in a tabular-mdp
 * experiment, the exact solver says what the best policy in it earns, and the learned policy is
 * then checked where it counts, on logged rows the fit did not see (`aisle ope --holdout k`).
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { EXPERIMENT_FORMAT } from '../engine/experiment';
import { oneRowIn, holdoutRows } from '../engine/ope/data';
import { logsToMdp, SIMULATOR_AGENT, simulatorEpisodes } from '../engine/ope/simulator';
import { parseMdp } from '../engine/mdp/format';
import { checkOutputs, fmt, plural, printJson, UsageError, writeOutputs, type GlobalOptions, type OutputFile } from './context';
import { readLogs } from './logged-data';
import { logColumns, parseWhere, type LogColumnOptions } from './ope';

export interface LogsMdpOptions extends GlobalOptions, LogColumnOptions {
  output?: string;
  experiment?: string;
  where: string[];
  prior: number;
  holdout?: number;
  name?: string;
}

/** An experiment on the simulator (its MDP by its path relative to the experiment), with SIMULATOR_AGENT. */
export function simulatorExperiment(logsFile: string, mdpPath: string, experimentPath: string, sizes: { contexts: number; actions: number; rowsFitted: number; holdout?: number }): Record<string, unknown> {
  const rel = relative(dirname(resolve(experimentPath)), resolve(mdpPath)).split(sep).join('/');
  const source = basename(logsFile);
  const check = sizes.holdout !== undefined ? ` Evaluate an exported policy on the rows the fit held out: \`aisle ope ${source} --holdout ${sizes.holdout} --target policy.json\` with the same --where.` : '';
  return {
    format: EXPERIMENT_FORMAT,
    name: `learn from ${source}`,
    description: `Q-learning on a simulator fitted to ${source} by \`aisle logs mdp\` (${plural(sizes.rowsFitted, 'row')}; ${plural(sizes.contexts, 'context')} × ${plural(sizes.actions, 'action')}): one decision per episode.${check}`,
    env: { id: 'tabular-mdp', mdp: rel, maxSteps: 1 },
    agent: { ...SIMULATOR_AGENT },
    episodes: simulatorEpisodes(sizes.contexts, sizes.actions),
    seeds: 5,
  };
}

export async function logsMdpCommand(file: string, opts: LogsMdpOptions): Promise<number> {
  if (opts.experiment && !opts.output) throw new UsageError('--experiment: the experiment refers to the MDP file: give -o <sim.mdp.json> too');
  const inputs = [{ what: 'the logs file', path: file }];
  const destinations = [...(opts.output ? [{ option: '-o', file: opts.output }] : []), ...(opts.experiment ? [{ option: '--experiment', file: opts.experiment }] : [])];
  checkOutputs(destinations, inputs); // before the file is read
  const where = parseWhere(opts.where, '--where');
  const read = await readLogs(file, file, { ...logColumns(opts), where });
  const data = opts.holdout !== undefined ? holdoutRows(read, opts.holdout, 'fit') : read;
  const fitted = logsToMdp(data, { priorStrength: opts.prior, ...(opts.name !== undefined ? { name: opts.name } : {}) });
  parseMdp(fitted.mdp, 'the fitted MDP'); // what it writes, any tabular-mdp experiment reads
  const text = `${JSON.stringify(fitted.mdp)}\n`;
  if (!opts.output) {
    process.stdout.write(text);
    return 0;
  }
  const contexts = read.contextLabels.length;
  const actions = read.actionLabels.length;
  // The experiment names the MDP: both are written, or neither.
  const outputs: OutputFile[] = [{ option: '-o', file: opts.output, content: text }];
  if (opts.experiment) {
    const sizes = { contexts, actions, rowsFitted: data.action.length, ...(opts.holdout !== undefined ? { holdout: opts.holdout } : {}) };
    outputs.push({ option: '--experiment', file: opts.experiment, content: `${JSON.stringify(simulatorExperiment(file, opts.output, opts.experiment, sizes), null, 2)}\n` });
  }
  const [path, experimentPath] = writeOutputs(outputs, inputs);
  const reward = read.columns.reward;
  if (opts.json) {
    printJson({
      path,
      ...(experimentPath !== undefined ? { experimentPath } : {}),
      states: Array.isArray(fitted.mdp.states) ? fitted.mdp.states.length : fitted.mdp.states,
      actions,
      transitions: fitted.mdp.transitions.length,
      columns: read.columns,
      where,
      rowsRead: read.rowsRead,
      rowsKept: read.rowsKept,
      rowsFitted: data.action.length,
      ...(opts.holdout !== undefined ? { holdout: opts.holdout } : {}),
      priorStrength: opts.prior,
      rewards: fitted.bernoulli ? 'bernoulli' : 'mean',
      logged: fitted.logged,
      best: fitted.best,
    });
    return 0;
  }
  const contextText = read.columns.context === null ? 'one state (the logs have no context)' : `a state per context, ${contexts} (column "${read.columns.context}")`;
  const ends = fitted.bernoulli ? 'two end states (a reward of 1, of 0)' : 'an end state';
  const held = opts.holdout !== undefined && opts.holdout > 1 ? `, ${oneRowIn(opts.holdout)} held out: evaluate a policy learned on it there with \`aisle ope ${file} --holdout ${opts.holdout}\` and the same --where` : '';
  process.stdout.write(
    [
      `wrote ${path}: ${contextText} and ${ends}, ${plural(actions, 'action')} (column "${read.columns.action}"), fitted on ${plural(data.action.length, 'row')} of ${read.rowsRead}${held}`,
      fitted.bernoulli
        ? `a step pays ${reward} 1 with the probability the reward model gives its context and action, else 0 (the logs' ${reward}s are all 0 or 1)`
        : `a step pays the mean ${reward} the reward model gives its context and action (the logs' ${reward}s are not all 0 or 1: their spread is not simulated)`,
      `the logging policy's mean ${reward} on these rows: ${fmt(fitted.logged)}; the best policy in the simulator: ${fmt(fitted.best)} per decision`,
      experimentPath !== undefined
        ? `wrote the experiment ${experimentPath} (Q-learning on it, 5 seeds): train with \`aisle run ${opts.experiment}\``
        : `train on it: an experiment whose "env" is { "id": "tabular-mdp", "mdp": "${opts.output}", "maxSteps": 1 } (--experiment writes one)`,
    ].join('\n') + '\n',
  );
  return 0;
}
