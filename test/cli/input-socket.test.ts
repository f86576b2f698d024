// /dev/stdin given as an input file when the standard input is a socket (a Node.js parent's
// child_process `input`, or stdio 'pipe', is a socket pair): Linux opens no socket by its path
// (ENXIO). JSON inputs said Node's raw "aisle: ENXIO: no such device or address, open
// '/dev/stdin'", exit 1, as a failed run; CSV inputs said "check its permissions". Every reader
// now says what it is and what to give, exit 2.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const SOCKET = '/dev/stdin: is a socket, which cannot be opened by its path (ENXIO): give the path of a file, or a pipe (cat file | aisle …)';

/** `aisle <args>` with `input` on a standard input that is a socket (spawnSync's `input`). */
function onSocket(args: string[], input: string) {
  const dir = tempDir();
  const r = spawnSync(process.execPath, [CLI, '--db', join(dir, 'a.db'), ...args], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 120_000 });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe('/dev/stdin that is a socket', () => {
  const experiment = readFileSync(join(ROOT, 'resources/experiments/bandit-ucb.json'), 'utf8');
  const logs = 'item,click,pscore\na,1,0.5\nb,0,0.5\n';

  it.each([
    ['run', ['run', '/dev/stdin', '--episodes', '3', '--seeds', '1'], experiment],
    ['solve', ['solve', '/dev/stdin'], readFileSync(join(ROOT, 'resources/experiments/cliff.mdp.json'), 'utf8')],
    ['ope', ['ope', '/dev/stdin', '--target', 'uniform'], logs],
    ['logs mdp', ['logs', 'mdp', '/dev/stdin', '-o', 'sim.mdp.json'], logs],
    ['shop calibrate', ['shop', 'calibrate', '/dev/stdin'], 'ts,customer,invoice,item,qty,price\n1300000000,c1,1,A,1,1.00\n'],
    ['results import', ['results', 'import', '/dev/stdin'], 'SQLite format 3\0'],
  ])('%s: one line naming it, exit 2', (_name, args, input) => {
    const r = onSocket(args, input);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`aisle: ${SOCKET}\n`);
  });
});
