// The lock that keeps two `aisle` commands from building at once (scripts/build-if-stale.mjs):
// processes contending for it take turns, and a lock left by a dead process is taken over.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from '../../scripts/build-if-stale.mjs';
import { tempDir } from '../helpers/tmp';

const script = join(__dirname, '..', '..', 'scripts', 'build-if-stale.mjs');

/** A child that holds the lock ~150 ms and appends "start <i>" and "end <i>" to the log inside it. */
function contender(lock: string, log: string, i: number): Promise<number | null> {
  const code = `import { appendFileSync } from 'node:fs';
import { withLock } from ${JSON.stringify(script)};
withLock(${JSON.stringify(lock)}, () => {
  appendFileSync(${JSON.stringify(log)}, 'start ${i}\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
  appendFileSync(${JSON.stringify(log)}, 'end ${i}\\n');
});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', resolve));
}

describe('the build lock', () => {
  it('lets one process at a time in', async () => {
    const dir = tempDir();
    const lock = join(dir, 'build.lock');
    const log = join(dir, 'log');
    writeFileSync(log, '');
    expect(await Promise.all([0, 1, 2].map((i) => contender(lock, log, i)))).toEqual([0, 0, 0]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    for (let k = 0; k < 6; k += 2) expect(lines[k + 1]).toBe(lines[k]!.replace('start', 'end')); // never interleaved
  });

  it('takes over a lock whose owner is dead, and releases it after', () => {
    const dir = tempDir();
    const lock = join(dir, 'build.lock');
    writeFileSync(lock, '2147483646'); // no such process
    expect(withLock(lock, () => 'ran')).toBe('ran');
    expect(() => readFileSync(lock)).toThrow(/ENOENT/);
  });
});
