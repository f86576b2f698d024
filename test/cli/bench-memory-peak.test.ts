// The memory bench's figure is each child's own peak. Linux carries getrusage's maxRSS over from
// the process that spawned the child (fork copies its resident size, exec keeps the peak), so a
// child of a bench grown to 109 MB read 109 MB however little it used: the numpy reference, 33 MB
// on its own, was reported as large as Aisle.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOOK, peakOf } from '../../src/cli/bench-memory';
import { tempDir } from '../helpers/tmp';

describe('npm run bench memory: each process’s own peak', () => {
  it.skipIf(!existsSync('/proc/self/status'))('does not count the resident size of the process that spawned it (Linux)', () => {
    const hook = join(tempDir(), 'hook.cjs');
    writeFileSync(hook, HOOK);
    const alone = peakOf(process.execPath, ['-r', hook, '-e', ''], 'node -e ""');
    // This process grows by 400 MB, resident (filled), before spawning the same child again.
    const ballast = Buffer.alloc(400 * 2 ** 20, 1);
    const beside = peakOf(process.execPath, ['-r', hook, '-e', ''], 'node -e "" beside 400 MB');
    expect(ballast[ballast.length - 1]).toBe(1);
    expect(process.memoryUsage().rss / 1024).toBeGreaterThan(alone + 300 * 1024);
    // maxRSS read over 400,000 KB here; the child's own peak stays what it was alone, give or take.
    expect(beside).toBeLessThan(alone + 50 * 1024);
    expect(alone).toBeGreaterThan(10 * 1024);
  });
});
