// An id past 2^53 (99999999999999999999, which a double reads as 1e20) was refused as 'runId must be
// a whole number from 1 up, got "99999999999999999999"', though it is one: what is wrong is its size.
// Every command that takes an id now says so, naming what it would be the id of and where those
// there are are listed, exit 2, before the database is opened; an id within range that names
// nothing keeps its 'does not exist' line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, seedToyExperiment } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const HUGE = '99999999999999999999';
const tooLarge = (name: string, what: string, given = HUGE) =>
  `${name} "${given}" is too large: no ${what} has an id above 9,007,199,254,740,991 (2^53 − 1): \`aisle ${what === 'policy' ? 'policies' : `${what}s`}\` lists the ${what === 'policy' ? 'policies' : `${what}s`} there are`;

describe('an id too large to be one', () => {
  it('is said to be too large by every command that takes one, exit 2, nothing opened', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const cases: [string[], string][] = [
      [['show', HUGE], tooLarge('runId', 'run')],
      [['metrics', HUGE], tooLarge('runId', 'run')],
      [['export', HUGE, '-o', join(dir, 'p.json')], tooLarge('runId', 'run')],
      [['resume', HUGE], tooLarge('runId', 'run')],
      [['delete', 'run', HUGE], tooLarge('runId', 'run')],
      [['compare', '--runs', `1-${HUGE}`], tooLarge('--runs', 'run', `1-${HUGE}`)],
      [['runs', '--experiment', HUGE], tooLarge('--experiment', 'experiment')],
      [['again', HUGE], tooLarge('experimentId', 'experiment')],
      [['rename', HUGE, '--name', 'x'], tooLarge('experimentId', 'experiment')],
      [['compare', HUGE], tooLarge('experimentId', 'experiment')],
      [['delete', 'experiment', HUGE], tooLarge('experimentId', 'experiment')],
      [['results', 'export', HUGE, '-o', join(dir, 'r.aisle-results')], tooLarge('experimentId', 'experiment')],
      [['policies', 'show', HUGE], tooLarge('policyId', 'policy')],
      [['policies', 'export', HUGE, '-o', join(dir, 'p.json')], tooLarge('policyId', 'policy')],
      [['policies', 'delete', HUGE], tooLarge('policyId', 'policy')],
      [['metrics', '1', '--from', HUGE], `--from "${HUGE}" is too large: give a whole number from 0 to 9,007,199,254,740,991`],
    ];
    for (const [args, said] of cases) {
      const r = aisle(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0], args.join(' ')).toBe(`aisle: ${said}`);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('an id within range that names nothing is still said not to exist', () => {
    const { db, file } = seedToyExperiment('toy', 2, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const r = aisle(['show', '99999999999'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('aisle: run 99999999999 does not exist: list runs with `aisle runs`\n');
  });
});
