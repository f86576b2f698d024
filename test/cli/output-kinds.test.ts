// An output path that names an Aisle file of another kind is refused, the file kept: `aisle export
// 1 -o quickstart.json` (typed for the policy's name) had replaced the experiment with a policy
// without a word. A file of the kind written is replaced, as -o always does; so is anything else.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/cli/output-files';
import { aisle, oneCliffRun } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('-o at an Aisle file of another kind', () => {
  it('export, metrics and policies export refuse it by name, exit 2; the file and the database are as they were', () => {
    const { dir, db, runId } = oneCliffRun();
    const experiment = join(dir, 'exp.json'); // the run's own experiment file
    const before = readFileSync(experiment, 'utf8');
    const exported = aisle(['export', String(runId), '-o', experiment], { db });
    expect(exported.code).toBe(2);
    expect(exported.stderr).toBe(`aisle: -o ${experiment}: is an experiment file, which this would replace with a policy: give another path (or delete it first)\n`);
    expect(readFileSync(experiment, 'utf8')).toBe(before);
    // Nothing stored for the refused export.
    expect(JSON.parse(aisle(['policies', 'list', '--json'], { db }).stdout)).toEqual([]);

    const policy = join(dir, 'policy.json');
    expect(aisle(['export', String(runId), '-o', policy], { db }).code).toBe(0);
    // A policy replaces a policy (exported again).
    expect(aisle(['export', String(runId), '-o', policy], { db }).code).toBe(0);
    const policyText = readFileSync(policy, 'utf8');
    const metrics = aisle(['metrics', String(runId), '-o', policy], { db });
    expect(metrics.code).toBe(2);
    expect(metrics.stderr).toBe(`aisle: -o ${policy}: is a policy file, which this would replace with another kind of file: give another path (or delete it first)\n`);
    expect(readFileSync(policy, 'utf8')).toBe(policyText);
    const stored = aisle(['policies', 'export', '1', '-o', experiment], { db });
    expect(stored.code).toBe(2);
    expect(stored.stderr).toMatch(/is an experiment file, which this would replace with a policy/);
    expect(readFileSync(experiment, 'utf8')).toBe(before);
    // Nor another database (`-o lab.db`, a slip for --db; its own is an input, refused as one), which
    // held every run of its own: refused, kept whole.
    const lab = join(dir, 'lab.db');
    copyFileSync(db, lab);
    const labBefore = readFileSync(lab);
    const overDb = aisle(['export', String(runId), '-o', lab], { db });
    expect(overDb.code).toBe(2);
    expect(overDb.stderr).toBe(`aisle: -o ${lab}: is a SQLite database (an Aisle database or results file, say), which this would replace with a policy: give another path (or delete it first)\n`);
    expect(readFileSync(lab).equals(labBefore)).toBe(true);
    expect(aisle(['metrics', String(runId), '-o', lab], { db }).stderr).toMatch(/is a SQLite database .* which this would replace with another kind of file/);
    // A CSV, or any file that is not Aisle's, is replaced.
    const csv = join(dir, 'metrics.csv');
    writeFileSync(csv, 'old,contents\n');
    expect(aisle(['metrics', String(runId), '-o', csv], { db }).code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toMatch(/^episode,/);
  });

  it('knows a file by its format, or, without one, by its telling fields; a file not JSON, or of an unknown format, is no Aisle file', () => {
    const dir = tempDir();
    const at = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const refused = (file: string, holds?: 'policy' | 'MDP') => () => writeOutput('-o', file, 'new\n', [], holds);
    expect(refused(at('mdp.json', `{ "format": "aisle.mdp/v1", ${'"pad": 0, '.repeat(10)}"states": 2 }`), 'policy')).toThrow(/is an MDP file, which this would replace with a policy/);
    expect(refused(at('hand.json', '{ "env": { "id": "seed-toy" }, "agent": { "id": "q-learning" } }'))).toThrow(/is an experiment file/);
    expect(refused(at('catalog.json', '\uFEFF{ "items": [] }'))).toThrow(/is a shop catalog file/);
    // Past 4 MB only the head is read: an MDP Aisle wrote names its format first.
    expect(refused(at('big.mdp.json', `{"format":"aisle.mdp/v1","transitions":[${'[0,0,1,0,0],'.repeat(400_000)}[0,0,1,0,0]]}`), 'policy')).toThrow(/is an MDP file/);
    for (const [name, text] of [
      ['notes.txt', 'just notes\n'],
      ['other.json', '{ "format": "other/v1", "env": 1 }'],
      ['results.json', '{ "format": "aisle.results/v1" }'],
      ['broken.json', '{ "format": '],
      // A format further in is a nested one (a JSON Schema's example), not the file's: small or large.
      ['schema.json', '{ "$schema": "x", "examples": [{ "format": "aisle.mdp/v1" }] }'],
      ['large.json', `{ "pad": "${'x'.repeat(5_000_000)}", "format": "aisle.mdp/v1" }`],
    ] as const) {
      const file = at(name, text);
      writeOutput('-o', file, 'new\n');
      expect(readFileSync(file, 'utf8'), name).toBe('new\n');
    }
    // An MDP written over an MDP.
    const mdp = at('again.mdp.json', '{ "format": "aisle.mdp/v1" }');
    writeOutput('-o', mdp, 'new\n', [], 'MDP');
    expect(readFileSync(mdp, 'utf8')).toBe('new\n');
  });
});
