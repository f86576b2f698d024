// `-o /dev/fd/N`: the descriptor the shell gave the command is written into (docs/cli.md, "Output,
// errors and exit codes"), and one it did not give is refused, exit 2. Node opens descriptors of its
// own from 3 up (epoll, eventfd, its signal and thread pipes): `-o /dev/fd/7` the shell did not open
// wrote into one of those, 'EINVAL', 'EBADF', exit 0 with the data gone, or a segmentation fault.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStreamOutput } from '../../src/cli/output-files';
import { CLI } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const REFUSED = /^aisle: -o \/dev\/fd\/(\d+): descriptor \1 (?:(?:was not given to this command \(the shell opened none for it; Node uses \1 for itself\)|is not open in this process): give the path of a file, or open the descriptor for the command|is open for reading only: give the path of a file, or open the descriptor for writing) \(\1>file\)\n$/;

function runtimeTo(fd: number, stdio: ('ignore' | 'pipe' | number)[]) {
  const db = join(tempDir(), 'none.db');
  return spawnSync(process.execPath, [CLI, '--db', db, 'policies', 'runtime', '-o', `/dev/fd/${fd}`], { stdio, encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 60_000 });
}

describe.skipIf(process.platform !== 'linux')('aisle … -o /dev/fd/N', () => {
  it('refuses a descriptor the shell did not give it, whichever Node holds there, exit 2, nothing written', () => {
    for (let fd = 3; fd <= 20; fd++) {
      const r = runtimeTo(fd, ['ignore', 'pipe', 'pipe']);
      expect({ fd, code: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ fd, code: 2, signal: null, stdout: '' });
      expect(r.stderr).toMatch(REFUSED);
    }
  });

  it('refuses a descriptor not open with the fix the other refusals give (the shell opening it: 22>file)', () => {
    const fd = [22, 222, 999].find((n) => {
      try {
        fstatSync(n);
        return false;
      } catch {
        return true;
      }
    })!;
    expect(() => isStreamOutput('-o', `/dev/fd/${fd}`)).toThrow(`-o /dev/fd/${fd}: descriptor ${fd} is not open in this process: give the path of a file, or open the descriptor for the command (${fd}>file)`);
  });

  it('writes into the descriptor the shell gave it: a file, or a pipe another process reads', () => {
    const dir = tempDir();
    const file = join(dir, 'runtime.js');
    const fd = openSync(file, 'w');
    try {
      const r = runtimeTo(3, ['ignore', 'pipe', 'pipe', fd]);
      expect(r.status, r.stderr).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toMatch(/^\/\*\*\n \* aisle-policy runtime/);
    const piped = runtimeTo(3, ['ignore', 'pipe', 'pipe', 'pipe']);
    expect(piped.status, piped.stderr).toBe(0);
    expect(String(piped.output[3])).toMatch(/^\/\*\*\n \* aisle-policy runtime/);
    expect(piped.stdout).toMatch(/^wrote \/dev\/fd\/3: /);
  });
});
