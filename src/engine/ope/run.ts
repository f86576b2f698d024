/**
 * One off-policy evaluation as the CLI and the app ask for it: logs, a list of targets described
 * in the user's terms, and the estimator options. A target read from other rows of the same logs
 * (`logs`) also gets what that policy really achieved there, its own mean reward with a bootstrap
 * interval, so the estimates can be checked against the truth.
 */
import { servedRanking, stateUpdated, type PolicyFile } from '../policy/format';
import { loadPolicy, updated } from '../policy/runtime';

import { decimal, firstFive, listedName, plural, show, thousands, ValidationError } from '../params';
import { describeWhere, whereArgument, type LoggedBandit, type LoggedRows } from './data';
import { offPolicySteps, type OffPolicyDiagnostics, type OffPolicyOptions, type OffPolicyReport, type OpeEstimator } from './estimators';
import { fitWhereWarning } from './fitted-rows';
import { mixedList, type MixedColumn } from './logging-columns';
import { NO_CONTEXT_STATE } from './simulator';
import { deterministicTarget, empiricalTarget, uniformTarget, type TargetPolicy } from './targets';
import type { Interval } from '../stats/rliable';

/** A target as the user names it. */
export type TargetSpec =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'action'; readonly action: string }
  /** The policy of the rows with these values (its action frequencies per context). */
  | { readonly kind: 'logs'; readonly where: Readonly<Record<string, string>> }
  /** An aisle.policy/v1 policy; `positions`: contexts are slate positions 1, 2, … (context-free policies only). */
  | {
      readonly kind: 'policy';
      readonly policy: PolicyFile;
      /** Where it came from, for messages and the spec (a file path; "stored policy #3"). */
      readonly label: string;
      /** What the report calls it (default: "the policy in <label>"). */
      readonly name?: string;
      readonly positions?: boolean;
    };

export interface TargetResult {
  /** The target as given (`uniform`, `action:14`, `logs:policy=bts`, the policy's label). */
  readonly spec: string;
  /** What the target is, in words. */
  readonly name: string;
  readonly estimates: Readonly<Record<OpeEstimator, Interval>>;
  /** The bootstrap resamples SNIPS's interval rests on (OffPolicyReport's): fewer than drawn where some drew no row whose action the target takes. */
  readonly snipsResamples: number;
  readonly diagnostics: OffPolicyDiagnostics;
  readonly warnings: readonly string[];
  /** For a `logs` target: that policy's own mean reward on its rows, and how many rows. */
  readonly truth?: Interval & { readonly rows: number };
}

export interface OffPolicyRun {
  readonly rows: number;
  readonly actions: number;
  readonly contexts: number;
  /** The logging policy's own value: the logs' mean reward. */
  readonly logged: Interval;
  readonly targets: readonly TargetResult[];
}

export function targetSpecText(spec: TargetSpec): string {
  switch (spec.kind) {
    case 'uniform':
      return 'uniform';
    case 'action':
      return `action:${spec.action}`;
    case 'logs':
      return `logs:${whereArgument(spec.where)}`;
    case 'policy':
      return spec.label;
  }
}

/**
 * How far an evaluation's bootstrap has gone, over all its targets: every target's estimates take
 * `resamples`, and a `logs` target's truth as many again (its own rows resampled), so `total` is
 * resamples × (targets + `logs` targets). `target` (from 0) is the one being resampled.
 */
export interface OpeProgress {
  readonly done: number;
  readonly total: number;
  readonly target: number;
  readonly targets: number;
}

/**
 * Told the progress, every 1/1000 of a target's resamples and at its end (a caller drawing it
 * throttles). A promise it returns is awaited before the bootstrap goes on (the CLI lets a Ctrl-C
 * in there), and what it throws stops the evaluation. The results are the same with it or without.
 */
export type OpeProgressListener = (progress: OpeProgress) => void | Promise<void>;

/** The estimators' options, and the filter that kept the rows evaluated (a policy fitted to other rows' campaign is warned of: see fitWhereWarning). */
export interface EvaluateTargetsOptions extends OffPolicyOptions {
  readonly where?: Readonly<Record<string, string>>;
  readonly onProgress?: OpeProgressListener;
}

/** Drives offPolicySteps, telling `tell` each step's resamples (awaited when it returns a promise). */
async function stepped(steps: Generator<number, OffPolicyReport, undefined>, tell?: (done: number) => void | Promise<void>): Promise<OffPolicyReport> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const told = tell?.(step.value);
    if (told !== undefined) await told;
  }
}

/**
 * Evaluates every target on the logs. `slice(where)` returns the rows of the same logs with those
 * values (for `logs` targets), which are never weighted: they need no propensity (read them with
 * parseTargetRowLines), only the rows evaluated (`data`) do. Throws a ValidationError for a target
 * these logs cannot evaluate.
 */
export async function evaluateTargets(
  data: LoggedBandit,
  specs: readonly TargetSpec[],
  slice: (where: Readonly<Record<string, string>>) => Promise<LoggedRows & { readonly mixed?: readonly MixedColumn[] }>,
  { where = {}, onProgress, ...options }: EvaluateTargetsOptions = {},
): Promise<OffPolicyRun> {
  if (specs.length === 0) throw new ValidationError(['targets: give at least one policy to evaluate (uniform, an action, the policy of other rows, or a policy file)']);
  const targets: TargetResult[] = [];
  let logged: Interval | undefined;
  const resamples = options.resamples ?? 1000;
  const total = resamples * (specs.length + specs.filter((s) => s.kind === 'logs').length);
  let before = 0; // the resamples of the phases finished
  const phase = (target: number) => (onProgress ? (done: number) => onProgress({ done: before + done, total, target, targets: specs.length }) : undefined);
  for (const [t, spec] of specs.entries()) {
    let target: TargetPolicy;
    let truth: TargetResult['truth'];
    // What a `logs` target's rows lack: one of a column's values (they mix them), and contexts the rows evaluated have; each its own fix.
    const blended: string[] = [];
    if (spec.kind === 'uniform') target = uniformTarget(data);
    else if (spec.kind === 'action') {
      if (spec.action === '') throw new ValidationError(['target action: needs the action label, e.g. action:14']);
      // A label the logs never show (a typo, most likely) would be estimated at a confident 0.
      if (!data.actionLabels.includes(spec.action)) throw new ValidationError([`target action:${listedName(spec.action)}: ${show(spec.action)} never appears in the logs' actions (${firstFive(data.actionLabels)}): give one of them`]);
      // The label is the logs' own (the app's picker offers them): listed as a message lists a file's names.
      target = deterministicTarget(data, new Map([['*', spec.action]]), `always action ${listedName(spec.action)}`);
    } else if (spec.kind === 'logs') {
      if (Object.keys(spec.where).length === 0) throw new ValidationError(['target logs: needs the rows of the target policy, e.g. logs:policy=bts']);
      const source = await slice(spec.where);
      target = empiricalTarget(data, source, `the policy of the rows with ${describeWhere(spec.where)} (its action frequencies per context)`);
      // The source's own mean reward and its interval: the logged value of any evaluation of it
      // (whose bootstrap resamples groups of identical rows: fast on a million rows). Rows without
      // propensities take 1s, which the logged value does not use (they only group the rows).
      const weighed: LoggedBandit = { ...source, propensity: source.propensity ?? new Float64Array(source.reward.length).fill(1) };
      truth = { rows: source.reward.length, ...(await stepped(offPolicySteps(weighed, uniformTarget(weighed), options), phase(t))).logged };
      before += resamples;
      if (source.mixed !== undefined && source.mixed.length > 0) blended.push(mixedSourceWarning(spec.where, source.mixed, where));
      const unseen = unseenContextsWarning(data, source, spec.where);
      if (unseen !== undefined) blended.push(unseen);
    } else {
      const unmatched = policyActionsProblem(spec.policy.actions, data.actionLabels);
      if (unmatched !== undefined) throw new ValidationError([`${spec.label}: ${unmatched}`]);
      target = policyTarget(spec.policy, spec.label, data, spec.positions === true, spec.name);
    }
    const report = await stepped(offPolicySteps(data, target, options), phase(t));
    before += resamples;
    logged ??= report.logged;
    const fit = spec.kind === 'policy' ? spec.policy.provenance.fittedTo : undefined;
    const elsewhere = fit !== undefined ? fitWhereWarning(fit, where) : undefined;
    const testbed = spec.kind === 'policy' ? testbedPolicyWarning(spec.policy) : undefined;
    const untrained = spec.kind === 'policy' ? untrainedPolicyWarning(spec.policy, spec.label, data, spec.positions === true) : undefined;
    const warnings = [
      ...blended,
      ...(elsewhere !== undefined ? [elsewhere] : []),
      ...(testbed !== undefined ? [testbed] : []),
      ...(untrained !== undefined ? [untrained] : []),
      ...report.warnings,
    ];
    targets.push({ spec: targetSpecText(spec), name: report.target, estimates: report.estimates, snipsResamples: report.snipsResamples, diagnostics: report.diagnostics, warnings, ...(truth ? { truth } : {}) });
  }
  return { rows: data.action.length, actions: data.actionLabels.length, contexts: data.contextLabels.length, logged: logged!, targets };
}

/**
 * A policy learned on the k-armed bandit testbed: its arms are synthetic (their values drawn from
 * the run's seed), so logs whose actions share its labels ("0" … "9", as Open Bandit's items do)
 * take it without complaint, and its estimate is that of an arbitrary choice among their actions.
 * Undefined for any other environment's policy (a simulator's, a shop's: learned on items).
 */
function testbedPolicyWarning(policy: PolicyFile): string | undefined {
  if (policy.env.id !== 'bandit-testbed') return undefined;
  const arms = typeof policy.env.params.arms === 'number' ? `${thousands(policy.env.params.arms)}-armed ` : '';
  return (
    `the policy was learned on the ${arms}bandit testbed, whose arms are synthetic (their rewards drawn from its seed), not on these logs: ` +
    `its actions (${firstFive(policy.actions)}) are the logs' by their labels only, so the estimate is that of an arbitrary choice among the logs' actions. ` +
    'Evaluate a policy learned on these logs instead (one trained on a simulator fitted to them: aisle logs mdp, or Train on these logs in the app).'
  );
}

/**
 * A policy that learned nothing where it is evaluated: a tabular policy's states for the contexts
 * evaluated that training never updated (its file's `updated`, else its Q-table's rows, as the
 * runtime's trained() reads them), or a context-free policy whose values are all one. It serves its
 * first action there, a tie-break, and the estimates are that action's (a Q-learning run on rare
 * clicks that saw none: IPS 0.0509 on Open Bandit's held-out rows, 7 times the logs' mean), which
 * the export said and the evaluation did not. Undefined when it learned in every context evaluated,
 * and for an mlp policy (a network answers every state from what it learned).
 */
function untrainedPolicyWarning(policy: PolicyFile, label: string, data: LoggedBandit, positions: boolean): string | undefined {
  const tieBreak = "so it serves its first action, a tie-break, and the estimates are that action's";
  if (policy.kind === 'context-free') {
    if (updated(policy.values)) return undefined;
    // With positions, its k-th best at position k: the actions in the file's order, every one a tie-break.
    const served = positions ? "so its ranking is a tie-break (its actions in the file's order), and the estimates are those of that order" : tieBreak;
    return `${label}: every action holds one value (training never updated it, or no action came out ahead), ${served}, not a choice it learned`;
  }
  if (policy.kind !== 'tabular') return undefined;
  // The rows per context: the labels may hold contexts only rows not evaluated show (a holdout's fitted rows).
  const rowsIn = new Float64Array(data.contextLabels.length);
  for (let i = 0; i < data.context.length; i++) rowsIn[data.context[i]!]!++;
  // Looked up as perStateTarget serves them (which has checked that every context is a state).
  const states = new Map(policy.states.map((s, i) => [s, i]));
  const noContext = states.get(NO_CONTEXT_STATE);
  if (noContext !== undefined && !states.has('')) states.set('', noContext);
  let evaluated = 0;
  let rows = 0;
  const never: string[] = [];
  data.contextLabels.forEach((context, x) => {
    const s = states.get(context);
    if (rowsIn[x] === 0 || s === undefined) return;
    evaluated++;
    if (policy.updated?.[s] ?? stateUpdated(policy.q[s]!)) return;
    never.push(context === '' ? NO_CONTEXT_STATE : show(context));
    rows += rowsIn[x]!;
  });
  if (never.length === 0) return undefined;
  const all = never.length === evaluated;
  const which = all ? `any of the ${plural(evaluated, 'context')} evaluated` : `${thousands(never.length)} of the ${plural(evaluated, 'context', thousands(evaluated))} evaluated`;
  const names = `${never.slice(0, 5).join(', ')}${never.length > 5 ? `, … (${thousands(never.length)} in all)` : ''}`;
  return (
    `${label}: training never updated its states for ${which} (${names}; ${decimal((100 * rows) / data.context.length, 1)} % of the rows): ` +
    `every action there holds one value (never reached in training, or no action came out ahead), ${tieBreak}${all ? '' : ' there'}, not a choice it learned`
  );
}

/**
 * A `logs` target whose rows lack contexts the rows evaluated have: there empiricalTarget lends it
 * its frequencies over all its rows, a guess, while what it really got is measured on its own
 * contexts only, so the estimates and the truth beside them cover different traffic. Undefined
 * when its rows show every context evaluated.
 */
function unseenContextsWarning(data: LoggedBandit, source: LoggedRows, sourceWhere: Readonly<Record<string, string>>): string | undefined {
  // The labels of the contexts its rows show, marked by id: a label per row was an array as long as the rows (8 bytes each on the heap).
  const shown = new Uint8Array(source.contextLabels.length);
  for (let i = 0; i < source.context.length; i++) shown[source.context[i]!] = 1;
  const seen = new Set(source.contextLabels.filter((_, x) => shown[x] === 1));
  const unseen = new Set<string>();
  let rowsUnseen = 0;
  for (let i = 0; i < data.context.length; i++) {
    const label = data.contextLabels[data.context[i]!]!;
    if (seen.has(label)) continue;
    unseen.add(label);
    rowsUnseen++;
  }
  if (rowsUnseen === 0) return undefined;
  const share = `${decimal((100 * rowsUnseen) / data.context.length, 1)} %`;
  const contexts = unseen.size === 1 ? `context ${show([...unseen][0])}` : `${thousands(unseen.size)} contexts (${firstFive([...unseen])})`;
  return (
    `the target's rows (${describeWhere(sourceWhere)}) never show ${contexts}, which ${share} of the rows evaluated have: there it is taken to choose as over all its rows, a guess, ` +
    `and what it really got is measured on its own contexts only, so the estimates and that truth cover different traffic: evaluate on the contexts its rows show (--where)`
  );
}

/**
 * A `logs` target whose rows still mix the values of a column that says which policy logged a row
 * or where (mixedColumns): its action frequencies, and what it really got, blend experiments (Open
 * Bandit's `logs:policy=bts` takes the men's and the women's rows, whose items share labels), so
 * the truth beside the estimates is not the policy's on the rows evaluated. The fix names the
 * value the rows evaluated have, where their filter has one.
 */
function mixedSourceWarning(sourceWhere: Readonly<Record<string, string>>, mixed: readonly MixedColumn[], where: Readonly<Record<string, string>>): string {
  const pinned = Object.fromEntries(mixed.flatMap((m) => (where[m.name] !== undefined ? [[m.name, where[m.name]!] as const] : [])));
  const fix = Object.keys(pinned).length > 0 ? `: add ${describeWhere(pinned)} to them, as the rows evaluated have` : ': keep one value of each in them';
  return (
    `the target's rows (${describeWhere(sourceWhere)}) mix ${mixedList(mixed)}: rows of different values are different experiments, with their own actions (the same label may name another item), ` +
    `so its action frequencies and what it really got blend them${fix}`
  );
}

/**
 * Why a policy with these actions cannot be a target on logs with those (none of its actions is one
 * of theirs: every row would weigh 0), or undefined. logs.evaluate refuses such a target with it, and
 * the Off-policy screen marks such a stored policy with it before the evaluation is asked for.
 */
export function policyActionsProblem(policyActions: readonly string[], logActions: readonly string[]): string | undefined {
  const logged = new Set(logActions);
  if (policyActions.some((a) => logged.has(a))) return undefined;
  return `none of the policy's actions (${firstFive(policyActions)}) appears in the logs' actions (${firstFive(logActions)}): evaluate a policy learned over these actions, or choose the action column that holds them`;
}

/**
 * An aisle.policy/v1 policy as a target over the logs' labels: a context-free policy serves its
 * greedy action everywhere, or with `positions` its k-th best action at position k; a tabular
 * policy whose states are the logs' contexts serves its greedy action per context (one trained on
 * a simulator of logs without a context serves its NO_CONTEXT_STATE's action), and so does an mlp
 * policy on one-hot states (DQN or PPO trained on such a simulator), its action the network's
 * argmax. An mlp policy on feature vectors cannot: logs with a discrete context carry none.
 */
export function policyTarget(policy: PolicyFile, label: string, data: LoggedBandit, positions: boolean, name = `the policy in ${label}`): TargetPolicy {
  if (policy.kind === 'context-free') {
    if (!positions) return deterministicTarget(data, new Map([['*', policy.actions[policy.greedy]!]]), `${name} (always ${policy.actions[policy.greedy]})`);
    // Its best first, as served everywhere without positions: among tied values the file's greedy may be any of them.
    const ranking = servedRanking(policy);
    // Logs read without a context have the one context "": there is no column of positions to name.
    if (data.contextLabels.length === 1 && data.contextLabels[0] === '') {
      throw new ValidationError([
        'positions: the logs were read without a context, and the contexts must be the slate positions 1, 2, …: read them with the column that holds the positions as the context (--context-column; on the Off-policy screen, context)',
      ]);
    }
    const choice = new Map<string, string>();
    // Each with its fix: they said what was wrong and left what to do to the user.
    const everywhere = 'or leave positions out (--positions; on the Off-policy screen, "k-th best at position k") to serve its best action everywhere';
    for (const context of data.contextLabels) {
      const k = Number(context);
      if (!/^\d+$/.test(context) || k < 1) {
        throw new ValidationError([
          `positions: context ${show(context)} is not a position 1, 2, …: the context column must hold slate positions: read the logs with the column that holds them as the context (--context-column; on the Off-policy screen, context), ${everywhere}`,
        ]);
      }
      if (k > ranking.length) {
        throw new ValidationError([`positions: the logs have position ${k}, but ${label} ranks only ${plural(ranking.length, 'action')}: keep only the rows of positions 1 to ${ranking.length} (a copy of the logs without the others), ${everywhere}`]);
      }
      choice.set(context, policy.actions[ranking[k - 1]!]!);
    }
    return deterministicTarget(data, choice, `${name} (its k-th best action at position k)`);
  }
  if (positions) throw new ValidationError([`positions: only a context-free policy ranks its actions for slate positions; ${label} is a ${policy.kind} policy`]);
  // A tabular policy, or a network on one-hot states (DQN or PPO trained on a simulator fitted to
  // logs): both answer per state label, the network by the argmax of its outputs, as served.
  if (policy.kind === 'tabular') return perStateTarget(policy.states, (s) => policy.greedy[s]!, policy.actions, label, data, name);
  if (policy.network.encoding.kind === 'one-hot' && policy.states !== undefined) {
    const served = loadPolicy(policy);
    // By label: an index could read as another state where labels are numbers (positions "1", "2", "3").
    const states = policy.states;
    return perStateTarget(states, (s) => served.act(states[s]!), policy.actions, label, data, name);
  }
  throw new ValidationError([`${label}: an mlp policy acts on feature vectors, which these logs do not carry: evaluate a context-free or tabular policy, a network trained on discrete states (such as a simulator fitted to logs), uniform, an action, or the policy of other rows`]);
}

/** A deterministic target serving, in each of the logs' contexts, the action `actionOf` gives the policy state of the same label. */
function perStateTarget(
  stateLabels: readonly string[], actionOf: (state: number) => number, actions: readonly string[], label: string, data: LoggedBandit, name: string,
): TargetPolicy {
  const states = new Map(stateLabels.map((s, i) => [s, i]));
  // Logs without a context column have the one context "", which a simulator fitted to them names NO_CONTEXT_STATE.
  const noContext = states.get(NO_CONTEXT_STATE);
  if (noContext !== undefined && !states.has('')) states.set('', noContext);
  const missing = data.contextLabels.filter((c) => !states.has(c));
  if (missing.length > 0) {
    const few = (xs: readonly string[], f: (x: string) => string) => `${xs.slice(0, 5).map(f).join(', ')}${xs.length > 5 ? ', …' : ''}`;
    // Learned on a simulator of logs read without a context: no column holds its one state, so "choose the context column" would send the user looking for one.
    if (noContext !== undefined && !stateLabels.includes('')) {
      throw new ValidationError([
        `${label}: was learned on a simulator of logs read without a context (its one state is ${NO_CONTEXT_STATE}), and these logs have the contexts ${few(missing, show)}: read them without a context too (--context-column none; on the Off-policy screen, context: none)`,
      ]);
    }
    // Logs read without a context (their one context "", as positions says above): 'the logs' contexts "" are
    // not states of the policy' named a context the logs do not have.
    if (data.contextLabels.length === 1 && data.contextLabels[0] === '') {
      throw new ValidationError([
        `${label}: the logs were read without a context, and the policy acts per state (its states: ${few(stateLabels, listedName)}): read them with the column that holds its states as the context (--context-column; on the Off-policy screen, context)`,
      ]);
    }
    throw new ValidationError([`${label}: the logs' contexts ${few(missing, show)} are not states of the policy (its states: ${few(stateLabels, listedName)}): choose the context column that holds its states`]);
  }
  return deterministicTarget(data, new Map(data.contextLabels.map((c) => [c, actions[actionOf(states.get(c)!)]!])), name);
}
