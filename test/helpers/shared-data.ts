// Where the workplace's real data sets are (../shared/data beside the project, DEVELOPERS.md):
// AISLE_SHARED_DATA when set, else beside this checkout, else beside the checkout this one was
// cloned from (a clean clone for CI sits elsewhere, and its tests would skip the real data).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ROOT } from './cli';

function candidates(): string[] {
  const found: string[] = [];
  if (process.env.AISLE_SHARED_DATA) found.push(process.env.AISLE_SHARED_DATA);
  found.push(resolve(ROOT, '..', 'shared', 'data'));
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (isAbsolute(origin)) found.push(resolve(origin, '..', 'shared', 'data'));
  } catch {
    // not a git checkout, or no origin: the first places are all there is
  }
  return found;
}

/** The path of `relative` under the first data folder that has it; the usual place when none does (a test skips then, naming it). */
export function sharedData(relative: string): string {
  const paths = candidates().map((dir) => resolve(dir, relative));
  return paths.find((p) => existsSync(p)) ?? paths[0]!;
}
