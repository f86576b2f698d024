/**
 * `aisle ope <logs.csv>`: off-policy evaluation. How would another policy have done on the traffic
 * these logs record? The logs (one impression per row, with the logging policy's propensity) are
 * read by logged-data.ts; each `--target` is a policy over the same actions; the engine's
 * estimators (src/engine/ope) give IPS, SNIPS, DM and DR with bootstrap intervals and the
 * diagnostics that say whether to trust them. A target that is another logging policy in the same
 * file (`logs:policy=bts`) also gets what it really achieved there, so the estimators can be
 * checked against the truth — the Open Bandit Dataset's own validation.
 */
import { resolve } from 'node:path';
import { bootstrapMeanCI } from '../engine/stats';
import { deterministicTarget, empiricalTarget, evaluateOffPolicy, uniformTarget, type LoggedBandit, type OffPolicyReport, type TargetPolicy } from '../engine/ope';
import { actionRanking, parsePolicy } from '../engine/policy/format';
import { ValidationError } from '../engine/params';
import { readJsonFile } from '../main/files';
import { fmt, plural, printJson, table, type GlobalOptions } from './context';
import { readLogs, type ReadLogs, type ReadLogsOptions } from './logged-data';

export interface OpeOptions extends GlobalOptions {
  where: string[];
  target: string[];
  actionColumn?: string;
  rewardColumn?: string;
  propensityColumn?: string;
  contextColumn?: string;
  positions?: boolean;
  resamples: number;
  confidence: number;
  seed: number;
  prior: number;
}

/** `col=value` pairs, from repeated options and commas within one. */
export function parseWhere(specs: readonly string[], option: string): Record<string, string> {
  const where: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const spec of specs) {
    for (const pair of spec.split(',')) {
      const eq = pair.indexOf('=');
      const column = pair.slice(0, eq).trim();
      if (eq < 0 || column === '') throw new ValidationError([`${option}: "${pair}" is not column=value (e.g. policy=random)`]);
      const value = pair.slice(eq + 1).trim();
      if (column in where && where[column] !== value) throw new ValidationError([`${option}: column "${column}" is given twice (${where[column]} and ${value}): a row has one value`]);
      where[column] = value;
    }
  }
  return where;
}

const describeWhere = (where: Record<string, string>) => Object.entries(where).map(([c, v]) => `${c}=${v}`).join(', ');

interface TargetResult {
  readonly spec: string;
  readonly report: OffPolicyReport;
  /** For a target read from logs: what that policy really got there (its mean reward), and on how many rows. */
  readonly truth?: { readonly rows: number; readonly point: number; readonly lo: number; readonly hi: number };
}

/** Builds a --target: uniform, action:<label>, logs:<col=value,…>, or a policy file. */
async function buildTarget(spec: string, data: ReadLogs, file: string, opts: OpeOptions, columns: ReadLogsOptions): Promise<{ target: TargetPolicy; source?: LoggedBandit }> {
  if (spec === 'uniform') return { target: uniformTarget(data) };
  if (spec.startsWith('action:')) {
    const action = spec.slice('action:'.length);
    if (action === '') throw new ValidationError(['--target: action: needs the action label, e.g. action:14']);
    return { target: deterministicTarget(data, new Map([['*', action]]), `always action ${action}`) };
  }
  if (spec.startsWith('logs:')) {
    const where = parseWhere([spec.slice('logs:'.length)], '--target logs:');
    if (Object.keys(where).length === 0) throw new ValidationError(['--target: logs: needs the rows of the target policy, e.g. logs:policy=bts']);
    const source = await readLogs(file, `${file} (--target ${spec})`, { ...columns, where });
    return { target: empiricalTarget(data, source, `the policy of the rows with ${describeWhere(where)} (its action frequencies per context)`), source };
  }
  return { target: policyTarget(spec, data, opts.positions === true) };
}

/**
 * An aisle.policy/v1 file as a target over the logs' labels: a context-free policy serves its
 * greedy action everywhere, or with --positions its k-th best action at position k; a tabular
 * policy whose states are the logs' contexts serves its greedy action per context.
 */
function policyTarget(file: string, data: ReadLogs, positions: boolean): TargetPolicy {
  const policy = parsePolicy(readJsonFile(file, `--target ${file}`));
  const name = `the policy in ${file}`;
  if (policy.kind === 'context-free') {
    if (!positions) return deterministicTarget(data, new Map([['*', policy.actions[policy.greedy]!]]), `${name} (always ${policy.actions[policy.greedy]})`);
    const ranking = actionRanking(policy.values);
    const choice = new Map<string, string>();
    for (const context of data.contextLabels) {
      const k = Number(context);
      if (!/^\d+$/.test(context) || k < 1) throw new ValidationError([`--positions: context ${JSON.stringify(context)} is not a position 1, 2, …: the context column must hold slate positions`]);
      if (k > ranking.length) throw new ValidationError([`--positions: the logs have position ${k}, but ${file} ranks only ${plural(ranking.length, 'action')}`]);
      choice.set(context, policy.actions[ranking[k - 1]!]!);
    }
    return deterministicTarget(data, choice, `${name} (its k-th best action at position k)`);
  }
  if (positions) throw new ValidationError([`--positions: only a context-free policy ranks its actions for slate positions; ${file} is a ${policy.kind} policy`]);
  if (policy.kind === 'tabular') {
    const states = new Map(policy.states.map((s, i) => [s, i]));
    const missing = data.contextLabels.filter((c) => !states.has(c));
    if (missing.length > 0) {
      throw new ValidationError([`--target ${file}: the logs' contexts ${missing.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')}${missing.length > 5 ? ', …' : ''} are not states of the policy (its states: ${policy.states.slice(0, 5).join(', ')}${policy.states.length > 5 ? ', …' : ''}): choose the context column that holds its states`]);
    }
    return deterministicTarget(data, new Map(data.contextLabels.map((c) => [c, policy.actions[policy.greedy[states.get(c)!]!]!])), name);
  }
  throw new ValidationError([`--target ${file}: an mlp policy acts on feature vectors, which these logs do not carry: evaluate a context-free or tabular policy, or a target written as uniform, action:<label> or logs:<column=value>`]);
}

export async function opeCommand(file: string, opts: OpeOptions): Promise<number> {
  if (opts.target.length === 0) throw new ValidationError(['--target: give at least one policy to evaluate (uniform, action:<label>, logs:<column=value>, or an aisle.policy/v1 file)']);
  const where = parseWhere(opts.where, '--where');
  const columns: ReadLogsOptions = {
    ...(opts.actionColumn !== undefined ? { action: opts.actionColumn } : {}),
    ...(opts.rewardColumn !== undefined ? { reward: opts.rewardColumn } : {}),
    ...(opts.propensityColumn !== undefined ? { propensity: opts.propensityColumn } : {}),
    ...(opts.contextColumn !== undefined ? { context: opts.contextColumn === 'none' ? null : opts.contextColumn } : {}),
  };
  const data = await readLogs(file, file, { ...columns, where });
  const estimatorOptions = { resamples: opts.resamples, confidence: opts.confidence, seed: opts.seed, priorStrength: opts.prior };
  const results: TargetResult[] = [];
  for (const spec of opts.target) {
    const { target, source } = await buildTarget(spec, data, file, opts, columns);
    const report = evaluateOffPolicy(data, target, estimatorOptions);
    let truth: TargetResult['truth'];
    if (source) {
      const ci = bootstrapMeanCI(source.reward, { seed: opts.seed, resamples: opts.resamples, confidence: opts.confidence });
      truth = { rows: source.reward.length, point: ci.mean, lo: ci.lo, hi: ci.hi };
    }
    results.push({ spec, report, ...(truth ? { truth } : {}) });
  }
  const first = results[0]!.report;
  if (opts.json) {
    printJson({
      logs: { file: resolve(file), where, rowsRead: data.rowsRead, rowsKept: data.rowsKept, columns: data.columns, actions: data.actionLabels.length, contexts: data.contextLabels.length },
      logged: first.logged,
      confidence: opts.confidence,
      resamples: opts.resamples,
      seed: opts.seed,
      priorStrength: opts.prior,
      targets: results.map(({ spec, report, truth }) => ({ spec, name: report.target, estimates: report.estimates, diagnostics: report.diagnostics, warnings: report.warnings, ...(truth ? { truth } : {}) })),
    });
    return 0;
  }
  const level = `${Math.round(opts.confidence * 1000) / 10}% CI`;
  const interval = (lo: number, hi: number) => `${fmt(lo)} … ${fmt(hi)}`;
  const kept = Object.keys(where).length > 0 ? ` with ${describeWhere(where)}` : '';
  const contextText = data.columns.context === null ? 'no context' : `${plural(data.contextLabels.length, 'context')} (column "${data.columns.context}")`;
  const out = [
    `logs ${file}: ${plural(data.rowsKept, 'row')}${kept} of ${data.rowsRead}; ${plural(data.actionLabels.length, 'action')} (column "${data.columns.action}"), ${contextText}`,
    `logging policy: mean ${data.columns.reward} ${fmt(first.logged.point)} (${level} ${interval(first.logged.lo, first.logged.hi)})`,
  ];
  for (const { report, truth } of results) {
    const d = report.diagnostics;
    out.push('', `target: ${report.target}`);
    if (truth) out.push(`  what it really got, on its own ${plural(truth.rows, 'row')}: ${fmt(truth.point)} (${level} ${interval(truth.lo, truth.hi)})`);
    const rows = (['ips', 'snips', 'dm', 'dr'] as const).map((k) => {
      const e = report.estimates[k];
      const cells = [k.toUpperCase(), fmt(e.point), fmt(e.lo), fmt(e.hi)];
      if (truth) cells.push(e.lo <= truth.point && truth.point <= e.hi ? 'yes' : 'no');
      return cells;
    });
    const header = ['estimator', 'value', `${level} low`, 'high', ...(truth ? ['covers the truth'] : [])];
    out.push(
      table(header, rows)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    out.push(`  weights: mean ${fmt(d.meanWeight, 3)}, largest ${fmt(d.maxWeight, 2)}, effective sample size ${Math.round(d.effectiveSampleSize)} of ${report.rows}; ${fmt(100 * d.unsupportedMass, 1)}% of the target's choices unseen in the logs`);
    for (const w of report.warnings) out.push(`  warning: ${w}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
