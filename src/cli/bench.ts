/**
 * `npm run bench`: Aisle's speed and overhead, one JSON line per measure, each with Aisle's figure,
 * the reference's figure measured in the same run, and their ratio (the machines are noisy: absolute
 * times drift, ratios hold). References live in ../shared/bench (override with AISLE_BENCH_REFS);
 * a missing reference is reported and Aisle's own figure is still printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCompare } from './bench-compare';
import { benchMdp } from './bench-mdp';
import { benchMemory, dqnMemoryChild } from './bench-memory';
import { benchNn } from './bench-nn';
import { benchOpe } from './bench-ope';
import { benchCancel, benchLogging, benchStore, benchWorkers, trainTimedChild } from './bench-pipeline';
import { benchShop, benchShopConfigs, randomAgentRunsChild } from './bench-shop';
import { benchStartup } from './bench-startup';
import { benchTabular, benchTabularNative, python } from './bench-tabular';

/** This file, built: the measures that time runs in processes of their own fork it (see the end). */
const benchPath = fileURLToPath(import.meta.url);
const here = dirname(benchPath);
const root = resolve(here, '..', '..');
const refs = process.env.AISLE_BENCH_REFS ?? resolve(root, '..', 'shared', 'bench');
const quick = process.argv.includes('--quick');

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The measures, by the name that runs one alone (`npm run bench -- shop`); shop-configs runs only when named. */
const MEASURES = ['tabular', 'tabular-native', 'workers', 'logging', 'cancel', 'store', 'shop', 'shop-configs', 'nn', 'ope', 'mdp', 'startup', 'memory', 'compare'] as const;
/** Flags the measures read. */
const FLAGS = ['--quick'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.filter((a) => !a.startsWith('--'));
  // A misspelt name ran nothing and exited 0, as if the measure had passed.
  const unknown = args.filter((a) => (a.startsWith('--') ? !FLAGS.includes(a) : !(MEASURES as readonly string[]).includes(a)));
  if (unknown.length > 0) {
    process.stderr.write(`bench: ${unknown.map((a) => `"${a}"`).join(', ')} ${unknown.length === 1 ? 'is not a measure or flag' : 'are not measures or flags'}: the measures are ${MEASURES.join(', ')}; the flag is --quick\n`);
    process.exitCode = 2;
    return;
  }
  const want = (name: string) => only.length === 0 || only.includes(name);
  const dir = mkdtempSync(join(tmpdir(), 'aisle-bench-'));
  try {
    const pipeline = { dir, workerPath: join(here, 'worker.js'), benchPath, quick, emit };
    if (want('tabular')) benchTabular({ refs, quick, emit });
    if (want('tabular-native')) benchTabularNative({ refs, quick, emit, root, dir });
    if (want('workers')) await benchWorkers(pipeline);
    if (want('logging')) await benchLogging(pipeline);
    if (want('cancel')) await benchCancel(pipeline);
    if (want('store')) benchStore(pipeline);
    if (want('shop')) await benchShop({ root, benchPath, quick, emit });
    // Absolute rates of docs/shop-simulator.md's "Speed" shops: only when asked for by name.
    if (only.includes('shop-configs')) await benchShopConfigs({ root, benchPath, quick, emit });
    if (want('nn')) benchNn({ refs, quick, emit });
    if (want('ope')) benchOpe({ root, python: python(), quick, emit });
    if (want('mdp')) benchMdp({ quick, emit });
    if (want('startup')) benchStartup({ root, dir, quick, emit });
    if (want('memory')) benchMemory({ root, refs, dir, benchPath, python: python(), quick, emit });
    if (want('compare')) {
      const r = await benchCompare(dir, join(here, 'worker.js'), join(here, '..', 'renderer'), { quick });
      emit({
        bench: 'compare-view',
        unit: 'ms, 20 runs x 100k episodes (2 configs x 10 seeds)',
        queryMs: Number(r.queryMs.toFixed(1)),
        drawMs: r.drawMs === null ? null : Number(r.drawMs.toFixed(1)),
        goal: 'request to chart drawn <= 1000 ms',
        met: r.drawMs === null ? null : r.drawMs <= 1000,
        ...(r.note ? { note: r.note } : {}),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--random-agent-runs') randomAgentRunsChild(root);
else if (process.argv[2] === '--train-timed') trainTimedChild();
else if (process.argv[2] === '--dqn-memory') dqnMemoryChild();
else await main();
