// `npm start -- --open --no-open` (either order) started the browser mode with the last of the two,
// where `aisle serve --open --no-open` is refused (146158a). npm start refuses it the same way while
// reading its options, before anything is built or started: one line and the usage, exit 2. An
// option given twice with two values (`--port 1 --port 2`) likewise, as `aisle` refuses it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStartOptions } from '../../scripts/start-options.mjs';

const start = join(__dirname, '..', '..', 'scripts', 'start.mjs');
const USAGE = 'usage: npm start -- [--db path] [--port N] [--host address] [--open | --no-open]\n';

const refusal = (argv: string[]): string => {
  try {
    parseStartOptions(argv);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`not refused: ${argv.join(' ')}`);
};

describe('npm start given --open and --no-open', () => {
  it('refuses them in either order, naming both', () => {
    expect(refusal(['--open', '--no-open'])).toBe('--open and --no-open contradict each other: give one of them');
    expect(refusal(['--no-open', '--port', '0', '--open'])).toBe('--open and --no-open contradict each other: give one of them');
    expect(refusal(['--port', '1', '--port=2'])).toBe('--port is given twice (1 and 2): give it once');
    // One of them, or one twice, is no contradiction.
    expect(parseStartOptions(['--no-open', '--no-open', '--db', 'a.db'])).toEqual({ db: 'a.db', port: undefined, host: undefined, open: false });
    expect(parseStartOptions(['--open']).open).toBe(true);
  });

  it('exits 2 with one line and the usage, before building or starting anything', () => {
    for (const flags of [['--open', '--no-open'], ['--no-open', '--open']]) {
      const r = spawnSync(process.execPath, [start, ...flags], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`npm start: --open and --no-open contradict each other: give one of them\n${USAGE}`);
      expect(r.stdout).toBe('');
    }
  });
});

// npm runs `npm start` in the project's folder: `npm start -- --db runs.db` typed in ~/shop opened
// <project>/runs.db. A relative path is now read against the folder it was typed in (INIT_CWD).
describe('npm start: a relative database path', () => {
  it('is read against the folder the command was typed in, a trailing separator kept', async () => {
    const { databasePath } = await import('../../scripts/start-options.mjs');
    expect(databasePath('runs.db', '/home/me/shop')).toBe('/home/me/shop/runs.db');
    expect(databasePath('../data/runs.db', '/home/me/shop')).toBe('/home/me/data/runs.db');
    expect(databasePath('runs/', '/home/me/shop')).toBe('/home/me/shop/runs/');
    expect(databasePath('/srv/aisle.db', '/home/me/shop')).toBe('/srv/aisle.db');
    expect(databasePath(undefined, '/home/me/shop')).toBeUndefined();
  });
});
