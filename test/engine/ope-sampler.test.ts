// The sampler's statistics (IPS, SNIPS, DM, DR and the logs' own mean, for the logs and for every
// bootstrap resample) held equal to the reference that summed every cell of the target's support
// (test/helpers/ope-reference-sampler.ts), on small logs of every kind of target; and a resample of
// a target over many actions in several contexts costing what the rows cost, not contexts × actions.
import { describe, expect, it } from 'vitest';
import { labelOrder, type LoggedBandit } from '../../src/engine/ope/data';
import { evaluateOffPolicy } from '../../src/engine/ope/estimators';
import { Sampler, Units } from '../../src/engine/ope/sampler';
import { deterministicTarget, empiricalTarget, targetFromDistributions, uniformTarget, type TargetPolicy } from '../../src/engine/ope/targets';
import { Rng } from '../../src/engine/rng';
import { multinomialInto } from '../../src/engine/stats/binomial';
import { ReferenceSampler } from '../helpers/ope-reference-sampler';

/** Seeded logs: `n` rows over `contexts` × `actions` labels (the last few labels never shown), clicks or spread rewards. */
function randomLogs(rng: Rng, n: number, contexts: number, actions: number, clicks: boolean): LoggedBandit {
  const contextLabels = labelOrder(Array.from({ length: contexts }, (_, x) => `c${x}`));
  const actionLabels = labelOrder(Array.from({ length: actions }, (_, a) => `a${a}`));
  const shown = Math.max(1, actions - 2);
  return {
    contextLabels,
    actionLabels,
    context: Int32Array.from({ length: n }, () => rng.int(contexts)),
    action: Int32Array.from({ length: n }, () => rng.int(shown)),
    reward: Float64Array.from({ length: n }, () => (clicks ? (rng.next() < 0.3 ? 1 : 0) : Math.round(100 * (rng.next() * 4 - 1)) / 100)),
    propensity: Float64Array.from({ length: n }, () => [0.5, 0.25, 0.1, 1 / 3][rng.int(4)]!),
  };
}

/** Every kind of target these logs can be asked about. */
function targets(data: LoggedBandit, rng: Rng): TargetPolicy[] {
  const labels = data.actionLabels;
  const perContext = new Map(data.contextLabels.map((x) => [x, labels[rng.int(labels.length)]!]));
  const spread = new Map(
    data.contextLabels.map((x) => {
      const p = Array.from(labels, () => (rng.next() < 0.5 ? rng.next() : 0));
      p[0] = p[0]! + 0.1;
      const total = p.reduce((s, v) => s + v, 0);
      return [x, new Map(labels.map((l, a) => [l, p[a]! / total]))] as const;
    }),
  );
  // Mass outside the labels (an action the logs do not know) and on an action never shown.
  const unlisted = new Map([['*', new Map([[labels[0]!, 0.5], [labels.at(-1)!, 0.3], ['elsewhere', 0.2]])]]);
  const source = randomLogs(rng, 40, data.contextLabels.length, labels.length, true);
  return [
    uniformTarget(data),
    deterministicTarget(data, new Map([['*', labels[0]!]]), 'always the first'),
    deterministicTarget(data, perContext, 'one per context'),
    targetFromDistributions(data, spread, 'spread'),
    targetFromDistributions(data, unlisted, 'partly unlisted'),
    empiricalTarget(data, { ...source, contextLabels: data.contextLabels, actionLabels: labels }, 'other logs'),
  ];
}

/** Equal to rounding: within 1e-12 of the larger, NaN where the other is NaN. */
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  for (let j = 0; j < expected.length; j++) {
    const [a, e] = [actual[j]!, expected[j]!];
    if (Number.isNaN(e)) expect(a, `${what} [${j}]`).toBeNaN();
    else expect(Math.abs(a - e), `${what} [${j}]: ${a} against ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a), Math.abs(e)));
  }
}

describe('the sampler', () => {
  it('gives the statistics the reference gives, for the logs and resample for resample', () => {
    const rng = new Rng(31, 0);
    let cases = 0;
    for (const [n, contexts, actions, clicks] of [[12, 1, 3, true], [60, 3, 8, true], [200, 4, 12, false], [150, 2, 30, true], [5, 5, 4, false]] as const) {
      const data = randomLogs(rng, n, contexts, actions, clicks);
      for (const target of targets(data, rng)) {
        for (const folds of [1, 2, 3]) {
          for (const m of [0, 1, 7.5]) {
            const units = new Units(data, target, folds);
            const fast = new Sampler(data, target, units, m, folds);
            const reference = new ReferenceSampler(data, target, units, m, folds);
            const what = `${n} rows, ${target.name}, ${folds} folds, m ${m}`;
            // The units' counts: each unit one row when they are the rows.
            const count = units.count ?? new Float64Array(units.size).fill(1);
            expectSame(fast.compute(count), reference.compute(count), what);
            const k = new Float64Array(units.size);
            for (let b = 0; b < 10; b++) {
              if (units.count !== undefined) multinomialInto(rng, n, units.count, k);
              else {
                k.fill(0);
                for (let i = 0; i < n; i++) k[rng.int(n)]!++;
              }
              expectSame(fast.compute(k), reference.compute(k), `${what}, resample ${b}`);
            }
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(5 * 6 * 3 * 3);
  });

  it('costs what the rows cost: a uniform target over 500,000 actions in 10 contexts, 2,000 rows', () => {
    // Measured by what a resample walks (the typed arrays the sampler keeps per model and resample),
    // not by the clock: the reference walked the 5 million cells of the support per model and
    // resample (~8 s and ~1 GB for 10 resamples), where the rows are 2,000.
    const rng = new Rng(5, 0);
    const data = randomLogs(rng, 2000, 10, 500_000, true);
    const target = uniformTarget(data);
    const units = new Units(data, target, 3);
    const walked = (sampler: object) =>
      Object.values(sampler).reduce((total: number, v: unknown) => total + (ArrayBuffer.isView(v) && !(v instanceof DataView) ? (v as Float64Array).length : 0), 0);
    const fast = walked(new Sampler(data, target, units, 1, 3));
    expect(fast).toBeLessThan(50 * 2000);
    expect(walked(new ReferenceSampler(data, target, units, 1, 3))).toBeGreaterThan(5_000_000);
    const report = evaluateOffPolicy(data, target, { resamples: 10 });
    expect(report.estimates.dm.point).toBeGreaterThan(0);
  }, 120_000);

  it("takes the rows' own action and context columns when it keeps the rows, not copies of them", () => {
    // Spread rewards over many contexts and actions: mostly distinct rows, so the units are the rows.
    const rng = new Rng(9, 0);
    const data = randomLogs(rng, 400, 50, 40, false);
    const units = new Units(data, uniformTarget(data), 1);
    expect(units.grouped).toBe(false);
    // Copies were 8 bytes a row more, for every target evaluated (51 MB on 6.4 million rows).
    expect(units.action).toBe(data.action);
    expect(units.context).toBe(data.context);
    expect(units.reward).toBe(data.reward);
  });

  it('keeps 13 bytes a row beside the rows when it keeps them: a weight, a fold and a cell slot, no count of 1s', () => {
    // 4,000 rows of spread rewards over 50 contexts × 40 actions (at most 1,900 cells shown): the units are the rows.
    const rng = new Rng(10, 0);
    const data = randomLogs(rng, 4000, 50, 40, false);
    const target = uniformTarget(data);
    const units = new Units(data, target, 3);
    expect(units.grouped).toBe(false);
    expect(units.size).toBe(4000);
    // A column of 1s was 8 bytes a row (51 MB on 6.4M rows); the folds, up to 10, were 4 bytes a row.
    expect(units.count).toBeUndefined();
    expect(units.fold).toBeInstanceOf(Uint8Array);
    expect(units.weight).toHaveLength(4000);
    // The units' own columns a row long: the cell (context · A + action) was kept beside them.
    const perRow = (of: object) =>
      Object.values(of).reduce((bytes: number, v: unknown) => bytes + (ArrayBuffer.isView(v) && !(v instanceof DataView) && (v as Float64Array).length === 4000 ? v.byteLength : 0), 0);
    const own = [data.action, data.context, data.reward].reduce((bytes, v) => bytes + v.byteLength, 0);
    expect(perRow(units) - own).toBe(4000 * (8 + 1));
    // The sampler's: each unit's cell slot, where its action's slot was a second column.
    expect(perRow(new Sampler(data, target, units, 1, 3))).toBe(4000 * 4);
  });
});
