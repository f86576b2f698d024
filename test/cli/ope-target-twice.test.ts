// `aisle ope --target uniform --target uniform` evaluated the same target twice: two identical
// blocks (two entries in --json). A target named twice is now evaluated once, as `aisle compare`
// takes a run named twice (`--runs 3 3`), and stderr says so, naming it. The same target written
// differently is the same target: `logs:` pairs in another order, a policy file by another path (a symbolic link to it too: compared as written, a link and its file were two targets).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aisle, unwrapped } from '../helpers/cli';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { contextFreePolicy } from '../helpers/policy';

// One folder for the file's tests (the logs are written once).
const dir = mkdtempSync(join(tmpdir(), 'aisle-ope-twice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logs = join(dir, 'logs.csv');
writeFileSync(logs, logsCsv(syntheticRows(400)));
const policyFile = join(dir, 'p.json');
writeFileSync(policyFile, JSON.stringify(contextFreePolicy({ actions: ['bags', 'hats', 'shoes', 'socks'], values: [0.1, 0.3, 0.2, 0.05] })));
const db = join(dir, 'never.db');

function specsOf(args: string[], cwd?: string): { specs: string[]; stderr: string } {
  const r = aisle(['ope', logs, '--context-column', 'position', '--resamples', '10', '--json', ...args], { db, ...(cwd ? { cwd } : {}) });
  expect(r.code, r.stderr).toBe(0);
  return { specs: (JSON.parse(r.stdout) as { targets: { spec: string }[] }).targets.map((t) => t.spec), stderr: unwrapped(r.stderr) };
}

describe('aisle ope with a target named twice', () => {
  it('evaluates it once and says so', () => {
    const { specs, stderr } = specsOf(['--target', 'uniform', '--target', 'action:hats', '--target', 'uniform']);
    expect(specs).toEqual(['uniform', 'action:hats']);
    expect(stderr).toContain('aisle: warning: --target uniform is given twice: evaluated once');
    expect(specsOf(['--target', 'uniform', '--target', 'uniform', '--target', 'uniform']).stderr).toContain('--target uniform is given 3 times: evaluated once');
  });

  it('takes logs: pairs in another order, and a policy file by another path, as the same target', () => {
    const { specs, stderr } = specsOf(['--target', 'logs:policy=greedy,page=home', '--target', 'logs:page=home,policy=greedy', '--target', policyFile, '--target', `${dir}/../${basename(dir)}/./p.json`]);
    expect(specs).toEqual(['logs:policy=greedy,page=home', policyFile]);
    expect(stderr).toContain('--target logs:policy=greedy,page=home is given twice (also as logs:page=home,policy=greedy): evaluated once');
    expect(stderr).toContain(`--target ${policyFile} is given twice (also as ${dir}/../${basename(dir)}/./p.json): evaluated once`);
  });

  it('takes a symbolic link to a policy file, and a relative path to it, as the file itself', () => {
    // Compared as written (resolved only), a link and the file it points to were two targets: two identical reports.
    const link = join(dir, 'link.json');
    symlinkSync(policyFile, link);
    const { specs, stderr } = specsOf(['--target', policyFile, '--target', link]);
    expect(specs).toEqual([policyFile]);
    expect(stderr).toContain(`--target ${policyFile} is given twice (also as ${link}): evaluated once`);
    // Relative spellings, from the folder the command runs in, of the file and of the link to it.
    const relative = specsOf(['--target', './p.json', '--target', 'p.json', '--target', 'link.json'], dir);
    expect(relative.specs).toEqual(['./p.json']);
    expect(relative.stderr).toContain('--target ./p.json is given 3 times (also as p.json, link.json): evaluated once');
  });

  it('keeps targets that differ', () => {
    const { specs, stderr } = specsOf(['--target', 'uniform', '--target', 'action:hats', '--target', 'action:shoes']);
    expect(specs).toEqual(['uniform', 'action:hats', 'action:shoes']);
    expect(stderr).not.toContain('given twice');
  });
});
