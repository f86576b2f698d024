/**
 * `npm run bench workers logging cancel store`: the training pipeline's figures. Two workers against
 * one (beside what two bare processes give), the overhead of logging metrics (in process and on the
 * worker pool), the latency of a cancel, and the metric store's size and read times.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { train, type RunSpec } from '../engine/train';
import { median } from '../engine/stats/quantile';
import { MetricBatcher } from '../main/jobs/batcher';
import { SpareColumns } from '../main/jobs/spare-columns';
import { JobPool } from '../main/jobs/pool';
import type { RunSink } from '../main/jobs/pool-contract';
import { Store } from '../main/store';
import { benchMetricStore } from '../main/store/bench-store';
import { seedToySpec, timeIt } from './bench-tabular';

export interface BenchPipelineContext {
  /** A scratch folder for the measures' databases. */
  readonly dir: string;
  /** The built training worker (out/main/worker.js). */
  readonly workerPath: string;
  /** The built bench.js, forked with --train-timed for the bare-process runs. */
  readonly benchPath: string;
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

/**
 * A short seed-toy run per worker, run before the clock starts (see timePool): a worker's first run
 * compiles the WebAssembly kernel and V8 tiers it up on background threads, which on two busy cores
 * take time from the runs measured but on one busy core use the idle one.
 */
function warmUpSpecs(size: number): RunSpec[] {
  return Array.from({ length: size }, (_, k) => seedToySpec(3_000, 1_000 + k));
}

/**
 * Wall time for the pool to run `jobs` (run id, spec) with `size` workers, from enqueue to idle.
 * Steady-state throughput: the workers are started (~50 ms each) and have each run a warm-up job
 * (`warmUp`: run ids and specs, one per worker) before the clock starts.
 */
async function timePool(workerPath: string, jobs: [number, RunSpec][], size: number, sink: RunSink, warmUp: [number, RunSpec][]): Promise<number> {
  const pool = new JobPool({ workerPath, sink, size });
  await pool.warm();
  for (const [id, spec] of warmUp) pool.enqueue(id, spec);
  await pool.idle();
  const t = performance.now();
  for (const [id, spec] of jobs) pool.enqueue(id, spec);
  await pool.idle();
  const ms = performance.now() - t;
  await pool.close();
  return ms;
}

/** Times specs on the pool, writing into a fresh store (the warm-up runs too, as runs of their own). */
async function timePoolWithStore(workerPath: string, dir: string, specs: RunSpec[], size: number): Promise<number> {
  const warm = warmUpSpecs(size);
  const { store, ids } = storeWithRuns(dir, [...specs, ...warm]);
  try {
    return await timePool(
      workerPath,
      specs.map((spec, i) => [ids[i]!, spec]),
      size,
      store,
      warm.map((spec, k) => [ids[specs.length + k]!, spec]),
    );
  } finally {
    store.close();
  }
}

/** A store with `n` queued runs for the pool to write into. */
function storeWithRuns(dir: string, specs: RunSpec[]): { store: Store; ids: number[] } {
  const store = Store.open(join(dir, `bench-${performance.now()}.db`));
  const { runs } = store.createExperimentWithRuns({
    name: 'bench',
    config: {},
    configHash: '0'.repeat(64),
    runs: specs.map((s) => ({ seed: s.seed, config: s, configHash: '0'.repeat(64), appVersion: 'bench', episodesTotal: s.episodes })),
  });
  return { store, ids: runs.map((r) => r.id) };
}

export async function benchWorkers({ dir, workerPath, benchPath, quick, emit }: BenchPipelineContext): Promise<void> {
  // Long enough that each run takes seconds on the WebAssembly path (pool start-up and the last
  // batch are then noise), short enough for the bench.
  const episodes = quick ? 50_000 : 600_000;
  // Pairs measured back to back (their order alternating), the ratio taken per pair and its
  // median reported: the machine's speed drifts between states far more than the effect measured.
  // Nine pairs, not five: single pairs range 1.3–2.0× here, and a median of five moved by ±0.05
  // between passes minutes apart.
  // Beside each pair, the same runs as separate processes with no pool, no metrics and no store
  // (see trainInProcesses): what two cores of this machine give two such runs at that moment.
  // Each of this VM's two vCPUs has a speed state of its own (the same run takes ~750 ms on one
  // and ~1,150 ms on the other), so two runs end with the slower one, in processes as in workers.
  const one: number[] = [];
  const two: number[] = [];
  const ratios: number[] = [];
  const machine: number[] = [];
  for (let i = 0; i < (quick ? 1 : 9); i++) {
    const measures: (() => Promise<number>)[] = [
      () => timePoolWithStore(workerPath, dir, [seedToySpec(episodes, 1)], 1),
      () => timePoolWithStore(workerPath, dir, [seedToySpec(episodes, 1), seedToySpec(episodes, 2)], 2),
      () => trainInProcesses(benchPath, [1], episodes),
      () => trainInProcesses(benchPath, [1, 2], episodes),
    ];
    // The order rotates from pair to pair, so that drift favours none of the four.
    const t: number[] = [];
    for (let k = 0; k < measures.length; k++) {
      const m = (k + i) % measures.length;
      t[m] = await measures[m]!();
    }
    one.push(t[0]!);
    two.push(t[1]!);
    ratios.push((2 * t[0]!) / t[1]!);
    machine.push((2 * t[2]!) / t[3]!);
  }
  const throughput1 = (episodes * 100) / (median(one) / 1000);
  const throughput2 = (2 * episodes * 100) / (median(two) / 1000);
  const ratio = median(ratios);
  const range = (xs: number[]) => [Number(Math.min(...xs).toFixed(3)), Number(Math.max(...xs).toFixed(3))];
  emit({
    bench: 'two-workers-vs-one',
    unit: 'steps/s (whole pipeline: workers, metric batches, SQLite)',
    aisle: Math.round(throughput2),
    reference: Math.round(throughput1),
    referenceName: 'one run on one worker',
    ratio: Number(ratio.toFixed(3)),
    ratioRange: range(ratios),
    pairs: ratios.length,
    machineRatio: Number(median(machine).toFixed(3)),
    machineRatioRange: range(machine),
    machineRatioName: 'the same two runs as two processes (no pool, metrics or store) against one, measured beside each pair',
    goal: '>= 1.8x',
    met: ratio >= 1.8,
  });
}

/**
 * Wall time of seed-toy runs, one per seed, each in a Node process of its own that trains in
 * process with no hooks: the processes start, warm up and wait; then all are told to go at once,
 * and the time is from the first start of training to the last end (each process reports both on
 * the shared clock, performance.timeOrigin + now()).
 */
async function trainInProcesses(benchPath: string, seeds: number[], episodes: number): Promise<number> {
  const children = seeds.map((seed) => fork(benchPath, ['--train-timed', String(seed), String(episodes)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  const next = (child: ChildProcess) =>
    new Promise<{ start: number; end: number } | 'ready'>((res, rej) => {
      child.once('message', (m) => res(m as { start: number; end: number } | 'ready'));
      child.once('exit', (code) => rej(new Error(`a timed training process exited with ${code}`)));
    });
  try {
    await Promise.all(children.map(next));
    const done = children.map(next);
    for (const child of children) child.send('go');
    const spans = (await Promise.all(done)) as { start: number; end: number }[];
    return Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
  } finally {
    for (const child of children) child.kill();
  }
}

/** `bench.js --train-timed <seed> <episodes>`: the child side of trainInProcesses. */
export function trainTimedChild(): void {
  const [, , , seed, episodes] = process.argv;
  train(seedToySpec(20_000, 99)); // warm-up: compile and tier up the kernel
  const spec = seedToySpec(Number(episodes), Number(seed));
  process.once('message', () => {
    const start = performance.timeOrigin + performance.now();
    train(spec);
    const end = performance.timeOrigin + performance.now();
    process.send!({ start, end }); // the parent kills this process once it has every report
  });
  process.send!('ready');
}

export async function benchLogging({ dir, workerPath, quick, emit }: BenchPipelineContext): Promise<void> {
  // Runs of a few tenths of a second on the WebAssembly path (long enough that a run's fixed costs,
  // opening and the final commit, are not read as per-episode logging), in many short pairs: the
  // shorter a pair, the likelier both halves see the machine in the same state.
  const episodes = quick ? 20_000 : 100_000;
  // In-process, worst case: batching, clock reads and SQLite writes all on the training thread.
  const bare: number[] = [];
  const logged: number[] = [];
  // Within each logged run, the time spent in the logging calls against the rest of the run: both
  // in the same machine state, so this share does not move with it as the paired wall times do.
  const direct: number[] = [];
  // The columns are collected again in the buffers of the runs before, as a worker's are (the pool
  // gives them back once written: see SpareColumns).
  const spare = new SpareColumns();
  for (let i = 0; i < (quick ? 3 : 40); i++) {
    const spec = seedToySpec(episodes, i);
    // The halves' order alternates (as the worker pairs' below), so that what runs second in a
    // pair (after the first's garbage, or as the machine drifts) favours neither.
    if (i % 2 === 0) bare.push(timeIt(() => train(spec)));
    const { store, ids } = storeWithRuns(dir, [spec]);
    const names = ['return', 'length', 'train/epsilon'];
    const batcher = new MetricBatcher(names.length, 100, () => performance.now(), (start, count, columns) => {
      const cols: Record<string, Float32Array> = {};
      names.forEach((n, k) => (cols[n] = columns[k]!));
      store.appendMetrics(ids[0]!, { start, count, columns: cols }, start + count);
    }, 'lend', spare); // the store writes a batch away before it returns
    let inLogging = 0;
    const ms = timeIt(() => {
      train(spec, {
        onEpisodes: (first, count, rows, _width, columns) => {
          const t = performance.now();
          batcher.pushRows(first, count, rows, columns);
          inLogging += performance.now() - t;
        },
      });
      const t = performance.now();
      batcher.flush();
      batcher.release();
      inLogging += performance.now() - t;
    });
    logged.push(ms);
    direct.push(inLogging / (ms - inLogging));
    store.close();
    if (i % 2 === 1) bare.push(timeIt(() => train(spec)));
  }
  emitOverhead(
    emit,
    'metric-logging-overhead',
    'wall ms for one run (seed-toy, in-process, logging on the training thread)',
    logged,
    bare,
    'the same run without logging',
    {
      directOverheadPercent: Number((100 * median(direct)).toFixed(2)),
      directOverheadRangePercent: [Number((100 * Math.min(...direct)).toFixed(2)), Number((100 * Math.max(...direct)).toFixed(2))],
    },
  );
  // The real pipeline: a worker run collecting its metrics and writing them to SQLite on the main
  // thread vs the same run collecting none, on two pools kept up side by side as the app keeps its
  // own. Both are warmed by runs as long as the measured ones (a worker's first runs
  // share the machine with V8 tiering the kernel up on background threads, which competes with the
  // main thread's writes for the second core and had made single pairs range −27 … +38 %), then
  // the runs alternate between them, the order within a pair alternating too. Many short pairs:
  // this VM's speed states last seconds, and both halves of a short pair mostly see the same one.
  const pairs = quick ? 3 : 150;
  const workerEpisodes = quick ? 20_000 : 100_000;
  const warmRuns = quick ? 1 : 3;
  const specs = Array.from({ length: warmRuns + pairs }, (_, i) => seedToySpec(workerEpisodes, i));
  // Each run twice in one store: once logged, once silent.
  const { store, ids } = storeWithRuns(dir, [...specs, ...specs]);
  const silentId = (i: number) => ids[specs.length + i]!;
  const keeping = new JobPool({ workerPath, sink: store, size: 1 });
  // The reference's worker collects no metrics at all (and so sends none), and the rest is the
  // same: the run is stored, marked running, its final Q-table and summary written. So logging's
  // whole cost, in the worker (collecting the columns) and on the main thread (writing them), is
  // what the pairs measure, and nothing else.
  const silent = new JobPool({ workerPath, sink: store, size: 1, collectMetrics: false });
  const timeRun = async (pool: JobPool, id: number, spec: RunSpec) => {
    const t = performance.now();
    pool.enqueue(id, spec);
    await pool.idle();
    return performance.now() - t;
  };
  try {
    await Promise.all([keeping.warm(), silent.warm()]);
    for (let i = 0; i < warmRuns; i++) {
      await timeRun(keeping, ids[i]!, specs[i]!);
      await timeRun(silent, silentId(i), specs[i]!);
    }
    const withStore: number[] = [];
    const without: number[] = [];
    for (let i = warmRuns; i < specs.length; i++) {
      const keep = () => timeRun(keeping, ids[i]!, specs[i]!);
      const none = () => timeRun(silent, silentId(i), specs[i]!);
      if (i % 2 === 0) {
        without.push(await none());
        withStore.push(await keep());
      } else {
        withStore.push(await keep());
        without.push(await none());
      }
    }
    emitOverhead(
      emit,
      'metric-logging-overhead-worker',
      'wall ms for one run on the worker pool (seed-toy, 10M steps; warm pools, runs alternating)',
      withStore,
      without,
      'the same worker run, stored, collecting no metrics',
    );
  } finally {
    await Promise.all([keeping.close(), silent.close()]);
    store.close();
  }
}

/**
 * An overhead line from paired measurements (withLogging[i] and without[i] taken back to back):
 * the median of the pairs' ratios, which the machine's drift between pairs does not move.
 */
function emitOverhead(emit: BenchPipelineContext['emit'], bench: string, unit: string, withLogging: number[], without: number[], referenceName: string, extra: Record<string, unknown> = {}): void {
  const ratios = withLogging.map((w, i) => w / without[i]!);
  const ratio = median(ratios);
  emit({
    bench,
    unit,
    aisle: Number(median(withLogging).toFixed(1)),
    reference: Number(median(without).toFixed(1)),
    referenceName,
    ratio: Number(ratio.toFixed(4)),
    overheadPercent: Number((100 * (ratio - 1)).toFixed(2)),
    pairs: ratios.length,
    overheadRangePercent: [Number((100 * (Math.min(...ratios) - 1)).toFixed(2)), Number((100 * (Math.max(...ratios) - 1)).toFixed(2))],
    ...extra,
    goal: '<= 3% overhead',
    met: ratio - 1 <= 0.03,
  });
}

/** From cancel() to the run recorded as cancelled, on a long tabular run and on a long-episode MDP run. */
export async function benchCancel({ dir, workerPath, quick, emit }: BenchPipelineContext): Promise<void> {
  const latencies: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    const spec = seedToySpec(100_000_000, i);
    const { store, ids } = storeWithRuns(dir, [spec]);
    const pool = new JobPool({ workerPath, sink: store, size: 1 });
    await pool.warm();
    const started = new Promise<void>((res) => pool.on('progress', () => res()));
    pool.enqueue(ids[0]!, spec);
    await started;
    const t = performance.now();
    const done = new Promise<void>((res) => pool.on('status', (e) => e.status === 'cancelled' && res()));
    pool.cancel(ids[0]!);
    await done;
    latencies.push(performance.now() - t);
    await pool.close();
    store.close();
  }
  emit({
    bench: 'cancel-latency',
    unit: 'ms from cancel() to the run recorded as cancelled',
    aisle: Number(median(latencies).toFixed(2)),
    max: Number(Math.max(...latencies).toFixed(2)),
    goal: '<= 100 ms',
    met: Math.max(...latencies) <= 100,
  });
}

/** The metric store on its own: a million values written, read downsampled and raw, and their size. */
export function benchStore({ dir, quick, emit }: BenchPipelineContext): void {
  const r = benchMetricStore(dir, { episodes: quick ? 200_000 : 1_000_000 });
  emit({
    bench: 'metric-store',
    unit: 'ms / bytes',
    episodes: r.episodes,
    writeMs: Number(r.writeMs.toFixed(1)),
    readDownsampled2000Ms: Number(r.readDownsampledMs.toFixed(2)),
    read100kDownsampledMs: Number(r.read100kDownsampledMs.toFixed(2)),
    readRawMs: Number(r.readRawMs.toFixed(2)),
    bytes: r.bytes,
    bytesPerValue: Number((r.bytes / r.episodes).toFixed(2)),
    goal: '1M values in a few MB; downsampled read in tens of ms',
    met: r.bytes < 8e6 && r.readDownsampledMs < 100,
  });
}
