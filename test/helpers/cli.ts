// Runs the built `aisle` CLI (out/main/cli.js) as a child process, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseExperiment, type Experiment } from '../../src/engine/experiment';
import { tempDir } from './tmp';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = resolve(ROOT, 'out', 'main', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function aisle(args: string[], opts: { db: string; cwd?: string; env?: Record<string, string> }): CliResult {
  const r = spawnSync(process.execPath, [CLI, '--db', opts.db, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env, AISLE_DB: '' },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A command's stderr with its wrapped warnings joined back into one line each: `aisle: warning: `
 * wraps its text to the output width, the lines after the first indented under its first word.
 */
export function unwrapped(stderr: string): string {
  return stderr.replace(/\n {2,}/g, ' ');
}

/** A run as `aisle runs --json` lists it, the fields the signal tests wait on. */
export interface ListedRun {
  id: number;
  status: string;
  episodesDone: number;
}

/**
 * Waits until `ready` holds of the database's runs as `aisle runs --json` lists them (`aisle run`
 * in another process training them). Generous: on a loaded two-core machine each `aisle runs` takes
 * a second or more to start.
 */
export async function untilRuns(db: string, ready: (runs: ListedRun[]) => boolean, what = 'the runs never got there'): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = aisle(['runs', '--json'], { db });
    if (listed.code === 0 && ready((JSON.parse(listed.stdout) as { runs: ListedRun[] }).runs)) return;
    if (Date.now() > deadline) throw new Error(`${what}: ${listed.stdout}${listed.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the CLI and returns the child (for signal tests). */
export function aisleSpawn(args: string[], opts: { db: string; env?: Record<string, string> }) {
  return spawn(process.execPath, [CLI, '--db', opts.db, ...args], { cwd: ROOT, env: { ...process.env, ...opts.env, AISLE_DB: '' } });
}

/** A short experiment file in `dir` (q-learning on the cliff MDP: 2 seeds of 20 episodes), with `overrides`; returns its path. */
/** A fresh folder with a database path and a seed-toy Q-learning experiment file `<name>.json` in it. */
export function seedToyExperiment(name: string, episodes: number, seeds: number): { dir: string; db: string; file: string } {
  const dir = tempDir();
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes, seeds }));
  return { dir, db: join(dir, 'a.db'), file };
}

export function cliffExperimentFile(dir: string, overrides: Record<string, unknown> = {}): string {
  const file = join(dir, 'exp.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'aisle.experiment/v1',
      name: 'cliff q-learning',
      env: { id: 'tabular-mdp', mdp: join(ROOT, 'resources/experiments/cliff.mdp.json'), maxSteps: 200 },
      agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 },
      episodes: 20,
      seeds: 2,
      ...overrides,
    }),
  );
  return file;
}

/** A database with one short cliff run (`cliffExperimentFile`'s, one seed: 20 episodes leave many states unreached), its folder and the run's id. */
export function oneCliffRun(): { dir: string; db: string; runId: number } {
  const dir = tempDir();
  const db = join(dir, 'a.db');
  const run = aisle(['run', cliffExperimentFile(dir, { seeds: 1 }), '--json'], { db });
  if (run.code !== 0) throw new Error(`aisle run failed: ${run.stderr}`);
  return { dir, db, runId: (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs[0]!.runId };
}

/** The cliff experiment (q-learning, 20 episodes) parsed as a launch stores it, its MDP inline, with `seeds` seeds (0, 1, …). */
export function parsedCliffExperiment(seeds: number): Experiment {
  return parseExperiment(
    {
      format: 'aisle.experiment/v1',
      name: 'cliff',
      env: { id: 'tabular-mdp', mdp: 'cliff.mdp.json', maxSteps: 200 },
      agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 },
      episodes: 20,
      seeds,
    },
    { readJson: (path) => JSON.parse(readFileSync(join(ROOT, 'resources/experiments', path), 'utf8')) },
  );
}
