// `aisle again` of an experiment whose stored row was edited by hand (alpha set to 5 in the
// database) refused it naming the field and nothing more ("experiment 1: agent.alpha: must be a
// number in (0, 1], got 5"): an experiment that trained, refused, and no word of why or what to do.
// The line now says how such a row comes to be, as the other commands say it, and what again can
// do: give the field a value with --set (which runs it), launch it from its file, or restore the
// database. A line of the options' own, or of a rule newer than the row, is as it was. In-process
// (againExperiments, what againCommand does before anything is stored).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { againExperiments } from '../../src/cli/again';
import type { RunOptions } from '../../src/cli/run';
import { parseSetting } from '../../src/cli/sweep';
import { ValidationError } from '../../src/engine/params';
import { loadExperimentFile } from '../../src/main/files';
import { checkedToLaunch } from '../../src/main/service/experiments';
import { Store } from '../../src/main/store';
import { record } from '../helpers/again-fuzz';
import { ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** What follows the field's line, with the command on the database given (--db). */
const fix = (db: string) =>
  `it was changed after it was stored (the database edited by hand, or damaged): give the field a value with \`aisle --db ${db} again 1 --set agent.alpha=<value>\`, launch the experiment from its file with \`aisle run <experiment.json>\`, or restore the database from a backup`;

/** A database whose experiment 1 (quickstart) has `change` made to its row, as a hand with a SQLite tool would. */
function edited(change: string): string {
  const db = join(tempDir(), 'a.db');
  const store = Store.open(db);
  try {
    const quick = checkedToLaunch(loadExperimentFile(join(ROOT, 'resources', 'experiments', 'quickstart.json'))).experiment;
    const [launched] = record(store, [quick]);
    expect(launched!.experimentId).toBe(1);
    store.db.prepare(`UPDATE experiments SET config = ${change} WHERE id = 1`).run();
  } finally {
    store.close();
  }
  return db;
}

function refusal(opts: RunOptions): string[] {
  try {
    againExperiments(1, opts);
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('not refused');
}

describe('aisle again of a stored row edited by hand', () => {
  it('says how it came to be and what to do, in the line of the field', () => {
    const db = edited(`json_set(config, '$.agent.alpha', 5)`);
    expect(refusal({ db } as RunOptions)).toEqual([`experiment 1: agent.alpha: must be a number in (0, 1], got 5; ${fix(db)}`]);
    // In a sweep's lines too, where each experiment of it names its settings.
    expect(refusal({ db, set: [parseSetting('agent.gamma=0.9,1')] } as RunOptions).every((line) => line.endsWith(`got 5; ${fix(db)}`))).toBe(true);
  });

  it('runs with the fix it gives, and leaves a line of the options alone', () => {
    const db = edited(`json_set(config, '$.agent.alpha', 5)`);
    const { loaded } = againExperiments(1, { db, set: [parseSetting('agent.alpha=0.5')] } as RunOptions);
    expect(loaded.experiments[0]!.experiment.agent).toMatchObject({ alpha: 0.5 });
    const both = refusal({ db, set: [parseSetting('agent.gamma=2')] } as RunOptions);
    expect(both).toContain(`experiment 1: agent.alpha: must be a number in (0, 1], got 5; ${fix(db)}`);
    const gamma = both.filter((line) => line.includes('agent.gamma'));
    expect(gamma).toHaveLength(1);
    expect(gamma[0]).not.toContain('changed after it was stored');
  });

  it('leaves a row stored before a newer rule as it was: its line has its own fix', () => {
    const db = edited(`json_replace(config, '$.agent.epsilon', json('{"start":0.1,"end":0.5,"decayEpisodes":10}'))`);
    const lines = refusal({ db } as RunOptions);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^experiment 1: agent\.epsilon\.end: /);
    expect(lines[0]).not.toContain('changed after it was stored');
  });
});
