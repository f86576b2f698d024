// The app's saves to a picked file (src/main/save-file.ts) as the CLI writes its outputs: through a
// temporary renamed over the file, so a file replaced keeps its permissions and a link stays a link.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('writes through a chain of links to a file not there yet, as the CLI does: each link stays', async () => {
    const dir = tempDir();
    // current.json → next.json → v3.json, v3 not written yet: the target was taken as next.json,
    // a link, and replaced by a file, where `aisle export -o current.json` made v3.json.
    symlinkSync('next.json', join(dir, 'current.json'));
    symlinkSync('v3.json', join(dir, 'next.json'));
    await saveFileWhole(join(dir, 'current.json'), 'v3');
    expect(readlinkSync(join(dir, 'current.json'))).toBe('next.json');
    expect(readlinkSync(join(dir, 'next.json'))).toBe('v3.json');
    expect(readFileSync(join(dir, 'v3.json'), 'utf8')).toBe('v3');
    expect(readdirSync(dir).sort()).toEqual(['current.json', 'next.json', 'v3.json']);
  });

  it('removes the temporary a killed app left beside the file, half written', async () => {
    const dir = tempDir();
    const file = join(dir, 'metrics.csv');
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${file}.${ended}.tmp`, 'episode,return\n0,1\n1,');
    await saveFileWhole(file, 'episode,return\n');
    expect(readdirSync(dir)).toEqual(['metrics.csv']);
  });

  it('keeps what only looks like a temporary: a folder of that name, a number no process has', async () => {
    const dir = tempDir();
    const file = join(dir, 'notes.txt');
    // A user's folder named like a dead process's temporary was removed with everything in it.
    mkdirSync(join(dir, 'notes.txt.20241207.tmp'));
    writeFileSync(join(dir, 'notes.txt.20241207.tmp', 'precious'), 'kept');
    // Past any pid, so "no such process": it was taken for a dead one's.
    writeFileSync(join(dir, 'notes.txt.99999999999.tmp'), 'kept');
    await saveFileWhole(file, 'saved');
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'notes.txt.20241207.tmp', 'notes.txt.99999999999.tmp']);
    expect(readFileSync(join(dir, 'notes.txt.20241207.tmp', 'precious'), 'utf8')).toBe('kept');
  });

  it('saves twice at once to one file, each through a temporary of its own', async () => {
    const dir = tempDir();
    const file = join(dir, 'metrics.csv');
    // Pieces written one at a time, so the two saves take turns: with one temporary name for both,
    // the second removed the first's half-written one and the first renamed the second's into place.
    const pieces = (tag: string) => Array.from({ length: 50 }, (_, i) => `${tag},${i}\n`);
    const results = await Promise.allSettled([saveFileWhole(file, pieces('a')), saveFileWhole(file, pieces('b'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect([pieces('a').join(''), pieces('b').join('')]).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['metrics.csv']);
  });

  it('names the picked file, not its temporary, when it cannot be written', async () => {
    const file = join(tempDir(), 'no-such-folder', 'policy.json');
    const refused = await saveFileWhole(file, 'new').then(() => undefined, (e: Error) => e);
    expect(refused?.message).toBe(`ENOENT: no such file or directory, open '${file}'`);
  });
});
