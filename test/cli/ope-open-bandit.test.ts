// `aisle ope`'s point estimates on the real Open Bandit sample (read where it lies, never copied
// here), against the estimators written out in this file with plain loops over the CSV's rows:
// for the uniform policy, for Thompson sampling's logged frequencies (logs:policy=bts) and for a
// policy file, with the default reward model (1 pseudo-row, 3 cross-fitted folds) and the
// textbook one (raw cell means, no cross-fitting).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossFitFolds } from '../../src/engine/ope/sampler';
import { aisle } from '../helpers/cli';
import { sharedData } from '../helpers/shared-data';

const REAL = sharedData('open-bandit/obd_events.csv');
const dir = mkdtempSync(join(tmpdir(), 'aisle-ope-obd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  item: number;
  position: number;
  click: number;
  pscore: number;
}

interface Estimates {
  ips: number;
  snips: number;
  dm: number;
  dr: number;
}

/** The file's rows of one logging policy and campaign, in the file's order. */
function logsOf(text: string, policy: string, campaign: string): Row[] {
  const [header, ...lines] = text.trim().split('\n');
  const column = (name: string) => header!.split(',').indexOf(name);
  const [p, c, item, position, click, pscore] = ['policy', 'campaign', 'item', 'position', 'click', 'pscore'].map(column) as [number, number, number, number, number, number];
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells[p] === policy && cells[c] === campaign)
    .map((cells) => ({ item: Number(cells[item]), position: Number(cells[position]), click: Number(cells[click]), pscore: Number(cells[pscore]) }));
}

/**
 * IPS, SNIPS, DM and DR of the target π(item | position), as the README states them: w = π / pscore;
 * the reward model q̂(x, a) = (S_xa + m·q̂₋ₓ(a)) / (N_xa + m), q̂₋ₓ(a) = (S_a − S_xa + m·r̄) / (N_a − N_xa + m), fit on
 * every row for DM, and for DR on the rows of the other folds (row i in fold crossFitFolds(n, K)[i],
 * the engine's seeded shuffle dealt into K folds; K = 1: every row).
 */
function estimate(rows: readonly Row[], pi: (position: number, item: number) => number, items: readonly number[], m: number, folds: number): Estimates {
  const n = rows.length;
  const fit = (keep: (i: number) => boolean) => {
    let sum = 0;
    let count = 0;
    const byItem = new Map<number, [number, number]>();
    const byCell = new Map<string, [number, number]>();
    rows.forEach((r, i) => {
      if (!keep(i)) return;
      sum += r.click;
      count++;
      const a = byItem.get(r.item) ?? [0, 0];
      byItem.set(r.item, [a[0] + r.click, a[1] + 1]);
      const cell = byCell.get(`${r.position}/${r.item}`) ?? [0, 0];
      byCell.set(`${r.position}/${r.item}`, [cell[0] + r.click, cell[1] + 1]);
    });
    return (position: number, item: number) => {
      const [sa, na] = byItem.get(item) ?? [0, 0];
      const [sxa, nxa] = byCell.get(`${position}/${item}`) ?? [0, 0];
      // The item's mean over the other positions' rows (the cell's own rows count once, below).
      const itemMean = na - nxa + m > 0 ? (sa - sxa + (m * sum) / count) / (na - nxa + m) : sum / count;
      return nxa + m > 0 ? (sxa + m * itemMean) / (nxa + m) : itemMean;
    };
  };
  const expected = (q: (x: number, a: number) => number, position: number) => items.reduce((s, a) => s + pi(position, a) * q(position, a), 0);
  const everyRow = fit(() => true);
  const foldOf = crossFitFolds(n, folds);
  const models = Array.from({ length: folds }, (_, f) => (folds === 1 ? everyRow : fit((i) => foldOf[i] !== f)));
  let ips = 0;
  let weights = 0;
  let dm = 0;
  let dr = 0;
  rows.forEach((r, i) => {
    const w = pi(r.position, r.item) / r.pscore;
    ips += w * r.click;
    weights += w;
    dm += expected(everyRow, r.position);
    const q = models[foldOf[i]!]!;
    dr += expected(q, r.position) + w * (r.click - q(r.position, r.item));
  });
  return { ips: ips / n, snips: ips / weights, dm: dm / n, dr: dr / n };
}

describe('aisle ope on the Open Bandit sample, recomputed', () => {
  it.skipIf(!existsSync(REAL))(`gives the point estimates written out here, for three targets and two reward models (${REAL}; skipped when it is absent)`, () => {
    const text = readFileSync(REAL, 'utf8');
    const logs = logsOf(text, 'random', 'men');
    const bts = logsOf(text, 'bts', 'men');
    expect([logs.length, bts.length]).toEqual([10_000, 10_000]);
    const items = [...new Set(logs.map((r) => r.item))].sort((a, b) => a - b);
    expect(items).toHaveLength(34);

    // Thompson sampling's frequencies of each item per position in its own rows.
    const shown = (position: number, item: number) => bts.filter((r) => r.position === position && r.item === item).length / bts.filter((r) => r.position === position).length;
    const frequency = new Map(items.flatMap((a) => [1, 2, 3].map((x) => [`${x}/${a}`, shown(x, a)] as const)));
    // A policy file whose states are the positions: items 23, 21 and 18 (a Q-learner's choices on a simulator of these logs).
    const best = new Map([[1, 23], [2, 21], [3, 18]]);
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        format: 'aisle.policy/v1',
        kind: 'tabular',
        env: { id: 'tabular-mdp', params: {}, hash: 'x' },
        states: ['1', '2', '3'],
        actions: items.map(String),
        q: [1, 2, 3].map((x) => items.map((a) => (a === best.get(x) ? 1 : 0))),
        greedy: [1, 2, 3].map((x) => items.indexOf(best.get(x)!)),
        provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 10, configHash: 'x', appVersion: 'test', createdAt: '2026-12-01T00:00:00Z' },
      }),
    );
    const targets: [string, (x: number, a: number) => number][] = [
      ['uniform', () => 1 / items.length],
      ['logs:policy=bts,campaign=men', (x, a) => frequency.get(`${x}/${a}`)!],
      [policy, (x, a) => (best.get(x) === a ? 1 : 0)],
    ];

    for (const [m, folds] of [[1, 3], [0, 1]] as const) {
      const r = aisle(['ope', REAL, '--where', 'policy=random,campaign=men', ...targets.flatMap(([t]) => ['--target', t]), '--prior', String(m), '--folds', String(folds), '--resamples', '10', '--json'], { db: join(dir, 'never.db') });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { targets: { estimates: Record<keyof Estimates, { point: number }> }[] };
      targets.forEach(([name, pi], k) => {
        const mine = estimate(logs, pi, items, m, folds);
        const theirs = report.targets[k]!.estimates;
        for (const key of ['ips', 'snips', 'dm', 'dr'] as const) expect(theirs[key].point, `${name}, prior ${m}, ${folds} folds: ${key}`).toBeCloseTo(mine[key], 14);
      });
    }
    // For the record (prior 1, 3 folds): uniform IPS 0.0046 (the logged click rate: every weight is
    // (1/34) / 0.0294118 ≈ 1), DM 0.004565, DR 0.004535; BTS IPS 0.005656, SNIPS 0.005740, DM
    // 0.005687, DR 0.005569 (its own rows clicked 0.0069); the policy file IPS 0.0102 on 302 rows.
  });
});
