/**
 * A simulator fitted to logged bandit feedback: the logs' contextual bandit as an aisle.mdp/v1
 * file, so that every agent, the exact solver and the policy export work on a team's own data.
 * One state per context, entered with its share of the rows; every action ends the episode with a
 * reward drawn from the reward model q̂(x, a) — the direct
 * method's model (estimators.ts), the mean reward per (context, action) shrunk toward the action's
 * mean over the other contexts, itself shrunk toward the overall mean, by `priorStrength` pseudo-rows:
 *
 *   q̂₋ₓ(a) = (S_a − S_xa + m · r̄) / (N_a − N_xa + m),    q̂(x, a) = (S_xa + m · q̂₋ₓ(a)) / (N_xa + m)
 *
 * When every reward is 0 or 1 (clicks) a step pays 1 with probability q̂(x, a) and 0 otherwise, as
 * the logs did, moving to the terminal state "(end: 1)" or "(end: 0)" (a transition holds one
 * reward, and aisle.mdp/v1 allows one transition per next state); other rewards are paid as their
 * mean, q̂(x, a), every time, moving to "(end)" (the expected return is the same; the spread around
 * it is not modelled). A context or action the fit's rows never show
 * gets the shrunk means of what they do show: the simulator extrapolates there, and only logged
 * data can say how well (evaluate a policy learned on it with `aisle ope` on rows the fit did not
 * see: selectRows, `--holdout`).
 */
import { MDP_FORMAT, MDP_LIMITS, type MdpFile, type MdpTransition } from '../mdp/format';
import { decimal, plural, thousands, ValidationError } from '../params';
import type { ReadLogRows } from './csv';
import type { FittedRows } from './fitted-rows';
import { heldOutMask, heldOutPart, holdoutOf, holdoutText, keptRowsText, rows, type HoldoutChoice, type LoggedRows } from './data';
import { dominantRows, shrunkMean, type DominantRows } from './dominant-rows';

/** The state of logs without a context column (their one context is labelled "", which a state label cannot be). */
export const NO_CONTEXT_STATE = '(no context)';

/** A label not among `taken`: `label`, else with " 2", " 3", … inserted before its closing parenthesis. */
function freeLabel(label: string, taken: readonly string[]): string {
  let out = label;
  for (let k = 2; taken.includes(out); k++) out = `${label.slice(0, -1)} ${k})`;
  return out;
}

export interface LogsMdpOptions {
  /** Pseudo-rows m of the reward model's shrinkage (default 1; 0: raw means). */
  priorStrength?: number;
  /** The MDP's name (default: "logged bandit", with the sizes). */
  name?: string;
}

/** The fitted reward model and what the MDP says about it. */
export interface LogsMdp {
  /** The MDP, its states named (the contexts, then the end states). */
  readonly mdp: MdpFile & { readonly states: string[] };
  /** q̂(x, a), row-major x · actions + a, over the logs' context and action labels. */
  readonly q: Float64Array;
  /** Whether every reward was 0 or 1 (a step then pays 1 with probability q̂, else q̂ itself). */
  readonly bernoulli: boolean;
  /** The mean reward the logging policy got on the rows fitted. */
  readonly logged: number;
  /** Σ_x P(x) max_a q̂(x, a): the most any policy earns per decision in the simulator. */
  readonly best: number;
}

/**
 * The reward model q̂(x, a) fitted on the logs (see the header), for every context × action of
 * the labels, row-major. Throws a RangeError for a negative or non-finite prior.
 */
export function rewardModel(data: LoggedRows, priorStrength = 1): Float64Array {
  if (!(priorStrength >= 0 && Number.isFinite(priorStrength))) throw new RangeError(`priorStrength must be a finite number ≥ 0, got ${priorStrength}`);
  const n = rows(data);
  const A = data.actionLabels.length;
  const C = data.contextLabels.length;
  if (n === 0) throw new ValidationError(['logs: no rows to fit the reward model on']);
  const m = priorStrength;
  const cellSum = new Float64Array(C * A);
  const cellCount = new Float64Array(C * A);
  const actionSum = new Float64Array(A);
  const actionCount = new Float64Array(A);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = data.action[i]!;
    const cell = data.context[i]! * A + a;
    const r = data.reward[i]!;
    cellSum[cell] = cellSum[cell]! + r;
    cellCount[cell]!++;
    actionSum[a] = actionSum[a]! + r;
    actionCount[a]!++;
    total += r;
  }
  const mean = total / n;
  const q = new Float64Array(C * A);
  for (let a = 0; a < A; a++) {
    for (let x = 0; x < C; x++) {
      const cell = x * A + a;
      q[cell] = shrunkMean(cellSum[cell]!, cellCount[cell]!, actionSum[a]!, actionCount[a]!, mean, m);
    }
  }
  return q;
}

/**
 * The logs' contextual bandit as an aisle.mdp/v1 file (see the header). Throws a ValidationError
 * when it would not fit the format's limits (actions, states, transitions, rewards).
 */
export function logsToMdp(data: LoggedRows, options: LogsMdpOptions = {}): LogsMdp {
  const n = rows(data);
  const A = data.actionLabels.length;
  const C = data.contextLabels.length;
  const bernoulli = data.reward.every((r) => r === 0 || r === 1);
  const problems: string[] = [];
  if (A > MDP_LIMITS.actions) problems.push(`logs: ${thousands(A)} distinct actions, more than an aisle.mdp/v1 file's ${thousands(MDP_LIMITS.actions)}: filter the rows to fewer actions`);
  const perPair = bernoulli ? 2 : 1; // transitions per (context, action), and terminal states
  if (C + perPair > MDP_LIMITS.states) problems.push(`logs: ${thousands(C)} distinct contexts, more than an aisle.mdp/v1 file's ${thousands(MDP_LIMITS.states - perPair)} (${perPair === 1 ? 'one state ends' : 'two states end'} the episode): choose a coarser context column`);
  if (C * A * perPair > MDP_LIMITS.transitions) {
    problems.push(`logs: ${thousands(C)} contexts × ${thousands(A)} actions need ${thousands(C * A * perPair)} transitions, more than an aisle.mdp/v1 file's ${thousands(MDP_LIMITS.transitions)}: choose a coarser context column or keep fewer actions`);
  }
  const largest = data.reward.reduce((worst, r) => Math.max(worst, Math.abs(r)), 0);
  if (largest > MDP_LIMITS.reward) problems.push(`logs: a reward of ${decimal(largest, 4)} is beyond ±${thousands(MDP_LIMITS.reward)}, the most an aisle.mdp/v1 reward holds: rescale the reward column`);
  if (n === 0) problems.push('logs: no rows to fit the simulator on');
  if (problems.length > 0) throw new ValidationError(problems);

  const q = rewardModel(data, options.priorStrength ?? 1);
  const contexts = data.contextLabels.length === 1 && data.contextLabels[0] === '' ? [NO_CONTEXT_STATE] : [...data.contextLabels];
  // The terminal states: one, or for 0/1 rewards one per reward (index C pays 1, C + 1 pays 0).
  const ends = bernoulli ? [freeLabel('(end: 1)', contexts), freeLabel('(end: 0)', contexts)] : [freeLabel('(end)', contexts)];
  const counts = new Float64Array(C);
  let logged = 0;
  for (let i = 0; i < n; i++) {
    counts[data.context[i]!]!++;
    logged += data.reward[i]!;
  }
  const start: Record<string, number> = {};
  let best = 0;
  for (let x = 0; x < C; x++) {
    if (counts[x] === 0) continue;
    start[String(x)] = counts[x]! / n;
    let top = -Infinity;
    for (let a = 0; a < A; a++) top = Math.max(top, q[x * A + a]!);
    best += (counts[x]! / n) * top;
  }
  const transitions: MdpTransition[] = [];
  for (let x = 0; x < C; x++) {
    for (let a = 0; a < A; a++) {
      const value = q[x * A + a]!;
      if (!bernoulli) transitions.push([x, a, 1, C, value]);
      else if (value >= 1) transitions.push([x, a, 1, C, 1]);
      else if (value <= 0) transitions.push([x, a, 1, C + 1, 0]);
      else transitions.push([x, a, value, C, 1], [x, a, 1 - value, C + 1, 0]);
    }
  }
  const name = options.name ?? `logged bandit: ${plural(C, 'context')} × ${plural(A, 'action')}, from ${plural(n, 'row', thousands(n))}`;
  const mdp: LogsMdp['mdp'] = {
    format: MDP_FORMAT,
    name: name.slice(0, 200),
    states: [...contexts, ...ends],
    actions: [...data.actionLabels],
    start,
    terminal: ends.map((_, k) => C + k),
    transitions,
  };
  return { mdp, q, bernoulli, logged: logged / n, best };
}

/** A simulator fitted to logs as read, and what `aisle logs mdp` and the app's logs.simulator say of it. */
export interface SimulatorFit {
  readonly mdp: LogsMdp['mdp'];
  readonly states: number;
  readonly actions: number;
  readonly contexts: number;
  readonly rowsRead: number;
  readonly rowsKept: number;
  /** The kept rows the fit used: all of them, or all but those the holdout (1 row in `holdout`, or the last `holdoutLast` %) sets aside. */
  readonly rowsFitted: number;
  readonly holdout?: number;
  readonly holdoutLast?: number;
  /** A step pays 1 with the model's probability (0/1 rewards), or the model's mean. */
  readonly rewards: 'bernoulli' | 'mean';
  /** The logging policy's mean reward on the rows fitted, and the best any policy earns in the simulator. */
  readonly logged: number;
  readonly best: number;
  readonly columns: ReadLogRows['columns'];
  /** The rows fitted that each drive their cell's mean (dominant-rows.ts): what `aisle logs mdp` warns of, and the Off-policy screen beside the fit. */
  readonly dominant: DominantRows;
}

/** The file line of each row `choice` fits on, of `kept` (those it does not hold out), when the reader recorded them. */
function fittedLines(kept: ReadLogRows, choice: HoldoutChoice): Int32Array | undefined {
  const lines = kept.lines;
  if (lines === undefined || holdoutText(choice) === undefined) return lines;
  const held = heldOutMask(rows(kept), choice);
  return lines.filter((_, i) => held[i] !== 1);
}

/**
 * logsToMdp on the rows `kept` holds, all but those the holdout sets aside when one is given
 * (heldOutPart); `holdoutLabel` names the holdout in an error as the caller's user set it.
 */
export function fitSimulator(kept: ReadLogRows, options: LogsMdpOptions & HoldoutChoice & { holdoutLabel?: string } = {}): SimulatorFit {
  const { holdout, holdoutLast, holdoutLabel, ...mdpOptions } = options;
  const choice = holdoutOf(options);
  const data = heldOutPart(kept, choice, 'fit');
  const held = holdoutText(choice);
  const name = holdoutLabel ?? (holdoutLast !== undefined ? `holdoutLast ${holdoutLast}` : `holdout ${holdout}`);
  if (held !== undefined && rows(data) === 0 && rows(kept) > 0) {
    const fix = holdoutLast !== undefined ? 'hold out a smaller share' : 'give a larger holdout';
    throw new ValidationError([`${name}: holding out ${held} of the ${plural(rows(kept), 'row')} kept leaves none to fit the simulator on: ${fix} (or none)`]);
  }
  // A holdout that sets no row aside leaves nothing to check a learned policy on (and the evaluation on it is refused).
  if (held !== undefined && rows(data) === rows(kept) && rows(kept) > 0) {
    throw new ValidationError([`${name}: holding out ${held} of the ${plural(rows(kept), 'row')} kept holds out none of them: give a smaller holdout`]);
  }
  const fitted = logsToMdp(data, mdpOptions);
  const dominant = dominantRows(data, mdpOptions.priorStrength ?? 1, fittedLines(kept, choice));
  return {
    mdp: fitted.mdp,
    states: fitted.mdp.states.length,
    actions: kept.actionLabels.length,
    contexts: kept.contextLabels.length,
    rowsRead: kept.rowsRead,
    rowsKept: kept.rowsKept,
    rowsFitted: data.action.length,
    ...choice,
    rewards: fitted.bernoulli ? 'bernoulli' : 'mean',
    logged: fitted.logged,
    best: fitted.best,
    columns: kept.columns,
    dominant,
  };
}

/**
 * The agent an experiment on a fitted simulator starts with (`aisle logs mdp --experiment`, the
 * app's New experiment on it): Q-learning with one decision per episode (γ is then moot: 0 says
 * so), a small step for rewards as rare as clicks, and a tenth more exploration than the default.
 */
export const SIMULATOR_AGENT = { id: 'q-learning', alpha: 0.01, gamma: 0, epsilon: 0.2 } as const;

/** Episodes for such an experiment: 2,000 per context and action (each is tried thousands of times), at most a million. */
export function simulatorEpisodes(contexts: number, actions: number): number {
  return Math.min(1_000_000, 2000 * contexts * actions);
}

/** Seeds of such an experiment: enough for Compare's band across seeds, and to see one lucky run as one. */
export const SIMULATOR_SEEDS = 5;

/**
 * Why a policy learned on a simulator of logs without propensities (a shop's purchase records)
 * cannot be checked on the rows the fit held out: said where the CLI and the app would say how.
 */
export const NO_PROPENSITY_CHECK =
  "These logs have no propensity column, so a policy learned on this simulator cannot be evaluated off-policy on them, held-out rows included: the estimates weight each row by the logging policy's probability of showing its action.";

/** What a simulator was fitted on, for the experiment trained on it to record. */
export interface SimulatorSource {
  /** The logs file's name, without its folder. */
  readonly fileName: string;
  readonly where: Readonly<Record<string, string>>;
  /** The reward model's prior, in pseudo-rows. */
  readonly prior: number;
}

/** The name of an experiment on a simulator fitted to `fileName` (a logs file's name, no folder). */
export function simulatorExperimentName(fileName: string): string {
  return `learn from ${fileName}`;
}

/** The environment an experiment on a fitted simulator trains in: its MDP (inline, or its file's path), one decision per episode. */
export function simulatorEnv<M>(mdp: M): { id: 'tabular-mdp'; mdp: M; maxSteps: 1 } {
  return { id: 'tabular-mdp', mdp, maxSteps: 1 };
}

/**
 * An experiment on a fitted simulator, all but its environment (`aisle logs mdp --experiment`
 * names the MDP file; the app's New experiment on it holds the MDP inline): SIMULATOR_AGENT,
 * simulatorEpisodes, SIMULATOR_SEEDS, and a description that records what the fit used (the logs
 * file, the rows kept, the holdout, the prior), which evaluating a learned policy on the held-out
 * rows must repeat. When rows were held out, `check` says how to do that, in the door's words (or
 * NO_PROPENSITY_CHECK why it cannot be done, for logs without propensities).
 * `fittedTo` records the same for the policies exported from it to carry (fitted-rows.ts), with
 * `envHash`, the fingerprint hash of simulatorEnv (taken on the node side), so that it stops
 * applying once the environment is edited.
 */
export function simulatorExperiment(
  source: SimulatorSource,
  fit: Pick<SimulatorFit, 'contexts' | 'actions' | 'rowsFitted' | 'holdout' | 'holdoutLast'> & { readonly envHash: string; readonly columns: Pick<SimulatorFit['columns'], 'propensity'> },
  check: (held: HoldoutChoice) => string,
): { name: string; description: string; agent: typeof SIMULATOR_AGENT; episodes: number; seeds: number; fittedTo: FittedRows } {
  const rowsKept = keptRowsText(source.where);
  const held = holdoutText(fit);
  const fitted = `${plural(fit.rowsFitted, 'row', thousands(fit.rowsFitted))} fitted${held !== undefined ? `, ${held} held out` : ''}`;
  const prior = `prior ${plural(source.prior, 'pseudo-row', thousands(source.prior))}`;
  return {
    name: simulatorExperimentName(source.fileName),
    description: `Q-learning on a simulator fitted to ${source.fileName} (${rowsKept}; ${fitted}; ${prior}; ${plural(fit.contexts, 'context')} × ${plural(fit.actions, 'action')}): one decision per episode.${held !== undefined ? ` ${fit.columns.propensity === null ? NO_PROPENSITY_CHECK : check(holdoutOf(fit))}` : ''}`,
    agent: { ...SIMULATOR_AGENT },
    episodes: simulatorEpisodes(fit.contexts, fit.actions),
    seeds: SIMULATOR_SEEDS,
    fittedTo: { logs: source.fileName, where: { ...source.where }, ...holdoutOf(fit), rows: fit.rowsFitted, envHash: fit.envHash },
  };
}
