// A command that only reads makes no database: a mistyped --db or AISLE_DB is refused in one line
// naming the path and how to make one (exit 2), and the default database of a machine where nothing
// was run is not made either (the listings say "no runs yet", as for an empty one). The commands that
// write make it, as before.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, CLI, cliffExperimentFile, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** The commands that only read, each with what it needs besides the database (ids that would exist in a database). */
function readingCommands(dir: string): string[][] {
  return [
    ['runs'],
    ['experiments'],
    ['check'],
    ['show', '1'],
    ['metrics', '1'],
    ['qtable', '1'],
    ['qtable', 'diff', '1', '2'],
    ['compare', '1'],
    ['export', '1', '-o', join(dir, 'policy.json')],
    ['policies'],
    ['policies', 'list'],
    ['policies', 'show', '1'],
    ['policies', 'export', '1', '-o', join(dir, 'policy.json')],
    ['results', 'export', '1', '-o', join(dir, 'out.aisle-results')],
  ];
}

/** `aisle` as a user on a fresh machine runs it: no --db, no AISLE_DB, the default database under `home`. */
function withoutDb(home: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AISLE_DB: '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('a database path that is not there', () => {
  it('is refused by every command that only reads, in one line naming it and how to make one, and is not made', () => {
    const dir = tempDir();
    // In a folder not made yet: neither the folder nor the file may appear.
    const typo = join(dir, 'lab', 'typo.db');
    for (const args of readingCommands(dir)) {
      const r = aisle(args, { db: typo });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toBe(`aisle: --db: ${typo} does not exist: check the path, or create a database there by running an experiment: aisle --db ${typo} run <experiment.json>\n`);
    }
    const env = spawnSync(process.execPath, [CLI, 'show', '1'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AISLE_DB: typo } });
    expect(env.status).toBe(2);
    expect(env.stderr).toBe(`aisle: AISLE_DB: ${typo} does not exist: check the path, or create a database there by running an experiment: aisle run <experiment.json>\n`);
    const json = aisle(['runs', '--json'], { db: typo });
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { error: { problems: string[] } }).error.problems).toEqual([`--db: ${typo} does not exist: check the path, or create a database there by running an experiment: aisle --db ${typo} run <experiment.json>`]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the default database, on a machine where nothing was run', () => {
  it('is not made by a command that reads: the listings are empty, the others say where it would be and how to make it', () => {
    const dir = tempDir();
    const home = join(dir, 'home');
    const db = join(home, '.config', 'Aisle', 'aisle.db');
    const listings: Record<string, string> = {
      runs: 'no runs yet: start one with `aisle run resources/experiments/quickstart.json`\n',
      experiments: 'no experiments yet\n',
      policies: "no policies yet: `aisle export <runId> -o policy.json` stores a run's, `aisle policies import <file>` a file\n",
      'policies list': "no policies yet: `aisle export <runId> -o policy.json` stores a run's, `aisle policies import <file>` a file\n",
    };
    for (const args of readingCommands(dir)) {
      const r = withoutDb(home, args);
      const listing = listings[args.join(' ')];
      if (listing !== undefined) {
        // As an empty database answers: nothing is stored here yet, and that is all there is to say.
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stdout, args.join(' ')).toBe(listing);
        expect(r.stderr, args.join(' ')).toBe('');
      } else {
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout, args.join(' ')).toBe('');
        expect(r.stderr, args.join(' ')).toBe(
          `aisle: the default database: ${db} does not exist yet (neither the app nor \`aisle run\` has made it): create it by running an experiment, aisle run <experiment.json>, or name another database with --db or AISLE_DB\n`,
        );
      }
    }
    expect(JSON.parse(withoutDb(home, ['runs', '--json']).stdout)).toEqual({ total: 0, runs: [] });
    expect(JSON.parse(withoutDb(home, ['--json', 'experiments']).stdout)).toEqual([]);
    // An unknown experiment is still one, as in an empty database.
    expect(withoutDb(home, ['runs', '--experiment', '3']).stderr).toBe('aisle: experiment 3 does not exist: list experiments with `aisle experiments`\n');
    expect(existsSync(home)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is made by the commands that write, as before', () => {
    const dir = tempDir();
    const lab = join(dir, 'lab.db');
    // A new --db path is made by `aisle run`…
    expect(aisle(['run', cliffExperimentFile(dir, { seeds: 1, episodes: 5 })], { db: lab }).code).toBe(0);
    expect(existsSync(lab)).toBe(true);
    const policy = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', policy], { db: lab }).code).toBe(0);
    // …and the default database by an import, which the listings then read.
    const home = join(dir, 'home');
    const imported = withoutDb(home, ['policies', 'import', policy]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(existsSync(join(home, '.config', 'Aisle', 'aisle.db'))).toBe(true);
    expect(withoutDb(home, ['policies']).stdout).toMatch(/^1 +/m);
  });

  it('is not made by the commands that change what it holds: what they name can only be in one that exists', () => {
    const other = join(tempDir(), 'other');
    const db = join(other, '.config', 'Aisle', 'aisle.db');
    for (const args of [['rename', '1', '--name', 'x'], ['delete', 'run', '1', '--yes'], ['again', '1'], ['resume', '1'], ['policies', 'delete', '1', '--yes']]) {
      const r = withoutDb(other, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(
        `aisle: the default database: ${db} does not exist yet (neither the app nor \`aisle run\` has made it): create it by running an experiment, aisle run <experiment.json>, or name another database with --db or AISLE_DB\n`,
      );
    }
    expect(existsSync(other)).toBe(false);
  });
});
