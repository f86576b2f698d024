// An output path that is a link to a file not written yet (current.json → v4.json, before v4
// exists) is written through, as the shell's `>` writes through it: the link stays and its target
// is made. It was taken for a missing file and replaced by one, and two outputs naming one file
// that way (`shop calibrate -o v4.json --experiment current.json`) were not refused.
import { lstatSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputs, writeOutputs } from '../../src/cli/output-files';
import { tempDir } from '../helpers/tmp';

describe('an output that is a dangling link', () => {
  it('is written through: the link stays, and the file it names is made', () => {
    const dir = tempDir();
    const current = join(dir, 'current.json');
    symlinkSync('v4.json', current);
    writeOutputs([{ option: '-o', file: current, content: '{"v":4}\n' }]);
    expect(lstatSync(current).isSymbolicLink()).toBe(true);
    expect(readlinkSync(current)).toBe('v4.json');
    expect(readFileSync(join(dir, 'v4.json'), 'utf8')).toBe('{"v":4}\n');
  });

  it('through a chain of links, and into a folder the link names', () => {
    const dir = tempDir();
    const latest = join(dir, 'latest');
    symlinkSync('releases/v4', latest); // neither folder exists yet
    const current = join(dir, 'current.json');
    symlinkSync(join(latest, 'policy.json'), current);
    writeOutputs([{ option: '-o', file: current, content: 'x' }]);
    expect(lstatSync(current).isSymbolicLink()).toBe(true);
    expect(lstatSync(latest).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'releases/v4/policy.json'), 'utf8')).toBe('x');
  });

  it('naming another output is refused as that output, before anything is written', () => {
    const dir = tempDir();
    const link = join(dir, 'experiment.json');
    symlinkSync('catalog.json', link);
    expect(() => checkOutputs([
      { option: '-o', file: join(dir, 'catalog.json') },
      { option: '--experiment', file: link },
    ])).toThrow(`--experiment ${link}: is also the -o file: give each output its own path`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a loop of links is replaced as before, not followed forever', () => {
    const dir = tempDir();
    const a = join(dir, 'a.json');
    symlinkSync('b.json', a);
    symlinkSync('a.json', join(dir, 'b.json'));
    writeOutputs([{ option: '-o', file: a, content: 'y' }]);
    expect(readFileSync(a, 'utf8')).toBe('y');
    expect(lstatSync(join(dir, 'b.json')).isSymbolicLink()).toBe(true);
  });
});
