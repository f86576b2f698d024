// Ctrl-C while `aisle ope`, `aisle logs mdp` or `aisle shop calibrate` reads a large file. ope noted
// the signal and read on to the file's end before stopping (half a minute for a file near the 256 MB
// limit); calibrate had no handler, so the signal ended it at once and a pipe's private copy of the
// data stayed in the temporary folder; nor had logs mdp, which a signal inside the write of a large
// MDP left with its `<file>.<pid>.tmp`. Each now stops as the next chunk arrives, exit 130, say so on
// stderr, and leave nothing behind. The logs come through a FIFO the test holds open, so the
// command is reading when Ctrl-C comes and can only finish by stopping.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'aisle-read-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to the FIFO; resolved once written, that is, once the command has read all but the pipe's buffer of it. */
function write(fifo: WriteStream, text: string): Promise<void> {
  return new Promise((done, fail) => fifo.write(text, (e) => (e ? fail(e) : done())));
}

/** The child's exit, or 'still running' if it has not ended 30 s after Ctrl-C (then killed). */
async function exitAfterStop(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((done) => (timer = setTimeout(() => done('still running'), 30_000)));
  const first = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (first === 'still running') child.kill('SIGKILL');
  return first;
}

/**
 * Runs `args` (the FIFO's path among them) with a private temporary folder, feeds it `header` and
 * `rows` until it has read them, sends Ctrl-C, then more rows, and keeps the FIFO open.
 */
async function stopWhileReading(name: string, args: (fifo: string) => string[], header: string, rows: (i: number) => string) {
  const fifoPath = join(dir, `${name}.fifo`);
  expect(spawnSync('mkfifo', [fifoPath]).status).toBe(0);
  const tmp = join(dir, `${name}-tmp`);
  mkdirSync(tmp);
  const child = spawn(process.execPath, [CLI, ...args(fifoPath)], { cwd: dir, env: { ...process.env, AISLE_DB: join(dir, `${name}.db`), TMPDIR: tmp } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const fifo = createWriteStream(fifoPath); // opens once the command opens it to read
  const chunk = (from: number) => Array.from({ length: 20_000 }, (_, i) => rows(from + i)).join('');
  // ~1 MB, far past the pipe's 64 KB buffer: written, the command is reading it.
  await write(fifo, header + chunk(0));
  child.kill('SIGINT');
  // Further chunks let the stop in (the signal may reach its handler a few chunks late): one every 20 ms
  // until the command ends; stopped, it may close the FIFO while one is written (EPIPE).
  fifo.on('error', () => {});
  let feeding = true;
  const feed = (async () => {
    for (let from = 20_000; feeding; from += 1_000) {
      await write(fifo, Array.from({ length: 1_000 }, (_, i) => rows(from + i)).join('')).catch(() => (feeding = false));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const result = await exitAfterStop(child);
  feeding = false;
  fifo.destroy();
  await feed;
  return { result, stdout, stderr, leftInTmp: readdirSync(tmp) };
}

describe('Ctrl-C while a large file is read', () => {
  it('aisle ope stops reading the logs there: exit 130, nothing printed', { timeout: 60_000 }, async () => {
    const r = await stopWhileReading('ope', (f) => ['ope', f, '--target', 'uniform'], 'action,reward,propensity,context\n', (i) => `a${i % 7},${i % 13 === 0 ? 1 : 0},0.142857,c${i % 3}\n`);
    // Before: it read on until the FIFO closed, which it never does here.
    expect(r.result).toEqual({ code: 130, signal: null });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('aisle: the off-policy evaluation was stopped (Ctrl-C): nothing printed');
  });

  it("aisle ope stops copying a pipe it reads twice (a logs: target's rows): exit 130, the copy removed", { timeout: 60_000 }, async () => {
    const r = await stopWhileReading('ope-twice', (f) => ['ope', f, '--target', 'logs:context=c0'], 'action,reward,propensity,context\n', (i) => `a${i % 7},${i % 13 === 0 ? 1 : 0},0.142857,c${i % 3}\n`);
    // Before: the copy went on until the FIFO closed.
    expect(r.result).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('aisle: the off-policy evaluation was stopped (Ctrl-C): nothing printed');
    expect(r.leftInTmp).toEqual([]);
  });

  it('aisle logs mdp stops reading the logs there: exit 130, nothing written', { timeout: 60_000 }, async () => {
    const r = await stopWhileReading('logs-mdp', (f) => ['logs', 'mdp', f, '-o', 'sim.mdp.json', '--experiment', 'learn.json'], 'action,reward,propensity,context\n', (i) => `a${i % 7},${i % 13 === 0 ? 1 : 0},0.142857,c${i % 3}\n`);
    // Before: no handler, killed by the signal itself (no code), as it was inside the write of a large MDP, its temporary file left.
    expect(r.result).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('aisle: the fit was stopped (Ctrl-C): nothing written');
    expect(readdirSync(dir).filter((f) => f.endsWith('.json') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('aisle shop calibrate stops copying the pipe: exit 130, the copy removed, nothing written', { timeout: 60_000 }, async () => {
    const r = await stopWhileReading(
      'calibrate',
      (f) => ['shop', 'calibrate', f, '-o', 'shop.json', '--experiment', 'shop-exp.json'],
      'ts,customer,invoice,item,qty,price\n',
      (i) => `${1_300_000_000 + i * 60},c${i % 50},i${Math.floor(i / 5)},it${i % 30},1,2.5\n`,
    );
    // Before: killed by the signal itself (no code), its copy of the pipe left in the temporary folder.
    expect(r.result).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain('aisle: the calibration was stopped (Ctrl-C): nothing written');
    expect(r.leftInTmp).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
