/** `aisle export <runId> -o policy.json` and `aisle eval <policy.json> --env <experiment.json>`. */
import { resolve } from 'node:path';
import { constants } from 'node:buffer';
import { assertPolicyParams, editedSettingsWarning, evaluatePolicyFile, namesMdpOnly, policyEnvironment, sameMdpExperiment, storedPolicyEnvironment, type StoredEnvironment } from '../main/policies';
import { exportFile, exportRunPolicy } from '../main/policy-export';
import type { Store } from '../main/store';
import { inFile, loadExperimentFile, readJsonFile } from '../main/files';
import { checkpointNote, neverUpdatedNote, parsePolicy, type ContextFreePolicyFile, type MlpPolicyFile, type PolicyFile, servedRanking } from '../engine/policy/format';
import { closeness, gapText } from '../shared/gap-text';
import { EVALUATION_DIGITS, evaluationFigures, meanAndInterval } from '../shared/figures';
import { gammaSourceText, mebi, mebiPast, scoreText, tableSizeText } from '../shared/text';
import { databaseInput, fmt, openStore, plural, printJson, reportLines, UsageError, warn, wrapped, type GlobalOptions } from './context';
import { writeOutput } from './output-files';
import { StoredConfigs } from './stored-config';
import { MAX_FILE_CHARS } from '../shared/contract';
import { listedName, show, ValidationError } from '../engine/params';

export interface ExportOptions extends GlobalOptions {
  output: string;
  name?: string;
}

export function exportCommand(runId: number, opts: ExportOptions): number {
  const store = openStore(opts, { reads: true }); // a policy row is written only for a run that exists
  try {
    const run = store.getRun(runId); // read once: an inline MDP makes its config tens of MB
    new StoredConfigs(store).run(run);
    const { policy, neverUpdated } = exportRunPolicy(store, runId, opts.name, run);
    // Exported before (here or in the app): the stored file is written again, not stored twice.
    const file = exportFile(store, runId, policy, policy.name);
    // Stored and written as one: a refused path stores nothing, and a database that refuses the
    // row (read-only, its disk full) leaves no file behind its error.
    const [id, path] = store.transaction(() => {
      const { id, text } = file.store(); // another process's row of this export, if one stored it meanwhile
      return [id, writeOutput('-o', opts.output, text, [databaseInput(opts)], 'policy')] as const;
    });
    const A = policy.actions.length;
    // A running or stopped run's policy is a checkpoint before its end: say so (with --json, in the object too).
    // A file past what import takes (a Q-table of millions of values) still evaluates and serves: said, so its size is no surprise later.
    const big = file.text.length > MAX_FILE_CHARS ? `${path} holds ${mebiPast(file.text.length, MAX_FILE_CHARS)} Mi characters, above the ${mebi(MAX_FILE_CHARS)} Mi \`aisle policies import\` and the app's Import take: \`aisle eval\` and the policy runtime read it` : undefined;
    const notes = [checkpointNote(policy.provenance), big].filter((n) => n !== undefined);
    if (!opts.json) for (const n of notes) warn(n);
    const noted = notes.length > 0 ? { warnings: notes } : {};
    if (policy.kind === 'tabular') {
      // States training never updated are served their first action, a tie-break: said once there are any.
      const untrained = neverUpdated !== undefined ? neverUpdatedNote(neverUpdated) : undefined;
      const counted = untrained !== undefined ? { neverUpdated } : {};
      if (opts.json) printJson({ policyId: id, runId, path, kind: policy.kind, states: policy.states.length, actions: A, ...counted, ...noted });
      // The path given escaped (reportLines), as every "wrote" line has it.
      else reportLines([`wrote ${path}: ${tableSizeText(policy.states.length, A)} from run ${runId}`, ...(untrained !== undefined ? [untrained] : [])]);
    } else if (policy.kind === 'context-free') {
      const top = servedRanking(policy, 3).map((a) => ({ action: a, label: policy.actions[a]!, value: policy.values[a]! }));
      if (opts.json) printJson({ policyId: id, runId, path, kind: policy.kind, actions: A, greedy: policy.greedy, top, ...noted });
      else reportLines([`wrote ${path}: a context-free policy over ${plural(A, 'action')} from run ${runId}, the same ranking in every state: ${rankingText(policy)}`]);
    } else {
      const { layers, output } = policy.network;
      if (opts.json) printJson({ policyId: id, runId, path, kind: policy.kind, inputs: layers[0]!.in, actions: A, output, ...noted });
      else reportLines([`wrote ${path}: an mlp policy (${networkText(policy)}) over ${plural(A, 'action')} from run ${runId}`]);
    }
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Runs `check`, each problem it refuses with that begins with one of `files`' keys (`policy: …`,
 * `env: …`) said with that file's name first: `aisle: cliff-policy.json: policy: has 48 states …`.
 */
function namedFiles<T>(files: Partial<Record<'policy' | 'env', string>>, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.problems.map((p) => {
      const key = (Object.keys(files) as ('policy' | 'env')[]).find((k) => p.startsWith(`${k}:`) || p.startsWith(`${k}.`));
      return key !== undefined ? `${files[key]}: ${p}` : p;
    }));
  }
}

/**
 * The environment of the policy's run or experiment in the database, when it is stored there
 * unchanged (storedPolicyEnvironment); else, for an MDP its file names by hash only, the newest
 * other experiment there on that MDP (sameMdpExperiment, as the app's Evaluate takes it), `other`.
 */
function storedEnvironment(policy: PolicyFile, opts: GlobalOptions): (StoredEnvironment & { other?: true }) | undefined {
  // A database named (--db, AISLE_DB) that is missing or is no database is a mistake to say, not
  // a database without the run: a typo would otherwise read as "its run is not in the database".
  const named = opts.db !== undefined || Boolean(process.env.AISLE_DB);
  // Looked for, not made: openStore makes no database for a command that reads, the default one included.
  let store: Store;
  try {
    store = openStore(opts, { reads: true });
  } catch (e) {
    if (e instanceof UsageError && !named) return undefined; // no database there: the file's own settings are all there is
    throw e;
  }
  try {
    const own = storedPolicyEnvironment(store, policy);
    if (own !== undefined) return own;
    // Another experiment on its MDP, with the γ the policy was trained with (see sameMdpExperiment).
    const other = sameMdpExperiment(store, policy);
    return other === undefined ? undefined : { ...other, other: true };
  } finally {
    store.close();
  }
}

/** A context-free policy's best actions with their values, "a (0.3), b (0.2), c (0.1), …" (the ellipsis when there are more), the one it serves first. */
export function rankingText(policy: ContextFreePolicyFile, top = 3): string {
  const best = servedRanking(policy, top);
  const more = policy.actions.length > best.length ? ', …' : '';
  return `${best.map((a) => `${listedName(policy.actions[a]!)} (${fmt(policy.values[a]!)})`).join(', ')}${more}`;
}

/**
 * A policy file's provenance texts as `aisle eval` and `aisle policies show` print them: who trained
 * it (" of \"<experiment>\"", the agent) and when it was exported by which Aisle. They are the file's
 * own: the format refuses control characters in the agent and the experiment's name but not in
 * createdAt or appVersion, and limits none in length, so each is listed as a message lists a file's
 * names (listedName, show: control characters escaped, cut after 60 characters), where an ESC
 * sequence in createdAt reached the terminal raw and a name of thousands of characters was printed whole.
 */
export function provenanceTexts(p: PolicyFile['provenance']): { experiment: string; agent: string; exported: string } {
  return {
    experiment: p.experimentName !== undefined ? ` of ${show(p.experimentName)}` : '',
    agent: listedName(p.agent),
    exported: `${listedName(p.createdAt)} by Aisle ${listedName(p.appVersion)}`,
  };
}

/** Who trained a policy, as `aisle eval` and `aisle policies show` say it: "q-learning, seed 3, 5,000 episodes, gamma 0.9". */
export function trainedByText(p: PolicyFile['provenance']): string {
  return `${provenanceTexts(p).agent}, seed ${p.seed}, ${plural(p.episodes, 'episode', fmt(p.episodes))}${p.gamma !== undefined ? `, gamma ${p.gamma}` : ''}`;
}

/** What a context-free policy serves, for `aisle eval`: its greedy action's label, listed as a file's name. */
export function servesText(policy: ContextFreePolicyFile): string {
  return `a context-free policy: it serves ${listedName(policy.actions[policy.greedy]!)} in every state`;
}

/** An mlp policy's network: its layers' widths, input and output, "4→64→64→2, vector(4) input, q output". */
export function networkText(policy: MlpPolicyFile): string {
  const { layers, encoding, output } = policy.network;
  const widths = [layers[0]!.in, ...layers.map((l) => l.out)].join('→');
  const input = encoding.kind === 'one-hot' ? `one-hot(${encoding.n})` : `vector(${encoding.size})`;
  return `${widths}, ${input} input, ${output} output`;
}

/** The Monte-Carlo episodes' discounted mean, worded to be set beside the exact line's expected return (which uses the same γ). */
function discountedLine(d: { gamma: number; meanReturn: number; ci95: readonly [number, number] }): string {
  const [mean, lo, hi] = meanAndInterval(d.meanReturn, d.ci95[0], d.ci95[1], EVALUATION_DIGITS);
  return `  discounted by gamma ${d.gamma}, as the exact value below: mean ${mean} (95% CI ${lo} … ${hi})`;
}

export interface EvalOptions extends GlobalOptions {
  env?: string;
  episodes: number;
  seed: number;
  gamma?: number;
}

/**
 * The largest policy file `aisle eval` and `aisle ope --target` read: what a string can hold, the
 * runtime's own bound. A network at the format's 2²⁴ weights exports as some 400 MB (each float32
 * written out in full), which the 256 MB every other JSON file is read to refused with "give a
 * smaller file".
 */
export const MAX_POLICY_FILE_BYTES = constants.MAX_STRING_LENGTH;

export function evalCommand(file: string, opts: EvalOptions): number {
  const raw = readJsonFile(file, file, MAX_POLICY_FILE_BYTES);
  const policy = inFile(file, () => parsePolicy(raw));
  assertPolicyParams(policy, file); // as import checks them, whichever environment serves below
  // A tabular-mdp policy's file names its MDP by hash only: the database it was exported from has it.
  // (A shop's file holds all its settings: no database is looked in for it, unless they were edited
  // after export, when its hash names the environment it was trained on and its run here has that.)
  const edited = editedSettingsWarning(policy) !== undefined;
  const stored = opts.env === undefined && (namesMdpOnly(policy) || edited) ? storedEnvironment(policy, opts) : undefined;
  // Read for its environment (and γ), not launched: a file written before a newer rule still serves.
  const experiment =
    opts.env !== undefined
      ? loadExperimentFile(opts.env, [], {}, true)
      : (stored?.experiment ??
        policyEnvironment(
          policy,
          '--env',
          file,
          namesMdpOnly(policy) ? `, and neither its run ${policy.provenance.runId} nor any experiment in the database (--db) is on that MDP` : `, and its run ${policy.provenance.runId} is not in the database (--db) as it was trained`,
        ));
  // A misfit names its file first, as a field's problem does: the policy's, or the --env experiment's.
  const result = namedFiles({ policy: file, ...(opts.env !== undefined ? { env: opts.env } : {}) }, () =>
    evaluatePolicyFile(policy, experiment, { episodes: opts.episodes, seed: opts.seed, ...(opts.gamma !== undefined ? { gamma: opts.gamma } : {}), ...(opts.env === undefined ? { trained: true } : {}) }),
  );
  const note = checkpointNote(policy.provenance);
  const warnings = note !== undefined ? [...result.warnings, note] : result.warnings;
  const p = policy.provenance;
  if (opts.json) {
    const exact = result.exact ? { exact: { ...result.exact, closeness: closeness(result.exact) } } : {};
    printJson({ policy: resolve(file), provenance: p, ...result, ...exact, warnings });
    return 0;
  }
  for (const w of warnings) warn(w);
  const mc = result.monteCarlo;
  const [meanText, loText, hiText] = meanAndInterval(mc.meanReturn, mc.ci95[0], mc.ci95[1], EVALUATION_DIGITS);
  const figures = evaluationFigures(mc); // as the app's evaluate panel writes them
  const texts = provenanceTexts(p);
  const trainedBy = trainedByText(p);
  // Each sentence wrapped to the terminal, as `aisle solve` and `aisle compare` print theirs.
  const out = [
    `policy ${file} on ${result.env} (${opts.env ?? (stored?.other ? `the MDP it was trained on, read from ${stored.source} in the database: its run ${p.runId}${p.experimentId !== undefined ? ` and experiment ${p.experimentId} are` : ' is'} not there` : stored ? `the environment it was trained on, read from ${stored.source} in the database` : edited ? 'the settings in its file, edited after export' : 'the environment it was trained on')})`,
    // A run brought in by `results import` has another id here than its file names (`aisle policies show` says both too). It is
    // found by its config and seed, which a run trained again from the same file in another database shares: said as such, not as the same run.
    `from run ${p.runId}${texts.experiment}${stored?.runId !== undefined ? ` where it was exported (here run ${stored.runId}, of the same config and seed)` : ''} (${trainedBy}), exported ${texts.exported}`,
    ...(policy.kind === 'context-free' ? [servesText(policy)] : []),
    `Monte-Carlo, ${plural(mc.episodes, 'episode', fmt(mc.episodes))}, seed ${mc.seed}: mean undiscounted return ${meanText} (95% CI ${loText} … ${hiText}), mean length ${figures.meanLength}`,
    ...(mc.discounted ? [discountedLine(mc.discounted)] : []),
  ].map((line) => wrapped('', line));
  for (const [k, v] of figures.metrics) out.push(`  ${k}: ${v}`);
  if (result.exact) {
    const x = result.exact;
    out.push(wrapped('', `exact (gamma ${x.gamma}, ${gammaSourceText(x.gammaFrom)}; horizon ${x.horizon}): expected return ${fmt(x.expectedReturn)}, optimal ${fmt(x.optimalReturn)}, random ${fmt(x.randomReturn)}, gap ${fmt(x.optimalityGap)}, normalised score ${scoreText(x.normalizedScore, 4)}`));
    out.push(wrapped('', gapText(x, 4, x.normalizedScore)));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
