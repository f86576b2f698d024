/**
 * Policies: reading a policy file (its settings checked as this version reads them), finding the
 * environment it was trained on, and evaluating it on an environment (Monte-Carlo always; exactly,
 * too, when the environment is a tabular MDP). Exporting a run's policy: policy-export.ts.
 */
import { EXPERIMENT_FORMAT, parseExperiment, type Experiment, type ComponentConfig } from '../engine/experiment';
import { environments, findEnvironment } from '../engine/registry';
import type { Env, Observation } from '../engine/env';
import type { Mdp } from '../engine/mdp/format';
import { policyReport } from '../engine/mdp/solve';
import { rollout } from '../engine/evaluate';
import type { GammaSource, PolicyEvaluationResult } from '../shared/dto';
import { parsePolicy, type EnvFingerprint, type PolicyFile } from '../engine/policy/format';
import { loadPolicy } from '../engine/policy/runtime';
import { parseJsonText } from '../shared/json-text';
import { counted, fmt } from '../shared/text';
import { formatIssues, show, ValidationError } from '../engine/params';
import { settingChanges } from './config-paths';
import { envFingerprints } from './fingerprint';
import { configHash } from './hash';
import { APP_VERSION } from './version';
import { labelMismatch, labelRefusal, uncheckedWarning, type EnvSpaces } from './policy-labels';
// errors alone, not the store's index: the worker bundles this module, and must not bring in SQLite.
import { NotFoundError } from './store/errors';
import type { Store } from './store';

export function createEnv(config: ComponentConfig): Env<Observation> {
  const def = findEnvironment(config.id);
  if (!def) throw new ValidationError([`env.id: unknown environment "${config.id}"`]);
  const { id: _id, ...params } = config;
  return def.create(def.params.parse(params));
}

/**
 * Whether the policy's file names its environment's MDP by hash only: an environment that takes its
 * MDP as a parameter had it replaced by its hash, and a default would stand in silently. (An exact
 * shop's MDP, hashed too, is built from its parameters, which the file holds.)
 */
export function namesMdpOnly(policy: PolicyFile): boolean {
  return policy.env.mdpHash !== undefined && 'mdp' in (findEnvironment(policy.env.id)?.params.shape ?? {});
}

/**
 * The environment a policy was trained on, rebuilt from the parameters its file carries (which its
 * callers have checked with assertPolicyParams; a shop's are all there), for evaluating it where no experiment is
 * named. A tabular-mdp's MDP is carried only as its hash, so that one is refused: `field` is the
 * input that must then name an experiment (null: none the user typed, the app's), `name` what to call the policy in the message,
 * `notStored` where else the MDP was looked for (", and …").
 */
export function policyEnvironment(policy: PolicyFile, field: string | null, name: string, notStored = ''): Experiment {
  const { id, params, mdpHash } = policy.env;
  const at = field === null ? '' : `${field}: `;
  if (mdpHash !== undefined && namesMdpOnly(policy)) {
    throw new ValidationError([
      `${at}${name} was trained on an MDP (sha256 ${mdpHash.slice(0, 12)}…) that a policy file names but does not hold${notStored}: give the experiment whose environment to evaluate on`,
    ]);
  }
  try {
    return parseExperiment({ format: EXPERIMENT_FORMAT, name: 'evaluation', env: { ...params, id }, agent: { id: 'random' }, episodes: 1 });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError([`${at}the environment in ${name} does not build here (${e.problems.join('; ')}): give the experiment whose environment to evaluate on`]);
  }
}

/** How a policy file whose environment settings were edited is mended. */
const REEXPORT = ': export the policy again from its run';

/**
 * Settings edited out of range (or an MDP policy without its MDP's hash) refused, named as the
 * file's, as import names them, whichever environment the evaluation then takes: a stored run's
 * or `--env`'s would otherwise serve a file that import refuses. `name`: the policy, as the message
 * calls it.
 */
export function assertPolicyParams(policy: PolicyFile, name: string): void {
  const own = policyParamsProblems(policy);
  if (own.length > 0) throw new ValidationError(own.map((p) => `${name}: ${p}`));
}

/**
 * The policy file's environment settings checked as this version reads them, each problem named by
 * its place in the file (`policy.env.params.maxSteps: …`); an environment this version lacks is one.
 * Empty when they are valid. Each problem says its fix (export the policy again from its run), so
 * import and evaluation give it alike. (An MDP environment's params lack its MDP, replaced by
 * mdpHash: the schema's default stands in.)
 */
export function policyParamsProblems(policy: PolicyFile): string[] {
  const def = findEnvironment(policy.env.id);
  if (!def) {
    const known = environments.map((d) => d.id).join(', ');
    // Quoted as show() quotes any text, cut after 60 characters: an edited id of thousands made a line of thousands.
    return [`policy.env.id: unknown environment ${show(policy.env.id)}: Aisle's environments are ${known}; export the policy again from its run, or correct env.id`];
  }
  const schema = def.params.strict();
  const params = schema.safeParse(policy.env.params);
  if (!params.success) return formatIssues(params.error.issues, 'policy.env.params', schema).map((p) => p + REEXPORT);
  // The MDP itself is not in the file, only its hash: without that, the schema's default MDP would
  // stand in, and the policy be evaluated on an MDP it never saw as if it were its own.
  if ('mdp' in def.params.shape && policy.env.mdpHash === undefined) {
    return [`policy.env.mdpHash: is missing: a ${def.id} policy names the MDP it was trained on by its hash, which the file must hold${REEXPORT}`];
  }
  if (namesMdpOnly(policy)) return []; // its MDP is not in the file: checked against the experiment it is evaluated on
  // Settings that parse but make an environment the policy's own tables do not fit (a shop's items
  // or a testbed's arms edited): stored, the policy could never be evaluated where it says it was trained.
  let env: Env<Observation>;
  try {
    env = createEnv({ ...params.data, id: def.id });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `policy.env.params: ${p}${REEXPORT}`);
    throw e;
  }
  const misfit = sizeMisfit(policy, env, def.id);
  if (misfit) {
    const policyText = misfit.field === 'policy' ? `the policy ${misfit.text}` : misfit.text;
    return [`policy.env.params: do not make the environment the policy was trained on (${policyText})${REEXPORT}`];
  }
  // Its labels too, which the environment's settings make: a file whose states were reordered after
  // export was stored, and served its states' actions to the wrong ones by label.
  const labels = labelMismatch(policy, env);
  if (labels?.kind === 'differ') return [labelRefusal(labels, 'the environment its settings make', true, otherVersion(policy))];
  const range = rangeMisfit(policy, env);
  return range ? [`${range}: the file was edited after export${REEXPORT}`] : [];
}

/** The version of Aisle that exported the policy, when not this one (see labelRefusal). */
function otherVersion(policy: PolicyFile): string | undefined {
  return policy.provenance.appVersion !== APP_VERSION ? policy.provenance.appVersion : undefined;
}

/**
 * An MDP's policy against the MDP this database holds for it: the one its evaluation here takes
 * (storedPolicyEnvironment: its run's or experiment's, by the hash its file names the MDP by), whose
 * states and actions its tables must have, in number and by name (the MDP's labels are in its hash),
 * as policyParamsProblems checks them for an environment the file holds whole (an MDP's file holds
 * only its hash). A file edited after export (a column of
 * its Q-table and an action label removed) was stored, then refused by every evaluation on it.
 * Empty when the sizes fit, the policy's environment holds its whole settings, or the database does
 * not hold its MDP. `read`: readPolicyText's, whose checks the file passed; `where`: the store's
 * words (a results file's checked before import is "in the file").
 */
export function storedMdpProblems(
  store: Store,
  read: Pick<Extract<PolicyRead, { ok: true }>, 'json' | 'sizes'>,
  where = 'in this database',
  built?: StoredEnvironments,
): string[] {
  // Parsed again only for an environment that takes an MDP (what namesMdpOnly asks of the file).
  if (!('mdp' in (findEnvironment(read.sizes.envId)?.params.shape ?? {}))) return [];
  const policy = JSON.parse(read.json) as PolicyFile;
  if (!namesMdpOnly(policy)) return [];
  // What storedPolicyEnvironment reads of the policy: its provenance and its environment's names.
  const { runId, experimentId, configHash: hash, seed } = policy.provenance;
  const key = JSON.stringify([runId, experimentId ?? null, hash, seed, policy.env.id, policy.env.hash, policy.env.mdpHash ?? null]);
  let found = built?.get(key);
  if (found === undefined) {
    // The spaces of the environment the lookup built to fingerprint it: built again here, its
    // settings were parsed and the environment made twice a check. Its spaces alone are kept: the
    // environment holds its MDP, tens of MB for 20,000 states.
    const stored = storedPolicyPlace(store, policy);
    found = stored === undefined ? null : { source: stored.source, env: stored.spaces ?? spacesOf(createEnv(stored.experiment().env)) };
    built?.set(key, found);
  }
  if (found === null) return [];
  const { env } = found;
  const theMdp = `the MDP it names (sha256 ${policy.env.mdpHash!.slice(0, 12)}…, ${found.source}'s ${where})`;
  const misfit = sizeMisfit(policy, env, policy.env.id, theMdp);
  if (misfit === undefined) {
    // The MDP's labels are in its hash, the one the file names: a label of another is the file's edit
    // (its states reordered, so each served by label gets another's action).
    const labels = labelMismatch(policy, env);
    return labels?.kind === 'differ' ? [labelRefusal(labels, theMdp, true)] : [];
  }
  // Named by the field that does not fit: its actions first, as every kind has them.
  const field =
    policy.actions.length !== env.actionSpace.n ? 'policy.actions' : policy.kind === 'tabular' ? 'policy.states' : policy.kind === 'mlp' ? 'policy.network.encoding' : 'policy';
  return [`${field}: ${misfit.field === 'policy' ? `the policy ${misfit.text}` : misfit.text}${REEXPORT}`];
}

/**
 * The environments storedMdpProblems found and built, by what it looks them up by (null: none
 * stored), for a caller checking many policies against one database that does not change meanwhile
 * (a results file's check: each of 221 policies of one 20,000-state MDP built it again, ~0.3 s each).
 */
export type StoredEnvironments = Map<string, { source: string; env: EnvSpaces } | null>;

/** Where a policy's environment was found in a database (storedPolicyEnvironment). */
export interface StoredEnvironment {
  readonly experiment: Pick<Experiment, 'env' | 'agent'>;
  /** "run 22", "experiment 3": where it was read from. */
  readonly source: string;
  /** The run that trained it under another id than its file names (brought in by `results import`). */
  readonly runId?: number;
}

/**
 * The stored experiment or run whose environment is the one a policy was trained on (the same
 * fingerprint: settings and MDP alike), looked up by the policy's provenance: its run, then the run
 * of its config and seed under another id, then its experiment. A tabular-mdp's policy file names
 * its MDP only by hash, and a policy evaluated against the database it was exported from finds the
 * MDP there; so it does in a database its run was brought into by `results import`, which gave the
 * run a new id while the file names the one it had where it was exported. Failing the whole
 * fingerprint (a file whose settings or hash were edited), the first whose MDP is the file's.
 * Undefined when none is stored (another database, deleted since) or none holds that MDP.
 */
export function storedPolicyEnvironment(store: Store, policy: PolicyFile, builds?: EnvironmentBuilds): StoredEnvironment | undefined {
  const found = storedPolicyPlace(store, policy, builds);
  return found && { experiment: found.experiment(), source: found.source, ...(found.runId !== undefined ? { runId: found.runId } : {}) };
}

/**
 * Where storedPolicyEnvironment finds the environment, its config read only when asked
 * (`experiment`): whether it is here at all (mdpNotHere, at each policies.fits) needs only the
 * fingerprints, which `builds` keeps for an experiment's environment and a run's. `spaces`: the
 * environment's, when it was built here to be fingerprinted (not with `builds`, which keep them).
 */
function storedPolicyPlace(
  store: Store,
  policy: PolicyFile,
  builds?: EnvironmentBuilds,
): { source: string; experiment: () => Pick<Experiment, 'env' | 'agent'>; runId?: number; spaces?: EnvSpaces } | undefined {
  const { runId, experimentId, configHash, seed } = policy.provenance;
  // The runs listed without their configs (a 20,000-state MDP's is 4 MB): read only when not kept, or taken.
  const own = storedRun(store, runId);
  // A few at most: a run brought in twice is recognised, not copied, so more are runs made again from one config.
  const sameRun = store.listRunsWithoutConfig({ configHash, seed, limit: 3 }).filter((r) => r.id !== runId);
  const candidates: ({ source: string; config: () => unknown } & ({ run: StoredRun; renamed?: number } | { experimentId: number }))[] = [
    ...(own !== undefined ? [{ source: `run ${runId}`, config: () => store.getRunConfig(runId), run: own }] : []),
    ...sameRun.map((r) => ({ source: `run ${r.id}`, config: () => store.getRunConfig(r.id), run: r, renamed: r.id })),
    ...(experimentId !== undefined ? [{ source: `experiment ${experimentId}`, config: () => store.getExperiment(experimentId).config, experimentId }] : []),
  ];
  // Failing the whole fingerprint (a file whose settings or hash were edited), the one whose MDP is the
  // file's: evaluated there, the evaluation's warnings say what differs, as for a file that holds its settings.
  let sameMdp: ReturnType<typeof storedPolicyPlace>;
  for (const candidate of candidates) {
    const { source, config } = candidate;
    const renamed = 'run' in candidate ? candidate.renamed : undefined;
    // The environment as `builds` keeps it (an experiment's built once for the fit check and this, a
    // run's at the first call), else read and built here.
    const kept = builds && ('run' in candidate ? builds.runFingerprints(candidate.run, policy.env.id) : builds.experimentFingerprints(candidate.experimentId, policy.env.id));
    let experiment: (() => Pick<Experiment, 'env' | 'agent'>) | undefined;
    let spaces: EnvSpaces | undefined;
    let fingerprints: ReturnType<typeof envFingerprints>;
    if (kept !== undefined) {
      if (kept === null) continue; // another environment, or one this version cannot build
      fingerprints = kept;
    } else {
      try {
        const read = config() as Experiment;
        if (read.env.id !== policy.env.id) continue;
        const env = createEnv(read.env);
        fingerprints = envFingerprints(read.env, env);
        spaces = spacesOf(env);
        experiment = () => read;
      } catch {
        continue; // not stored here, or a config this version cannot build
      }
    }
    const found = { experiment: experiment ?? (() => config() as Experiment), source, ...(renamed !== undefined ? { runId: renamed } : {}), ...(spaces !== undefined ? { spaces } : {}) };
    if (fingerprints.some((f) => f.hash === policy.env.hash)) return found;
    if (policy.env.mdpHash !== undefined && fingerprints.some((f) => f.mdpHash === policy.env.mdpHash)) sameMdp ??= found;
  }
  return sameMdp;
}

/** What storedPolicyPlace reads of a run before its config: whether it is here, and what EnvironmentBuilds keeps its build by. */
type StoredRun = { id: number; configHash: string; createdAt: number };

/** Run `id` as StoredRun, its config not read; undefined when no such run is here. */
function storedRun(store: Store, id: number): StoredRun | undefined {
  try {
    return store.getRunState(id);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Where storedPolicyEnvironment finds nothing (the policy's run and experiment deleted, or never
 * here), the newest stored experiment on the MDP a policy file names by hash only: one whose
 * environment is the file's whole (settings and MDP) first, else one on its MDP. The app's Evaluate
 * takes it ("the one it was trained on"), and so does `aisle eval` without `--env`. Its agent's γ is
 * another experiment's, not the training's: the experiment comes with the γ the policy was trained
 * with (its file's; none in a file too old to say, where the default, 1, is said as such), which an
 * exact value is then discounted by and named as. Each distinct environment is built and hashed
 * once (experimentEnvironmentKeys).
 */
export function sameMdpExperiment(store: Store, policy: PolicyFile, builds?: EnvironmentBuilds): StoredEnvironment | undefined {
  const found = sameMdpExperimentId(store, policy, builds);
  if (found === undefined) return undefined;
  const experiment = store.getExperiment(found).config as Experiment;
  const { gamma: _theirs, ...agent } = experiment.agent;
  const gamma = policy.provenance.gamma;
  return { experiment: { ...experiment, agent: gamma !== undefined ? { ...agent, gamma } : agent }, source: `experiment ${found}` };
}

/** Whether sameMdpExperiment finds an experiment, its config not read (an inline MDP's may be tens of MB). */
export function sameMdpExperimentFound(store: Store, policy: PolicyFile): boolean {
  return sameMdpExperimentId(store, policy) !== undefined;
}

/** The experiment sameMdpExperiment takes, by id (its config not read). */
function sameMdpExperimentId(store: Store, policy: PolicyFile, builds = new EnvironmentBuilds(store)): number | undefined {
  if (!namesMdpOnly(policy)) return undefined;
  const tried = policy.provenance.experimentId;
  const seen = new Set<string>();
  let whole: number | undefined;
  let mdpOnly: number | undefined;
  for (const { id, key } of builds.experiments().reverse()) {
    if (id === tried || seen.has(key)) continue;
    seen.add(key);
    const fingerprints = builds.experimentFingerprints(id, policy.env.id);
    if (!fingerprints) continue; // another environment, or a config this version cannot build
    if (fingerprints.some((f) => f.hash === policy.env.hash)) {
      whole = id;
      break;
    }
    if (fingerprints.some((f) => f.mdpHash === policy.env.mdpHash)) mdpOnly ??= id;
  }
  return whole ?? mdpOnly;
}

/**
 * Whether a policy's environment is here as Evaluate without an experiment looks for it
 * (storedPolicyEnvironment, else sameMdpExperiment), no config read for the answer: what
 * policies.fits asks at each call (mdpNotHere), with the builds its fit check made.
 */
export function trainedEnvironmentFound(store: Store, policy: PolicyFile, builds?: EnvironmentBuilds): boolean {
  return storedPolicyPlace(store, policy, builds) !== undefined || sameMdpExperimentId(store, policy, builds) !== undefined;
}

/**
 * What a check of a policy against every experiment here keeps of each distinct environment
 * (policies.fits, asked each time a policy is chosen and again each time experiments change): its
 * spaces, which the fit check reads (sizes and labels), and its fingerprints where the policy's MDP
 * is looked for among them (mdpNotHere); or why it does not build. By the key of its settings
 * (store.experimentEnvironmentKeys: alike for experiments whose environments are alike), so the fit
 * check and the MDP lookup share one build, and kept from call to call: an experiment's environment
 * does not change once stored (a rename or a description edit changes its name and description
 * only; the key is of the environment's settings, whatever changes beside them), and what is kept
 * of an environment no experiment is on any more is dropped at the next call's refresh().
 * Each call built a 20,000-state MDP's environment twice (~0.1 s each) and hashed it (~0.1 s).
 * The runs the lookup tries first (the policy's own, by its file's provenance) are kept the same
 * way, by run (runFingerprints). policies.evaluate looks with the same builds; without one
 * (`aisle eval`, `aisle policies show`: a process of their own), sameMdpExperiment keeps them for its call.
 */
export class EnvironmentBuilds {
  private readonly kept = new Map<string, BuiltEnvironment>();
  private keys = new Map<number, string>();
  /** The experiments as refresh() last read them (undefined: not yet). */
  private listed: { id: number; key: string }[] | undefined;
  /** What runFingerprints built of runs' environments, by run id, with the stamp of the run it was built for. */
  private readonly runs = new Map<number, { stamp: string; built: BuiltEnvironment }>();

  constructor(private readonly store: Pick<Store, 'experimentEnvironmentKeys' | 'experimentEnvironment' | 'getRunConfig' | 'storedRunIds'>) {}

  /**
   * Every experiment, oldest first, with its environment's key, read afresh (a check's start):
   * what is kept of an environment none of them is on any more is dropped, and of a run deleted.
   */
  refresh(): { id: number; key: string }[] {
    const listed = (this.listed = this.store.experimentEnvironmentKeys());
    this.keys = new Map(listed.map(({ id, key }) => [id, key]));
    const present = new Set(this.keys.values());
    for (const key of this.kept.keys()) if (!present.has(key)) this.kept.delete(key);
    if (this.runs.size > 0) {
      const stored = new Set(this.store.storedRunIds([...this.runs.keys()]));
      for (const id of this.runs.keys()) if (!stored.has(id)) this.runs.delete(id);
    }
    return [...listed];
  }

  /** The experiments as the last refresh() read them (read now if none has). */
  experiments(): { id: number; key: string }[] {
    return this.listed ? [...this.listed] : this.refresh();
  }

  /**
   * Why a policy cannot run on experiment `id`'s environment (builtFitProblem), built once;
   * hashed in the same build when `hashFor` is its environment's id (the MDP lookup after it needs
   * its fingerprints).
   */
  fitProblem(policy: PolicyFile, id: number, hashFor?: string): string | undefined {
    const built = this.experiment(id, hashFor === undefined ? undefined : { envId: hashFor });
    return built === undefined ? undefined : builtFitProblem(policy, built);
  }

  /**
   * Experiment `id`'s environment's fingerprints when it is an `envId` environment, built and
   * hashed once (null: another environment, one this version cannot build, or no such experiment).
   */
  experimentFingerprints(id: number, envId: string): EnvFingerprint[] | null {
    const built = this.experiment(id, { envId, only: true });
    return built?.envId === envId ? (built.fingerprints ?? null) : null;
  }

  /**
   * Run `run`'s environment's fingerprints when it is an `envId` environment, built and hashed once
   * (null: another environment, one this version cannot build, or a config not read). A run's config
   * is written before its first step and never changed: what was built of it holds while the run
   * stored under its id has the same config hash and creation time (its stamp), as an experiment's
   * key holds while its own do (store.experimentEnvironmentKeys). Whether the run is still here is
   * the caller's to ask at each call (storedPolicyPlace lists the runs afresh): a run deleted is
   * never served, and what was kept of it goes at the next refresh().
   */
  runFingerprints(run: StoredRun, envId: string): EnvFingerprint[] | null {
    const stamp = `${run.configHash} ${run.createdAt}`;
    const kept = this.runs.get(run.id);
    if (kept?.stamp === stamp && (kept.built.envId !== envId || kept.built.fingerprints !== undefined)) {
      return kept.built.envId === envId ? (kept.built.fingerprints ?? null) : null;
    }
    let env: unknown;
    try {
      const config = this.store.getRunConfig(run.id);
      env = typeof config === 'object' && config !== null ? (config as { env?: unknown }).env : undefined;
    } catch {
      return null; // deleted meanwhile, or a config that is not JSON: nothing kept, read again if asked again
    }
    const runEnvId = envIdOf(env);
    const built: BuiltEnvironment = runEnvId === envId ? buildEnvironment(env, true) : { envId: runEnvId, config: 'none' };
    this.runs.set(run.id, { stamp, built });
    return runEnvId === envId ? (built.fingerprints ?? null) : null;
  }

  /**
   * Experiment `id`'s environment as kept, else read and built: hashed when `hash.envId` is its id;
   * `hash.only`: not built at all when it is another (the lookup reads nothing else of it).
   */
  private experiment(id: number, hash?: { envId: string; only?: boolean }): BuiltEnvironment | undefined {
    if (this.listed === undefined) this.refresh(); // builds never refreshed know no experiment
    const key = this.keys.get(id);
    if (key === undefined) return undefined;
    const kept = this.kept.get(key);
    if (kept !== undefined && (hash === undefined || kept.envId !== hash.envId || kept.fingerprints !== undefined)) return kept;
    const config = this.store.experimentEnvironment(id);
    const envId = envIdOf(config);
    const hashed = hash !== undefined && envId === hash.envId;
    if (hash?.only && !hashed) return { envId, config: 'none' };
    const built = buildEnvironment(config, hashed);
    this.kept.set(key, built);
    return built;
  }
}

/** What EnvironmentBuilds keeps of an environment: no environment itself (an MDP's is tens of MB). */
interface BuiltEnvironment {
  /** Its settings' `id` (undefined: not an environment's settings). */
  readonly envId: unknown;
  /** 'none': no settings to build (no such experiment, or its config is not JSON); else its spaces, or what building it threw. */
  readonly config: 'none' | { spaces: EnvSpaces } | { error: unknown };
  /** envFingerprints of it, when asked for (null: they could not be taken). */
  readonly fingerprints?: EnvFingerprint[] | null;
}

/** An environment's settings' `id` (undefined: not an environment's settings). */
function envIdOf(config: unknown): unknown {
  return typeof config === 'object' && config !== null ? (config as { id?: unknown }).id : undefined;
}

/** What is kept of a built environment: its spaces, not the environment (an MDP's holds the MDP). */
function spacesOf(env: Env<Observation>): EnvSpaces {
  return { observationSpace: env.observationSpace, actionSpace: env.actionSpace };
}

function buildEnvironment(config: unknown, hash: boolean): BuiltEnvironment {
  const envId = envIdOf(config);
  if (typeof config !== 'object' || config === null) return { envId, config: 'none', ...(hash ? { fingerprints: null } : {}) };
  let env: Env<Observation>;
  try {
    env = createEnv(config as ComponentConfig);
  } catch (error) {
    return { envId, config: { error }, ...(hash ? { fingerprints: null } : {}) };
  }
  const spaces = spacesOf(env);
  if (!hash) return { envId, config: { spaces } };
  let fingerprints: EnvFingerprint[] | null;
  try {
    fingerprints = envFingerprints(config as ComponentConfig, env);
  } catch {
    fingerprints = null; // as storedPolicyEnvironment skips a config it cannot fingerprint
  }
  return { envId, config: { spaces }, fingerprints };
}

/** What an evaluation reports (the contract's type: the CLI prints it, the app shows it). */
export type PolicyEvaluation = PolicyEvaluationResult;

/**
 * The file's own settings against its own hash: export writes both, so a difference means the
 * settings were edited afterwards (or another version hashed them), and what they say cannot be
 * taken for the environment the policy was trained on. Said on import and on every evaluation.
 */
export function editedSettingsWarning(policy: PolicyFile): string | undefined {
  const { hash: trainedHash, ...trained } = policy.env;
  if (configHash(trained) === trainedHash) return undefined;
  return (
    `policy.env: the settings in the file do not match its own hash ${trainedHash.slice(0, 12)}: the file was edited after export, or written by another version of Aisle, ` +
    'so they may not be the environment the policy was trained on: export the policy again from its run'
  );
}

/**
 * Evaluates a (validated) policy file on an experiment's environment. `trained`: the experiment is
 * the one the policy was trained in (no other was named), so its agent's γ is said as the training's.
 */
export function evaluatePolicyFile(policy: PolicyFile, experiment: Pick<Experiment, 'env' | 'agent'>, opts: { episodes: number; seed: number; gamma?: number; trained?: boolean }): PolicyEvaluation {
  const env = createEnv(experiment.env);
  const warnings: string[] = checkFits(policy, env, experiment.env.id, opts.trained === true);
  // An environment that draws its instance from the seed (the bandit testbed's arms): another seed is another instance.
  const trainedSeed = policy.provenance.seed;
  if (findEnvironment(experiment.env.id)?.noSeparateEvaluation !== undefined && opts.seed !== trainedSeed) {
    warnings.push(
      `${experiment.env.id} draws its instance from the seed (the testbed's arms' true values): seed ${opts.seed} makes another one than the policy learned on (run ${policy.provenance.runId}'s seed ${trainedSeed}), ` +
        `whose best arm may be any other: evaluate with seed ${trainedSeed} for the one it trained on`,
    );
  }
  // Taken as the file was (an MDP's name in its hash, by an earlier version: see envFingerprints),
  // so that only what the environment does can differ.
  const fingerprints = envFingerprints(experiment.env, env);
  const fingerprint = fingerprints.find((f) => f.hash === policy.env.hash) ?? fingerprints.find((f) => f.mdpHash === policy.env.mdpHash) ?? fingerprints[0]!;
  const fingerprintMatches = fingerprint.hash === policy.env.hash;
  const { hash: trainedHash, ...trained } = policy.env;
  const edited = editedSettingsWarning(policy);
  const selfConsistent = edited === undefined;
  if (edited) warnings.push(edited);
  if (edited && fingerprintMatches) {
    // The environment is the one the file's hash names (a stored run's, for an MDP's policy): the
    // settings as edited were not used, which the warning above alone did not say.
    const { hash: _hash, ...here } = fingerprint;
    const changes = settingChanges(trained, here);
    if (changes) warnings.push(`evaluated on the environment the policy was trained on, which its hash names, not on the settings as edited: ${changes}`);
  }
  if (!fingerprintMatches) {
    // What differs, by setting: the hashes alone do not say whether it matters. An MDP's hash by its
    // first 12 digits, as the fingerprints': two of 64 made the line unreadable.
    const { hash: _hash, ...here } = fingerprint;
    const short = <T extends { mdpHash?: string | undefined }>(f: T): T => (f.mdpHash === undefined ? f : { ...f, mdpHash: `${f.mdpHash.slice(0, 12)}…` });
    const changes = settingChanges(short(trained), short(here));
    const mdpOnly = trained.mdpHash !== undefined && here.mdpHash !== undefined && settingChanges(trained, { ...here, mdpHash: trained.mdpHash }) === '';
    if (mdpOnly && warnings.length === 0) {
      // Its labels were checked above (checkFits): the states and actions are the ones it was trained
      // on, named alike, so what changed is what the MDP does in them.
      warnings.push(
        `the MDP differs from the one the policy was trained on (sha256 ${here.mdpHash!.slice(0, 12)}… here, ${trained.mdpHash!.slice(0, 12)}… in the policy), its states and actions the same and named alike: ` +
          'its transitions, rewards or start states were changed, so these figures are the policy\'s on this MDP, not on the one it learned on',
      );
    } else if (changes || selfConsistent) {
      warnings.push(`the environment differs from the one the policy was trained on: ${changes || 'the same settings, hashed differently (a policy from another version?)'} (${policy.env.id} ${trainedHash.slice(0, 12)} vs ${fingerprint.id} ${fingerprint.hash.slice(0, 12)})`);
    }
  }
  const runtime = loadPolicy(policy);
  // A state index goes in as its label: where labels are numbers (an MDP of logs' positions "1",
  // "2", "3"), the runtime refuses an index that a label names as another state. An index past the
  // labels (a policy without them, or a mis-sized one) goes in as itself, and is checked there.
  const act = (obs: Observation): number => runtime.act(typeof obs === 'number' ? (runtime.states[obs] ?? obs) : obs);
  const mdp = (env as { mdp?: Mdp }).mdp;
  // γ as asked, else the experiment's agent's, else the one the policy was trained with (its file
  // says so since provenance.gamma), else 1: the run's own exact report used its agent's γ.
  const agentGamma = typeof experiment.agent.gamma === 'number' ? experiment.agent.gamma : undefined;
  const trainedGamma = policy.provenance.gamma;
  const [gamma, gammaFrom]: [number, GammaSource] =
    opts.gamma !== undefined ? [opts.gamma, 'option'] : agentGamma !== undefined ? [agentGamma, opts.trained === true ? 'policy' : 'experiment'] : trainedGamma !== undefined ? [trainedGamma, 'policy'] : [1, 'default'];
  // The episodes' returns discounted by the exact value's γ too, when it has one below 1: its
  // expected return is a discounted one, and only a discounted mean can be set beside it.
  const monteCarlo = { ...rollout(env, act, opts.episodes, opts.seed, mdp ? gamma : 1), seed: opts.seed };
  let exact: PolicyEvaluation['exact'];
  if (mdp) {
    const horizon = typeof experiment.env.maxSteps === 'number' ? experiment.env.maxSteps : 1000;
    // The action served in each state (a context-free policy's greedy action in all of them).
    const greedy = policy.kind === 'tabular' ? Int32Array.from(policy.greedy) : Int32Array.from({ length: mdp.states }, (_, s) => act(s));
    // The run's own report (greedy.*), so an evaluation and a run say the same of one policy.
    const { expectedReturn, optimalReturn, randomReturn, optimalityGap, normalizedScore } = policyReport(mdp, greedy, { gamma, horizon });
    exact = { gamma, gammaFrom, horizon, expectedReturn, optimalReturn, randomReturn, optimalityGap, normalizedScore };
  }
  if (!exact && opts.gamma !== undefined) {
    warnings.push(`gamma ${opts.gamma} discounts the exact evaluation, which ${experiment.env.id} has none of (it is not a finite MDP here): the Monte-Carlo return is undiscounted`);
  }
  return { env: experiment.env.id, fingerprintMatches, warnings, monteCarlo, ...(exact ? { exact } : {}) };
}

/**
 * Why evaluating the policy on an environment built (EnvironmentBuilds keeps it for policies.fits'
 * calls) would be refused (checkFits, the check evaluatePolicyFile makes first), or undefined when
 * its sizes fit: the Policies screen marks the environments a policy cannot run on before Evaluate
 * is pressed, not after. An environment this version does not know is refused too (createEnv's
 * message); settings it cannot read at all (not an experiment's: no env) give undefined, and
 * Evaluate says what it says.
 */
function builtFitProblem(policy: PolicyFile, built: BuiltEnvironment): string | undefined {
  if (built.config === 'none') return undefined;
  try {
    if ('error' in built.config) throw built.config.error;
    checkFits(policy, built.config.spaces, built.envId as string, false);
    return undefined;
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.join('; ');
    return undefined; // parameters this version reads otherwise: Evaluate's own refusal says which
  }
}

/**
 * How a policy's sizes do not fit an environment, or undefined when they fit: `policy` (its tables,
 * network or actions: "has 3 states × 2 actions but the environment has 91 states × 20 actions"), or
 * `env` (observations of another kind than the policy takes).
 */
function sizeMisfit(policy: PolicyFile, env: EnvSpaces, envId: string, theEnv = 'the environment'): { field: 'policy' | 'env'; text: string } | undefined {
  const space = env.observationSpace;
  const A = env.actionSpace.n;
  // Grouped as the app's tables and Q-tables' sizes are: a 20,000-state MDP read "20000 states" here alone.
  const states = (n: number) => counted(n, 'state');
  const actions = (n: number) => counted(n, 'action');
  const features = (n: number) => counted(n, 'feature');
  const policyMisfit = (text: string) => ({ field: 'policy' as const, text });
  const actionsMisfit = () => (policy.actions.length !== A ? policyMisfit(`has ${actions(policy.actions.length)} but ${theEnv} has ${fmt(A)}`) : undefined);
  if (policy.kind === 'tabular') {
    if (space.kind !== 'discrete') return { field: 'env', text: `${envId} has vector observations; a tabular policy needs discrete states` };
    if (policy.states.length !== space.n || policy.actions.length !== A) {
      return policyMisfit(`has ${states(policy.states.length)} × ${actions(policy.actions.length)} but ${theEnv} has ${states(space.n)} × ${actions(A)}`);
    }
    return undefined;
  }
  // A context-free policy ignores the observation: any environment with its actions will do.
  if (policy.kind === 'context-free') return actionsMisfit();
  const enc = policy.network.encoding;
  if (enc.kind === 'one-hot' && (space.kind !== 'discrete' || space.n !== enc.n)) {
    return policyMisfit(`takes a state index of ${states(enc.n)} but ${theEnv} has ${space.kind === 'discrete' ? states(space.n) : `vector observations of ${features(space.size)}`}`);
  }
  if (enc.kind === 'vector' && (space.kind !== 'box' || space.size !== enc.size)) {
    return policyMisfit(`takes ${features(enc.size)} but ${theEnv} has ${space.kind === 'box' ? features(space.size) : `${counted(space.n, 'discrete state')}`}`);
  }
  return actionsMisfit();
}

/**
 * A vector network's feature range (its encoding's low and high) that does not hold the environment's,
 * as a problem naming the field, or undefined. The runtime refuses a feature outside the file's range
 * (a guard against features on another scale), so a range narrower than the environment's, which
 * only an edit makes (the export writes the environment's own), was imported and then ended every
 * evaluation midway, exit 1, on the first observation outside it, blaming the observation's scale.
 */
function rangeMisfit(policy: PolicyFile, env: EnvSpaces): string | undefined {
  const space = env.observationSpace;
  if (policy.kind !== 'mlp' || policy.network.encoding.kind !== 'vector' || space.kind !== 'box') return undefined;
  const { low, high } = policy.network.encoding;
  const gives = `the environment gives features in [${space.low}, ${space.high}], and the policy refuses any outside its range`;
  if (low !== undefined && low > space.low) return `policy.network.encoding.low: is ${low}, above ${space.low}: ${gives}`;
  if (high !== undefined && high < space.high) return `policy.network.encoding.high: is ${high}, below ${space.high}: ${gives}`;
  return undefined;
}

/**
 * Refuses a policy whose sizes do not fit the environment, or whose labels differ from its where
 * they fit (policy-labels.ts: a policy serves by index, and an environment with its states in
 * another order would be served the wrong ones, its figures silently wrong); returns a warning
 * where only one side names them, which leaves nothing to check.
 */
function checkFits(policy: PolicyFile, env: EnvSpaces, envId: string, trained: boolean): string[] {
  const misfit = sizeMisfit(policy, env, envId);
  // On the environment the policy names as its own, "evaluate it on the one it was trained on" was
  // the very thing done: the file's tables no longer fit its own environment (edited by hand).
  const fix = trained ? `the environment is the one its file names, so the file was edited after export${REEXPORT}` : 'evaluate it on the environment it was trained on';
  if (misfit) throw new ValidationError([misfit.field === 'policy' ? `policy: ${misfit.text}: ${fix}` : `env: ${misfit.text}`]);
  const labels = labelMismatch(policy, env);
  // On its own environment, labels an MDP's hash does not hold (a shop's) may be another version's words.
  if (labels?.kind === 'differ') throw new ValidationError([labelRefusal(labels, trained ? 'the environment its file names' : 'the environment', trained, namesMdpOnly(policy) ? undefined : otherVersion(policy))]);
  const range = rangeMisfit(policy, env);
  if (range) throw new ValidationError([`${range}: ${fix}`]);
  return labels ? [uncheckedWarning(labels)] : [];
}

/** A policy as stored and exported: its JSON, one value per line. */
export function policyText(policy: PolicyFile): string {
  return `${JSON.stringify(policy, null, 1)}\n`;
}

/**
 * What the policy list shows: an mlp policy's states are its one-hot inputs (0 on vector
 * observations); a context-free policy has none (0).
 */
export function sizes(policy: PolicyFile): { envId: string; kind: string; states: number; actions: number } {
  const kind = policy.kind;
  const states = kind === 'tabular' ? policy.states.length : kind === 'mlp' && policy.network.encoding.kind === 'one-hot' ? policy.network.encoding.n : 0;
  return { envId: policy.env.id, kind, states, actions: policy.actions.length };
}

/**
 * A stored policy's file, parsed: a row that does not parse (a database edited by hand) is refused
 * with the policy named, where parsePolicy's `policy.actions: …` alone did not say which.
 */
export function parseStoredPolicy(id: number, json: string): PolicyFile {
  try {
    return parsePolicy(JSON.parse(json));
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.problems.map((p) => `stored policy #${id}: ${p}`));
    throw e;
  }
}

/** What reading a policy file for import gives: its stored text, name and sizes, or its problems (ValidationError's). */
export type PolicyRead = { ok: true; json: string; name: string | undefined; sizes: ReturnType<typeof sizes>; warnings: string[] } | { ok: false; problems: readonly string[] };

/** Parses and checks a policy file's text for import (in a worker: see run-in-worker.ts). */
export function readPolicyText(text: string, fileName: string): PolicyRead {
  let policy: PolicyFile;
  try {
    policy = parsePolicy(parseJsonText(text, fileName)); // a byte-order mark first is skipped there
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, problems: e.problems };
    throw e;
  }
  // A policy serves wherever it is loaded, but one stored here is listed and evaluated against
  // this version's environments: one it cannot name is an edited file, or a newer Aisle's, and
  // settings edited out of range would be stored, then refused by every evaluation on the
  // environment the file describes (policyEnvironment): said now, naming the setting.
  const problems = policyParamsProblems(policy);
  if (problems.length > 0) return { ok: false, problems };
  const edited = editedSettingsWarning(policy);
  return { ok: true, json: policyText(policy), name: policy.name, sizes: sizes(policy), warnings: edited ? [edited] : [] };
}
