/**
 * `npm run bench tabular`: Q-learning on the design brief's seed-toy workload, Aisle's steps/s on its
 * default path (the WebAssembly kernel) against seed_qlearning.py (numpy) measured between two of
 * Aisle's runs, and the JavaScript loop for the record. Also the seed-toy spec and timing helpers
 * the other measures share.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { train, type RunSpec, type TrainOptions } from '../engine/train';
import { median } from '../engine/stats/quantile';

export interface BenchTabularContext {
  /** The folder of the reference scripts. */
  readonly refs: string;
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

/** The design brief's workload: seed-toy 10×5, 100-step episodes, alpha 0.1, gamma 0.99, epsilon 0.1. */
export function seedToySpec(episodes: number, seed = 1): RunSpec {
  return {
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
    agent: { id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 },
    episodes,
    seed,
    checkpoints: 0,
  };
}

export function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** A python3 with numpy (AISLE_PYTHON first), or undefined. */
export function python(): string | undefined {
  for (const p of [process.env.AISLE_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!p) continue;
    const r = spawnSync(p, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (r.status === 0) return p;
  }
  return undefined;
}

/** Median steps/s of `runs` seed-toy runs of `episodes` episodes each, after a warm-up run. */
function tabularRate(episodes: number, runs: number, options: TrainOptions): { rate: number; backend: string } {
  // Warm-up: let the JIT settle (for WebAssembly, V8's background compile of the optimised tier).
  const backend = train(seedToySpec(10_000), {}, undefined, options).backend;
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ms = timeIt(() => train(seedToySpec(episodes, i), {}, undefined, options));
    rates.push((episodes * 100) / (ms / 1000));
  }
  return { rate: median(rates), backend };
}

/** seed_qlearning.py's steps/s (numpy), or why there is none. */
function seedToyReference({ refs, quick }: BenchTabularContext): number | string {
  const script = join(refs, 'seed_qlearning.py');
  const py = python();
  if (!existsSync(script)) return `reference not found: ${script}`;
  if (!py) return 'reference skipped: no python3 with numpy';
  const r = spawnSync(py, [script, quick ? '300' : '1000'], { encoding: 'utf8' });
  const m = /steps_per_s=(\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : `reference failed: ${r.stderr.trim().split('\n').pop()}`;
}

/** A C compiler on PATH (AISLE_CC first), or undefined. */
function compiler(): string | undefined {
  for (const cc of [process.env.AISLE_CC, 'cc', 'gcc', 'clang']) {
    if (cc && spawnSync(cc, ['--version'], { encoding: 'utf8' }).status === 0) return cc;
  }
  return undefined;
}

/** Median of the rounds' millions of steps/s printed by a built scripts/seed-toy-q.c. */
function nativeRate(binary: string, episodes: number): number {
  const r = spawnSync(binary, [String(episodes), '3'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${binary} failed: ${r.stderr.trim()}`);
  return median(r.stdout.trim().split('\n').map(Number)) * 1e6;
}

/**
 * `npm run bench tabular-native`: the same workload written in C (scripts/seed-toy-q.c, built here
 * with -O2), so that the tabular goal's ratio can be read against what native code does on this
 * machine. Each pair is Aisle's kernel on both sides of the C loop and of the numpy reference.
 */
export function benchTabularNative(context: BenchTabularContext & { readonly root: string; readonly dir: string }): void {
  const { quick, emit, root, dir } = context;
  const source = join(root, 'scripts', 'seed-toy-q.c');
  const cc = compiler();
  const line = { bench: 'tabular-native', unit: 'steps/s', nativeName: 'scripts/seed-toy-q.c, cc -O2', goal: null };
  if (!cc) {
    emit({ ...line, note: 'skipped: no C compiler (cc, gcc or clang; or set AISLE_CC)' });
    return;
  }
  const binary = join(dir, 'seed-toy-q');
  const build = spawnSync(cc, ['-O2', '-o', binary, source, '-lm'], { encoding: 'utf8' });
  if (build.status !== 0) {
    emit({ ...line, note: `skipped: ${cc} could not build ${source}: ${build.stderr.trim().split('\n').pop()}` });
    return;
  }
  const episodes = quick ? 5_000 : 50_000;
  const kernelOverNative: number[] = [];
  const nativeOverNumpy: number[] = [];
  const kernels: number[] = [];
  const natives: number[] = [];
  let note: string | undefined;
  for (let i = 0; i < (quick ? 1 : 5); i++) {
    const before = tabularRate(episodes, 3, {}).rate;
    const native = nativeRate(binary, episodes);
    const reference = seedToyReference(context);
    const after = tabularRate(episodes, 3, {}).rate;
    const kernel = Math.sqrt(before * after);
    kernels.push(kernel);
    natives.push(native);
    kernelOverNative.push(kernel / native);
    if (typeof reference === 'string') note = reference;
    else nativeOverNumpy.push(native / reference);
  }
  emit({
    ...line,
    aisle: Math.round(median(kernels)),
    native: Math.round(median(natives)),
    aisleVsNative: Number(median(kernelOverNative).toFixed(3)),
    aisleVsNativeRange: [Math.min(...kernelOverNative), Math.max(...kernelOverNative)].map((x) => Number(x.toFixed(3))),
    nativeVsNumpy: nativeOverNumpy.length > 0 ? Math.round(median(nativeOverNumpy)) : null,
    pairs: kernelOverNative.length,
    ...(note ? { note } : {}),
  });
}

export function benchTabular(context: BenchTabularContext): void {
  const { quick, emit } = context;
  const episodes = quick ? 5_000 : 50_000;
  // This machine's speed is bimodal and drifts (other tenants): numpy and Aisle both run ~1.6×
  // faster in its fast state. So the ratio is taken per pair — Aisle's measurement on both sides
  // of a reference run (their geometric mean), so that a change of state during the pair weighs on
  // both — and the median of the pairs' ratios is reported, with the spread.
  const pairs = quick ? 1 : 7;
  const ratios: number[] = [];
  const aisleRates: number[] = [];
  const referenceRuns: number[] = [];
  let backend = '';
  let note: string | undefined;
  for (let i = 0; i < pairs; i++) {
    // The default path: the WebAssembly kernel where it is available.
    const before = tabularRate(episodes, 3, {});
    const reference = seedToyReference(context);
    const after = tabularRate(episodes, 3, {});
    backend = after.backend;
    const rate = Math.sqrt(before.rate * after.rate);
    aisleRates.push(rate);
    if (typeof reference === 'string') note = reference;
    else {
      referenceRuns.push(reference);
      ratios.push(rate / reference);
    }
  }
  const aisle = median(aisleRates);
  const reference = referenceRuns.length > 0 ? median(referenceRuns) : undefined;
  const ratio = ratios.length > 0 ? median(ratios) : undefined;
  // The JavaScript reference loop, for the record (its ratio against the median reference run).
  const { rate: js } = tabularRate(episodes, quick ? 3 : 5, { backend: 'js' });
  emit({
    bench: 'tabular-qlearning-seed-toy',
    unit: 'steps/s',
    aisle: Math.round(aisle),
    backend,
    reference: reference ?? null,
    referenceName: 'seed_qlearning.py (numpy), run between two of Aisle\'s measurements',
    referenceRuns,
    ratio: ratio ? Math.round(ratio) : null,
    ratioRange: ratios.length > 0 ? [Math.round(Math.min(...ratios)), Math.round(Math.max(...ratios))] : null,
    pairs: ratios.length,
    js: Math.round(js),
    jsRatio: reference ? Math.round(js / reference) : null,
    goal: '>= 1000x',
    met: ratio ? ratio >= 1000 : null,
    ...(note ? { note } : {}),
  });
}
