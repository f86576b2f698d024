// "-" stands for standard input to many tools, so a user pipes logs in as `zcat logs.csv.gz | aisle
// ope - …`. Aisle reads standard input by its path, /dev/stdin, and "-" was refused as any missing
// file: 'file not found (/home/me/-): check the path' (found by the real-data audit). The refusal
// now says how to read standard input.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/calibrate-data';
import { readLogs } from '../../src/cli/logged-data';
import { fileNotFound } from '../../src/main/files';
import { problemsOf } from '../helpers/validation-problems';

describe('"-" given as the file', () => {
  it('is told to give /dev/stdin, by shop calibrate and aisle ope alike', async () => {
    const said = `-: file not found (${join(process.cwd(), '-')}): to read standard input, give /dev/stdin`;
    expect(await problemsOf(() => readEvents('-', '-', () => undefined))).toEqual([said]);
    expect(await problemsOf(() => readLogs('-', '-'))).toEqual([said]);
  });

  it('leaves any other missing file as it was', () => {
    expect(fileNotFound('logs.csv', '/nowhere/logs.csv').problems).toEqual(['logs.csv: file not found (/nowhere/logs.csv): check the path']);
  });

  it('says an absolute path given once, where it said it twice ("/data/p.json: file not found (/data/p.json)")', () => {
    expect(fileNotFound('/nowhere/logs.csv', '/nowhere/logs.csv').problems).toEqual(['/nowhere/logs.csv: file not found: check the path']);
    expect(fileNotFound('env.mdp', '/nowhere/m.json').problems).toEqual(['env.mdp: file not found (/nowhere/m.json): check the path']);
  });
});
