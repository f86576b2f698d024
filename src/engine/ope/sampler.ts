/**
 * The statistics of one sample of the logs, computed for the logs themselves and for every
 * bootstrap resample of them (see estimators.ts for the estimators): the logs as units (identical
 * rows grouped, so a resample is one multinomial draw per group) and a sampler that keeps every
 * sum it needs allocated once, the reward model's per fold.
 */
import { Rng, Stream } from '../rng';
import { rows, type LoggedBandit } from './data';
import { shrunkMean } from './dominant-rows';
import { RowGroups } from './row-groups';
import type { TargetPolicy } from './targets';

/** The five statistics of one (re)sample, in this order. */
export const LOGGED = 0;
export const IPS = 1;
export const SNIPS = 2;
export const DM = 3;
export const DR = 4;

/**
 * Each of `n` rows' fold for DR's cross-fitting: the rows in an order shuffled by the engine's
 * generator (seed 0, the folds stream: the same rows always get the same folds) and dealt out in
 * turn, so the K folds differ in size by one at most, as the Open Bandit Pipeline's shuffled KFold.
 * Not row i in fold i mod K: logs written a slate at a time (K positions on K consecutive rows)
 * then put each position in a fold of its own, and each row was corrected by a model that had
 * never seen its context (DR's error ~20 % larger, its interval nearly IPS's).
 */
export function crossFitFolds(n: number, folds: number): Uint8Array {
  // A byte a row (folds ≤ 10): kept for every row evaluated while the rows are the units.
  const fold = new Uint8Array(n);
  if (folds === 1) return fold;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(0, Stream.folds);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  for (let k = 0; k < n; k++) fold[order[k]!] = k % folds;
  return fold;
}

/**
 * The logs as units for the statistics: the distinct (context, action, reward, weight) rows with
 * their counts when there are few of them (clicks on a catalog: a few hundred groups however many
 * rows), otherwise the rows themselves, each counted once. A resample of the n rows is then, per
 * group, exactly Multinomial(n; count_g / n), drawn in O(groups); rows are drawn one by one only
 * when they are mostly distinct.
 */
export class Units {
  /** Each unit's (context, action): its cell is context · A + action. */
  readonly action: Int32Array;
  readonly context: Int32Array;
  readonly fold: Uint8Array;
  readonly reward: Float64Array;
  readonly weight: Float64Array;
  /**
   * How many logged rows each unit stands for when the rows are grouped; undefined when the units
   * are the rows, each one row (a column of 1s was 8 bytes a row: 51 MB on 6.4M rows).
   */
  readonly count: Float64Array | undefined;
  /** How many units. */
  readonly size: number;
  readonly grouped: boolean;

  constructor(data: LoggedBandit, target: TargetPolicy, folds: number) {
    const n = rows(data);
    const A = data.actionLabels.length;
    const weightOf = (i: number) => target.probs[data.context[i]! * A + data.action[i]!]! / data.propensity[i]!;
    const foldOf = crossFitFolds(n, folds);
    const limit = Math.max(16 * folds, n >>> 3);
    // Rows grouped by (cell · K + fold, reward, weight), in the order first seen, until there are too many groups.
    const groups = new RowGroups();
    for (let i = 0; i < n && groups.size <= limit; i++) {
      groups.add((data.context[i]! * A + data.action[i]!) * folds + foldOf[i]!, data.reward[i]!, weightOf(i));
    }
    this.grouped = groups.size <= limit;
    if (this.grouped) {
      const size = (this.size = groups.size);
      const keys = groups.key.subarray(0, size);
      const cell = Int32Array.from(keys, (k) => Math.floor(k / folds));
      this.fold = Uint8Array.from(keys, (k) => k % folds);
      this.reward = groups.reward.slice(0, size);
      this.weight = groups.weight.slice(0, size);
      this.count = groups.count.slice(0, size);
      this.action = Int32Array.from(cell, (c) => c % A);
      this.context = Int32Array.from(cell, (c) => Math.floor(c / A));
    } else {
      this.fold = foldOf;
      // The rows' own columns, never written: copies of them were 8 bytes a row more (51 MB on 6.4M rows).
      this.reward = data.reward;
      this.action = data.action;
      this.context = data.context;
      this.weight = Float64Array.from({ length: n }, (_, i) => weightOf(i));
      this.count = undefined;
      this.size = n;
    }
  }
}

/**
 * Everything one sample's statistics need, allocated once: a sample is a multiplicity k_u per
 * unit (the units' own counts for the logs themselves), and the statistics are weighted sums over
 * units, so a resample costs what the rows cost: O(units + folds × (the cells and actions the logs
 * show + contexts)), never contexts × the target's support (a uniform target over 500,000 actions
 * in 10 contexts walked 5 million cells per model per resample).
 *
 * The reward model's sums are kept per fold and in all (index K), the model without fold f being
 * the whole's sums minus fold f's, for the cells and actions the logs show only (numbered densely:
 * `slot`, `actionSlot`). Everywhere else q̂ is known without a sum: a cell without rows in the
 * model is its action's mean q̂(a) (with no rows of its own to leave out, q̂₋ₓ(a) = q̂(a)), and an
 * action without rows the overall mean r̄ (the header's formulas with S = N = 0). So DM's Σ_x (N_x / n) Σ_a π(a|x) q̂(x, a) is taken as
 *
 *   Σ_x (N_x / n) π(x) r̄  +  Σ_a W(a) (q̂(a) − r̄)  +  Σ_(x,a) (N_x / n) π(a|x) (q̂(x, a) − q̂(a))
 *
 * (π(x) the target's mass in x, 1 within rounding; W(a) = Σ_x (N_x / n) π(a|x); the second sum over
 * the actions with rows in the model, the third over such cells), the same value as summing every
 * cell of the support, to rounding. W is summed over the contexts whose π(·|x) is the same
 * distribution at once (every context, for uniform or a context-free policy), each such group's
 * support among the logged actions listed once.
 */
export class Sampler {
  private readonly n: number;
  private readonly K: number;
  private readonly C: number;
  /** Distinct cells the logs show (the sums' cells). */
  private readonly R: number;
  /** Distinct actions the logs show. */
  private readonly L: number;
  /** Per unit: its cell's slot. */
  private readonly unitSlot: Int32Array;
  /** Per cell slot: its action slot, its context, and π there. */
  private readonly slotAction: Int32Array;
  private readonly slotContext: Int32Array;
  private readonly slotProb: Float64Array;
  // Sums per model index j (a fold, or K: every row) at [j · size + i].
  private readonly slotSum: Float64Array;
  private readonly slotCount: Float64Array;
  private readonly actionSum: Float64Array;
  private readonly actionCount: Float64Array;
  private readonly contextCount: Float64Array;
  private readonly foldSum: Float64Array;
  private readonly foldCount: Float64Array;
  /** Per context: π's whole mass there (its unlisted mass included; 1 within 1e-9), and its group of contexts with the same π(·|x). */
  private readonly contextMass: Float64Array;
  private readonly contextGroup: Int32Array;
  /** Per group: π's support among the logged actions, groupStart[g]..groupStart[g + 1] into groupAction (action slots) / groupProb. */
  private readonly groupStart: Int32Array;
  private readonly groupAction: Int32Array;
  private readonly groupProb: Float64Array;
  /** Scratch per direct(): the rows' share per group, and W per action slot. */
  private readonly groupShare: Float64Array;
  private readonly actionWeight: Float64Array;
  readonly out = new Float64Array(5);

  constructor(
    data: LoggedBandit,
    target: TargetPolicy,
    readonly units: Units,
    private readonly m: number,
    folds: number,
  ) {
    this.n = rows(data);
    this.K = folds;
    const A = data.actionLabels.length;
    const C = (this.C = data.contextLabels.length);
    // Cells and actions numbered densely in the order the units first show them (the sums' order),
    // one slot per unit: its action's slot is its cell's (slotAction), not a second column per unit.
    const slots = new Map<number, number>();
    const cellKeys: number[] = [];
    const actionSlotOf = new Map<number, number>();
    const actionKeys: number[] = [];
    this.unitSlot = new Int32Array(units.size);
    for (let u = 0; u < units.size; u++) {
      const a = units.action[u]!;
      const cell = units.context[u]! * A + a;
      let s = slots.get(cell);
      if (s === undefined) {
        slots.set(cell, (s = cellKeys.length));
        cellKeys.push(cell);
      }
      this.unitSlot[u] = s;
      if (!actionSlotOf.has(a)) {
        actionSlotOf.set(a, actionKeys.length);
        actionKeys.push(a);
      }
    }
    const R = (this.R = cellKeys.length);
    const L = (this.L = actionKeys.length);
    this.slotAction = Int32Array.from(cellKeys, (cell) => actionSlotOf.get(cell % A)!);
    this.slotContext = Int32Array.from(cellKeys, (cell) => Math.floor(cell / A));
    this.slotProb = Float64Array.from(cellKeys, (cell) => target.probs[cell]!);

    // Contexts grouped by their π(·|x), compared whole (a hash of the row's bits first).
    const { probs } = target;
    const bits = new Uint32Array(probs.buffer, probs.byteOffset, probs.length * 2);
    const byHash = new Map<number, number[]>();
    this.contextMass = new Float64Array(C);
    this.contextGroup = new Int32Array(C);
    const representative: number[] = [];
    const sameRow = (x: number, y: number) => {
      for (let a = 0; a < A; a++) if (probs[x * A + a] !== probs[y * A + a]) return false;
      return true;
    };
    for (let x = 0; x < C; x++) {
      let hash = 0;
      let mass = target.unlisted[x]!;
      for (let a = 0; a < A; a++) {
        const p = probs[x * A + a]!;
        if (p > 0) mass += p;
        hash = Math.imul(hash ^ bits[2 * (x * A + a)]!, 0x9e3779b1) ^ bits[2 * (x * A + a) + 1]!;
      }
      this.contextMass[x] = mass;
      const candidates = byHash.get(hash) ?? [];
      let g = candidates.find((h) => sameRow(representative[h]!, x));
      if (g === undefined) {
        g = representative.length;
        representative.push(x);
        candidates.push(g);
        byHash.set(hash, candidates);
      }
      this.contextGroup[x] = g;
    }
    this.groupStart = new Int32Array(representative.length + 1);
    const groupActions: number[] = [];
    const groupProbs: number[] = [];
    representative.forEach((x, g) => {
      this.groupStart[g] = groupActions.length;
      for (let l = 0; l < L; l++) {
        const p = probs[x * A + actionKeys[l]!]!;
        if (p > 0) {
          groupActions.push(l);
          groupProbs.push(p);
        }
      }
    });
    this.groupStart[representative.length] = groupActions.length;
    this.groupAction = Int32Array.from(groupActions);
    this.groupProb = Float64Array.from(groupProbs);
    this.groupShare = new Float64Array(representative.length);
    this.actionWeight = new Float64Array(L);

    const models = folds + 1;
    this.slotSum = new Float64Array(models * R);
    this.slotCount = new Float64Array(models * R);
    this.actionSum = new Float64Array(models * L);
    this.actionCount = new Float64Array(models * L);
    this.contextCount = new Float64Array(models * C);
    this.foldSum = new Float64Array(models);
    this.foldCount = new Float64Array(models);
  }

  /** The statistics of the sample with multiplicities k per unit into `out`. */
  compute(k: ArrayLike<number>): Float64Array {
    const { n, K, C, R, L, unitSlot, slotAction, slotSum, slotCount, actionSum, actionCount, contextCount, foldSum, foldCount } = this;
    const { weight, reward, context, fold } = this.units;
    const size = unitSlot.length;
    slotSum.fill(0);
    slotCount.fill(0);
    actionSum.fill(0);
    actionCount.fill(0);
    contextCount.fill(0);
    foldSum.fill(0);
    foldCount.fill(0);
    let ipsSum = 0;
    let weightSum = 0;
    for (let u = 0; u < size; u++) {
      const times = k[u]!;
      if (times === 0) continue;
      const r = reward[u]!;
      const w = weight[u]!;
      ipsSum += times * w * r;
      weightSum += times * w;
      const f = fold[u]!;
      const slot = unitSlot[u]!;
      const l = slotAction[slot]!;
      const x = context[u]!;
      // Into the unit's fold (j = f), then into the whole (j = K).
      for (let j = f, pass = 0; pass < 2; pass++, j = K) {
        slotSum[j * R + slot] = slotSum[j * R + slot]! + times * r;
        slotCount[j * R + slot] = slotCount[j * R + slot]! + times;
        actionSum[j * L + l] = actionSum[j * L + l]! + times * r;
        actionCount[j * L + l] = actionCount[j * L + l]! + times;
        contextCount[j * C + x] = contextCount[j * C + x]! + times;
        foldSum[j] = foldSum[j]! + times * r;
        foldCount[j] = foldCount[j]! + times;
      }
    }
    // DM, with the model fit on every row: Σ_x (N_x / n) Σ_{a ∈ supp π(·|x)} π(a|x) q̂(x, a).
    const dm = this.direct(K, K);
    // DR: each fold's rows with the model fit on the others (every row when K = 1).
    let dr = 0;
    for (let f = 0; f < K; f++) dr += this.direct(f, K === 1 ? K : f);
    let correction = 0;
    for (let u = 0; u < size; u++) {
      const times = k[u]!;
      const w = weight[u]!;
      if (times === 0 || w === 0) continue;
      const model = K === 1 ? K : fold[u]!;
      const slot = unitSlot[u]!;
      correction += times * w * (reward[u]! - this.q(model, slot, slotAction[slot]!));
    }
    const out = this.out;
    out[LOGGED] = foldSum[K]! / n;
    out[IPS] = ipsSum / n;
    out[SNIPS] = weightSum > 0 ? ipsSum / weightSum : NaN;
    out[DM] = dm;
    out[DR] = dr + correction / n;
    return out;
  }

  /** (1/n) Σ over the rows of `rowsOf` (a fold, or K: every row) of Σ_a π(a|x) q̂_model(x, a), as the class's header takes it. */
  private direct(rowsOf: number, model: number): number {
    const { n, C, L, R, contextCount, contextMass, contextGroup, groupStart, groupAction, groupProb, groupShare, actionWeight, slotAction, slotContext, slotProb } = this;
    const mean = this.mean(model);
    // Σ_x (N_x / n) π(x) r̄, and the rows' share per group of contexts alike.
    groupShare.fill(0);
    let value = 0;
    for (let x = 0; x < C; x++) {
      const nx = contextCount[rowsOf * C + x]!;
      if (nx === 0) continue;
      value += (nx / n) * contextMass[x]! * mean;
      groupShare[contextGroup[x]!]! += nx / n;
    }
    // Σ_a W(a) (q̂(a) − r̄), over the actions with rows in the model (elsewhere q̂(a) = r̄).
    actionWeight.fill(0);
    for (let g = 0; g < groupShare.length; g++) {
      const share = groupShare[g]!;
      if (share === 0) continue;
      for (let s = groupStart[g]!; s < groupStart[g + 1]!; s++) actionWeight[groupAction[s]!]! += share * groupProb[s]!;
    }
    for (let l = 0; l < L; l++) {
      if (actionWeight[l] === 0 || this.actionRows(model, l) === 0) continue;
      value += actionWeight[l]! * (this.qAction(model, l) - mean);
    }
    // Σ_(x,a) (N_x / n) π(a|x) (q̂(x, a) − q̂(a)), over the cells with rows in the model (elsewhere q̂(x, a) = q̂(a)).
    for (let s = 0; s < R; s++) {
      const p = slotProb[s]!;
      const nx = contextCount[rowsOf * C + slotContext[s]!]!;
      if (p === 0 || nx === 0 || this.cellRows(model, s) === 0) continue;
      const l = slotAction[s]!;
      value += (nx / n) * p * (this.q(model, s, l) - this.qAction(model, l));
    }
    return value;
  }

  /** r̄ of model j: the mean reward of every row (j = K) or of every row but fold j's; the whole's when fold j has them all. */
  private mean(j: number): number {
    const { K, foldSum, foldCount } = this;
    const out = j !== K;
    const rowsIn = out ? foldCount[K]! - foldCount[j]! : foldCount[K]!;
    return rowsIn > 0 ? (out ? foldSum[K]! - foldSum[j]! : foldSum[K]!) / rowsIn : foldSum[K]! / foldCount[K]!;
  }

  /** Rows of action slot l in model j. */
  private actionRows(j: number, l: number): number {
    const { K, L, actionCount } = this;
    return j !== K ? actionCount[K * L + l]! - actionCount[j * L + l]! : actionCount[K * L + l]!;
  }

  /** Rows of cell slot s in model j. */
  private cellRows(j: number, s: number): number {
    const { K, R, slotCount } = this;
    return j !== K ? slotCount[K * R + s]! - slotCount[j * R + s]! : slotCount[K * R + s]!;
  }

  /** q̂(a) (see the header) of model j, for action slot l: fit on every row (j = K), or on every row but fold j's. */
  private qAction(j: number, l: number): number {
    const { m, K, L, actionSum } = this;
    const mean = this.mean(j);
    const aSum = j !== K ? actionSum[K * L + l]! - actionSum[j * L + l]! : actionSum[K * L + l]!;
    const aCount = this.actionRows(j, l);
    return aCount + m > 0 ? (aSum + m * mean) / (aCount + m) : mean;
  }

  /**
   * q̂(x, a) (see the header) of model j for cell slot s, whose action slot is l: fit on every row
   * (j = K), or on every row but fold j's (the whole's sums minus the fold's); shrunk toward
   * q̂₋ₓ(a), the action's mean over its other cells' rows.
   */
  private q(j: number, s: number, l: number): number {
    const { m, K, L, R, slotSum, actionSum } = this;
    const sum = j !== K ? slotSum[K * R + s]! - slotSum[j * R + s]! : slotSum[K * R + s]!;
    const count = this.cellRows(j, s);
    const aSum = j !== K ? actionSum[K * L + l]! - actionSum[j * L + l]! : actionSum[K * L + l]!;
    return shrunkMean(sum, count, aSum, this.actionRows(j, l), this.mean(j), m);
  }
}
