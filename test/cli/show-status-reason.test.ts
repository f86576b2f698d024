// `aisle show` of a run a dead process left: its status line read "interrupted — interrupted: the
// process running it stopped before the run finished", the stored reason repeating the status.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { INTERRUPTED_MESSAGE } from '../../src/main/store/sessions';
import { aisle, seedToyExperiment } from '../helpers/cli';

describe('aisle show of an interrupted run', () => {
  it('says the status once, then why', () => {
    const { db, file } = seedToyExperiment('crashed', 5, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const raw = new Database(db);
    raw.prepare("UPDATE runs SET status = 'interrupted', error = ? WHERE id = 1").run(INTERRUPTED_MESSAGE);
    raw.close();
    const shown = aisle(['show', '1'], { db, env: { COLUMNS: '200' } });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.split('\n')[0]).toBe('run 1 (experiment 1), seed 0: interrupted — the process running it stopped before the run finished');
  });
});
