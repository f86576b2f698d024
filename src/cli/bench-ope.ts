/**
 * `npm run bench ope`: the off-policy bootstrap on a million logged rows, Aisle's (IPS, SNIPS, DM
 * and DR, identical rows resampled as groups, src/engine/ope/estimators.ts and sampler.ts) against the
 * straightforward numpy one (scripts/ope_bootstrap.py: IPS and SNIPS only, rows resampled one by
 * one), in bootstrap resamples per second on logs of the same shape.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deterministicTarget, evaluateOffPolicy, type LoggedBandit } from '../engine/ope';
import { Rng } from '../engine/rng';

export interface BenchOpeContext {
  readonly root: string;
  readonly python: string | undefined;
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

/** n rows: 50 actions, 3 contexts, uniform propensities, clicks at 1 % (the reference's shape). */
function logs(n: number): LoggedBandit {
  const A = 50;
  const rng = new Rng(1);
  const action = new Int32Array(n);
  const context = new Int32Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    action[i] = rng.int(A);
    context[i] = rng.int(3);
    reward[i] = rng.next() < 0.01 ? 1 : 0;
  }
  return { actionLabels: Array.from({ length: A }, (_, a) => String(a)), contextLabels: ['1', '2', '3'], action, context, reward, propensity: new Float64Array(n).fill(1 / A) };
}

export function benchOpe({ root, python, quick, emit }: BenchOpeContext): void {
  const n = quick ? 100_000 : 1_000_000;
  const data = logs(n);
  const target = deterministicTarget(data, new Map([['*', '3']]), 'always 3');
  evaluateOffPolicy(data, target, { resamples: 50 }); // warm-up
  const rates: number[] = [];
  let interval: readonly [number, number] = [NaN, NaN];
  for (let i = 0; i < 3; i++) {
    const resamples = 1000;
    const t = performance.now();
    const report = evaluateOffPolicy(data, target, { resamples, seed: i });
    rates.push(resamples / ((performance.now() - t) / 1000));
    interval = [report.estimates.ips.lo, report.estimates.ips.hi];
  }
  rates.sort((a, b) => a - b);
  const aisle = rates[1]!;
  const script = join(root, 'scripts', 'ope_bootstrap.py');
  let reference: number | null = null;
  let note: string | undefined;
  if (!python) note = 'reference skipped: no python3 with numpy';
  else if (!existsSync(script)) note = `reference not found: ${script}`;
  else {
    const r = spawnSync(python, [script, String(n), quick ? '20' : '100'], { encoding: 'utf8' });
    const m = /resamples_per_s=([\d.]+)/.exec(r.stdout);
    if (m) reference = Number(m[1]);
    else note = `reference failed: ${r.stderr.trim().split('\n').pop()}`;
  }
  emit({
    bench: 'ope-bootstrap',
    unit: `bootstrap resamples/s on ${n.toLocaleString('en-US')} logged rows`,
    aisle: Number(aisle.toFixed(1)),
    aisleEstimators: 'IPS, SNIPS, DM, DR (grouped rows, multinomial resamples)',
    reference,
    referenceName: 'scripts/ope_bootstrap.py (numpy: IPS and SNIPS, rows resampled one by one)',
    ratio: reference ? Number((aisle / reference).toFixed(1)) : null,
    ipsInterval: interval.map((x) => Number(x.toFixed(5))),
    ...(note ? { note } : {}),
  });
}
