// inputDescriptorProblem reads a descriptor's access mode from /proc/self/fdinfo once: for a pipe it
// read it twice, once to look for the pipe's other end (nodesOwnDescriptor) and once to refuse a
// descriptor open for writing only. /proc is faked here so that the pipes are what the test says.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { inputDescriptorProblem } from '../../src/main/descriptors';

const proc = vi.hoisted(() => ({
  /** Descriptor → what /proc/self/fd/N links to and the octal flags its fdinfo gives. */
  fds: new Map<number, { link: string; flags: string }>(),
  /** The fdinfo files read, in order. */
  reads: [] as string[],
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fake = (path: unknown) => {
    const m = /^\/proc\/self\/(fd|fdinfo)\/(\d+)$/.exec(String(path));
    return m ? { kind: m[1], fd: proc.fds.get(Number(m[2])), n: Number(m[2]) } : undefined;
  };
  const enoent = (path: unknown) => Object.assign(new Error(`ENOENT: ${String(path)}`), { code: 'ENOENT' });
  const wrapped = {
    readlinkSync: ((path: string, ...rest: unknown[]) => {
      const f = fake(path);
      if (f?.kind !== 'fd') return (fs.readlinkSync as (...a: unknown[]) => unknown)(path, ...rest);
      if (!f.fd) throw enoent(path);
      return f.fd.link;
    }) as typeof fs.readlinkSync,
    readdirSync: ((path: string, ...rest: unknown[]) =>
      path === '/proc/self/fd' ? ['0', '1', '2', ...[...proc.fds.keys()].map(String)] : (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.readdirSync,
    readFileSync: ((path: string, ...rest: unknown[]) => {
      const f = fake(path);
      if (f?.kind !== 'fdinfo') return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
      proc.reads.push(String(path));
      if (!f.fd) throw enoent(path);
      return `pos:\t0\nflags:\t${f.fd.flags}\nmnt_id:\t15\n`;
    }) as typeof fs.readFileSync,
    fstatSync: ((fd: number, ...rest: unknown[]) => (proc.fds.has(fd) ? {} : (fs.fstatSync as (...a: unknown[]) => unknown)(fd, ...rest))) as typeof fs.fstatSync,
  };
  return { ...fs, ...wrapped, default: { ...fs, ...wrapped } };
});

beforeEach(() => {
  proc.fds.clear();
  proc.reads.length = 0;
});

describe('inputDescriptorProblem reads a descriptor\'s fdinfo once', () => {
  it('a pipe the shell gave for reading (`<(cat x)`: its other end in another process) passes', () => {
    proc.fds.set(63, { link: 'pipe:[4242]', flags: '0100000' }); // O_RDONLY | O_LARGEFILE
    expect(inputDescriptorProblem('/dev/fd/63', 'logs.csv')).toBeUndefined();
    expect(proc.reads).toEqual(['/proc/self/fdinfo/63']);
  });

  it('a pipe the shell gave for writing only is refused as that', () => {
    proc.fds.set(9, { link: 'pipe:[4242]', flags: '01' }); // O_WRONLY
    expect(inputDescriptorProblem('/dev/fd/9', 'logs.csv')).toBe('logs.csv: descriptor 9 is open for writing only: give the path of a file, or open the descriptor for the command (9<file)');
    expect(proc.reads).toEqual(['/proc/self/fdinfo/9']);
  });

  it('a pipe whose other end Node holds too is Node\'s own; each end\'s fdinfo is read once', () => {
    proc.fds.set(5, { link: 'pipe:[77]', flags: '02000000' }); // read end, O_CLOEXEC
    proc.fds.set(6, { link: 'pipe:[77]', flags: '02000001' }); // write end
    expect(inputDescriptorProblem('/dev/fd/5', 'experiment')).toBe('experiment: descriptor 5 was not given to this command (the shell opened none for it; Node uses 5 for itself): give the path of a file, or open the descriptor for the command (5<file)');
    expect(proc.reads).toEqual(['/proc/self/fdinfo/5', '/proc/self/fdinfo/6']);
  });
});
