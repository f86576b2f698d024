/**
 * Q-tables and policies: a run's Q-table at a checkpoint with its state and action labels (weights
 * checkpoints are not Q-tables and are left out), and policies exported from runs or imported from
 * files, stored, listed and evaluated.
 */
import type { Experiment } from '../../engine/experiment';
import { ValidationError } from '../../engine/params';
import type { PolicyFile } from '../../engine/policy/format';
import { labelOf } from '../../engine/spaces';
import type { CommandOutput, Handlers } from '../../shared/contract';
import { ContractFailure } from '../../shared/dispatch';
import type { PolicySummary, QTable } from '../../shared/dto';
import { policyFileName, shellWord } from '../../shared/text';
import { evaluateInWorker, readPolicyInWorker } from '../jobs/run-in-worker';
import { assertPolicyParams, createEnv, editedSettingsWarning, EnvironmentBuilds, parseStoredPolicy, namesMdpOnly, policyEnvironment, sameMdpExperiment, sameMdpExperimentFound, storedMdpProblems, storedPolicyEnvironment, trainedEnvironmentFound, type PolicyRead, type StoredEnvironment, type StoredEnvironments } from '../policies';
import { exportFile, exportRunPolicy, terminalStates } from '../policy-export';
import { readPolicyRuntime } from '../policy-runtime';
import { policyActionsProblem } from '../../engine/ope/run';
import { NotFoundError, type PolicyInfo, type Store } from '../store';
import type { RunConfig } from './configs';
import { taskSignal, type ServiceContext } from './context';
import { validateExperiment } from './experiments';
import { noQTableReason } from './no-qtable';
import { storedRead, toCheckpointSummary } from './runs';

type PolicyHandlers = Pick<
  Handlers,
  'qtables.get' | 'policies.export' | 'policies.import' | 'policies.list' | 'policies.get' | 'policies.delete' | 'policies.runtime' | 'policies.evaluate' | 'policies.fits' | 'policies.fitLogs'
>;

export function policyHandlers(ctx: ServiceContext): PolicyHandlers {
  const { store } = ctx;
  // What policies.fits built of the experiments' and the policies' runs' environments, kept from call
  // to call (see EnvironmentBuilds); policies.evaluate looks for a policy's environment in them too.
  const builds = new EnvironmentBuilds(store);
  return {
    'qtables.get': ({ runId, checkpointId, onlyStored }) => storedRead(store, runId, onlyStored, () => readQTable(store, runId, checkpointId)),

    'policies.export': ({ runId, name }) => {
      const { policy, neverUpdated } = exportRunPolicy(store, runId, name);
      // Exported before: the stored file, its createdAt included.
      const file = exportFile(store, runId, policy, policy.name);
      const { id: policyId, text, added } = file.store();
      if (added) ctx.emit('policies.changed', {});
      // The stored file is named as it was when stored (a results file's, by the run's id where it was exported).
      const served = added ? policy : (JSON.parse(text) as typeof policy);
      return {
        policyId,
        fileName: policyFileName(served.name, `policy-run-${runId}`),
        text,
        policy: served,
        alreadyStored: !added,
        ...(neverUpdated !== undefined ? { neverUpdated } : {}),
      };
    },

    'policies.import': async ({ text, fileName }, call) => {
      // Parsed and checked in a worker: a policy of tens of MB takes seconds, which would hold up every other call and the runs' progress.
      const read = await readPolicyInWorker(ctx.workerPath, text, fileName, taskSignal(ctx, call));
      if (!read.ok) return read;
      const stored = storeImportedPolicy(store, read, fileName);
      if (stored.ok && !stored.alreadyStored) ctx.emit('policies.changed', {});
      return stored;
    },

    'policies.list': () => storedPolicies(store),

    'policies.get': ({ id }) => {
      const stored = storedPolicy(store, id);
      parseStoredPolicy(id, stored.text); // Save would download a file the runtime refuses
      return stored;
    },

    'policies.delete': ({ id }) => {
      store.deletePolicy(id);
      ctx.emit('policies.changed', {});
      return { deleted: id };
    },

    'policies.runtime': () => readPolicyRuntime(ctx.runtimePath),

    'policies.evaluate': ({ policyId, experimentId, experiment, episodes, seed }, call) => {
      // The policy and the environment it is evaluated on in one snapshot (Store.snapshot), ended
      // before the worker is awaited: its run deleted by another process between the two reads
      // (`aisle delete`) answered 404 for the run its row had just named.
      const { policy, target } = store.snapshot(() => {
        const row = store.getPolicy(policyId);
        const file = parseStoredPolicy(row.id, row.json);
        assertPolicyParams(file, `policy #${row.id}`); // as `aisle eval` checks a file, whichever environment serves
        return { policy: file, target: evaluationTarget(ctx, row, file, experimentId, experiment, builds) };
      });
      return evaluateInWorker(ctx.workerPath, policy, target.experiment, {
        episodes,
        seed,
        ...(target.trained ? { trained: true } : {}),
        signal: taskSignal(ctx, call),
      }).then((result) => ({ ...result, environment: target.source }));
    },

    // The checks the evaluations make first, asked before them: a picker marks what would be refused.
    'policies.fits': ({ policyId }) => {
      const row = store.getPolicy(policyId);
      const policy = parseStoredPolicy(policyId, row.json);
      // Each distinct environment read and checked once (every experiment's config was read at each call: 1 s on 6,400),
      // and kept for the next call (builds: asked again each time experiments change).
      const experiments = builds.refresh();
      // The MDP lookup below hashes the environments of the policy's kind: in the fit check's build, not a second one.
      const hashFor = mdpLookedUp(row, policy) ? policy.env.id : undefined;
      const firsts = new Map<string, number>();
      for (const { id, key } of experiments) if (!firsts.has(key)) firsts.set(key, id);
      const byKey = new Map([...firsts].map(([key, id]) => [key, builds.fitProblem(policy, id, hashFor) ?? null]));
      // Evaluate without an experiment (the one it was trained on) is refused when the MDP its file
      // names by hash only is nowhere here: said first too, as an experiment's misfit is.
      const own = mdpNotHere(store, row, policy, builds) ? mdpNotHereText(policy) : null;
      return { own, experiments: experiments.map(({ id, key }) => ({ experimentId: id, problem: byKey.get(key) ?? null })) };
    },

    // Asked again at every filter change on the Off-policy screen: the actions alone are read, not each whole file.
    'policies.fitLogs': ({ actions }) => store.policyActions().map((p) => ({ policyId: p.id, problem: policyActionsProblem(p.actions, actions) ?? null })),
  };
}

/** A run's Q-table at a checkpoint (its latest when none is named), labelled: qtables.get's answer, and `aisle qtable`'s. */
export function readQTable(store: Store, runId: number, checkpointId?: number): QTable {
  const run = store.getRun(runId);
  const checkpoints = store.listCheckpoints(runId).filter((c) => c.kind === 'qtable').map(toCheckpointSummary);
  const chosen = checkpointId === undefined ? checkpoints[checkpoints.length - 1] : checkpoints.find((c) => c.id === checkpointId);
  if (chosen === undefined) {
    if (checkpointId === undefined) {
      const kinds = store.listCheckpoints(runId).map((c) => c.kind);
      throw new ContractFailure(noQTableReason(runId, run.status, (run.config as RunConfig).agent.id, kinds)!, 404); // none is a 'qtable' (checkpoints above)
    }
    throw new NotFoundError('checkpoint', checkpointId, `run ${runId} has checkpoints ${checkpoints.map((c) => c.id).join(', ') || '(none)'}`);
  }
  const cp = store.getCheckpoint(chosen.id);
  const labels = spaceLabels(run.config as RunConfig, cp.states, cp.actions);
  const terminal = labels.terminal;
  const initialQ = (run.config as RunConfig).agent.initialQ;
  const table: QTable = {
    runId,
    checkpointId: cp.id,
    episode: cp.episode,
    states: cp.labels?.states ?? labels.states,
    actions: cp.labels?.actions ?? labels.actions,
    q: Array.from({ length: cp.states }, (_, s) => Array.from(cp.data.subarray(s * cp.actions, (s + 1) * cp.actions))),
    ...(typeof initialQ === 'number' ? { initialQ } : {}),
    ...(terminal !== undefined && terminal.length > 0 ? { terminal } : {}),
    checkpoints,
  };
  return table;
}

/**
 * The environment (and the agent's gamma) to evaluate on: inline, stored, the policy's own run's, or
 * (no run) the one its file describes; with where it came from, in words, for the result to say, and
 * whether it is the one the policy was trained in (none was named: see evaluatePolicyFile).
 */
function evaluationTarget(
  ctx: ServiceContext,
  policy: PolicyInfo,
  file: PolicyFile,
  experimentId: number | undefined,
  experiment: unknown,
  builds: EnvironmentBuilds,
): { experiment: Pick<Experiment, 'env' | 'agent'>; source: string; trained: boolean } {
  if (experimentId !== undefined && experiment !== undefined) {
    throw new ValidationError(['experiment: give either experimentId (a stored experiment) or experiment (inline), not both']);
  }
  if (experiment !== undefined) {
    // Read for its environment (and γ), not launched, as `aisle eval --env` reads its file.
    const checked = validateExperiment(experiment, true);
    if (!checked.ok) throw new ValidationError(checked.problems.map((p) => `experiment.${p}`));
    return { experiment: checked.experiment, source: 'the experiment given', trained: false };
  }
  if (experimentId !== undefined) return { experiment: ctx.store.getExperiment(experimentId).config as Experiment, source: `experiment ${experimentId}'s`, trained: false };
  if (policy.runId !== null) return { experiment: ctx.store.getRun(policy.runId).config as RunConfig, source: `run ${policy.runId}'s, the one it was trained on`, trained: true };
  // Imported (or its run deleted): an MDP its file names only by hash is found where `aisle eval`
  // finds it, with the run or experiment the file names when this database holds it (its MDP, at
  // least: see storedPolicyEnvironment); otherwise the environment its file describes.
  // A file whose settings were edited after export is not taken at its word either: its hash names
  // the environment it was trained on, which its run or experiment here has.
  const edited = editedSettingsWarning(file) !== undefined;
  const byHash = namesMdpOnly(file);
  // Looked for in what policies.fits built (the picker asked it first), the experiments read afresh.
  if (byHash || edited) builds.refresh();
  const stored = byHash || edited ? trainedEnvironmentHere(ctx.store, file, builds) : undefined;
  if (stored) {
    const why = byHash ? 'the file names its MDP by hash only, and this one has it' : 'the settings in the file were edited after export';
    return { experiment: stored.experiment, source: `${byHash ? 'the MDP' : 'the environment'} of ${stored.source} in the database (${why})`, trained: true };
  }
  // Said in the app's words: the contract's field (experimentId) means nothing on the screen.
  if (byHash) {
    throw new ValidationError([
      `policy #${policy.id} was trained on an MDP (sha256 ${file.env.mdpHash!.slice(0, 12)}…) that its file names by hash only, and no run or experiment in this database is on that MDP ` +
        '(its run and experiment were deleted, or it came from another database): evaluate it on an experiment on that MDP — create one from its MDP file, or import the results that hold one, then choose it as the environment',
    ]);
  }
  return {
    experiment: policyEnvironment(file, null, `policy #${policy.id}`, ', and neither its run nor its experiment is stored here as it was trained'),
    source: edited ? 'the one its file describes, edited after export' : 'the one its file describes',
    trained: true,
  };
}

/**
 * The stored run or experiment whose environment a policy without its run here was trained on (its
 * MDP at least), as Evaluate without an experiment looks for it: its run or experiment as its file
 * names them (storedPolicyEnvironment), else, those deleted, another experiment here on the same MDP
 * (by its hash).
 */
function trainedEnvironmentHere(store: Store, file: PolicyFile, builds: EnvironmentBuilds): StoredEnvironment | undefined {
  return storedPolicyEnvironment(store, file, builds) ?? sameMdpExperiment(store, file, builds);
}

/**
 * Whether Evaluate without an experiment (the environment the policy was trained on) would be
 * refused: a policy without its run here whose file names its MDP by hash only, and no run or
 * experiment here on that MDP (evaluationTarget's refusal). The picker marks that choice
 * unavailable (policies.fits' `own`), and `aisle policies show` says so.
 */
export function mdpNotHere(store: Store, row: Pick<PolicyInfo, 'runId'>, file: PolicyFile, builds?: EnvironmentBuilds): boolean {
  return mdpLookedUp(row, file) && !trainedEnvironmentFound(store, file, builds);
}

/** Whether mdpNotHere looks for the policy's MDP among the experiments here: a policy without its run here whose file names its MDP by hash only. */
function mdpLookedUp(row: Pick<PolicyInfo, 'runId'>, file: PolicyFile): boolean {
  return row.runId === null && namesMdpOnly(file);
}

/** State and action labels from the run's environment (indices when it has none, or sizes differ). */
function spaceLabels(config: RunConfig, states: number, actions: number): { states: string[]; actions: string[]; terminal?: number[] } {
  const indices = (n: number) => Array.from({ length: n }, (_, i) => String(i));
  try {
    const env = createEnv(config.env);
    const observation = env.observationSpace;
    const fits = observation.kind === 'discrete' && observation.n === states;
    const ends = fits ? terminalStates(env) : undefined;
    return {
      states: fits ? indices(states).map((_, s) => labelOf(observation, s)) : indices(states),
      actions: env.actionSpace.n === actions ? indices(actions).map((_, a) => labelOf(env.actionSpace, a)) : indices(actions),
      // The terminal states, by index: the screen leaves them out of its count of states never updated, as the export does.
      ...(ends !== undefined && ends.length === states ? { terminal: indices(states).flatMap((_, s) => (ends[s] === 1 ? [s] : [])) } : {}),
    };
  } catch {
    return { states: indices(states), actions: indices(actions) }; // a config an older version wrote
  }
}

/**
 * Stores a policy file read for import (readPolicyText: parsed and checked), as the app's import
 * and `aisle policies import` do, once checked against what the database holds too: an MDP's
 * policy against its MDP (storedMdpProblems), refused as readPolicyText refuses, nothing stored.
 * The very file already stored (imported before, or exported here) is not stored again: a second
 * row of one file under one name would be told apart by nothing. The reply names the stored one,
 * and carries the read's warnings. `path`: the file as a command to evaluate it names it (the
 * CLI's path as given; the app has its name only).
 */
export function storeImportedPolicy(store: Store, read: Extract<PolicyRead, { ok: true }>, fileName: string, path = fileName): CommandOutput<'policies.import'> {
  const built: StoredEnvironments = new Map();
  const problems = storedMdpProblems(store, read, undefined, built);
  if (problems.length > 0) return { ok: false, problems };
  const same = store.samePolicy(read.json);
  // What `aisle eval` of the file would warn of, said now rather than at its first evaluation.
  // storedMdpProblems found none of an MDP policy's run or experiment here (null): whether any
  // experiment here is on its MDP, as Evaluate would look for one.
  const mdpMissing = [...built.values()].includes(null) ? mdpNotStoredWarning(store, JSON.parse(read.json) as PolicyFile, path) : undefined;
  const warnings = mdpMissing ? [...read.warnings, mdpMissing] : read.warnings;
  if (same !== undefined) return { ok: true, policy: toPolicySummary(store.getPolicy(same)), alreadyStored: true, warnings };
  // Imported policies belong to no run here: the provenance names a run of another database.
  const id = store.savePolicy({ runId: null, origin: 'import', name: read.name ?? fileName, json: read.json, ...read.sizes });
  return { ok: true, policy: toPolicySummary(store.getPolicy(id)), alreadyStored: false, warnings };
}

/**
 * An MDP policy's file names its MDP by hash only, and the database it is imported into holds no
 * run or experiment on that MDP: it was stored silently, then Evaluate and `aisle eval` refused it
 * for want of the MDP. Said at import, naming the MDP (by the experiment it was trained in, the only
 * name the file has for it, and its hash) and how to evaluate it; undefined where one is stored.
 */
function mdpNotStoredWarning(store: Store, policy: PolicyFile, path: string): string | undefined {
  if (sameMdpExperimentFound(store, policy)) return undefined;
  return `policy.env.mdpHash: ${mdpNotHereText(policy, `evaluate it meanwhile with \`aisle eval ${shellWord(path)} --env <an experiment file on that MDP>\``)}`;
}

/**
 * Why the environment an MDP policy was trained on cannot be had here (mdpNotHere), and what to do,
 * in the same words wherever it is said: the picker's "unavailable" (policies.fits' `own`), the
 * import's warning and `aisle policies show`. `otherwise`: what else to do there (the picker offers
 * other environments; the CLI names the commands that evaluate it meanwhile).
 */
export function mdpNotHereText(policy: PolicyFile, otherwise = 'pick another environment'): string {
  return (
    `its MDP (sha256 ${policy.env.mdpHash!.slice(0, 12)}…) is not in this database (its file names it by hash only, and no run or experiment here is on it): ` +
    `create an experiment on that MDP (from the MDP's file, or import the results that hold one), or ${otherwise}`
  );
}

/** The stored policies as the list shows them (without their files), oldest first. */
export function storedPolicies(store: Store): PolicySummary[] {
  return store.listPolicies().map(toPolicySummary);
}

/** A stored policy: what the list shows, and its file's text (policies.get, `aisle policies show|export`). */
export function storedPolicy(store: Store, id: number): CommandOutput<'policies.get'> {
  const row = store.getPolicy(id);
  return { ...toPolicySummary(row), text: row.json };
}

export function toPolicySummary(p: PolicyInfo): PolicySummary {
  return { id: p.id, name: p.name, runId: p.runId, origin: p.origin, envId: p.envId, kind: p.kind, states: p.states, actions: p.actions, createdAt: p.createdAt };
}
