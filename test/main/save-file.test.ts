// The app's saves to a picked file (src/main/save-file.ts) as the CLI writes its outputs: through a
// temporary renamed over the file, so a file replaced keeps its permissions and a link stays a link.
import { chmodSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveFileWhole } from '../../src/main/save-file';
import { tempDir } from '../helpers/tmp';

describe('saveFileWhole', () => {
  it('keeps a replaced file’s permissions and writes through a link, leaving it a link', async () => {
    const dir = tempDir();
    const file = join(dir, 'policy.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await saveFileWhole(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const link = join(dir, 'current.json');
    symlinkSync('policy.json', link);
    await saveFileWhole(link, Buffer.from('through the link'));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('through the link');
    // A link to a file not there yet makes it, as writing through the link did.
    const ahead = join(dir, 'next.json');
    symlinkSync('v2.json', ahead);
    await saveFileWhole(ahead, ['a,', 'b\n']);
    expect(readlinkSync(ahead)).toBe('v2.json');
    expect(readFileSync(join(dir, 'v2.json'), 'utf8')).toBe('a,b\n');
    expect(readdirSync(dir).sort()).toEqual(['current.json', 'next.json', 'policy.json', 'v2.json']);
  });

  it('removes the temporary a killed app left beside the file, half written', async () => {
    const dir = tempDir();
    const file = join(dir, 'metrics.csv');
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${file}.${ended}.tmp`, 'episode,return\n0,1\n1,');
    await saveFileWhole(file, 'episode,return\n');
    expect(readdirSync(dir)).toEqual(['metrics.csv']);
  });

  it('names the picked file, not its temporary, when it cannot be written', async () => {
    const file = join(tempDir(), 'no-such-folder', 'policy.json');
    const refused = await saveFileWhole(file, 'new').then(() => undefined, (e: Error) => e);
    expect(refused?.message).toBe(`ENOENT: no such file or directory, open '${file}'`);
  });
});
