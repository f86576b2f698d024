// An output whose name the system takes, but near its 255-byte limit (a long generated name, or
// 83 Chinese characters at 3 bytes each), was refused: its temporary, `<name>.<pid>.tmp`, was the
// name too long, "cannot write it (ENAMETOOLONG: name too long): give a shorter path". The
// temporary's (and the backup's) name is now cut to fit.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/cli/output-files';
import { tempDir } from '../helpers/tmp';

describe('an output with a name near the system limit', () => {
  it.each([
    ['250 ASCII bytes', `${'b'.repeat(245)}.json`],
    ['83 Chinese characters', `${'实'.repeat(83)}.json`],
  ])('%s is written', (_what, name) => {
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    const dir = tempDir();
    writeOutputs([{ option: '-o', file: join(dir, name), content: 'one' }]);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('one');
    // Two outputs (shop calibrate's catalog and experiment): the one replaced is kept as a backup while they are renamed.
    const other = join(dir, `${name.slice(0, 10)}.csv`);
    writeOutputs([{ option: '-o', file: join(dir, name), content: 'two' }, { option: '--experiment', file: other, content: 'x' }]);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('two');
    expect(readdirSync(dir).sort()).toEqual([name, `${name.slice(0, 10)}.csv`].sort());
  });
});
