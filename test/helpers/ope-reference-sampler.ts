// The off-policy sampler as it was before it kept sums only for the cells and actions the logs show
// (src/engine/ope/sampler.ts): every cell of the target's support had its sums, and every resample
// walked them all, contexts × the target's support. Kept as the reference the fast one is held
// equal to (test/engine/ope-sampler.test.ts), as STYLE.md asks of a kernel with a fast path.
import { rows, type LoggedBandit } from '../../src/engine/ope/data';
import { DM, DR, IPS, LOGGED, SNIPS, type Units } from '../../src/engine/ope/sampler';
import type { TargetPolicy } from '../../src/engine/ope/targets';

/**
 * Everything one sample's statistics need, allocated once: a sample is a multiplicity k_u per
 * unit (the units' own counts for the logs themselves), and the statistics are weighted sums over
 * units, so a resample costs O(units + folds × the target's support), not O(contexts × actions).
 * The reward model's sums are kept per fold and in all (index K): the model without fold f is
 * the whole's sums minus fold f's. Cells are numbered densely over those the logs show or the
 * target chooses (`slot`), so the sums stay small however many contexts × actions there are.
 */
export class ReferenceSampler {
  private readonly n: number;
  private readonly K: number;
  private readonly A: number;
  private readonly C: number;
  /** Distinct cells the sums keep (the logs' and the target's support's). */
  private readonly R: number;
  private readonly unitSlot: Int32Array;
  // Sums per model index j (a fold, or K: every row) at [j · size + i].
  private readonly slotSum: Float64Array;
  private readonly slotCount: Float64Array;
  private readonly actionSum: Float64Array;
  private readonly actionCount: Float64Array;
  private readonly contextCount: Float64Array;
  private readonly foldSum: Float64Array;
  private readonly foldCount: Float64Array;
  /** π's support per context: supportStart[x]..supportStart[x + 1] into supportAction / supportSlot / supportProb. */
  private readonly supportStart: Int32Array;
  private readonly supportAction: Int32Array;
  private readonly supportSlot: Int32Array;
  private readonly supportProb: Float64Array;
  /** Per context: π's mass on actions outside the logs' labels, valued at the model's overall mean. */
  private readonly unlisted: Float64Array;
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
    const A = (this.A = data.actionLabels.length);
    const C = (this.C = data.contextLabels.length);
    const slots = new Map<number, number>();
    const slotOf = (cell: number) => {
      let s = slots.get(cell);
      if (s === undefined) slots.set(cell, (s = slots.size));
      return s;
    };
    this.unitSlot = Int32Array.from({ length: units.size }, (_, u) => slotOf(units.context[u]! * A + units.action[u]!));
    this.supportStart = new Int32Array(C + 1);
    const actions: number[] = [];
    const probs: number[] = [];
    const supportSlots: number[] = [];
    for (let x = 0; x < C; x++) {
      this.supportStart[x] = actions.length;
      for (let a = 0; a < A; a++) {
        const p = target.probs[x * A + a]!;
        if (p > 0) {
          actions.push(a);
          probs.push(p);
          supportSlots.push(slotOf(x * A + a));
        }
      }
    }
    this.supportStart[C] = actions.length;
    this.supportAction = Int32Array.from(actions);
    this.supportSlot = Int32Array.from(supportSlots);
    this.supportProb = Float64Array.from(probs);
    this.unlisted = target.unlisted;
    const R = (this.R = slots.size);
    const models = folds + 1;
    this.slotSum = new Float64Array(models * R);
    this.slotCount = new Float64Array(models * R);
    this.actionSum = new Float64Array(models * A);
    this.actionCount = new Float64Array(models * A);
    this.contextCount = new Float64Array(models * C);
    this.foldSum = new Float64Array(models);
    this.foldCount = new Float64Array(models);
  }

  /** The statistics of the sample with multiplicities k per unit into `out`. */
  compute(k: ArrayLike<number>): Float64Array {
    const { n, K, A, C, R, unitSlot, slotSum, slotCount, actionSum, actionCount, contextCount, foldSum, foldCount } = this;
    const { weight, reward, action, context, fold } = this.units;
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
      const a = action[u]!;
      const x = context[u]!;
      // Into the unit's fold (j = f), then into the whole (j = K).
      for (let j = f, pass = 0; pass < 2; pass++, j = K) {
        slotSum[j * R + slot] = slotSum[j * R + slot]! + times * r;
        slotCount[j * R + slot] = slotCount[j * R + slot]! + times;
        actionSum[j * A + a] = actionSum[j * A + a]! + times * r;
        actionCount[j * A + a] = actionCount[j * A + a]! + times;
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
      correction += times * w * (reward[u]! - this.q(K === 1 ? K : fold[u]!, unitSlot[u]!, action[u]!));
    }
    const out = this.out;
    out[LOGGED] = foldSum[K]! / n;
    out[IPS] = ipsSum / n;
    out[SNIPS] = weightSum > 0 ? ipsSum / weightSum : NaN;
    out[DM] = dm;
    out[DR] = dr + correction / n;
    return out;
  }

  /** (1/n) Σ over the rows of `rowsOf` (a fold, or K: every row) of Σ_a π(a|x) q̂_model(x, a). */
  private direct(rowsOf: number, model: number): number {
    const { n, C, contextCount, supportStart, supportAction, supportSlot, supportProb, unlisted } = this;
    const mean = this.mean(model);
    let value = 0;
    for (let x = 0; x < C; x++) {
      const nx = contextCount[rowsOf * C + x]!;
      if (nx === 0) continue;
      // An action the logs never show has neither an action's nor a cell's rows: q̂ = r̄.
      let vx = unlisted[x]! * mean;
      for (let s = supportStart[x]!; s < supportStart[x + 1]!; s++) vx += supportProb[s]! * this.q(model, supportSlot[s]!, supportAction[s]!);
      value += (nx / n) * vx;
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

  /**
   * q̂(x, a) (see the header) of model j: fit on every row (j = K), or on every row but fold j's
   * (the whole's sums minus the fold's). A model with no rows falls back to the whole's mean.
   */
  private q(j: number, slot: number, a: number): number {
    const { m, K, R, A, slotSum, slotCount, actionSum, actionCount } = this;
    const out = j !== K;
    const mean = this.mean(j);
    const aSum = out ? actionSum[K * A + a]! - actionSum[j * A + a]! : actionSum[K * A + a]!;
    const aCount = out ? actionCount[K * A + a]! - actionCount[j * A + a]! : actionCount[K * A + a]!;
    const sum = out ? slotSum[K * R + slot]! - slotSum[j * R + slot]! : slotSum[K * R + slot]!;
    const count = out ? slotCount[K * R + slot]! - slotCount[j * R + slot]! : slotCount[K * R + slot]!;
    // The action's mean over its other cells' rows: the cell's own count once, in the cell's term.
    const actionMean = aCount - count + m > 0 ? (aSum - sum + m * mean) / (aCount - count + m) : mean;
    return count + m > 0 ? (sum + m * actionMean) / (count + m) : actionMean;
  }
}
