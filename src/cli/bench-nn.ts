/**
 * `npm run bench nn`: the neural-network module against PyTorch on the CPU, on the workload of
 * torch_dqn_step.py (shared bench references): an MLP 64-128-128-100 (ReLU), batch 64, one DQN
 * update per step (online forward on s, target forward on s′, TD target r + 0.99·(1 − done)·max Q′,
 * Huber on the taken actions, backward, global-norm clip, Adam), and batch-1 acting (forward +
 * argmax). Aisle runs the update with both kernel sets, blocks interleaved, so the SIMD/JS ratio
 * does not drift with the machine's load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { argmax, maxOf } from '../engine/agent';
import { Adam, defaultKernels, huberSelected, jsKernels, Mlp, type Kernels } from '../engine/nn';
import { Rng, Stream } from '../engine/rng';
import { median } from '../engine/stats/quantile';

export interface NnBenchContext {
  /** Folder of the reference programs (bench.ts's `refs`). */
  readonly refs: string;
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

const IN = 64, H1 = 128, H2 = 128, NA = 100, BATCH = 64, GAMMA = 0.99, LR = 1e-3, ROWS = 1024, MAX_NORM = 10;

/** The replay data: ROWS transitions, and one view per minibatch so the loop allocates nothing. */
interface Data {
  readonly s: Float32Array[];
  readonly s2: Float32Array[];
  readonly a: Int32Array[];
  readonly r: Float32Array[];
  readonly done: Float32Array[];
  /** One view per row of s, for acting. */
  readonly rows: Float32Array[];
}

function makeData(): Data {
  const rng = new Rng(1, Stream.env);
  const u = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
  const s = u(ROWS * IN, -1, 1), s2 = u(ROWS * IN, -1, 1), r = u(ROWS, 0, 1);
  const a = Int32Array.from({ length: ROWS }, () => rng.int(NA));
  const done = Float32Array.from({ length: ROWS }, () => (rng.next() < 0.05 ? 1 : 0));
  const blocks = ROWS / BATCH;
  const batchOf = <T extends Float32Array | Int32Array>(x: T, width: number) =>
    Array.from({ length: blocks }, (_, k) => x.subarray(k * BATCH * width, (k + 1) * BATCH * width) as T);
  return {
    s: batchOf(s, IN), s2: batchOf(s2, IN), a: batchOf(a, 1), r: batchOf(r, 1), done: batchOf(done, 1),
    rows: Array.from({ length: ROWS }, (_, k) => s.subarray(k * IN, (k + 1) * IN)),
  };
}

/** One learner: online and target networks, Adam, and the step functions being timed. */
function learner(kernels: Kernels, data: Data): { train: (k: number) => number; act: (k: number) => number } {
  const spec = { sizes: [IN, H1, H2, NA], activations: ['relu', 'relu', 'linear'] as const };
  const rng = new Rng(1, Stream.agent);
  const online = new Mlp(spec, { rng, maxBatch: BATCH, kernels });
  const target = new Mlp(spec, { rng, maxBatch: BATCH, kernels });
  target.copyFrom(online);
  const adam = new Adam(online, { lr: LR });
  const tdTarget = new Float32Array(BATCH);
  const blocks = data.s.length;
  return {
    train(k) {
      const j = k % blocks;
      const r = data.r[j]!, done = data.done[j]!;
      const qNext = target.forward(data.s2[j]!, BATCH);
      for (let i = 0; i < BATCH; i++) tdTarget[i] = r[i]! + GAMMA * (1 - done[i]!) * maxOf(qNext, i * NA, NA);
      const q = online.forward(data.s[j]!, BATCH);
      online.zeroGrad();
      const loss = huberSelected(q, data.a[j]!, tdTarget, BATCH, NA, online.dOut);
      online.backward();
      adam.clipGradNorm(MAX_NORM);
      adam.step();
      return loss;
    },
    act(k) {
      return argmax(online.forward(data.rows[k % ROWS]!, 1), 0, NA);
    },
  };
}

/** Steps per second of each function, in blocks of at least minMs, the functions' blocks interleaved. */
function interleavedRates(fns: ((k: number) => number)[], warmup: number, blocks: number, minMs: number): number[][] {
  const rates = fns.map(() => [] as number[]);
  const counters = fns.map(() => 0);
  let sink = 0;
  fns.forEach((fn, f) => {
    for (let i = 0; i < warmup; i++) sink += fn(counters[f]!++);
  });
  for (let b = 0; b < blocks; b++) {
    fns.forEach((fn, f) => {
      const t0 = performance.now();
      let n = 0, el: number;
      do {
        sink += fn(counters[f]!++);
        n++;
        el = performance.now() - t0;
      } while (el < minMs);
      rates[f]!.push((n * 1000) / el);
    });
  }
  if (Number.isNaN(sink)) throw new Error('the benchmark diverged');
  return rates;
}

interface TorchResult {
  readonly w1_train_steps_per_s: number;
  readonly w2_act_us: number;
  readonly impl?: string;
  readonly blas?: string | null;
}

/**
 * `steps` DQN updates, then as many batch-1 actions, on the default kernels: torch_dqn_step.py's two
 * loops, for the memory measure (bench-memory.ts), which reads this process's peak. Returns the
 * losses' and actions' sum, for the caller to use.
 */
export function dqnUpdateLoop(steps: number): number {
  const { train, act } = learner(defaultKernels(), makeData());
  let sink = 0;
  for (let k = 0; k < steps; k++) sink += train(k) + act(k);
  return sink;
}

/** torch_dqn_step.py on one thread (Aisle trains on one), or why it did not run. */
function runTorch(refs: string, quick: boolean): TorchResult | string {
  const script = join(refs, 'torch_dqn_step.py');
  if (!existsSync(script)) return `reference not found: ${script}`;
  const candidates = [process.env.AISLE_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  const py = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  if (!py) return 'reference skipped: no python3 with torch (apt-get install -y python3-torch libopenblas0-pthread)';
  const r = spawnSync(py, [script, '1', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as TorchResult;
    if (typeof parsed.w1_train_steps_per_s === 'number' && typeof parsed.w2_act_us === 'number') return parsed;
  } catch {
    // reported below
  }
  return `reference failed: ${(r.stderr || line).trim().split('\n').pop()}`;
}

/** The three nn measures: DQN updates/s and acting latency against torch, and SIMD against JS kernels. */
export function benchNn({ refs, quick, emit }: NnBenchContext): void {
  // torch runs just before and just after Aisle, and the two are averaged: on a shared machine the
  // load drifts, and bracketing Aisle's measurement keeps the ratio from riding on one moment.
  const before = runTorch(refs, quick);
  const data = makeData();
  const fast = defaultKernels();
  const main = learner(fast, data);
  const reference = learner(jsKernels, data);
  const blocks = quick ? 2 : 7;
  const [trainFast, trainJs] = interleavedRates([main.train, reference.train], 20, blocks, quick ? 300 : 1500);
  const [actFast, actJs] = interleavedRates([main.act, reference.act], 200, blocks, quick ? 200 : 500);
  const updates = median(trainFast!), updatesJs = median(trainJs!);
  const actUs = median(actFast!.map((r) => 1e6 / r)), actJsUs = median(actJs!.map((r) => 1e6 / r));

  const after = typeof before === 'string' ? before : runTorch(refs, quick);
  const runs = [before, after].filter((r): r is TorchResult => typeof r !== 'string');
  const t = runs.length === 0 ? null : {
    w1_train_steps_per_s: runs.reduce((a, r) => a + r.w1_train_steps_per_s, 0) / runs.length,
    w2_act_us: runs.reduce((a, r) => a + r.w2_act_us, 0) / runs.length,
  };
  const note = t === null
    ? { note: typeof before === 'string' ? before : String(after) }
    : {
        referenceImpl: `${runs[0]!.impl ?? 'torch'} (${runs[0]!.blas ?? 'unknown BLAS'})`,
        referenceRuns: runs.map((r) => ({ updatesPerS: Math.round(r.w1_train_steps_per_s), actUs: Number(r.w2_act_us.toFixed(1)) })),
      };
  const round = (x: number, digits = 2) => Number(x.toFixed(digits));
  emit({
    bench: 'nn-dqn-update',
    unit: 'updates/s',
    aisle: Math.round(updates),
    kernels: fast.name,
    reference: t ? Math.round(t.w1_train_steps_per_s) : null,
    referenceName: 'torch_dqn_step.py W1 (PyTorch CPU, 1 thread; mean of a run before and after)',
    ratio: t ? round(updates / t.w1_train_steps_per_s) : null,
    js: Math.round(updatesJs),
    goal: '>= 1.0x',
    met: t ? updates / t.w1_train_steps_per_s >= 1 : null,
    ...note,
  });
  emit({
    bench: 'nn-act-latency',
    unit: 'µs (batch 1, forward + argmax); ratio = reference / aisle',
    aisle: round(actUs),
    kernels: fast.name,
    reference: t ? round(t.w2_act_us) : null,
    referenceName: 'torch_dqn_step.py W2 (PyTorch CPU, 1 thread; mean of a run before and after)',
    ratio: t ? round(t.w2_act_us / actUs) : null,
    js: round(actJsUs),
    goal: '>= 2x faster',
    met: t ? t.w2_act_us / actUs >= 2 : null,
    ...note,
  });
  emit({
    bench: 'nn-dqn-update-simd-vs-js',
    unit: 'updates/s',
    aisle: Math.round(updates),
    kernels: fast.name,
    reference: Math.round(updatesJs),
    referenceName: 'the same update on jsKernels (TypeScript reference kernels)',
    ratio: round(updates / updatesJs),
    actRatio: round(actJsUs / actUs),
    goal: '> 1x',
    met: fast !== jsKernels && updates > updatesJs,
  });
}
