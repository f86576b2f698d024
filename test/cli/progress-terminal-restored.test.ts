// `aisle run`'s progress bars hide the terminal's cursor and turn off its line wrapping while they
// draw. Ctrl-C twice (the second quits at once, while the first still waits to record the
// cancelling, here behind another process's write lock) must hand the terminal back as it was.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, seedToyExperiment, untilRuns } from '../helpers/cli';
import { REPEAT_WINDOW_MS } from '../../src/cli/signal-stop';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const NO_WRAP = '\x1b[?7l';
const WRAP = '\x1b[?7h';

describe('aisle run stopped by a second Ctrl-C on a terminal', () => {
  it('shows the cursor again and turns line wrapping back on', { timeout: 120_000 }, async () => {
    const { dir, db, file } = seedToyExperiment('toy', 20_000_000, 2);
    // stderr as a terminal (the bars are drawn only there), 80 columns; the bytes still come here through a pipe.
    const tty = join(dir, 'tty.cjs');
    writeFileSync(tty, 'Object.defineProperty(process.stderr, "isTTY", { value: true }); Object.defineProperty(process.stderr, "columns", { value: 80 });\n');
    const child = spawn(process.execPath, ['-r', tty, CLI, '--db', db, 'run', file, '--workers', '1'], { cwd: ROOT, env: { ...process.env, AISLE_DB: '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    await untilRuns(db, (runs) => runs.some((r) => r.episodesDone > 0) && stderr.includes(HIDE_CURSOR), 'no episodes were stored, or no bars drawn');
    // Another process holds the write lock: the first Ctrl-C's cancelling waits for it.
    const lock = new Database(db, { timeout: 30_000 });
    lock.exec('BEGIN IMMEDIATE');
    try {
      child.kill('SIGINT');
      const waiting = Date.now() + 30_000;
      while (!stderr.includes('cancelling')) {
        if (Date.now() > waiting) throw new Error(`no cancelling:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      // Past the repeat window, as a person's second press is: a copy within it is the first delivered twice.
      await new Promise((r) => setTimeout(r, REPEAT_WINDOW_MS + 50));
      child.kill('SIGINT');
      expect((await exited)[0]).toBe(130);
    } finally {
      lock.exec('COMMIT');
      lock.close();
    }
    expect(stderr.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(stderr.lastIndexOf(HIDE_CURSOR));
    expect(stderr.lastIndexOf(WRAP)).toBeGreaterThan(stderr.lastIndexOf(NO_WRAP));
  });
});
