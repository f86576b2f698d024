// `aisle rename <experimentId>`: a launched experiment's new name or description, seen by
// `aisle experiments` and `aisle runs`; bad input exits 2 with one line per problem and changes nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { aisle, cliffExperimentFile } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** A database with one experiment of two short runs, launched from a file with a description. */
function launched(): { db: string; experimentId: number; configHash: string } {
  const dir = tempDir();
  const db = join(dir, 'a.db');
  const file = cliffExperimentFile(dir, { description: 'alpha 0.5' });
  const run = aisle(['run', file, '--json'], { db });
  expect(run.code, run.stderr).toBe(0);
  const { experimentId } = JSON.parse(run.stdout) as { experimentId: number };
  const store = Store.open(db, { reader: true });
  try {
    return { db, experimentId, configHash: store.getExperiment(experimentId).configHash };
  } finally {
    store.close();
  }
}

function stored(db: string, id: number) {
  const store = Store.open(db, { reader: true });
  try {
    const { name, config, configHash } = store.getExperiment(id);
    return { name, description: (config as { description?: string }).description, configHash, runs: store.experimentRuns(id) };
  } finally {
    store.close();
  }
}

describe('aisle rename', () => {
  it('renames an experiment and changes or removes its description; the runs and config hash stay', () => {
    const { db, experimentId, configHash } = launched();
    const runs = stored(db, experimentId).runs;

    const renamed = aisle(['rename', String(experimentId), '--name', 'cliff alpha 0.5', '--description', 'step size 0.5'], { db });
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe(`experiment ${experimentId}: cliff alpha 0.5\nstep size 0.5\n`);
    expect(stored(db, experimentId)).toEqual({ name: 'cliff alpha 0.5', description: 'step size 0.5', configHash, runs });
    expect(aisle(['experiments'], { db }).stdout).toMatch(new RegExp(`^${experimentId} +cliff alpha 0\\.5 `, 'm'));
    expect(aisle(['runs'], { db }).stdout).toContain(`${experimentId} cliff alpha 0.5`);

    const cleared = aisle(['rename', String(experimentId), '--description', '', '--json'], { db });
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(JSON.parse(cleared.stdout)).toEqual({ id: experimentId, name: 'cliff alpha 0.5', description: null });
    expect(stored(db, experimentId)).toEqual({ name: 'cliff alpha 0.5', description: undefined, configHash, runs });
  });

  it('refuses a blank or too long name, nothing to change and an unknown id: exit 2, one line each, nothing written', () => {
    const { db, experimentId } = launched();
    const before = stored(db, experimentId);
    const id = String(experimentId);
    for (const [args, line] of [
      [['rename', id, '--name', '  '], 'aisle: --name: must not be empty: give the experiment a name\n'],
      [['rename', id, '--name', 'x'.repeat(201)], 'aisle: --name: has 201 characters, more than 200: shorten it\n'],
      [['rename', id, '--name', ' ', '--description', 'x'.repeat(10_001)], 'aisle: --name: must not be empty: give the experiment a name\naisle: --description: has 10,001 characters, more than 10,000: shorten it\n'],
      [['rename', id], 'aisle: give --name, --description or both (--description "" removes it)\n'],
      [['rename', '999', '--name', 'x'], 'aisle: experiment 999 does not exist: list experiments with `aisle experiments`\n'],
      [['rename', 'one', '--name', 'x'], 'aisle: experimentId must be a whole number from 1 up, got "one"\n(run `aisle rename --help` for usage)\n'],
    ] as const) {
      const r = aisle([...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(line);
    }
    const json = aisle(['rename', id, '--name', '', '--json'], { db });
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 2, problems: ['--name: must not be empty: give the experiment a name'] } });
    expect(stored(db, experimentId)).toEqual(before);
    // A mistyped --db is not created empty.
    const missing = join(tempDir(), 'typo.db');
    expect(aisle(['rename', '1', '--name', 'x'], { db: missing }).code).toBe(2);
    expect(existsSync(missing)).toBe(false);
  });
});
