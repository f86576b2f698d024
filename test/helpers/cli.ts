// Runs the built `aisle` CLI (out/main/cli.js) as a child process, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = resolve(ROOT, 'out', 'main', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function aisle(args: string[], opts: { db: string; cwd?: string; env?: Record<string, string> }): CliResult {
  const r = spawnSync(process.execPath, [CLI, '--db', opts.db, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env, AISLE_DB: '' },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A command's stderr with its wrapped warnings joined back into one line each: `aisle: warning: `
 * wraps its text to the output width, the lines after the first indented under its first word.
 */
export function unwrapped(stderr: string): string {
  return stderr.replace(/\n {2,}/g, ' ');
}

/** Starts the CLI and returns the child (for signal tests). */
export function aisleSpawn(args: string[], opts: { db: string }) {
  return spawn(process.execPath, [CLI, '--db', opts.db, ...args], { cwd: ROOT, env: { ...process.env, AISLE_DB: '' } });
}
