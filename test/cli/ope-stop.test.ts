// `aisle ope` with many resamples runs for a minute: on a terminal it draws a bar for the
// bootstrap (stderr), and Ctrl-C stops it there, exit 130, nothing on stdout, the cursor shown
// again. Before, it said nothing while it resampled, and Ctrl-C killed it with the cursor as it was.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { opeProgressLine } from '../../src/cli/ope-progress';
import { CLI, ROOT } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'aisle-ope-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/** 20,000 rows whose propensities differ, so that no two rows resample as one group: a bootstrap of 100,000 resamples takes long. */
function slowLogs(): string {
  const lines = ['action,reward,pscore,context'];
  for (let i = 0; i < 20_000; i++) lines.push(`a${i % 7},${(i * 31) % 11 === 0 ? 1 : 0},${(0.1 + ((i * 7919) % 1000) / 20_000).toFixed(5)},c${i % 3}`);
  return `${lines.join('\n')}\n`;
}

describe('aisle ope stopped by Ctrl-C', () => {
  it('draws the bootstrap on a terminal, then stops at Ctrl-C with exit 130, nothing printed, the cursor shown again', { timeout: 120_000 }, async () => {
    const file = join(dir, 'slow.csv');
    writeFileSync(file, slowLogs());
    // stderr as a terminal (the bar is drawn only there), 80 columns; the bytes still come here through a pipe.
    const tty = join(dir, 'tty.cjs');
    writeFileSync(tty, 'Object.defineProperty(process.stderr, "isTTY", { value: true }); Object.defineProperty(process.stderr, "columns", { value: 80 });\n');
    const child = spawn(process.execPath, ['-r', tty, CLI, 'ope', file, '--target', 'uniform', '--resamples', '100000'], { cwd: ROOT, env: { ...process.env, AISLE_DB: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    const waiting = Date.now() + 60_000;
    while (!/resampling .* \d+% \| [\d,]+\/100,000 resamples/.test(stderr)) {
      if (Date.now() > waiting || child.exitCode !== null) throw new Error(`no progress drawn:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(stdout).toBe('');
    expect(stderr).toContain('aisle: the off-policy evaluation was stopped (Ctrl-C): nothing printed');
    expect(stderr.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(stderr.lastIndexOf(HIDE_CURSOR));
  });

  it("writes the bar's line with the resamples and, for several targets, which one", () => {
    expect(opeProgressLine(80, { done: 41_000, total: 100_000, target: 0, targets: 1 }, 12.7)).toBe(`resampling ${'█'.repeat(11)}${'░'.repeat(15)} 41% | 41,000/100,000 resamples | 12 s`);
    const two = opeProgressLine(100, { done: 150_000, total: 200_000, target: 1, targets: 2 }, 61);
    expect(two).toMatch(/^resampling █+░+ 75% \| 150,000\/200,000 resamples \| target 2 of 2 \| 61 s$/);
  });
});
