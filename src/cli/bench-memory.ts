/**
 * `npm run bench memory`: how much memory Aisle's processes take at their peak, against the
 * references doing the same work, and whether a run's memory grows with its length.
 *
 * The figure is the kernel's peak resident set of the process's own program (Linux's VmHWM, in
 * /proc/self/status), which counts every thread (so a worker's training and the main thread's
 * SQLite writes alike), reported by each process about itself as it exits: Aisle's through a
 * preloaded exit hook, a reference's through a wrapper that runs the script and then reads its
 * own. Not getrusage's maxRSS, where there is a VmHWM: Linux carries maxRSS over from the process
 * that spawned it (fork copies its resident size, exec keeps the peak), so every child of this
 * bench read at least the bench's own size (109 MB for a numpy script of 33 MB, once the earlier
 * measures had grown it). Each figure is the median of a few processes; a process's peak moves by a
 * few MB between runs, not with the machine's speed state.
 *
 * - memory-tabular: the brief's workload as a user runs it, `aisle run` of seed-toy × Q-learning
 *   (a worker thread, every episode's metrics stored in a fresh database), against
 *   seed_qlearning.py (numpy, nothing stored). Beside them, the two runtimes starting and doing
 *   nothing (Node; Python importing numpy), so that what the programs add can be read apart from
 *   what the runtimes cost.
 * - memory-dqn: torch_dqn_step.py's DQN update loop (the network, Adam and 1,024 replay rows) in a
 *   Node process of its own, against the script itself in PyTorch.
 * - memory-growth: `aisle run` of one workload short and 1,000× (seed-toy) or 10× (shop, DQN) longer:
 *   metrics go to the database as the run goes, a replay buffer is bounded, so a longer run should
 *   take no more memory than the garbage collector lets a heap grow before it collects.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../engine/stats/quantile';
import { dqnUpdateLoop } from './bench-nn';

export interface MemoryBenchContext {
  readonly root: string;
  /** Folder of the reference programs. */
  readonly refs: string;
  /** A scratch folder, removed by the caller. */
  readonly dir: string;
  /** bench.js itself, which runs the DQN loop as a child (`--dqn-memory`). */
  readonly benchPath: string;
  /** A python3 with numpy, if any. */
  readonly python: string | undefined;
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

const MARK = 'AISLE_MAXRSS_KB=';
/**
 * Prints the process's peak resident set (KB) as it exits, however it exits (process.exit
 * included): VmHWM, else (no /proc: macOS) maxRSS.
 */
export const HOOK = `process.on('exit', () => {
  const fs = require('node:fs');
  let kb = process.resourceUsage().maxRSS;
  try { const m = /^VmHWM:\\s*(\\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8')); if (m) kb = Number(m[1]); } catch {}
  fs.writeSync(2, '\\n${MARK}' + kb + '\\n');
});
`;
/** Runs a script (argv[1], its arguments after it) as python would, then prints its own peak as HOOK does. */
const PY_WRAPPER = `import resource, runpy, sys
sys.argv = sys.argv[1:]
if sys.argv[0] != '-':
    runpy.run_path(sys.argv[0], run_name='__main__')
else:
    import numpy
kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    kb = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))
except (OSError, StopIteration):
    pass
sys.stderr.write('\\n${MARK}%d\\n' % kb)
`;

const mb = (kb: number) => Number((kb / 1024).toFixed(1));

/** The peak (KB) a child reported on stderr; throws with its stderr when it failed or did not report. */
export function peakOf(command: string, args: string[], what: string): number {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AISLE_DB: '' }, maxBuffer: 64 * 1024 * 1024 });
  const m = new RegExp(`${MARK}(\\d+)`).exec(r.stderr);
  if (r.status !== 0 || !m) {
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    throw new Error(`bench memory: ${what} exited ${r.status}: ${lines.find((l) => /Error/.test(l)) ?? lines.at(-1) ?? 'no output'}`);
  }
  return Number(m[1]);
}

export function benchMemory(opts: MemoryBenchContext): void {
  const { root, refs, dir, benchPath, python, quick, emit } = opts;
  const hook = join(dir, 'maxrss-hook.cjs');
  writeFileSync(hook, HOOK);
  const rounds = quick ? 1 : 3;
  const cli = join(root, 'out', 'main', 'cli.js');
  const experiments = join(root, 'resources', 'experiments');
  const times = (fn: () => number) => median(Array.from({ length: rounds }, fn));

  /** `aisle run <experiment> --episodes n --seeds 1` on a fresh database: its peak, KB. */
  const aisleRun = (experiment: string, episodes: number): number =>
    times(() => {
      const db = join(dir, 'memory.db');
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      return peakOf(process.execPath, ['-r', hook, cli, '--db', db, 'run', join(experiments, experiment), '--episodes', String(episodes), '--seeds', '1'], `aisle run ${experiment}`);
    });
  const node = times(() => peakOf(process.execPath, ['-r', hook, '-e', ''], 'node -e ""'));
  const py = (args: string[], what: string) => (python ? times(() => peakOf(python, ['-c', PY_WRAPPER, ...args], what)) : undefined);

  // The brief's workload.
  const tabularEpisodes = quick ? 5_000 : 50_000;
  const aisleTabular = aisleRun('seed-toy.json', tabularEpisodes);
  const script = join(refs, 'seed_qlearning.py');
  const why = !existsSync(script) ? `reference not found: ${script}` : !python ? 'reference skipped: no python3 with numpy' : undefined;
  const reference = why ? undefined : py([script, quick ? '300' : '1000'], 'seed_qlearning.py');
  const numpyAlone = why ? undefined : py(['-'], 'python3 importing numpy');
  emit({
    bench: 'memory-tabular',
    unit: `MB, peak resident set (VmHWM), median of ${rounds} processes`,
    aisleName: `aisle run seed-toy.json --episodes ${tabularEpisodes.toLocaleString('en-US')} (a worker thread; every episode's metrics stored in a fresh SQLite database)`,
    aisleMB: mb(aisleTabular),
    referenceName: 'seed_qlearning.py (numpy; nothing stored)',
    referenceMB: reference === undefined ? null : mb(reference),
    ratio: reference === undefined ? null : Number((aisleTabular / reference).toFixed(2)),
    nodeAloneMB: mb(node),
    pythonWithNumpyAloneMB: numpyAlone === undefined ? null : mb(numpyAlone),
    // What each program adds to its runtime doing nothing.
    aboveRuntimeMB: { aisle: mb(aisleTabular - node), reference: reference === undefined || numpyAlone === undefined ? null : mb(reference - numpyAlone) },
    ...(why ? { note: why } : {}),
  });

  // DQN's update loop, the same network and data in both.
  const steps = quick ? 200 : 2_000;
  const aisleDqn = times(() => peakOf(process.execPath, ['-r', hook, benchPath, '--dqn-memory', String(steps)], 'the DQN loop'));
  const torch = torchPeak(refs, quick, rounds);
  emit({
    bench: 'memory-dqn',
    unit: `MB, peak resident set (VmHWM), median of ${rounds} processes`,
    aisleName: `torch_dqn_step.py's W1 and W2 loops in Node (MLP 64-128-128-100, Adam, batch 64, 1,024 rows), ${steps.toLocaleString('en-US')} updates and actions`,
    aisleMB: mb(aisleDqn),
    referenceName: 'torch_dqn_step.py (PyTorch CPU, 1 thread; its W1 and W2 loops)',
    referenceMB: typeof torch === 'number' ? mb(torch) : null,
    ratio: typeof torch === 'number' ? Number((aisleDqn / torch).toFixed(2)) : null,
    nodeAloneMB: mb(node),
    ...(typeof torch === 'string' ? { note: torch } : {}),
  });

  // Longer runs, the same memory: metrics are written as they come, not held.
  const growth: [string, string, number, number][] = [
    ['seed-toy × Q-learning', 'seed-toy.json', quick ? 2_000 : 5_000, quick ? 20_000 : 5_000_000],
    ['shop-large × random', 'shop-large-random.json', quick ? 100 : 300, quick ? 1_000 : 3_000],
    ['shop-fatigue × DQN', 'shop-fatigue-dqn.json', quick ? 20 : 50, quick ? 200 : 500],
  ];
  for (const [name, file, short, long] of growth) {
    const a = aisleRun(file, short);
    const b = aisleRun(file, long);
    emit({
      bench: 'memory-growth',
      unit: `MB, peak resident set of aisle run (VmHWM), median of ${rounds} processes`,
      workload: name,
      shortEpisodes: short,
      shortMB: mb(a),
      longEpisodes: long,
      longMB: mb(b),
      ratio: Number((b / a).toFixed(3)),
      goal: 'none: memory bounded whatever the run’s length (metrics are written as they come, not held)',
    });
  }
}

/** torch_dqn_step.py's peak, KB, or why it did not run. */
function torchPeak(refs: string, quick: boolean, rounds: number): number | string {
  const script = join(refs, 'torch_dqn_step.py');
  if (!existsSync(script)) return `reference not found: ${script}`;
  const candidates = [process.env.AISLE_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  const py = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  if (!py) return 'reference skipped: no python3 with torch (apt-get install -y python3-torch libopenblas0-pthread)';
  return median(Array.from({ length: rounds }, () => peakOf(py, ['-c', PY_WRAPPER, script, '1', ...(quick ? ['--quick'] : [])], 'torch_dqn_step.py')));
}

/** bench.js --dqn-memory N: N DQN updates, in a process of their own (the parent reads its peak). */
export function dqnMemoryChild(): void {
  const steps = Number(process.argv[3]);
  if (!(dqnUpdateLoop(steps) >= 0)) throw new Error('the DQN loop diverged');
}
