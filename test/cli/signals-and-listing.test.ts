// `aisle run` stopped by SIGTERM or SIGHUP cancels like Ctrl-C (no run left queued or running, exit
// 128 + the signal's number), and the listings read as sentences: run counts by status, filters
// that match nothing named, unknown experiments refused, one episode not "1 episodes".
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/main/store';
import { describe, expect, it } from 'vitest';
import { aisle, aisleSpawn, CLI, ROOT, seedToyExperiment, untilRuns } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const cliffMdp = join(ROOT, 'resources/experiments/cliff.mdp.json');

function experimentFile(dir: string, fields: Record<string, unknown>): string {
  const file = join(dir, 'exp.json');
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'listing', env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 }, agent: { id: 'q-learning' }, ...fields }));
  return file;
}

interface ListedRun {
  id: number;
  status: string;
  episodesDone: number;
}

describe.each([
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s during `aisle run`', (signal, exitCode) => {
  it(`cancels every run like Ctrl-C and exits ${exitCode}`, async () => {
    const { db, file } = seedToyExperiment('long', 50_000_000, 3);
    // One worker: the first run trains while the other two wait in the queue.
    const child = aisleSpawn(['run', file, '--workers', '1'], { db });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
    const deadline = Date.now() + 30_000;
    while (!/^run \d+ seed \d+: running$/m.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`no run started:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill(signal);
    const { code, signal: killedBy } = await exited;
    expect(killedBy).toBeNull(); // it exited by itself, not by the signal's default action
    expect(code).toBe(exitCode);
    expect(stderr).toMatch(/cancelling/);

    const list = JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { total: number; runs: ListedRun[] };
    expect(list.total).toBe(3);
    expect(list.runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const shown = aisle(['experiments'], { db });
    expect(shown.stdout).toMatch(/3 cancelled/);
  });
});

/** Waits until the database's first run has stored `episodes` episodes. */
function untilStored(db: string, episodes: number): Promise<void> {
  return untilRuns(db, (runs) => (runs[0]?.episodesDone ?? 0) >= episodes, 'no episodes were stored');
}

describe('a run cancelled with Ctrl-C midway', () => {
  it('is listed with its last 100 returns marked as from an unfinished run, as an interrupted one is', { timeout: 120_000 }, async () => {
    const { db, file } = seedToyExperiment('long', 50_000_000, 1);
    const child = aisleSpawn(['run', file, '--workers', '1'], { db });
    const exited = once(child, 'exit');
    await untilStored(db, 100);
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(130);
    const text = aisle(['runs'], { db });
    expect(text.code, text.stderr).toBe(0);
    const row = text.stdout.split('\n').find((l) => /^1 /.test(l))!;
    expect(row).toMatch(/cancelled/);
    expect(row.trimEnd()).toMatch(/-?[\d.]+\*$/);
    expect(text.stdout).toContain('* from the episodes stored so far: the run has not finished');
  });
});

describe('a run killed outright', () => {
  it('is listed with the mean of its last 100 stored returns, marked as from an unfinished run', { timeout: 120_000 }, async () => {
    const { db, file } = seedToyExperiment('long', 50_000_000, 1);
    const child = aisleSpawn(['run', file, '--workers', '1'], { db });
    const exited = once(child, 'exit');
    // Killed (no chance to finish anything) once some episodes are stored.
    await untilStored(db, 100);
    child.kill('SIGKILL');
    await exited;

    const text = aisle(['runs'], { db });
    expect(text.code, text.stderr).toBe(0);
    const row = text.stdout.split('\n').find((l) => /^1 /.test(l))!;
    expect(row).toMatch(/interrupted/);
    const shown = /(-?[\d.]+)\*$/.exec(row.trimEnd());
    expect(shown, row).not.toBeNull();
    expect(text.stdout).toContain('* from the episodes stored so far: the run has not finished');
    // The figure is the mean of the last 100 returns `aisle metrics` gives.
    // (Only the last 100: a fast run may have stored millions, more than metrics prints at once.)
    const stored = (JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: ListedRun[] }).runs[0]!.episodesDone;
    const tail = aisle(['--json', 'metrics', '1', '--metric', 'return', '--from', String(stored - 100)], { db });
    expect(tail.code, tail.stderr).toBe(0);
    const last = (JSON.parse(tail.stdout) as { metrics: { return: number[] } }).metrics.return;
    expect(last).toHaveLength(100);
    const mean = last.reduce((a, b) => a + b, 0) / last.length;
    expect(Number(shown![1])).toBeCloseTo(mean, 2);
    // --json carries the figure and its mark, and `show --json` the table "from the stored episodes", where the run's own summary is null.
    const listed = (JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: { returnLast100: number; partial: boolean; summary: unknown }[] }).runs[0]!;
    expect(listed).toMatchObject({ partial: true, summary: null });
    expect(listed.returnLast100).toBeCloseTo(mean, 4);
    const show = JSON.parse(aisle(['--json', 'show', '1'], { db }).stdout) as { summary: unknown; storedSummary: Record<string, { last100: number }> };
    expect(show.summary).toBeNull();
    expect(show.storedSummary.return!.last100).toBeCloseTo(mean, 4);
  });
});

describe('aisle experiments', () => {
  it('prints run counts by status, leaving out the statuses with none', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', experimentFile(dir, { episodes: 3, seeds: 2 })], { db }).code).toBe(0);
    const r = aisle(['experiments'], { db });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/listing\s.*\s2 completed$/m);
    expect(r.stdout).not.toMatch(/[{}"]|queued|running|failed/);
  });
});

describe('aisle runs with filters', () => {
  it('names the filter that matched nothing, and refuses an unknown experiment', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['runs'], { db }).stderr).toMatch(/a\.db does not exist: check the path, or create a database there by running an experiment/); // made by no listing
    Store.open(db).close();
    expect(aisle(['runs'], { db }).stdout).toMatch(/^no runs yet/);
    expect(aisle(['run', experimentFile(dir, { episodes: 3, seeds: 1 })], { db }).code).toBe(0);

    const running = aisle(['runs', '--status', 'running'], { db });
    expect(running.code).toBe(0);
    expect(running.stdout).toBe('no runs match status running\n');
    expect(aisle(['runs', '--experiment', '1', '--status', 'failed'], { db }).stdout).toBe('no runs match experiment 1, status failed\n');

    const unknown = aisle(['runs', '--experiment', '999'], { db });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('aisle: experiment 999 does not exist: list experiments with `aisle experiments`\n');
    expect(aisle(['runs', '--experiment', '999', '--json'], { db }).code).toBe(2);
  });
});

describe('counts in words', () => {
  it('says "1 run × 1 episode" and "1 Q-table checkpoint, after 1 episode"', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const r = aisle(['run', experimentFile(dir, { episodes: 1, seeds: 1 })], { db });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/: 1 run × 1 episode\n/);
    const show = aisle(['show', '1'], { db }).stdout;
    expect(show).toMatch(/^1 Q-table checkpoint, after 1 episode$/m);
    expect(show).not.toMatch(/\(s\)/);
  });
});

describe('aisle run, one experiment', () => {
  it('groups its counts ("1 run × 1,200 episodes") and gives its name in --json, as a sweep gives each experiment\'s', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const r = aisle(['run', experimentFile(dir, { episodes: 1200, seeds: 1 }), '--json'], { db });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { experimentId: number; name: string; runs: unknown[] };
    expect(Object.keys(report).slice(0, 3)).toEqual(['experimentId', 'name', 'runs']);
    const text = aisle(['run', experimentFile(dir, { episodes: 1200, seeds: 1 })], { db });
    expect(text.stderr).toMatch(/: 1 run × 1,200 episodes\n/);
    expect(report.name).toBe('listing');
  });
});

describe('--db ""', () => {
  it('is a usage error, not the default database', () => {
    const dir = tempDir();
    for (const db of ['', '  ']) {
      const r = aisle(['runs'], { db, env: { XDG_CONFIG_HOME: dir, HOME: dir, APPDATA: dir } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--db: give a file path/);
      expect(r.stdout).toBe('');
    }
  });
});

describe('a closed output pipe', () => {
  it('cancels `aisle run` as SIGHUP does when the reader of its progress goes away (aisle run x.json 2>&1 | head -3): checkpoints kept, exit 141', async () => {
    // Progress lines every 10 % of a run: a few tenths of a second apart here.
    const { db, file } = seedToyExperiment('piped', 3_000_000, 3);
    const child = aisleSpawn(['run', file, '--workers', '1'], { db });
    let stderr = '';
    const onData = (d: Buffer) => (stderr += d.toString());
    child.stderr.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
    const deadline = Date.now() + 30_000;
    while (!/^run \d+ seed \d+: running$/m.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`no run started:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.stderr.off('data', onData);
    child.stderr.destroy(); // the reader goes away: the next progress line meets EPIPE
    const { code, signal } = await exited;
    expect(signal).toBeNull(); // it ended by itself, not killed
    expect(code).toBe(141);
    const list = JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: ListedRun[] };
    expect(list.runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // The run that trained stopped between two episodes with a checkpoint: nothing to find interrupted.
    const first = list.runs.find((r) => r.id === 1)!;
    expect(first.episodesDone).toBeGreaterThan(0);
    expect(first.episodesDone).toBeLessThan(3_000_000);
    expect(aisle(['runs'], { db }).stdout).toContain('run 1 continues from a checkpoint');
  });

  it('stops quietly, exit 0, when the reader goes away (aisle metrics 1 | head)', async () => {
    const { db, file } = seedToyExperiment('big', 100_000, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const child = spawn(process.execPath, [CLI, '--db', db, 'metrics', '1'], { cwd: ROOT, env: { ...process.env, AISLE_DB: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    await once(child.stdout, 'data'); // ~2 MB of CSV on the way: far more than a pipe holds
    child.stdout.destroy();
    const [code] = (await exited) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
