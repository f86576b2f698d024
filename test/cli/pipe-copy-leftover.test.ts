// A command that reads a pipe twice (`zcat events.csv.gz | aisle shop calibrate /dev/stdin`, `aisle
// ope /dev/stdin` with a logs: target) copies it into a private folder of the system's temporary
// one first. Killed while it holds the copy (kill -9, a second Ctrl-C, which quits at once), no
// handler removed it: up to 256 MB (calibrate) or 4 GB (ope) stayed there for good. The next such
// command removes the copies whose process is gone, as results imports do their scratch folders.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const EVENTS = ['ts,customer,invoice,item,qty,price', '1300000000,c1,1,A,2,1.00', '1300000000,c1,1,B,1,2.00', '1300001800,c1,2,C,1,3.00', '1300002000,c2,4,D,3,4.50', '1300002000,c2,4,E,1,5.00'].join('\n') + '\n';

/** The folders of Aisle's in `tmp` (a copy of piped input is one). */
function copies(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('aisle-'));
}

describe('the copy of a pipe a killed command was reading', () => {
  it('is removed by the next command that copies a pipe', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const env = { ...process.env, TMPDIR: tmp, AISLE_DB: '' };
    const options = ['--items', '3', '--categories', '2'];
    // A named pipe, as `<(zcat events.csv.gz)` gives: halfway through its copy, the rows so far
    // written and the pipe left open, the command waits for more.
    const fifo = join(dir, 'events.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, [CLI, '--db', join(dir, 'a.db'), 'shop', 'calibrate', fifo, ...options], { cwd: ROOT, env, stdio: 'ignore' });
    const exited = once(child, 'exit');
    const writer = createWriteStream(fifo);
    writer.write(EVENTS);
    const copied = () => copies(tmp).some((folder) => readdirSync(join(tmp, folder)).some((file) => statSync(join(tmp, folder, file)).size === EVENTS.length));
    while (!copied()) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before copying its input`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    writer.destroy();
    expect(copies(tmp)).toHaveLength(1);

    // A shell's pipe, as `zcat events.csv.gz | aisle shop calibrate /dev/stdin` makes.
    writeFileSync(join(dir, 'events.csv'), EVENTS);
    const next = spawnSync('sh', ['-c', 'f="$1" node="$2" cli="$3" db="$4"; shift 4; cat "$f" | "$node" "$cli" --db "$db" shop calibrate /dev/stdin "$@"', 'sh', join(dir, 'events.csv'), process.execPath, CLI, join(dir, 'a.db'), ...options], { cwd: ROOT, env, encoding: 'utf8' });
    expect(next.status, next.stderr).toBe(0);
    expect(copies(tmp), 'neither the killed command’s copy nor its own').toEqual([]);
  });
});
