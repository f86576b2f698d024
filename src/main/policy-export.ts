/**
 * Exporting what a run learned as an `aisle.policy/v1` file: its network when it saved weights
 * checkpoints (DQN, PPO), otherwise its Q-table, or a bandit's one row of action values; with where
 * it comes from (provenance), and the stored row an earlier export of it is already in.
 */
import type { ComponentConfig, Experiment } from '../engine/experiment';
import { findAgent } from '../engine/registry';
import type { Env, Observation } from '../engine/env';
import { argmax } from '../engine/agent';
import { labelOf, type BoxSpace } from '../engine/spaces';
import { neverUpdated, POLICY_FORMAT, policyNameProblem, stateUpdated, type ContextFreePolicyFile, type EnvFingerprint, type MlpPolicyFile, type NeverUpdated, type PolicyFile, type TabularPolicyFile } from '../engine/policy/format';
import { POLICY_LIMITS } from '../engine/policy/runtime';
import { fitApplies } from '../engine/ope/fitted-rows';
import { fmt } from '../shared/text';
import { ValidationError } from '../engine/params';
import type { RunSpec } from '../engine/train';
import { envFingerprints } from './fingerprint';
import { APP_VERSION } from './version';
import type { CheckpointInfo, ExperimentRow, RunRow, Store } from './store';
import { createEnv, policyText, sizes } from './policies';

/** The latest checkpoint of a kind (by episode, then id). */
function latest(checkpoints: readonly CheckpointInfo[], kind: CheckpointInfo['kind']): CheckpointInfo | undefined {
  return checkpoints.reduce<CheckpointInfo | undefined>((best, c) => (c.kind === kind && (!best || c.episode >= best.episode) ? c : best), undefined);
}

/**
 * Why a run without a Q-table or weights checkpoint (every checkpoint is one of those) has no
 * policy file: its agent keeps neither (the myopic oracle's true model, the random policy), the
 * run has not stored its first checkpoint yet, or it stopped before it (or before its first
 * episode: nothing learned). Policies says it as soon as such a run is chosen (RunDetail).
 */
export function nothingToExport(runId: number, status: string, episodesDone: number, agentId: string): string {
  // An agent this version does not know: say what the store lacks.
  const keeps = (findAgent(agentId)?.keeps.length ?? 1) > 0;
  if (!keeps) {
    return (
      `run ${runId}: its agent (${agentId}) keeps no Q-table or network, and a policy file holds one of those: ` +
      'export a run of a tabular, bandit, LinUCB, DQN or PPO agent'
    );
  }
  if (status === 'queued' || status === 'running') return `run ${runId} is ${status} and has stored no Q-table or network yet: export it once it has stored its first checkpoint`;
  if (status === 'completed') return `run ${runId} stored no Q-table or network to export: export another run of its experiment`;
  // Stopped before its first episode, it learned nothing: more checkpoints would not have helped.
  if (episodesDone === 0) return `run ${runId} (${status}) stopped before its first episode and learned nothing to export: export a run that trained`;
  return (
    `run ${runId} (${status}) stopped at episode ${episodesDone.toLocaleString('en-US')}, before its first Q-table or network was stored: ` +
    `export a completed run, or one trained with more checkpoints (the experiment's "checkpoints")`
  );
}

/** A run's policy file and, for a tabular one, how many of its states training never updated (the export says so). */
export interface RunPolicy {
  readonly policy: PolicyFile;
  readonly neverUpdated?: NeverUpdated;
}

/**
 * Builds the policy file of a run: from its last weights checkpoint when it has one, else its final
 * Q-table; one row of action values (a bandit agent's, which ignores the state) makes a
 * context-free policy, on any environment. `run` is run `runId`'s row when the caller has it read
 * already (its config holds an inline MDP: tens of MB to read and parse again).
 */
export function exportRunPolicy(store: Store, runId: number, name?: string, run: RunRow = store.getRun(runId)): RunPolicy {
  if (run.id !== runId) throw new RangeError(`run ${run.id} given for run ${runId}`);
  // A name the policy file refuses is refused before anything is stored (policyNameProblem).
  const nameProblem = name ? policyNameProblem(name) : undefined;
  if (nameProblem !== undefined) throw new ValidationError([`name: ${nameProblem}`]);
  // The run and its experiment are read once for the file and its provenance: with an inline MDP
  // each read parses its config, tens of MB.
  const read = storedRows(store, run);
  const checkpoints = store.listCheckpoints(runId);
  const weights = latest(checkpoints, 'weights');
  if (weights) return { policy: exportNetworkPolicy(store, read, weights.id, name) };
  const last = latest(checkpoints, 'qtable');
  if (!last) throw new ValidationError([nothingToExport(runId, run.status, run.episodesDone, (run.config as RunSpec).agent.id)]);
  const cp = store.getCheckpoint(last.id);
  checkExportable(runId, cp.states === 1 ? { actions: cp.actions } : { states: cp.states, actions: cp.actions });
  const config = run.config as { env: ComponentConfig; agent: ComponentConfig; episodes: number };
  const env = createEnv(config.env);
  const space = env.observationSpace;
  const A = env.actionSpace.n;
  const envStates = space.kind === 'discrete' ? `${space.n} states` : 'vector observations';
  if (cp.actions !== A || (cp.states !== 1 && space.kind === 'discrete' && cp.states !== space.n)) {
    throw new ValidationError([`run ${runId}: its Q-table is ${cp.states}×${cp.actions} but the environment has ${envStates} and ${A} actions`]);
  }
  const named = { name: name || defaultName(read.experiment().name, runId) };
  const actions = Array.from({ length: A }, (_, a) => labelOf(env.actionSpace, a));
  const fingerprints = envFingerprints(config.env, env);
  const fingerprint = fingerprints[0]!;
  if (cp.states === 1) {
    // A file of one number per action, where a tabular one would repeat the row for every state.
    return { policy: { format: POLICY_FORMAT, kind: 'context-free', ...named, env: fingerprint, actions, ...actionValues(runId, cp.data), provenance: provenance(read, cp.episode, fingerprints) } };
  }
  if (space.kind !== 'discrete') throw new ValidationError([`run ${runId}: its environment has vector observations; tabular export needs discrete states`]);
  const S = space.n;
  // The agent's initial value tells a state of one action that training updated from one it never
  // reached; the file says it per state (updated), as the runtime, without the agent, could not.
  const initialQ = typeof config.agent.initialQ === 'number' ? config.agent.initialQ : undefined;
  const q = Array.from({ length: S }, (_, s) => Array.from(cp.data.subarray(s * A, (s + 1) * A)));
  const policy: TabularPolicyFile = {
    format: POLICY_FORMAT,
    kind: 'tabular',
    ...named,
    env: fingerprint,
    states: Array.from({ length: S }, (_, s) => labelOf(space, s)),
    actions,
    q,
    greedy: Array.from({ length: S }, (_, s) => argmax(cp.data, s * A, A)),
    updated: q.map((row) => stateUpdated(row, initialQ)),
    provenance: provenance(read, cp.episode, fingerprints),
  };
  return { policy, neverUpdated: neverUpdated(policy, terminalStates(env)) };
}

/**
 * The environment's terminal states (`terminal[s]` is 1), which a count of states never updated
 * leaves out: training never updates one, and a service is never asked about one. An MDP's, and a
 * shop's "left" (Env.terminalStates). The export and the Q-tables screen (qtables.get) both take
 * them from here.
 */
export function terminalStates(env: Env<Observation>): Uint8Array | undefined {
  return env.terminalStates;
}

/** A context-free policy's values (one row of action values, checked finite) and their argmax. */
function actionValues(runId: number, row: Float64Array): Pick<ContextFreePolicyFile, 'values' | 'greedy'> {
  const bad = row.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ValidationError([`run ${runId}: its action values are not finite (action ${bad}'s is ${row[bad]}): train it again with settings that keep them finite`]);
  return { values: Array.from(row), greedy: argmax(row, 0, row.length) };
}

/**
 * Refuses, before the file is built, a policy larger than a policy file holds (POLICY_LIMITS, which
 * the runtime and every reader of the file enforce): written, nothing could load it. A shop trains
 * on up to 100,000 items, and a Q-table up to 2²⁵ values.
 */
export function checkExportable(runId: number, size: { states?: number; actions: number; weights?: number }): void {
  const L = POLICY_LIMITS;
  const fix = 'a policy is for serving a catalog of at most that many actions: train with fewer items, or with the shop\'s actionLevel "category"';
  const problem =
    size.actions > L.actions
      ? `it has ${fmt(size.actions)} actions, more than the ${fmt(L.actions)} a policy file holds: ${fix}`
      : size.states !== undefined && size.states > L.states
        ? `its Q-table has ${fmt(size.states)} states, more than the ${fmt(L.states)} a policy file holds: train with a smaller observation (fewer segments, levels or categories)`
        : size.states !== undefined && size.states * size.actions > L.values
          ? `its Q-table has ${fmt(size.states)} states × ${fmt(size.actions)} actions = ${fmt(size.states * size.actions)} values, more than the ${fmt(L.values)} a policy file holds: train with fewer items or states, or with the shop's actionLevel "category"`
          : size.weights !== undefined && size.weights > L.weights
            ? `its network has ${fmt(size.weights)} weights, more than the ${fmt(L.weights)} a policy file holds: train a smaller network (hidden)`
            : undefined;
  if (problem !== undefined) throw new ValidationError([`run ${runId}: its policy cannot be exported: ${problem}`]);
}

/** An `mlp` policy from a weights checkpoint: the network as the agent acts greedily with it. */
function exportNetworkPolicy(store: Store, read: StoredRows, checkpointId: number, name?: string): MlpPolicyFile {
  const { run } = read;
  const runId = run.id;
  const cp = store.getWeights(checkpointId);
  const config = run.config as { env: ComponentConfig; agent: ComponentConfig };
  const env = createEnv(config.env);
  const { layers, encoding, output } = cp.network;
  checkExportable(runId, { actions: layers[layers.length - 1]!.out, weights: cp.params.length });
  const space = env.observationSpace;
  const inputs = space.kind === 'discrete' ? space.n : space.size;
  const fits = encoding.kind === 'one-hot' ? space.kind === 'discrete' && encoding.n === inputs : space.kind === 'box' && encoding.size === inputs;
  if (!fits || layers[layers.length - 1]!.out !== env.actionSpace.n) {
    throw new ValidationError([`run ${runId}: its network (${layers[0]!.in} inputs, ${layers[layers.length - 1]!.out} outputs) does not fit its environment (${inputs} features, ${env.actionSpace.n} actions)`]);
  }
  const bad = cp.params.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ValidationError([`run ${runId}: its network has a non-finite weight (parameter ${bad} is ${cp.params[bad]}): training diverged; lower the learning rate and run it again`]);
  const experiment = read.experiment();
  const fingerprints = envFingerprints(config.env, env);
  const fingerprint = fingerprints[0]!;
  return {
    format: POLICY_FORMAT,
    kind: 'mlp',
    name: name || defaultName(experiment.name, runId),
    env: fingerprint,
    ...(space.kind === 'discrete' ? { states: Array.from({ length: space.n }, (_, s) => labelOf(space, s)) } : {}),
    actions: Array.from({ length: env.actionSpace.n }, (_, a) => labelOf(env.actionSpace, a)),
    network: {
      layers: layers.map((l) => ({ ...l })),
      weights: Array.from(cp.params),
      // A vector input's features named as the environment names them, so a server can build it,
      // and their range, so the runtime refuses a feature on another scale (engagement 70 for 0.7).
      encoding: encoding.kind === 'vector' && space.kind === 'box' ? { ...encoding, ...(space.labels ? { features: [...space.labels] } : {}), ...featureRange(space) } : { ...encoding },
      output,
    },
    provenance: provenance(read, cp.episode, fingerprints),
  };
}

/** A vector space's bounds as the policy file writes them (low, high), each left out where it is unbounded. */
function featureRange(space: BoxSpace): { low?: number; high?: number } {
  return { ...(Number.isFinite(space.low) ? { low: space.low } : {}), ...(Number.isFinite(space.high) ? { high: space.high } : {}) };
}

/** A run's row and its experiment's, read once (the experiment when first asked for). */
interface StoredRows {
  readonly run: RunRow;
  readonly experiment: () => ExperimentRow;
}

function storedRows(store: Store, run: RunRow): StoredRows {
  let experiment: ExperimentRow | undefined;
  return { run, experiment: () => (experiment ??= store.getExperiment(run.experimentId)) };
}

/**
 * Where a policy comes from: its run, the checkpoint's episode (0-based) it was taken at, the
 * agent's γ, and the logged rows its simulator was fitted to when its experiment recorded them (so
 * that scoring it on those rows is noticed: fitted-rows.ts), unless recorded for another
 * environment than the policy's (edited after the fit: fitApplies), whose `fingerprints` are
 * envFingerprints'.
 */
function provenance(read: StoredRows, checkpointEpisode: number, fingerprints: readonly EnvFingerprint[]): PolicyFile['provenance'] {
  const { run } = read;
  const runId = run.id;
  const experiment = read.experiment();
  const agent = (run.config as { agent: ComponentConfig }).agent;
  // A queued run has no checkpoint to export; a paused one is, as the policy file's format says it, cancelled (it may be resumed).
  const exported = run.status === 'queued' ? 'interrupted' : run.status === 'paused' ? 'cancelled' : run.status;
  const { fittedTo } = experiment.config as Pick<Experiment, 'fittedTo'>;
  return {
    runId,
    experimentId: run.experimentId,
    experimentName: experiment.name,
    agent: String(agent.id),
    seed: run.seed,
    episodes: checkpointEpisode + 1,
    status: exported,
    ...(typeof agent.gamma === 'number' ? { gamma: agent.gamma } : {}),
    ...(fittedTo !== undefined && fitApplies(fittedTo, fingerprints.map((f) => f.hash)) ? { fittedTo } : {}),
    configHash: run.configHash,
    appVersion: APP_VERSION,
    createdAt: new Date().toISOString(),
  };
}

/** The name an export gives a run's policy when it is given none. */
function defaultName(experimentName: string, runId: number): string {
  return `${experimentName} — run ${runId}`;
}

/**
 * What two exports of one run's policy may differ in, taken out of its file: its provenance's
 * createdAt; its environment's hashes, which an earlier version took with the MDP's name in them
 * (see envFingerprints): a run's environment does not change, its hashing did; and the ids of its
 * run and experiment, with the name an export makes of them when given none: `results import` gives
 * the run and its experiment new ids, and copies the policy's row as it was, naming those of the
 * database it was exported from (the row is the imported run's all the same: policies.run_id).
 */
function exportKey(text: string): string | undefined {
  const file = JSON.parse(text) as Partial<PolicyFile> | null;
  // A stored row that is no policy file (a database edited by hand) is no earlier export of this one.
  if (typeof file?.provenance !== 'object' || file.provenance === null || typeof file.env !== 'object' || file.env === null) return undefined;
  const { createdAt: _createdAt, runId: _runId, experimentId: _experimentId, ...provenance } = file.provenance;
  const { hash: _hash, mdpHash: _mdpHash, ...env } = file.env;
  const { experimentName, runId } = file.provenance;
  const name = experimentName !== undefined && file.name === defaultName(experimentName, runId) ? { byDefault: true } : file.name;
  return JSON.stringify({ ...file, name, env, provenance });
}

/**
 * A run's exported policy as a file, and the stored row it is already in, if one is: a finished
 * run's policy does not change, so exporting it again (a second download, `aisle export` after the
 * app's Export) wrote a file that differed only in its createdAt and listed one policy several
 * times under one name; so did an export of a run imported from a results file with its policy
 * (exportKey). An earlier export's text is returned whole (its createdAt and ids too), so the file
 * written is the stored one. `store()` (call it once the file can be written) stores a new one and
 * gives its id and text, looking again inside its write transaction: another process (the app and
 * `aisle export` at once) may have stored the run's export since, and then that row and its text
 * are given, not a second row.
 */
export function exportFile(store: Store, runId: number, policy: PolicyFile, name?: string | null): { text: string; storedId: number | undefined; store: () => { id: number; text: string; added: boolean } } {
  const text = policyText(policy);
  let key: string | undefined;
  const find = (): { id: number; text: string } | undefined => {
    for (const stored of store.listPolicies(runId)) {
      if (stored.origin !== 'export') continue;
      const row = store.getPolicy(stored.id);
      key ??= exportKey(text)!;
      if (exportKey(row.json) === key) return { id: stored.id, text: row.json };
    }
    return undefined;
  };
  const found = find();
  if (found !== undefined) return { text: found.text, storedId: found.id, store: () => ({ ...found, added: false }) };
  return {
    text,
    storedId: undefined,
    store: () =>
      store.transaction(() => {
        const meanwhile = find();
        if (meanwhile !== undefined) return { ...meanwhile, added: false };
        return { id: store.savePolicy({ runId, origin: 'export', name: name ?? null, json: text, ...sizes(policy) }), text, added: true };
      }),
  };
}
