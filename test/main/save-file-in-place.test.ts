// A writable file in a folder that refuses a new entry (a shared folder's file): the app's save
// writes into the file itself (not whole against a crash) rather than refusing it, and the CLI,
// whose outputs are renamed all or none, refuses it naming the option. The tests run as root,
// which no permission refuses: node:fs refuses the temporaries here, as such a folder does.
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { saveFileWhole } from '../../src/main/save-file';
import { writeOutput } from '../../src/cli/output-files';
import { tempDir } from '../helpers/tmp';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof fs.openSync>) => {
    if (String(args[0]).endsWith('.tmp')) throw Object.assign(new Error(`EACCES: permission denied, open '${String(args[0])}'`), { code: 'EACCES' });
    return fs.openSync(...args);
  };
  return { ...fs, openSync, default: { ...fs, openSync } };
});

describe('a file in a folder that refuses its temporary', () => {
  it('is saved in place by the app, keeping its permissions, and nothing is left beside it', async () => {
    const dir = tempDir();
    const file = join(dir, 'shared.csv');
    writeFileSync(file, 'old content, longer than the new');
    chmodSync(file, 0o640);
    await saveFileWhole(file, ['episode,', 'return\n']);
    expect(readFileSync(file, 'utf8')).toBe('episode,return\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['shared.csv']);
  });

  it('is left as it was by the app when its content fails before the first piece (its run deleted while the dialog was open)', async () => {
    const dir = tempDir();
    const file = join(dir, 'shared.csv');
    writeFileSync(file, 'the user\'s own file');
    const failing = (): Iterable<string> => ({
      [Symbol.iterator]: () => ({
        next: () => {
          throw new Error('run 5 does not exist');
        },
      }),
    });
    await expect(saveFileWhole(file, failing())).rejects.toThrow('run 5 does not exist');
    // Opened 'w', it was emptied before the first piece was made.
    expect(readFileSync(file, 'utf8')).toBe("the user's own file");
  });

  it('is refused by the app when there is no file to write into, naming the path picked', async () => {
    const file = join(tempDir(), 'new.csv');
    await expect(saveFileWhole(file, 'x')).rejects.toThrow(`EACCES: permission denied, open '${file}'`);
  });

  it('is refused by the CLI, naming the option, the file as it was', () => {
    const dir = tempDir();
    const file = join(dir, 'policy.json');
    writeFileSync(file, 'old');
    expect(() => writeOutput('-o', file, 'new')).toThrow(`-o ${file}: cannot write it (EACCES: permission denied): give a path in a folder you can write to`);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['policy.json']);
  });
});
