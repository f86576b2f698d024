/** `aisle solve <mdp.json>`: the optimal return, values and policy of an MDP, exactly. */
import { relative, resolve } from 'node:path';
import { experimentFolder, inFile, readJsonFile } from '../main/files';
import { fileKind, wrongKindProblem } from '../engine/file-kind';
import { parseMdp } from '../engine/mdp/format';
import { ValidationError } from '../engine/params';
import { evaluatePolicy, uniformRandomPolicy, valueIteration } from '../engine/mdp/solve';
import { fittedTable, fmt, plural, printJson, wrapped, type GlobalOptions } from './context';

export interface SolveOptions extends GlobalOptions {
  gamma: number;
  horizon: number;
}

export function solveCommand(file: string, opts: SolveOptions): number {
  const raw = readJsonFile(file);
  experimentsMdp(file, raw);
  const mdp = inFile(file, () => parseMdp(raw, 'mdp'));
  const vi = valueIteration(mdp, { gamma: opts.gamma, horizon: opts.horizon });
  const randomReturn = evaluatePolicy(mdp, uniformRandomPolicy(mdp), { gamma: opts.gamma, horizon: opts.horizon });
  const states = Array.from({ length: mdp.states }, (_, s) => ({
    state: s,
    label: mdp.stateLabels[s]!,
    terminal: mdp.terminal[s] === 1,
    value: vi.v[s]!,
    action: mdp.terminal[s] === 1 ? null : vi.policy[s]!,
    actionLabel: mdp.terminal[s] === 1 ? null : mdp.actionLabels[vi.policy[s]!]!,
    q: Array.from(vi.q.subarray(s * mdp.actions, (s + 1) * mdp.actions)),
  }));
  if (opts.json) {
    printJson({ name: mdp.name, gamma: opts.gamma, horizon: opts.horizon, optimalReturn: vi.optimalReturn, randomReturn, iterations: vi.iterations, errorBound: vi.errorBound, states });
    return 0;
  }
  const shown = states.slice(0, 200);
  process.stdout.write(
    [
      // The two sentences wrap at the output's width, words whole (a fitted simulator's name is long).
      ...[
        `${mdp.name ?? file}: ${plural(mdp.states, 'state')}, ${plural(mdp.actions, 'action')}, gamma ${opts.gamma}, horizon ${opts.horizon}`,
        `optimal expected return from the start distribution: ${fmt(vi.optimalReturn)} (uniform random policy: ${fmt(randomReturn)})`,
      ].map((line) => wrapped('', line)),
      '',
      // A Q column per action: a simulator fitted to logs of 34 items made lines of 350 characters.
      fittedTable(['state', 'V*', 'best action', ...mdp.actionLabels.map((a) => `Q(·,${a})`)], shown.map((s) => [s.label, fmt(s.value), s.actionLabel ?? '(terminal)', ...s.q.map((v) => fmt(v))]), 1),
      ...(states.length > shown.length ? [`(${shown.length} of ${states.length} states shown; --json prints all)`] : []),
    ].join('\n') + '\n',
  );
  return 0;
}

/**
 * An experiment given where an MDP goes (`aisle solve cliff.json`): refused as parseMdp refuses
 * it, and, where the experiment names its MDP's file (env.mdp, relative to the experiment), that
 * file's path to solve, as a path from here.
 */
function experimentsMdp(file: string, raw: unknown): void {
  if (fileKind(raw) !== 'experiment') return;
  const mdp = (raw as { env?: { mdp?: unknown } }).env?.mdp;
  if (typeof mdp !== 'string') return;
  const path = relative(process.cwd(), resolve(experimentFolder(file), mdp)) || mdp;
  const problem = wrongKindProblem(raw, 'MDP', 'mdp.format', `solve the MDP file its env.mdp names, \`aisle solve ${path}\``)!;
  throw new ValidationError([`${file}: ${problem}`]);
}
