// The Q-tables screen's colour scales: one for two tables of one environment (equal colours, equal
// values), one each for tables of different environments, whose ranges need not overlap.
import { describe, expect, it } from 'vitest';
import type { QTable } from '../../src/shared/dto';
import { discountNote, tableScales } from '../../src/renderer/src/components/qtable-scales';

function table(runId: number, q: number[][]): QTable {
  return { runId, checkpointId: runId * 10, episode: 100, states: q.map((_, s) => `s${s}`), actions: q[0]!.map((_, a) => `a${a}`), q, checkpoints: [] };
}

const cliff = table(1, [
  [-100, -13],
  [-12, -1],
]);
const coin = table(2, [
  [0, 4.5],
  [5, 2],
]);
const cliffEnv = { id: 'tabular-mdp', hash: 'aaaaaaaa1111' };

describe('tableScales', () => {
  it('shares one scale between two checkpoints of one run', () => {
    const early = table(1, [
      [0, 0],
      [0, -1],
    ]);
    const s = tableScales(early, cliff, undefined, undefined);
    expect(s.shared).toBe(true);
    expect(s.a).toEqual({ kind: 'sequential', lo: -100, hi: 0 });
    expect(s.b).toBe(s.a);
    expect(s.reason).toBe('two checkpoints of one run');
  });
  it('shares one scale between runs with the same environment fingerprint', () => {
    const other = table(3, [
      [-90, -14],
      [-11, -2],
    ]);
    const s = tableScales(cliff, other, cliffEnv, { ...cliffEnv });
    expect(s.shared).toBe(true);
    expect(s.a).toEqual({ kind: 'sequential', lo: -100, hi: -1 });
    expect(s.reason).toMatch(/^runs of the same environment \(tabular-mdp, fingerprint aaaaaaaa\)$/);
  });
  it('gives each table its own scale when the environments differ, even at the same size', () => {
    const s = tableScales(cliff, coin, cliffEnv, { id: 'seed-toy', hash: 'bbbbbbbb2222' });
    expect(s.shared).toBe(false);
    expect(s.a).toEqual({ kind: 'sequential', lo: -100, hi: -1 });
    expect(s.b).toEqual({ kind: 'sequential', lo: 0, hi: 5 });
    expect(s.reason).toBe('runs of different environments (tabular-mdp and seed-toy)');
    // One environment, other settings (another MDP, another horizon): still two scales.
    expect(tableScales(cliff, coin, cliffEnv, { id: 'tabular-mdp', hash: 'cccccccc3333' }).reason).toBe(
      'runs of tabular-mdp with different settings (fingerprints aaaaaaaa and cccccccc)',
    );
  });
  it('gives each table its own scale when the sizes differ or an environment is unknown', () => {
    const wide = table(4, [[1, 2, 3]]);
    const bySize = tableScales(cliff, wide, cliffEnv, cliffEnv);
    expect(bySize.shared).toBe(false);
    expect(bySize.reason).toBe('tables of different sizes (2 × 2 and 1 × 3)');
    expect(tableScales(cliff, coin, cliffEnv, undefined).shared).toBe(false);
  });
});

describe('scaleOf', () => {
  it('sets a few far-out values aside from the colour range (Tukey’s 3·IQR fences), keeping the values’ range', async () => {
    const { scaleOf } = await import('../../src/renderer/src/components/heatmap');
    // A cliff-like table: 18 values between −13 and −1, and two of −100 (the steps into the cliff).
    const q = [...Array.from({ length: 18 }, (_, i) => -1 - (i % 13)), -100, -100];
    const rows = [q.slice(0, 5), q.slice(5, 10), q.slice(10, 15), q.slice(15, 20)];
    const s = scaleOf('sequential', [rows]);
    expect(s.lo).toBe(-100);
    expect(s.hi).toBe(-1);
    expect(s.from).toBeGreaterThan(-100);
    expect(s.from).toBeLessThan(-13); // every ordinary value keeps a colour of its own
    expect(s.to).toBe(-1);
    // Evenly spread values have no outliers: the colours span them all.
    expect(scaleOf('sequential', [[Array.from({ length: 20 }, (_, i) => i)]])).toEqual({ kind: 'sequential', lo: 0, hi: 19 });
    // Too few values to tell outliers: none set aside.
    expect(scaleOf('sequential', [[[-100, -13, -12, -1]]])).toEqual({ kind: 'sequential', lo: -100, hi: -1 });
  });
});

describe('cellText', () => {
  it('reads 0.00 for zero only: a coloured cell whose value would round to it shows its first significant digit and sign', async () => {
    const { cellText } = await import('../../src/renderer/src/components/heatmap');
    // A difference B − A of −0.001 between two near-equal Q values (shop-small's seeds) read "-0.00",
    // then "0.00": a coloured cell that read as no difference.
    expect(cellText(-0.001)).toBe('-0.001');
    expect(cellText(0.004)).toBe('0.004');
    expect(cellText(-0.00004)).toBe('-4e-5');
    expect(cellText(3e-9)).toBe('3e-9');
    expect(cellText(0)).toBe('0.00');
    expect(cellText(-0)).toBe('0.00');
    for (const v of [-0.0049, -0.001, -0.0007, -1e-12, 1e-12, 0.0003, 0.0049]) {
      expect(Number(cellText(v))).not.toBe(0);
      expect(Math.sign(Number(cellText(v)))).toBe(Math.sign(v));
    }
    expect(cellText(-0.005)).toBe('-0.005');
    // One significant digit below 0.01, as 0.0035's 0.004 has: 0.0068 read 0.01.
    expect(cellText(0.0068)).toBe('0.007');
    expect(cellText(0.0099)).toBe('0.01');
    // Rounded up past a magnitude, written as that magnitude's values are.
    expect(cellText(-9.999852)).toBe('-10.0');
    expect(cellText(99.96)).toBe('100');
    expect(cellText(9.994)).toBe('9.99');
    expect(cellText(-0.07)).toBe('-0.07');
    expect(cellText(-12.04)).toBe('-12.0');
    expect(cellText(-150.4)).toBe('-150');
    expect(cellText(-0.4 - 99.2)).toBe('-99.6');
  });
});

describe('discountNote', () => {
  it('says when the two runs discount by different γ, and nothing when they agree or one is unknown', () => {
    expect(discountNote(0.9, 0.99)).toBe(
      "A's agent discounts by γ 0.9, B's by γ 0.99: each Q value is a return discounted by its own agent's γ, " +
        'so the values and B − A differ by the discount as well as by what was learned; the greedy actions compare as they are.',
    );
    expect(discountNote(0.9, 0.9)).toBeUndefined();
    expect(discountNote(undefined, 0.9)).toBeUndefined(); // an agent without γ (a bandit's)
    expect(discountNote(1, '1')).toBeUndefined();
  });
});
