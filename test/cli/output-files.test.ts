// An output file (`-o` of export, metrics, policies runtime, shop calibrate, logs…, all through
// writeOutputs) is whole or absent, through a power loss too: its temporary is synced to the disk
// before the rename makes it the file (else the rename may reach the disk first, leaving it empty),
// and the folder after the rename. A results file (`aisle results export -o`, exportResults),
// which SQLite writes and syncs, has its folder synced after its rename the same way. node:fs is
// wrapped to record the calls in order.
import { lstatSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { writeOutput, writeOutputs } from '../../src/cli/output-files';
import { exportResults } from '../../src/main/results/export';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const recorded = vi.hoisted(() => ({
  calls: [] as string[],
  /** Errors to throw, by call and path: `fsync <path>` or `open <path>` (set per test). */
  failures: new Map<string, string>(),
  /** A disk filling up (set per test): the bytes writes may still take; a write takes what fits, the next fails with ENOSPC. */
  spaceLeft: undefined as number | undefined,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  const fail = (call: string): void => {
    const code = recorded.failures.get(call);
    if (code === undefined) return;
    recorded.calls.push(`${code} ${call}`);
    throw Object.assign(new Error(`${code}: refused in a test, ${call}`), { code });
  };
  const wrapped = {
    openSync: (...args: Parameters<typeof fs.openSync>) => {
      fail(`open ${String(args[0])}`);
      const fd = fs.openSync(...args);
      paths.set(fd, String(args[0]));
      return fd;
    },
    fsyncSync: (fd: number) => {
      const call = `fsync ${paths.get(fd)}`;
      recorded.calls.push(call);
      fail(call);
      fs.fsyncSync(fd);
    },
    writeSync: (fd: number, data: Uint8Array, offset = 0, length = data.byteLength - offset) => {
      if (recorded.spaceLeft === undefined) return fs.writeSync(fd, data, offset, length);
      const n = Math.min(length, recorded.spaceLeft);
      if (n === 0 && length > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      recorded.spaceLeft -= n;
      return fs.writeSync(fd, data, offset, n);
    },
    renameSync: (from: string, to: string) => {
      recorded.calls.push(`rename ${from} → ${to}`);
      fail(`rename ${to}`);
      fs.renameSync(from, to);
    },
  };
  return { ...fs, ...wrapped, default: { ...fs, ...wrapped } };
});

/** A fresh folder, by the path writeOutputs resolves it to (its real path). */
function folder(): string {
  return realpathSync(tempDir());
}

beforeEach(() => {
  recorded.calls.length = 0;
  recorded.failures.clear();
  recorded.spaceLeft = undefined;
});

describe('output files', () => {
  it('are synced to the disk before the rename that makes them the file, and their folder after it', () => {
    const dir = folder();
    const file = join(dir, 'metrics.csv');
    const pieces = ['episode,return\n', ...Array.from({ length: 1000 }, (_, i) => `${i},${i % 7}\n`)];
    expect(writeOutput('-o', file, pieces)).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
    const tmp = `${file}.${process.pid}.tmp`;
    expect(recorded.calls).toEqual([`fsync ${tmp}`, `rename ${tmp} → ${file}`, `fsync ${dir}`]);
    expect(readdirSync(dir)).toEqual(['metrics.csv']);
  });

  it('a link planted at the temporary name is replaced, not written through: the file it points to stays as it was', () => {
    const dir = folder();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'private');
    const file = join(dir, 'policy.json');
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    writeOutput('-o', file, '{"a": 1}');
    expect(readFileSync(victim, 'utf8')).toBe('private');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{"a": 1}');
    expect(readdirSync(dir).sort()).toEqual(['policy.json', 'victim.txt']);
  });

  it('a temporary a killed process left beside the file, half written, is removed; one of a process still alive stays', () => {
    const dir = folder();
    const file = join(dir, 'policy.json');
    // The pid of a process that has ended, as a kill -9 mid-write leaves its temporary.
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${file}.${ended}.tmp`, '{"format": "aisle.po');
    writeFileSync(`${file}.${process.ppid}.tmp`, 'being written by a process still alive');
    writeFileSync(`${file}.notes.tmp`, 'not a temporary of ours');
    writeOutput('-o', file, '{"a": 1}');
    expect(readdirSync(dir).sort()).toEqual(['policy.json', `policy.json.${process.ppid}.tmp`, 'policy.json.notes.tmp']);
  });

  it('several files: each synced before any is renamed, and each folder once after', () => {
    const dir = folder();
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    writeOutputs([{ option: '-o', file: a, content: 'A' }, { option: '--experiment', file: b, content: 'B' }]);
    const [ta, tb] = [`${a}.${process.pid}.tmp`, `${b}.${process.pid}.tmp`];
    expect(recorded.calls).toEqual([`fsync ${ta}`, `fsync ${tb}`, `rename ${ta} → ${a}`, `rename ${tb} → ${b}`, `fsync ${dir}`]);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['A', 'B']);
  });

  for (const [what, call] of [
    ['a folder that cannot be synced (EINVAL, as some file systems answer)', 'fsync'],
    ['a folder that cannot be opened as a file (EISDIR, as on Windows)', 'open'],
  ] as const) {
    it(`${what} leaves the file written, without an error`, () => {
      const dir = folder();
      const file = join(dir, 'policy.json');
      const code = call === 'open' ? 'EISDIR' : 'EINVAL';
      recorded.failures.set(`${call} ${dir}`, code);
      writeOutput('-o', file, '{"ok":true}\n');
      expect(readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
      expect(recorded.calls, 'the folder was to be synced').toContain(`${code} ${call} ${dir}`);
    });
  }

  it('several files are renamed all or none: a rename that fails puts back the files renamed before it (QA: shop calibrate left its catalog new and its experiment old)', () => {
    const dir = folder();
    const [catalog, experiment, notes] = [join(dir, 'catalog.json'), join(dir, 'experiment.json'), join(dir, 'notes.json')];
    writeFileSync(catalog, 'old catalog');
    writeFileSync(experiment, 'old experiment');
    // notes.json is new: it goes again. The experiment's rename fails (its folder made read-only meanwhile).
    recorded.failures.set(`rename ${experiment}`, 'EACCES');
    expect(() =>
      writeOutputs([
        { option: '--catalog', file: catalog, content: 'new catalog' },
        { option: '--notes', file: notes, content: 'new notes' },
        { option: '-o', file: experiment, content: 'new experiment' },
      ]),
    ).toThrow(/^-o .*experiment\.json: cannot write it \(EACCES: refused in a test, rename .*experiment\.json\): give a path in a folder you can write to$/);
    expect(readFileSync(catalog, 'utf8')).toBe('old catalog');
    expect(readFileSync(experiment, 'utf8')).toBe('old experiment');
    expect(readdirSync(dir).sort()).toEqual(['catalog.json', 'experiment.json']);
    // Written whole, nothing is kept beside them.
    recorded.failures.clear();
    writeOutputs([
      { option: '--catalog', file: catalog, content: 'new catalog' },
      { option: '-o', file: experiment, content: 'new experiment' },
    ]);
    expect([readFileSync(catalog, 'utf8'), readFileSync(experiment, 'utf8')]).toEqual(['new catalog', 'new experiment']);
    expect(readdirSync(dir).sort()).toEqual(['catalog.json', 'experiment.json']);
  });

  it('a temporary that cannot be synced (EIO) is an error, and the file as it was, the temporary gone', () => {
    const dir = folder();
    const file = join(dir, 'runtime.js');
    writeFileSync(file, 'before');
    recorded.failures.set(`fsync ${file}.${process.pid}.tmp`, 'EIO');
    expect(() => writeOutput('-o', file, 'after')).toThrow(/EIO/);
    expect(readFileSync(file, 'utf8')).toBe('before');
    expect(readdirSync(dir)).toEqual(['runtime.js']);
  });
});

describe('a disk filling up, and outputs that are not files', () => {
  it('a write that takes only part of the content is not the file written: the rest goes on, and a full disk is one line, the file as it was', () => {
    const dir = folder();
    const file = join(dir, 'policy.json');
    const text = `{"q":[${Array.from({ length: 3000 }, (_, i) => i).join(',')}]}`;
    // Room for all of it, to the byte: the file is whole.
    recorded.spaceLeft = text.length;
    writeOutput('-o', file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
    // Room for 4,096 bytes: the first write takes them, the next fails; the file stays as it was, no temporary left.
    recorded.spaceLeft = 4096;
    expect(() => writeOutput('-o', file, `${text} `)).toThrow(`-o ${file}: cannot write it (ENOSPC: no space left on device, write): free some space on that disk, or give a path on another`);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['policy.json']);
  });

  it('a FIFO or a character device is written into, not replaced by a file; a socket is refused', async () => {
    const dir = folder();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (chunk: Buffer) => (got += chunk.toString('utf8')));
    const ended = new Promise((done) => reader.on('close', done));
    writeOutput('-o', fifo, 'episode,return\n0,1\n');
    await ended;
    expect(got).toBe('episode,return\n0,1\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    writeOutput('-o', '/dev/null', '{}');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
    const socket = join(dir, 's.sock');
    const server = createServer().listen(socket);
    await new Promise((done) => server.once('listening', done));
    try {
      expect(() => writeOutput('-o', socket, '{}')).toThrow(`-o ${socket}: is a socket, not a file: give the path of a file`);
    } finally {
      server.close();
    }
  });
});

describe('a results file', () => {
  it('is renamed over the destination, then its folder synced', () => {
    const dir = folder();
    const store = Store.open(join(tempDir(), 'home.db'));
    try {
      const config = { name: 'shelf', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [0] };
      const { experiment, runs } = store.createExperimentWithRuns({ name: 'shelf', config, configHash: 'c'.repeat(64), source: 'form', runs: [{ seed: 0, config, configHash: 'e'.repeat(64), appVersion: '0.1.0', episodesTotal: 10 }] });
      store.markRunning(runs[0]!.id);
      store.finishRun(runs[0]!.id, 'completed', { summary: { return: { last100: 1 } } }); // a run still queued is refused
      const file = join(dir, 'shelf.aisle-results');
      recorded.calls.length = 0;
      expect(exportResults(store, [experiment.id], file, 'home.db').experiments).toEqual([{ id: experiment.id, name: 'shelf', runs: 1, checkpoints: 0, policies: 0 }]);
      const tmp = `${file}.${process.pid}.tmp`;
      expect(recorded.calls).toEqual([`rename ${tmp} → ${file}`, `fsync ${dir}`]);
      expect(readdirSync(dir)).toEqual(['shelf.aisle-results']);
    } finally {
      store.close();
    }
  });
});
