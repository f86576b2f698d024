/**
 * `mkdir -p` that cannot hang. Node's own recursive mkdir (`mkdirSync(dir, { recursive: true })`)
 * spins forever at 100 % CPU when a directory exists but creating a child in it reports ENOENT:
 * a path under /proc or /sys, a dangling symlink, a stale mount (a Node core bug, present in Node
 * 20 and 22; nodejs/node#27198's kin). This walks up to the first existing ancestor and creates
 * each missing level once, so such a path fails at once with the system's own error.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A system error's code (ENOENT, EEXIST, …), or undefined for anything else. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Makes `dir` and any missing folder on the way, each with `mode` (less the umask); returns the
 * folders it made, outermost first.
 */
export function makeDirectory(dir: string, mode = 0o777): string[] {
  const missing: string[] = [];
  for (let at = resolve(dir); ; ) {
    try {
      if (statSync(at).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') throw e;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const made: string[] = [];
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, { mode });
      made.push(level);
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e; // made meanwhile by another process (or a dangling link: its child then fails)
    }
  }
  return made;
}
