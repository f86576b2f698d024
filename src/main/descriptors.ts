/**
 * Files named by a descriptor (`/dev/fd/N`, `/proc/self/fd/N`): whether the descriptor is one the
 * shell gave the command (`4<file`, `<(jq … exp.json)`, `9>out.csv`) or one of Node's own. Node opens
 * descriptors from 3 up before any of Aisle's code runs (its event loop's epoll and eventfd, its
 * signal and thread pipes, a /dev/null): `-o /dev/fd/7` the shell did not open wrote into one of
 * those (a segmentation fault, or the data gone), and `aisle run /dev/fd/4` read libuv's own pipe,
 * waiting forever. Told by /proc (Linux); elsewhere nothing is refused here.
 */
import { constants, fstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValidationError } from '../engine/params';

/** The descriptor a path names: /dev/stdout 1, /dev/stderr 2, /dev/fd/N and /proc/self/fd/N N; undefined for any other path. */
export function namedDescriptor(file: string): number | undefined {
  const m = /^\/(?:dev\/(?:(stdout)|(stderr)|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(resolve(file));
  if (!m) return undefined;
  return m[1] ? 1 : m[2] ? 2 : Number(m[3] ?? m[4]);
}

/**
 * Whether descriptor `fd` is one of Node's own (its event loop's epoll and eventfd descriptors, its
 * signal and thread pipes, of which it holds both ends) rather than one the shell gave the command:
 * the other end of a pipe the shell gives is held by another process (`<(cat x)`'s cat). Read from
 * /proc (Linux); false where it cannot be read. (Close-on-exec cannot tell them apart: Node sets it
 * on every descriptor it inherits.) `mode` is `fd`'s accessMode, which the callers read once for their
 * own checks too.
 */
export function nodesOwnDescriptor(fd: number, mode: number | undefined): boolean {
  const target = (n: number | string) => {
    try {
      return readlinkSync(`/proc/self/fd/${n}`);
    } catch {
      return undefined;
    }
  };
  const what = target(fd);
  if (what === undefined) return false;
  if (what.startsWith('anon_inode:')) return true;
  if (!what.startsWith('pipe:')) return false;
  // The pipe's other end here too: one reads where the other writes (the shell may give one end twice, `3<&0`).
  return readdirSync('/proc/self/fd').some((n) => n !== String(fd) && target(n) === what && accessMode(Number(n)) !== mode);
}

/** Descriptor `fd`'s access mode (O_RDONLY, O_WRONLY or O_RDWR), as /proc (Linux) gives its flags; undefined where it cannot be read. */
export function accessMode(fd: number): number | undefined {
  try {
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags === undefined ? undefined : parseInt(flags, 8) & 0o3; // O_ACCMODE, which node:fs leaves out
  } catch {
    return undefined;
  }
}

/** Whether descriptor `fd` is open in this process. */
export function isOpenDescriptor(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses, before it is read, an input path naming a descriptor (/dev/stdin, /dev/fd/N,
 * /proc/self/fd/N) that is not open, is open for writing only, or (from 3 up) is one of Node's own:
 * reading libuv's signal pipe (`aisle run /dev/fd/4`) waited forever. `label` names the option or
 * argument as the reader's other problems do. Any other path passes, for the reader to open.
 */
export function checkInputDescriptor(path: string, label: string): void {
  const problem = inputDescriptorProblem(path, label);
  if (problem !== undefined) throw new ValidationError([problem]);
}

/** The one line checkInputDescriptor refuses `path` with; undefined where it passes. */
export function inputDescriptorProblem(path: string, label: string): string | undefined {
  const fd = resolve(path) === '/dev/stdin' ? 0 : namedDescriptor(path);
  const problem = fd === undefined ? undefined : descriptorProblem(fd, 'read');
  return problem === undefined ? undefined : `${label}: ${problem}`;
}

/**
 * What is wrong with descriptor `fd` named as a command's input ('read') or output ('write'), for
 * the caller to prefix with the argument or option: not open in this process, one of Node's own
 * (from 3 up), or open the other way only; undefined where it may be used.
 */
export function descriptorProblem(fd: number, use: 'read' | 'write'): string | undefined {
  const fix = `give the path of a file, or open the descriptor for the command (${fd}${use === 'read' ? '<' : '>'}file)`;
  if (!isOpenDescriptor(fd)) return `descriptor ${fd} is not open in this process: ${fix}`;
  const mode = accessMode(fd);
  const nodesOwn = () => (fd > 2 && nodesOwnDescriptor(fd, mode) ? `descriptor ${fd} was not given to this command (the shell opened none for it; Node uses ${fd} for itself): ${fix}` : undefined);
  if (use === 'read') return nodesOwn() ?? (mode === constants.O_WRONLY ? `descriptor ${fd} is open for writing only: ${fix}` : undefined);
  // An output open for reading only is said so first, Node's own or not.
  if (mode === constants.O_RDONLY) return `descriptor ${fd} is open for reading only: give the path of a file, or open the descriptor for writing (${fd}>file)`;
  return nodesOwn();
}
