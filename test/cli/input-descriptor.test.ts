// An input named by its descriptor (`aisle run /dev/fd/4`, `aisle ope <(zcat logs.csv.gz) …`): the
// descriptor the shell gave the command is read (docs/cli.md, "Output, errors and exit codes"), and
// one it did not give is refused, exit 2, before anything reads it. Node opens descriptors of its own
// from 3 up (epoll, eventfd, its signal and thread pipes): `aisle run /dev/fd/4` read libuv's pipe
// and waited forever, and /dev/fd/3 (epoll) failed with Node's raw EINVAL, exit 1.
import { closeSync, openSync } from 'node:fs';
import { spawnSync, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const EXPERIMENT = join(ROOT, 'resources/experiments/bandit-ucb.json');
const QUICKSTART = join(ROOT, 'resources/experiments/quickstart.json');

// One line naming the argument and the fix. Node's own /dev/null (read-only, as one the shell gives
// with `10</dev/null`, which nothing here tells apart) reads as an empty file: refused too, as that.
const REFUSED = /^aisle: (?:--set env\.mdp=\/dev\/fd\/\d+: env\.mdp: )?\/dev\/fd\/(\d+): (?:descriptor \1 (?:was not given to this command \(the shell opened none for it; Node uses \1 for itself\)|is open for writing only|is not open in this process): give the path of a file, or open the descriptor for the command \(\1<file\)|the file is empty: .*)\n$/;

/** `aisle <args>` with `stdio`, killed after 30 s: the old code waited forever on libuv's pipe, blocked in a read where SIGTERM's handler never ran (status null, SIGKILL). */
function aisleWith(args: string[], stdio: StdioOptions, db = join(tempDir(), 'lab.db')) {
  return spawnSync(process.execPath, [CLI, '--db', db, ...args], { stdio, encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 30_000, killSignal: 'SIGKILL' });
}

const NOT_GIVEN: StdioOptions = ['ignore', 'pipe', 'pipe'];

describe.skipIf(process.platform !== 'linux')('aisle … /dev/fd/N as an input', () => {
  it('refuses a descriptor the shell did not give, whichever Node holds there, exit 2, before reading', () => {
    for (let fd = 3; fd <= 20; fd++) {
      const r = aisleWith(['run', `/dev/fd/${fd}`], NOT_GIVEN);
      expect({ fd, code: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ fd, code: 2, signal: null, stdout: '' });
      expect(r.stderr).toMatch(REFUSED);
    }
  });

  it.each([
    ['aisle ope', (f: string) => ['ope', f, '--target', 'uniform']],
    ['aisle ope with a logs: target (read twice)', (f: string) => ['ope', f, '--target', 'logs:a=1']],
    ['aisle shop calibrate', (f: string) => ['shop', 'calibrate', f, '-o', join(tempDir(), 'cat.json')]],
    ['aisle logs mdp', (f: string) => ['logs', 'mdp', f, '-o', join(tempDir(), 'sim.mdp.json')]],
    ['aisle results import', (f: string) => ['results', 'import', f]],
    ['aisle policies import', (f: string) => ['policies', 'import', f]],
    ['an MDP an experiment names', (f: string) => ['run', QUICKSTART, '--set', `env.mdp=${f}`]],
  ])('%s refuses one too: Node\'s own, or one not open', (_name, args) => {
    for (const fd of [4, 3, 5, 30]) {
      const db = join(tempDir(), 'lab.db');
      const r = aisleWith(args(`/dev/fd/${fd}`), NOT_GIVEN, db);
      expect({ fd, code: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ fd, code: 2, signal: null, stdout: '' });
      expect(r.stderr).toMatch(REFUSED);
    }
  });

  it('refuses a descriptor the shell opened for writing only', () => {
    const fd = openSync(join(tempDir(), 'out.json'), 'w');
    try {
      const r = aisleWith(['run', '/dev/fd/4'], ['ignore', 'pipe', 'pipe', 'ignore', fd]);
      expect([r.status, r.stderr]).toEqual([2, 'aisle: /dev/fd/4: descriptor 4 is open for writing only: give the path of a file, or open the descriptor for the command (4<file)\n']);
    } finally {
      closeSync(fd);
    }
  });

  it('reads the descriptor the shell gave: a file (4<file), a process substitution, standard input', () => {
    const run = ['run', '--episodes', '1', '--seeds', '1'];
    const fd = openSync(EXPERIMENT, 'r');
    try {
      const given = aisleWith([...run, '/dev/fd/4'], ['ignore', 'pipe', 'pipe', 'ignore', fd]);
      expect(given.status, given.stderr).toBe(0);
      expect(given.stderr).toMatch(/run 1 seed 0: completed/);
    } finally {
      closeSync(fd);
    }
    // <(cat …): a pipe whose write end another process (cat) holds, at a descriptor bash picks (63).
    const dir = tempDir();
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const substituted = spawnSync('bash', ['-c', `${quote(process.execPath)} ${quote(CLI)} --db ${quote(join(dir, 'a.db'))} ${run.join(' ')} <(cat ${quote(EXPERIMENT)})`], { encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 60_000 });
    expect(substituted.status, substituted.stderr).toBe(0);
    expect(substituted.stderr).toMatch(/run 1 seed 0: completed/);
    // Standard input a pipe (cat … |), as /dev/stdin.
    const piped = spawnSync('bash', ['-c', `cat ${quote(EXPERIMENT)} | ${quote(process.execPath)} ${quote(CLI)} --db ${quote(join(dir, 'b.db'))} ${run.join(' ')} /dev/stdin`], { encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 60_000 });
    expect(piped.status, piped.stderr).toBe(0);
    // The same pipe given twice (3<&0): both ends of one pipe read, neither Node's.
    const twice = spawnSync('bash', ['-c', `cat ${quote(EXPERIMENT)} | ${quote(process.execPath)} ${quote(CLI)} --db ${quote(join(dir, 'c.db'))} ${run.join(' ')} /dev/fd/3 3<&0`], { encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 60_000 });
    expect(twice.status, twice.stderr).toBe(0);
  });

  it('reads a results file and a policy file the shell gave as a descriptor', () => {
    const dir = tempDir();
    const db = join(dir, 'lab.db');
    const trained = aisleWith(['run', '--episodes', '1', '--seeds', '1', EXPERIMENT], NOT_GIVEN, db);
    expect(trained.status, trained.stderr).toBe(0);
    const results = join(dir, 'r.aisle-results');
    const policy = join(dir, 'p.json');
    expect(aisleWith(['results', 'export', '1', '-o', results], NOT_GIVEN, db).status).toBe(0);
    expect(aisleWith(['export', '1', '-o', policy], NOT_GIVEN, db).status).toBe(0);
    // Results into a database of their own (import makes it); the policy into the one it came from.
    for (const [args, file, into] of [
      [['results', 'import'], results, join(dir, 'imported.db')],
      [['policies', 'import'], policy, db],
    ] as const) {
      const fd = openSync(file, 'r');
      try {
        const r = aisleWith([...args, '/dev/fd/4'], ['ignore', 'pipe', 'pipe', 'ignore', fd], into);
        expect(r.status, r.stderr).toBe(0);
      } finally {
        closeSync(fd);
      }
    }
  });
});
