// makeDirectory: mkdir -p. The paths where Node's own recursive mkdir spins forever (a dangling
// symlink, a path under /proc) are tested through the built CLI, in a child process with a time
// limit (test/cli/cli.test.ts, "a database path that cannot hold a database"), so that a regression
// fails a test instead of hanging the suite.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/main/make-dir';

const dir = mkdtempSync(join(tmpdir(), 'aisle-mkdir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeDirectory', () => {
  it('makes every missing level, and accepts a directory that exists', () => {
    const deep = join(dir, 'a', 'b', 'c');
    makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    makeDirectory(join(dir, 'a'));
    expect(statSync(join(dir, 'a', 'b')).isDirectory()).toBe(true);
  });

  it('refuses a path through a file, with ENOTDIR', () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    expect(() => makeDirectory(join(file, 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => makeDirectory(file)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });
});
