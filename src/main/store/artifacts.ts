/** What a run leaves besides metrics: Q-table checkpoints (float64, since Q-values need the
 * precision), network weights checkpoints (float32, as the networks hold them), and policies
 * (JSON text) exported from runs or imported from files. */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { NetworkLayout } from '../../engine/agent';
import { show, showJson } from '../../engine/params';
import { copyFloat64, float32Blob, float64Blob, readFloat32 } from './codec';
import { DamagedDataError, NotFoundError } from './errors';
import type {
  Checkpoint, CheckpointInfo, CheckpointKind, NewCheckpoint, NewPolicy, NewWeightsCheckpoint, PolicyInfo, PolicyOrigin, PolicyRow, WeightsCheckpoint,
} from './types';

interface CheckpointRecord {
  id: number;
  run_id: number;
  episode: number;
  kind: CheckpointKind;
  shape: string;
  created_at: number;
}

interface PolicyRecord {
  id: number;
  run_id: number | null;
  origin: PolicyOrigin;
  name: string | null;
  env_id: string;
  kind: string;
  states: number;
  actions: number;
  created_at: number;
  json?: string;
}

const POLICY_INFO = 'id, run_id, origin, name, env_id, kind, states, actions, created_at';
const ACTIVATIONS: readonly string[] = ['relu', 'tanh', 'linear'];

export class Artifacts {
  private readonly runExists;
  private readonly insertCheckpoint;
  private readonly selectCheckpoints;
  private readonly selectCheckpoint;
  private readonly insertPolicy;
  private readonly selectPolicies;
  private readonly selectPoliciesOfRun;
  private readonly selectPolicy;
  private readonly selectSamePolicy;
  private readonly selectPolicyActions;
  private readonly deletePolicyRow;
  private readonly deleteCheckpointsFrom;
  private readonly deleteCheckpointsAt;

  constructor(db: Database.Database) {
    this.deleteCheckpointsFrom = db.prepare<[number, number], void>(`DELETE FROM checkpoints WHERE run_id = ? AND episode >= ?`);
    this.deleteCheckpointsAt = db.prepare<[number, number], void>(`DELETE FROM checkpoints WHERE run_id = ? AND episode = ?`);
    this.runExists = db.prepare<[number], number>(`SELECT 1 FROM runs WHERE id = ?`).pluck();
    this.insertCheckpoint = db.prepare(
      `INSERT INTO checkpoints (run_id, episode, kind, shape, labels, created_at, data, digest)
       VALUES (@runId, @episode, @kind, @shape, @labels, @now, @data, @digest)`,
    );
    const info = 'id, run_id, episode, kind, shape, created_at';
    this.selectCheckpoints = db.prepare<[number], CheckpointRecord>(
      `SELECT ${info} FROM checkpoints WHERE run_id = ? ORDER BY episode, id`,
    );
    this.selectCheckpoint = db.prepare<[number], CheckpointRecord & { labels: string | null; data: Buffer; digest: string | null }>(
      `SELECT ${info}, labels, data, digest FROM checkpoints WHERE id = ?`,
    );
    // What the caller did not give is read from the policy file itself (json_valid first, so
    // text that is not JSON fails the table's CHECK rather than json_extract).
    const fromJson = (path: string, fn: string, type: string) =>
      `CASE WHEN json_valid(@json) AND json_type(@json, '${path}') = '${type}' THEN ${fn}(@json, '${path}') END`;
    this.insertPolicy = db.prepare(
      `INSERT INTO policies (run_id, origin, name, env_id, kind, states, actions, created_at, json)
       VALUES (@runId, @origin, @name,
               coalesce(@envId, ${fromJson('$.env.id', 'json_extract', 'text')}, ''),
               coalesce(@kind, nullif(${fromJson('$.kind', 'json_extract', 'text')}, ''), 'tabular'),
               coalesce(@states, ${fromJson('$.states', 'json_array_length', 'array')}, 0),
               coalesce(@actions, ${fromJson('$.actions', 'json_array_length', 'array')}, 0),
               @now, @json)`,
    );
    this.selectPolicies = db.prepare<[], PolicyRecord>(`SELECT ${POLICY_INFO} FROM policies ORDER BY id`);
    this.selectPoliciesOfRun = db.prepare<[number], PolicyRecord>(
      `SELECT ${POLICY_INFO} FROM policies WHERE run_id = ? ORDER BY id`,
    );
    this.selectPolicy = db.prepare<[number], Required<PolicyRecord>>(`SELECT ${POLICY_INFO}, json FROM policies WHERE id = ?`);
    this.deletePolicyRow = db.prepare<[number], void>(`DELETE FROM policies WHERE id = ?`);
    this.selectSamePolicy = db.prepare<[string], number>(`SELECT id FROM policies WHERE json = ? ORDER BY id LIMIT 1`).pluck();
    // SQLite reads the one field out of each file: a shop's Q-table policy is ~15 MB of JSON.
    // A file that is not JSON (damaged: the CHECK holds for writes only) is told apart (NULL), not
    // refused by json_extract with SQLite's bare 'malformed JSON'.
    this.selectPolicyActions = db.prepare<[], { id: number; actions: string | null }>(
      `SELECT id, CASE WHEN json_valid(json) THEN json_extract(json, '$.actions') END AS actions FROM policies ORDER BY id`,
    );
  }
  /** Drops the run's checkpoints at episode `episode` and after (taken after the state a resumed run continues from). */
  dropCheckpointsFrom(runId: number, episode: number): void {
    this.deleteCheckpointsFrom.run(runId, episode);
  }

  /** Drops the run's checkpoints at episode `episode` (a stopped run's final values, taken at the stop). */
  dropCheckpointsAt(runId: number, episode: number): void {
    this.deleteCheckpointsAt.run(runId, episode);
  }


  addCheckpoint(runId: number, checkpoint: NewCheckpoint): CheckpointInfo {
    if (checkpoint.kind === 'weights') return this.addWeights(runId, checkpoint);
    const { episode, kind, states, actions, data, labels } = checkpoint;
    if (kind !== 'qtable') throw new RangeError(`unknown checkpoint kind "${String(kind)}"`);
    for (const [what, n] of [['states', states], ['actions', actions]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`a Q-table needs a whole number ≥ 1 of ${what}, got ${n}`);
    }
    if (data.length !== states * actions) {
      throw new RangeError(`a ${states}×${actions} Q-table has ${states * actions} values, got ${data.length}`);
    }
    if (labels?.states !== undefined && labels.states.length !== states) {
      throw new RangeError(`${labels.states.length} state labels for ${states} states`);
    }
    if (labels?.actions !== undefined && labels.actions.length !== actions) {
      throw new RangeError(`${labels.actions.length} action labels for ${actions} actions`);
    }
    this.assertRun(runId);
    const now = Date.now();
    const shape = [states, actions];
    const id = Number(
      this.insertCheckpoint.run({
        runId,
        episode,
        kind,
        shape: JSON.stringify(shape),
        labels: labels === undefined ? null : JSON.stringify(labels),
        now,
        ...withDigest(float64Blob(data)),
      }).lastInsertRowid,
    );
    return { id, runId, episode, kind, shape, createdAt: now };
  }

  /** A network's parameters: the layout is checked against itself and the parameter count. */
  private addWeights(runId: number, checkpoint: NewWeightsCheckpoint): CheckpointInfo {
    const { episode, network, data } = checkpoint;
    const { layers, encoding, output } = network;
    if (layers.length === 0) throw new RangeError('a network needs at least one layer');
    layers.forEach((layer, l) => {
      for (const [what, n] of [['in', layer.in], ['out', layer.out]] as const) {
        if (!Number.isInteger(n) || n < 1) throw new RangeError(`layer ${l} needs a whole number ≥ 1 of ${what}puts, got ${n}`);
      }
      if (l > 0 && layer.in !== layers[l - 1]!.out) throw new RangeError(`layer ${l} takes ${layer.in} inputs but layer ${l - 1} gives ${layers[l - 1]!.out}`);
      if (!ACTIVATIONS.includes(layer.activation)) throw new RangeError(`layer ${l} has unknown activation "${String(layer.activation)}"`);
    });
    const inputs = encoding.kind === 'one-hot' ? encoding.n : encoding.kind === 'vector' ? encoding.size : NaN;
    if (inputs !== layers[0]!.in) throw new RangeError(`the encoding gives ${inputs} inputs but the first layer takes ${layers[0]!.in}`);
    if (output !== 'q' && output !== 'logits') throw new RangeError(`unknown network output "${String(output)}"`);
    const expected = parameterCount(layers);
    if (data.length !== expected) throw new RangeError(`the network has ${expected} parameters, got ${data.length}`);
    this.assertRun(runId);
    const now = Date.now();
    const layout: NetworkLayout = { layers: layers.map((l) => ({ in: l.in, out: l.out, activation: l.activation })), encoding, output };
    const id = Number(
      this.insertCheckpoint.run({ runId, episode, kind: 'weights', shape: JSON.stringify(layout), labels: null, now, ...withDigest(float32Blob(data)) }).lastInsertRowid,
    );
    return { id, runId, episode, kind: 'weights', shape: [layers[0]!.in, layers[layers.length - 1]!.out], network: layout, createdAt: now };
  }

  /** The run's checkpoints by episode, without their data. */
  listCheckpoints(runId: number): CheckpointInfo[] {
    const rows = this.selectCheckpoints.all(runId);
    if (rows.length === 0) this.assertRun(runId);
    return rows.map(toCheckpointInfo);
  }

  getCheckpoint(id: number): Checkpoint {
    const record = this.checkedCheckpoint(id);
    if (record.kind !== 'qtable') throw new RangeError(`checkpoint ${id} holds ${record.kind === 'weights' ? 'network weights' : `"${record.kind}"`}, not a Q-table`);
    const info = toCheckpointInfo(record);
    // Two whole numbers: toCheckpointInfo refuses any other shape of a Q-table as damage.
    const [states, actions] = info.shape as [number, number];
    // As addCheckpoint checks them coming in: a shape or labels edited apart from the values would
    // otherwise be read as another table (the digest covers the values only).
    if (states * actions * 8 !== record.data.length) damaged(record, `its shape ${JSON.stringify(info.shape)} does not fit its ${record.data.length / 8} values`);
    const labels = record.labels === null ? null : (storedJson(record, 'labels are', record.labels) as Checkpoint['labels']);
    for (const [what, n] of [['states', states], ['actions', actions]] as const) {
      const given = labels?.[what];
      if (given !== undefined && (!Array.isArray(given) || given.length !== n)) damaged(record, `its ${what} labels are not ${n}, one per ${what === 'states' ? 'state' : 'action'}`);
    }
    return { ...info, states, actions, data: copyFloat64(record.data), labels };
  }

  getWeights(id: number): WeightsCheckpoint {
    const record = this.checkedCheckpoint(id);
    const info = toCheckpointInfo(record);
    if (info.kind !== 'weights' || !info.network) throw new RangeError(`checkpoint ${id} holds a Q-table, not network weights`);
    const expected = parameterCount(info.network.layers);
    if (expected * 4 !== record.data.length) damaged(record, `its layout needs ${expected} parameters, and it holds ${record.data.length / 4}`);
    return { ...info, kind: 'weights', network: info.network, params: readFloat32(record.data).slice() };
  }

  /** A checkpoint's row, its data checked against the digest stored with it (see migration 10). */
  private checkedCheckpoint(id: number): CheckpointRecord & { labels: string | null; data: Buffer } {
    const record = this.selectCheckpoint.get(id);
    if (record === undefined) throw new NotFoundError('checkpoint', id);
    if (record.digest !== null && digestOf(record.data) !== record.digest) damaged(record, 'its stored values do not match their digest');
    return record;
  }

  savePolicy(policy: NewPolicy): number {
    const runId = policy.runId ?? null;
    if (runId !== null) this.assertRun(runId);
    const params = {
      runId,
      origin: policy.origin ?? 'export',
      name: policy.name ?? null,
      envId: policy.envId ?? null,
      kind: policy.kind ?? null,
      states: policy.states ?? null,
      actions: policy.actions ?? null,
      json: policy.json,
      now: Date.now(),
    };
    return Number(this.insertPolicy.run(params).lastInsertRowid);
  }

  /** Policies (without their JSON), oldest first; of one run when `runId` is given. */
  listPolicies(runId?: number): PolicyInfo[] {
    if (runId === undefined) return this.selectPolicies.all().map(toPolicyInfo);
    const rows = this.selectPoliciesOfRun.all(runId);
    if (rows.length === 0) this.assertRun(runId);
    return rows.map(toPolicyInfo);
  }

  getPolicy(id: number): PolicyRow {
    const record = this.selectPolicy.get(id);
    if (record === undefined) throw new NotFoundError('policy', id);
    return { ...toPolicyInfo(record), json: record.json };
  }

  /** The first stored policy whose file is this very text (undefined: none). */
  samePolicy(json: string): number | undefined {
    return this.selectSamePolicy.get(json);
  }

  /** Every stored policy's action labels (its file's `actions`, checked when it was stored), oldest first, without reading the rest of its file. */
  policyActions(): { id: number; actions: string[] }[] {
    return this.selectPolicyActions.all().map(({ id, actions }) => {
      // As `aisle check` names it.
      if (actions === null) throw new DamagedDataError(`stored policy #${id}: its file is not JSON`);
      return { id, actions: JSON.parse(actions) as string[] };
    });
  }

  deletePolicy(id: number): void {
    if (this.deletePolicyRow.run(id).changes === 0) throw new NotFoundError('policy', id);
  }

  private assertRun(runId: number): void {
    if (this.runExists.get(runId) === undefined) throw new NotFoundError('run', runId);
  }
}

function toCheckpointInfo(r: CheckpointRecord): CheckpointInfo {
  // Aisle writes these two only: another (a results file's row edited) was listed as a Q-table's, then
  // its read threw a RangeError ('checkpoint 5 holds "0.0", not a Q-table'): a results import and
  // `aisle check` ended in it, exit 1, where the file or the database is what is damaged.
  if (r.kind !== 'qtable' && r.kind !== 'weights') damaged(r, `its kind ${show(r.kind)} is not one Aisle writes ("qtable" for a Q-table, "weights" for a network's)`);
  const info = { id: r.id, runId: r.run_id, episode: r.episode, kind: r.kind, createdAt: r.created_at };
  // The shape or layout as Aisle writes them, else damage named: JSON of another shape (-1, {}) ended
  // its listing in a TypeError ("number -1 is not iterable"), exit 1, where the row is what is damaged.
  if (r.kind === 'weights') {
    const network = storedJson(r, 'layout is', r.shape) as NetworkLayout;
    const layers: unknown = typeof network === 'object' && network !== null ? network.layers : undefined;
    const width = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
    if (!Array.isArray(layers) || layers.length === 0 || !layers.every((l: unknown) => typeof l === 'object' && l !== null && width((l as { in: unknown }).in) && width((l as { out: unknown }).out))) {
      damaged(r, `its layout ${showJson(network)} is not a network's ({ "layers": [{ "in", "out", … }, …], … })`);
    }
    return { ...info, shape: [network.layers[0]!.in, network.layers[network.layers.length - 1]!.out], network };
  }
  const shape = storedJson(r, 'shape is', r.shape);
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((n) => Number.isInteger(n) && (n as number) >= 0)) damaged(r, `its shape ${showJson(shape)} is not [states, actions]`);
  return { ...info, shape: shape as number[] };
}

/** A checkpoint's stored JSON (its shape, layout or labels); text that no longer parses is damage, named (see parseStored). */
/** `what`: the field with its verb ("shape is", "labels are"). */
function storedJson(record: CheckpointRecord, what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return damaged(record, `its ${what} not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function toPolicyInfo(r: PolicyRecord): PolicyInfo {
  return {
    id: r.id,
    runId: r.run_id,
    origin: r.origin,
    name: r.name,
    envId: r.env_id,
    kind: r.kind,
    states: r.states,
    actions: r.actions,
    createdAt: r.created_at,
  };
}

/** A network's weights and biases: in × out + out per layer. */
function parameterCount(layers: NetworkLayout['layers']): number {
  return layers.reduce((n, layer) => n + layer.in * layer.out + layer.out, 0);
}

/** A checkpoint whose row does not hold together (its values against their digest, its shape or labels against its values). */
function damaged(record: CheckpointRecord, why: string): never {
  throw new DamagedDataError(`run ${record.run_id}'s checkpoint after ${(record.episode + 1).toLocaleString('en-US')} episodes: ${why}`);
}

/** SHA-1 of a checkpoint's bytes: a check against damage on disk, not against tampering. */
function digestOf(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

function withDigest(data: Buffer): { data: Buffer; digest: string } {
  return { data, digest: digestOf(data) };
}
