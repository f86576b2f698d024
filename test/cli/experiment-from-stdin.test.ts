// An experiment given as a stream (`jq … exp.json | aisle run /dev/stdin`, `aisle run <(jq …)`)
// has no folder of its own: its relative paths (env.mdp, a shop's catalog) are read from the
// current folder, as `--set env.mdp=…` is. They were looked for in /dev (/dev/cliff.mdp.json, or
// /dev/fd/cliff.mdp.json), which holds none, and the run was refused.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentFolder } from '../../src/main/files';
import { CLI, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const experiments = join(ROOT, 'resources/experiments');

/** `aisle <args> < file` in `cwd`: the file on its standard input, as the shell's `<` gives it. */
function redirected(args: string[], cwd: string, file: string) {
  const db = join(cwd, 'a.db');
  const fd = openSync(file, 'r');
  try {
    const r = spawnSync(process.execPath, [CLI, '--db', db, ...args], { cwd, stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

describe('an experiment read from a stream', () => {
  it('reads its relative MDP path from the current folder', () => {
    const dir = tempDir();
    copyFileSync(join(experiments, 'cliff.mdp.json'), join(dir, 'cliff.mdp.json'));
    const quickstart = join(experiments, 'quickstart.json'); // "mdp": "cliff.mdp.json", beside it only
    const r = redirected(['run', '/dev/stdin', '--episodes', '3', '--seeds', '1', '--json'], dir, quickstart);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { runs: { status: string }[] }).runs.map((x) => x.status)).toEqual(['completed']);
    // A sweep reads the file through its own path (expandSweep): the same folder.
    const sweep = redirected(['run', '/dev/stdin', '--episodes', '3', '--seeds', '1', '--set', 'agent.alpha=0.1,0.2', '--json'], dir, quickstart);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect((JSON.parse(sweep.stdout) as { experiments: unknown[] }).experiments).toHaveLength(2);
  });

  it('aisle solve given one names its MDP as a path from the current folder', () => {
    const dir = tempDir();
    const r = redirected(['solve', '/dev/stdin'], dir, join(experiments, 'quickstart.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('aisle: /dev/stdin: mdp.format: this is an experiment ("aisle.experiment/v1"), not an MDP: solve the MDP file its env.mdp names, `aisle solve cliff.mdp.json`\n');
  });

  it('a descriptor path has no folder of its own; a file keeps its own', () => {
    expect(experimentFolder('/dev/stdin')).toBe(process.cwd());
    expect(experimentFolder('/dev/fd/63')).toBe(process.cwd());
    expect(experimentFolder('/proc/self/fd/0')).toBe(process.cwd());
    expect(experimentFolder('/work/lab/exp.json')).toBe('/work/lab');
    expect(experimentFolder('/devices/exp.json')).toBe('/devices');
  });
});
