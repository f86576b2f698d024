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
import { opePhase } from '../../src/engine/ope/progress';
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
    expect(opeProgressLine(80, { done: 41_000, total: 100_000, target: 0, targets: 1 }, 12.7, [false])).toBe(`resampling ${'█'.repeat(11)}${'░'.repeat(15)} 41% | 41,000/100,000 resamples | 12 s`);
    // The count is the target's, of the resamples asked; the bar and the percentage the whole evaluation's.
    const two = opeProgressLine(100, { done: 150_000, total: 200_000, target: 1, targets: 2 }, 61, [false, false]);
    expect(two).toMatch(/^resampling █+░+ 75% \| 50,000\/100,000 resamples \| target 2 of 2 \| 61 s$/);
  });

  // A logs: target's truth (what the other rows' policy really got) is resampled as many times again:
  // the bar read '1,200/200,000 resamples' for --resamples 100,000, a total the user never asked for.
  it("counts a logs: target's truth apart from its estimates, each of the resamples asked", () => {
    const alone = (done: number) => opeProgressLine(80, { done, total: 200_000, target: 0, targets: 1 }, 4, [true]);
    expect(alone(1_200)).toMatch(/^resampling ░+ 0% \| 1,200\/100,000 truth resamples \| 4 s$/);
    expect(alone(100_000)).toMatch(/ 50% \| 100,000\/100,000 truth resamples \| 4 s$/);
    expect(alone(141_000)).toMatch(/^resampling █+░+ 70% \| 41,000\/100,000 resamples \| 4 s$/);
    // After a uniform target, and before one.
    const mixed = (done: number, target: number, withTruth: boolean[]) => opeProgressLine(80, { done, total: 300_000, target, targets: 2 }, 6, withTruth);
    expect(mixed(127_700, 1, [false, true])).toMatch(/ 42% \| 27,700\/100,000 truth resamples \| target 2 of 2 \| 6 s$/);
    expect(mixed(250_000, 1, [false, true])).toMatch(/ 83% \| 50,000\/100,000 resamples \| target 2 of 2 \| 6 s$/);
    expect(mixed(150_000, 0, [true, false])).toMatch(/ 50% \| 50,000\/100,000 resamples \| target 1 of 2 \| 6 s$/);
    expect(mixed(290_000, 1, [true, false])).toMatch(/ 96% \| 90,000\/100,000 resamples \| target 2 of 2 \| 6 s$/);
    // The bar keeps its size through the phases, and the line fits the terminal.
    const lines = [1_200, 100_000, 141_000, 200_000].map(alone);
    expect(new Set(lines.map((l) => /[█░]+/.exec(l)![0].length)).size).toBe(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(opePhase({ done: 100_001, total: 200_000, target: 0, targets: 1 }, [true])).toEqual({ done: 1, of: 100_000, truth: false });
  });
});
